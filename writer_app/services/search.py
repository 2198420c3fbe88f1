"""Substring search of the lists, served by an index on both databases.

`ILIKE '%term%'` is what users expect from a search box (part of a word matches, case does not). On
PostgreSQL the pg_trgm indexes of migration 0002 serve it as written; on SQLite the FTS5 trigram tables
of migration 0004 answer the same question, for terms of 3 characters or more (a trigram index knows
nothing shorter; those few scan).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, literal_column, or_, select, table

from writer_app.models import Content, Task, db

# Model → (FTS5 table, the columns it indexes), as migration 0004 creates them.
SQLITE_SEARCH: dict[type, tuple[str, tuple[Any, ...]]] = {
    Task: ("writer_tasks_search", (Task.title, Task.keywords)),
    Content: ("writer_content_search", (Content.title,)),
}
TRIGRAM = 3


def contains_text(model: type, term: str) -> ColumnElement[bool]:
    """Rows of `model` whose searched columns contain `term`, ignoring case."""
    search_table, columns = SQLITE_SEARCH[model]
    if db.session.get_bind().dialect.name == "sqlite" and len(term) >= TRIGRAM:
        phrase = '"' + term.replace('"', '""') + '"'  # one FTS5 phrase: the whole term, in order
        matches = (
            select(literal_column("rowid"))
            .select_from(table(search_table))
            .where(literal_column(search_table).match(phrase))
        )
        return model.id.in_(matches)  # type: ignore[attr-defined]
    return or_(*(column.icontains(term, autoescape=True) for column in columns))
