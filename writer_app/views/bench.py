"""The benchmark's ceiling: a constant answer served by the same app, workers and middleware.

Registered only when BENCH_ENDPOINTS is true (environment WRITER_BENCH=1); `make bench` sets it for
the gunicorn it starts. No login, no database: what is left is Flask, the request hooks and gunicorn.
"""

from __future__ import annotations

import os

from flask import Blueprint, Flask, Response

bp = Blueprint("bench", __name__, url_prefix="/bench")

BARE_BODY = "ok\n"


@bp.route("/bare")
def bare() -> Response:
    return Response(BARE_BODY, mimetype="text/plain")


def enabled(app: Flask) -> bool:
    configured = app.config.get("BENCH_ENDPOINTS")
    if configured is None:
        configured = os.environ.get("WRITER_BENCH", "") == "1"
    return bool(configured)


def register_if_enabled(app: Flask) -> None:
    if enabled(app):
        app.register_blueprint(bp)
