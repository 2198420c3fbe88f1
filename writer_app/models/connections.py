"""How Writer's database connections are set up when they open."""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, event

# SQLite's own page cache per connection, in KiB (a negative cache_size). Its default, 2 MiB, holds
# little of a 10,000-task database (76 MB), so a search read its index pages again from the file on
# every request. The cache grows only as pages are read; a connection lives as long as its worker.
SQLITE_CACHE_KIB = 65_536


@event.listens_for(Engine, "connect")
def _sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
        cursor.close()
