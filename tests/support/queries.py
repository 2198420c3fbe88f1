"""Count the SQL statements a block of code runs (list pages must not grow with their rows)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from writer_app.models import db


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    @property
    def counts(self) -> int:
        """How many of the statements count rows (totals, badges)."""
        return sum("count(" in s.lower() for s in self.statements)

    def __call__(self, _conn, _cursor, statement, _params, _context, _executemany) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            self.statements.append(statement)


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    counter = QueryCounter()
    engine = db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        yield counter
    finally:
        event.remove(engine, "before_cursor_execute", counter)
