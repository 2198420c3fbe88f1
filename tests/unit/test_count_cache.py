"""List totals come from Redis while the account's data is unchanged, and are never stale after a commit."""

from __future__ import annotations

import pytest
from redis import Redis
from sqlalchemy import update

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Role, Task, TaskStatus, db
from writer_app.services import task_actions, tasks
from writer_app.services.tasks import TaskFilters


def _counts_issued(scope, filters=None) -> tuple[int, int]:
    """(total shown, count statements run) for the first page of tasks."""
    with count_queries() as queries:
        page = tasks.list_tasks(scope, filters, 1, 25)
    return page.total, queries.counts


@pytest.fixture
def tenant_with_tasks(tenant, redis_url):
    for n in range(3):
        factories.make_task(tenant.cluster, f"Solar task {n}")
    db.session.commit()
    return tenant


def test_a_repeated_list_takes_its_total_from_the_cache(tenant_with_tasks):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    assert _counts_issued(scope) == (3, 1)
    assert _counts_issued(scope) == (3, 0)
    # Other filters are other totals.
    assert _counts_issued(scope, TaskFilters(search="task 1")) == (1, 1)
    assert _counts_issued(scope, TaskFilters(search="task 1")) == (1, 0)
    # The same rows in another order are the same total.
    assert _counts_issued(scope, TaskFilters(search="task 1", ordering="title")) == (1, 0)


def test_creating_trashing_and_bulk_changes_show_at_once(tenant_with_tasks):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    queued = TaskFilters(status="queued")
    assert _counts_issued(scope, queued) == (3, 1)

    task = tasks.create_task(
        scope,
        title="One more",
        cluster_id=tenant_with_tasks.cluster.id,
        content_type="post",
        content_structure="article",
    )
    db.session.commit()
    assert _counts_issued(scope, queued) == (4, 1)

    task_actions.bulk_update_status(scope, [task.id], "canceled")
    db.session.commit()
    assert _counts_issued(scope, queued)[0] == 3

    task_actions.bulk_delete(scope, [t.id for t in db.session.scalars(db.select(Task))])
    db.session.commit()
    assert _counts_issued(scope)[0] == 0


def test_a_bulk_statement_invalidates_every_account(tenant_with_tasks):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    queued = TaskFilters(status="queued")
    assert _counts_issued(scope, queued)[0] == 3
    db.session.execute(update(Task).values(status=TaskStatus.COMPLETED))
    db.session.commit()
    assert _counts_issued(scope, queued) == (0, 1)


def test_uncommitted_and_rolled_back_writes_do_not_count(tenant_with_tasks):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    assert _counts_issued(scope)[0] == 3
    factories.make_task(tenant_with_tasks.cluster, "Never saved")
    db.session.rollback()
    assert _counts_issued(scope) == (3, 0)


def test_another_accounts_writes_leave_this_accounts_totals_cached(tenant_with_tasks):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    other = factories.make_tenant("Other Co")
    db.session.commit()
    assert _counts_issued(scope)[0] == 3
    factories.make_task(other.cluster, "Their task")
    db.session.commit()
    assert _counts_issued(scope) == (3, 0)
    assert _counts_issued(other.scope(Role.EDITOR)) == (1, 1)


def test_without_reachable_redis_totals_are_counted(tenant, app):
    factories.make_task(tenant.cluster, "Solar")
    db.session.commit()
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        assert _counts_issued(tenant.scope(Role.EDITOR)) == (1, 1)
        factories.make_task(tenant.cluster, "Wind")
        db.session.commit()  # the version bump fails quietly; the write stands
        assert _counts_issued(tenant.scope(Role.EDITOR)) == (2, 1)
    finally:
        app.config["REDIS_URL"] = ""


def test_a_transaction_that_wrote_counts_its_own_rows(tenant_with_tasks):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    assert _counts_issued(scope) == (3, 1)
    factories.make_task(tenant_with_tasks.cluster, "Not committed yet")
    assert _counts_issued(scope) == (4, 1)  # the cached 3 is no total for this transaction
    db.session.rollback()
    assert _counts_issued(scope) == (3, 0)


def _redis_commands(monkeypatch) -> list[str]:
    """The names of the commands this process sends to Redis from now on."""
    sent: list[str] = []
    send = Redis.execute_command

    def counting(self, *args, **options):
        sent.append(str(args[0]))
        return send(self, *args, **options)

    monkeypatch.setattr(Redis, "execute_command", counting)
    return sent


def test_a_cached_total_costs_one_round_trip_to_redis(tenant_with_tasks, monkeypatch):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    assert _counts_issued(scope) == (3, 1)
    sent = _redis_commands(monkeypatch)
    assert _counts_issued(scope) == (3, 0)
    assert sent == ["EVALSHA"]  # the versions and the total under them, together


def test_a_redis_that_forgot_the_lookup_script_is_sent_it_again(tenant_with_tasks, redis_url):
    scope = tenant_with_tasks.scope(Role.EDITOR)
    assert _counts_issued(scope) == (3, 1)
    Redis.from_url(redis_url).script_flush()  # as after a restart of Redis
    assert _counts_issued(scope) == (3, 0)
    factories.make_task(tenant_with_tasks.cluster, "One more")
    db.session.commit()
    assert _counts_issued(scope) == (4, 1)
