"""Recovering lost jobs without Redis: RQ's abandoned-job report, the command line, the conditional re-queue."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from flask import Flask
from rq.exceptions import AbandonedJobError

from tests.support.factories import Tenant, add_credits, make_task
from writer_app.jobs import ai as job_entry
from writer_app.models import Job, JobStatus, Role, Task, TaskStatus, db
from writer_app.models.base import utcnow
from writer_app.services import credits, generation, job_recovery, jobs


def _started_job(tenant: Tenant) -> tuple[Job, Task]:
    add_credits(tenant.account, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    jobs.mark_started(job)
    db.session.commit()
    return job, task


def test_rq_reporting_an_abandoned_job_queues_it_again_once_then_fails_it(tenant: Tenant) -> None:
    job, task = _started_job(tenant)
    abandoned = SimpleNamespace(id=job.id, retries_left=0)

    job_entry.on_failure(abandoned, None, AbandonedJobError, AbandonedJobError(), None)

    db.session.expire_all()
    again = db.session.get(Job, job.id)
    assert again.status == JobStatus.QUEUED and again.error == job_recovery.REQUEUED_AFTER_LOSS
    assert db.session.get(Task, task.id).status == TaskStatus.IN_PROGRESS
    assert credits.balance(tenant.account.id) == 90  # still reserved for the second run

    jobs.mark_started(again)
    db.session.commit()
    job_entry.on_failure(abandoned, None, AbandonedJobError, AbandonedJobError(), None)

    db.session.expire_all()
    assert db.session.get(Job, job.id).error == jobs.WORKER_LOST
    assert db.session.get(Task, task.id).status == TaskStatus.FAILED
    assert credits.balance(tenant.account.id) == 100


def test_a_job_whose_heartbeat_came_back_is_not_queued_twice(tenant: Tenant) -> None:
    job, _ = _started_job(tenant)
    stale = job_recovery._stale(timedelta(0), None)[0]  # a checker read it as stale...
    jobs.touch(job.id)  # ...then its worker beat (or another checker re-queued it)
    db.session.commit()

    assert job_recovery._requeue_lost(stale[0], utcnow(), cutoff=utcnow() - timedelta(seconds=5)) is False
    assert db.session.get(Job, job.id, populate_existing=True).status == JobStatus.STARTED


def test_check_stale_jobs_without_redis_fails_lost_jobs_and_says_so(app: Flask, tenant: Tenant) -> None:
    job, task = _started_job(tenant)

    result = app.test_cli_runner().invoke(args=["writer", "check-stale-jobs", "--minutes", "0"])

    assert result.exit_code == 0, result.output
    assert f"1 job(s) failed (worker lost): {job.id}" in result.output
    assert "0 job(s) queued again" in result.output
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.FAILED
    assert credits.balance(tenant.account.id) == 100


def test_the_stale_window_is_a_setting(app: Flask) -> None:
    assert job_recovery.stale_window({"JOB_STALE_SECONDS": 12}) == timedelta(seconds=12)
    assert job_recovery.stale_window(app.config) == timedelta(seconds=300)
