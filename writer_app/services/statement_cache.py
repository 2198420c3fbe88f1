"""List statements kept per process, keyed by everything that decides them.

A list's SELECT (and its count and plain-row variants) is a function of the scope, the filters and the
database kind only, never of the data: the same statement serves every request with the same inputs,
also right after a write. Building one cost SQLAlchemy 15-20% of a computed list request, more than
SQLite took to answer it (bench/README.md). Statements are immutable, so a kept one is shared safely;
no data is kept here.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from writer_app.models import db

T = TypeVar("T")

# A list's statements take about 50 KB (measured with tracemalloc), so at most ~6 MB a process; the
# least recently used go first.
MAX_KEPT = 128

_kept: OrderedDict[Hashable, Any] = OrderedDict()
_lock = threading.Lock()


def list_key(name: str, scope: Any, filters: Any) -> tuple[Any, ...]:
    """The key of a list's statements: the task and content lists read the account, the working site
    and sector (a `Scope`) and their filters (a dataclass), nothing else."""
    return (name, scope.account_id, scope.site_id, scope.sector_id, repr(filters))


def kept(key: Hashable, build: Callable[[], T]) -> T:
    """`build()`'s statement(s) for `key` (which must name every input `build` reads), built once per
    process and database kind. A build that raises (invalid filters) keeps nothing."""
    full_key = (db.session.get_bind().dialect.name, key)
    with _lock:
        if full_key in _kept:
            _kept.move_to_end(full_key)
            return _kept[full_key]  # type: ignore[no-any-return]
    value = build()
    with _lock:
        _kept[full_key] = value
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)
    return value
