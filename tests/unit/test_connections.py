"""How database connections are set up: PostgreSQL cursors describe a result only when asked."""

from __future__ import annotations

import psycopg
import pytest

from tests.support.services import POSTGRES_ADMIN_URL, missing_service
from writer_app.models import db
from writer_app.models.connections import DescribedOnDemand


@pytest.fixture()
def connections():
    """A plain psycopg cursor and one of Writer's on the same server."""
    try:
        plain = psycopg.connect(POSTGRES_ADMIN_URL, connect_timeout=3)
    except psycopg.OperationalError as exc:
        missing_service(f"PostgreSQL is not reachable at {POSTGRES_ADMIN_URL}: {exc}")
    ours = psycopg.connect(POSTGRES_ADMIN_URL, cursor_factory=DescribedOnDemand)
    yield plain.cursor(), ours.cursor()
    plain.close()
    ours.close()


STATEMENTS = [
    ("SELECT 1 AS one, 'x'::varchar(12) AS name, now() AS at, NULL::numeric(8, 2) AS price", ()),
    ("SELECT %s::int[] AS ids, %s::jsonb AS doc", ([1, 2], '{"a": 1}')),
    ("SELECT ;", ()),  # no columns, yet a statement that returns rows
    ("SET search_path TO public", ()),  # no result rows: no description
]


@pytest.mark.parametrize(("sql", "params"), STATEMENTS)
def test_the_description_is_psycopgs_own(connections, sql, params):
    plain, ours = connections
    plain.execute(sql, params)
    ours.execute(sql, params)
    if plain.description is None:
        assert ours.description is None
        return
    expected = [(tuple(column), column.type_display) for column in plain.description]
    described = ours.description
    assert len(described) == len(expected)
    assert [(tuple(column), column.type_display) for column in described] == expected
    assert [tuple(column) for column in described[-1:]] == [e[0] for e in expected[-1:]]


def test_a_description_read_late_still_describes_its_own_result(connections):
    _plain, ours = connections
    ours.execute("SELECT 1 AS first, 'a' AS second")
    described = ours.description
    ours.execute("SELECT 2 AS other")  # the cursor moves on before the first description is read
    assert [column.name for column in described] == ["first", "second"]
    assert [column.name for column in ours.description] == ["other"]


def test_the_application_reads_rows_through_it(tenant):
    """Writer's PostgreSQL connections use the cursor (SQLite ones are untouched)."""
    connection = db.session.connection().connection.driver_connection
    if isinstance(connection, psycopg.Connection):
        assert connection.cursor_factory is DescribedOnDemand
    rows = db.session.execute(db.text("SELECT 1 AS one, 'two' AS two")).mappings().all()
    assert rows == [{"one": 1, "two": "two"}]
