"""List totals kept per SQLite connection while the database is unchanged: the count cache without Redis.

SQLite tells each connection whether the database changed: `PRAGMA data_version` moves when any other
connection (of any process) commits, `total_changes()` when this one writes. A total kept with both
values is therefore still the total while they read the same. The default set-up (SQLite, no Redis)
counted a 100,000-task search with its page on every request (15 ms) and the navigation's review badge
on every page (1.8 ms); with the total kept, the search's page walks the list's index (6 ms).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from writer_app.models import db

# Both numbers in one statement (pragma functions need SQLite 3.16).
STATE = "SELECT data_version, total_changes() FROM pragma_data_version()"
MAX_KEPT = 1_000  # totals per connection; past it the connection starts afresh
_INFO = "writer_kept_counts"  # Connection.info (it stays with the pooled DBAPI connection)


def cached(key: Hashable, count: Callable[[], int]) -> int:
    """`count()`, or the total this connection kept for `key` while the database has not changed.
    Not SQLite: counted."""
    connection = db.session.connection()
    if connection.dialect.name != "sqlite":
        return count()
    # Read before counting: a commit landing meanwhile makes the next request count again.
    state = tuple(connection.exec_driver_sql(STATE).one())
    held: tuple[tuple[int, ...], dict[Hashable, int]] | None = connection.info.get(_INFO)
    if held is None or held[0] != state or len(held[1]) >= MAX_KEPT:
        held = connection.info[_INFO] = (state, {})
    totals = held[1]
    if key not in totals:
        totals[key] = count()
    return totals[key]
