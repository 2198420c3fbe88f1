"""Exact list totals, kept in Redis until the account's data changes.

Counting is the part of a list page that grows with the data: at 100,000 tasks a filtered
`count(*)` reads thousands of rows while the page itself reads 50. A total is cached under the
account's data version (services/data_version), so it is never older than the last committed
write. Without Redis, an SQLite connection keeps them while the database is unchanged
(services/sqlite_counts); PostgreSQL without Redis counts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, NamedTuple

from writer_app.models import db
from writer_app.services import data_version, sqlite_counts
from writer_app.services.scope import Scope

TTL_SECONDS = 600


class CountKey(NamedTuple):
    """Which total: the account, and everything else that decides the counted rows (filters, scope).

    Built from the caller's inputs rather than compiled SQL: compiling the statement to key it cost
    as much as a cached count saves."""

    account_id: int
    what: str

    @classmethod
    def for_list(cls, scope: Scope, name: str, filters: Any) -> CountKey:
        """A filtered list's total: the filters and the working site/sector decide its rows, the order
        does not (`filters` is a dataclass with an `ordering` field)."""
        unordered = dataclasses.replace(filters, ordering="")
        return cls(scope.account_id, f"count {name} {scope.site_id} {scope.sector_id} {unordered!r}")


def cached_count(key: CountKey, count: Callable[[], int]) -> int:
    """`count()`, or its cached result for `key` in the account's current data version."""
    if data_version.wrote(db.session):  # this transaction's own writes are in no cached total yet
        return count()
    slot = data_version.lookup(key.account_id, key.what)
    if slot.value is not None:
        return int(slot.value)
    if slot.redis_key is None:  # no Redis (or Redis down)
        return sqlite_counts.cached(key, count)
    total = count()
    data_version.store(slot, total, TTL_SECONDS)
    return total
