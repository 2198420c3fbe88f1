"""How Writer's database connections are set up when they open, and how they run statements."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any, overload

import psycopg
from psycopg import Column, pq
from sqlalchemy import Engine, event

from writer_app.models.base import POSTGRES_SEARCH_COLUMN

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


class _PinnedResult:
    """What psycopg's Column reads of its cursor, held at one result: the cursor may have run another
    statement by the time the columns are built."""

    __slots__ = ("_cursor", "pgresult")

    def __init__(self, cursor: psycopg.Cursor[Any], pgresult: Any) -> None:
        self._cursor = cursor
        self.pgresult = pgresult

    @property
    def _encoding(self) -> str:
        return self._cursor._encoding

    @property
    def adapters(self) -> Any:
        return self._cursor.adapters


class _Columns(Sequence[Column]):
    """A result's `cursor.description`, built when first read. SQLAlchemy asks for the description of
    every statement but reads it only the first time it runs a compiled statement (it keeps the
    result's shape): psycopg built a Column per column each time, 250 a review page (5% of it)."""

    __slots__ = ("_built", "_pinned")

    def __init__(self, pinned: _PinnedResult) -> None:
        self._pinned = pinned
        self._built: list[Column] | None = None

    def _columns(self) -> list[Column]:
        if self._built is None:
            pinned = self._pinned
            self._built = [Column(pinned, i) for i in range(pinned.pgresult.nfields)]  # type: ignore[arg-type]
        return self._built

    def __len__(self) -> int:
        return self._pinned.pgresult.nfields

    @overload
    def __getitem__(self, index: int) -> Column: ...
    @overload
    def __getitem__(self, index: slice) -> list[Column]: ...
    def __getitem__(self, index: int | slice) -> Column | list[Column]:
        return self._columns()[index]

    def __repr__(self) -> str:
        return repr(self._columns())


_ROWS_STATUSES = frozenset({pq.ExecStatus.TUPLES_OK, pq.ExecStatus.SINGLE_TUPLE, pq.ExecStatus.TUPLES_CHUNK})


class DescribedOnDemand(psycopg.Cursor[Any]):
    """psycopg's cursor with `description` built when read (`_Columns`); None when psycopg's is."""

    @property
    def description(self) -> Sequence[Column] | None:  # type: ignore[override]
        result = self.pgresult
        # psycopg's own test: columns, or a statement that said it returns rows ("SELECT ;").
        if result and (result.nfields or result.status in _ROWS_STATUSES):
            return _Columns(_PinnedResult(self, result))
        return None


@event.listens_for(Engine, "connect")
def _postgresql_connection(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, psycopg.Connection):
        dbapi_connection.cursor_factory = DescribedOnDemand


@event.listens_for(Engine, "do_execute")
def _plan_searches_for_their_term(cursor: Any, statement: str, parameters: Any, _context: Any) -> bool:
    """Statements that search text run unprepared, so PostgreSQL plans each one for its term.

    psycopg prepares a statement on its fifth run, and PostgreSQL then keeps a generic plan when that
    looks no costlier than the plans made for each term. For `search_text LIKE '%' || $1 || '%'` it
    cannot know how common the term is, and whether it keeps the generic plan (read every match through
    the trigram index, then sort) turns on ANALYZE's sample: two databases seeded alike differed, a
    common term's tasks page took 8 ms of PostgreSQL time instead of 1.5 (the index in list order).
    """
    if isinstance(cursor, psycopg.Cursor) and POSTGRES_SEARCH_COLUMN in statement:
        cursor.execute(statement, parameters, prepare=False)
        return True
    return False
