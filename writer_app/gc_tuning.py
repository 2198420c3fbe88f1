"""Garbage-collector settings for a long-lived web worker process (gunicorn.conf.py).

A request allocates tens of thousands of short-lived objects (ORM rows, template output); with the
default thresholds that starts a young-generation collection about three times a request, and every
so often a full one that walks the ~180,000 objects the app keeps for its whole life (modules,
mappers, compiled templates): about 1 ms a request measured on the task list (bench/README.md).
Reference counting frees almost all of a request's objects anyway; the collector is only for cycles.
"""

from __future__ import annotations

import gc

# Young-generation collections after this many net allocations (default 700); the older
# generations after this many younger collections (default 10, 10).
THRESHOLDS = (10_000, 10, 10)


def settle_worker() -> None:
    """Call once the app is loaded, before the first request: what exists now lives as long as the
    process, so move it out of the collector's sight (gc.freeze) and collect less often."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
