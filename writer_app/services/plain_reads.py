"""SELECTs of plain columns run on the session's connection, past the ORM's execution path.

`db.session.execute()` sends every statement through the ORM (its compile state, loading context and
execute events) even when it selects columns and builds no objects: a one-row count cost 82 µs that
way and 31 µs on the session's connection (bench/README.md, round 4). A list page runs six such
statements. These run in the session's transaction and flush pending changes first, as the session
would, so they see what the request wrote.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import ARRAY, Boolean, ColumnElement, Executable, Integer, Result, Row, any_, bindparam
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.visitors import InternalTraversal

from writer_app.models import db


def rows(stmt: Executable, params: Mapping[str, Any] | None = None) -> Sequence[Row[Any]]:
    """Every row of a column SELECT (never one of ORM entities: those need db.session), fetched at
    once: iterating a result fetches row by row."""
    return _execute(stmt, params).all()


def scalar(stmt: Executable, params: Mapping[str, Any] | None = None) -> Any:
    """The first column of the first row (None without rows)."""
    return _execute(stmt, params).scalar()


def _execute(stmt: Executable, params: Mapping[str, Any] | None) -> Result[Any]:
    session = db.session
    if session.autoflush:  # as session.execute would (off inside `no_autoflush`)
        session.flush()
    return session.connection().execute(stmt, params)


class among(ColumnElement[bool]):
    """The rows whose `column` is one of the ids given at execution as the parameter `name` (a list).

    SQLAlchemy writes an expanding IN anew for every execution, one placeholder per id, and psycopg
    does not cache the parsing of a statement of more than 50 parameters (a page of 50 ids and the
    account). On PostgreSQL this is `column = ANY(:name)`: one array parameter, the same statement
    text whatever the page holds, so parsed and prepared once. SQLite keeps the expanding IN."""

    inherit_cache = True
    type = Boolean()
    # A condition, not a boolean column: without this SQLite's WHERE gets `IN (...) = 1`, which no
    # index serves (every image row read for the page's counts).
    _is_implicitly_boolean = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement),
        ("name", InternalTraversal.dp_string),
    ]

    def __init__(self, column: ColumnElement[Any], name: str = "ids") -> None:
        self.column, self.name = column, name


@compiles(among)
def _among_expanding(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column.in_(bindparam(element.name, expanding=True)), **kw)


@compiles(among, "postgresql")
def _among_array(element: among, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.column == any_(bindparam(element.name, type_=ARRAY(Integer))), **kw)
