"""Totals kept per SQLite connection without Redis: kept while the database is unchanged, counted
again after any commit, this process's or another's."""

from __future__ import annotations

import sqlite3

import pytest

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Role, Task, db
from writer_app.services import sqlite_counts, tasks
from writer_app.services.tasks import TaskFilters


@pytest.fixture
def on_sqlite():
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's own change counter (PostgreSQL: test_postgresql_counts_every_time)")


class Counter:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> int:
        self.calls += 1
        return 100 + self.calls


def _commit_elsewhere(statement: str, *params: object) -> None:
    """A write committed by another connection, as another gunicorn worker or a job would."""
    other = sqlite3.connect(db.engine.url.database)
    try:
        other.execute(statement, params)
        other.commit()
    finally:
        other.close()


def test_a_total_is_kept_until_another_connection_commits(tenant, on_sqlite):
    db.session.commit()
    count = Counter()
    assert sqlite_counts.cached("total", count) == 101
    assert sqlite_counts.cached("total", count) == 101 and count.calls == 1
    assert sqlite_counts.cached("another total", count) == 102

    _commit_elsewhere("UPDATE sites SET name = ? WHERE id = ?", "Renamed", tenant.site.id)
    assert sqlite_counts.cached("total", count) == 103


def test_this_connections_own_writes_count_again(tenant, on_sqlite):
    db.session.commit()
    count = Counter()
    sqlite_counts.cached("total", count)
    factories.make_task(tenant.cluster, "Flushed, not committed")
    assert sqlite_counts.cached("total", count) == 102
    db.session.commit()
    assert sqlite_counts.cached("total", count) == 102 and count.calls == 2


def test_the_task_list_total_follows_a_status_changed_elsewhere(tenant, on_sqlite):
    for n in range(3):
        factories.make_task(tenant.cluster, f"Solar task {n}")
    db.session.commit()
    scope, queued = tenant.scope(Role.EDITOR), TaskFilters(status="queued")

    def listed() -> tuple[int, int]:
        with count_queries() as queries:
            page = tasks.list_tasks(scope, queued, 1, 25)
        return page.total, queries.counts

    assert listed() == (3, 1)
    assert listed() == (3, 0)  # kept
    first = db.session.scalars(db.select(Task)).first()
    _commit_elsewhere("UPDATE writer_tasks SET status = 'canceled' WHERE id = ?", first.id)
    db.session.commit()  # this session's next transaction sees the other commit
    assert listed() == (2, 1)


def test_postgresql_counts_every_time(tenant):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite keeps totals (tests above)")
    count = Counter()
    sqlite_counts.cached("total", count)
    sqlite_counts.cached("total", count)
    assert count.calls == 2
