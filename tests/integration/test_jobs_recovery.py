"""Jobs that recover by themselves (issue #19), on a Redis server of the test's own and real workers.

- a job whose worker (and work horse) was SIGKILLed mid-job is queued again by the idle workers left,
  with no cron, within JOB_STALE_SECONDS + 60 s, and only its unfinished items run again;
- lost a second time, it fails as "worker lost" and its credits go back;
- a retried job asks the provider only for the items without a result (the server counts calls);
- queued jobs survive a Redis restart (the database is the source of truth) and so does the scheduler.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from tests.integration.jobs_support import fund, kill_worker
from tests.support.factories import Tenant, make_task
from tests.support.openai_server import FakeOpenAIServer
from tests.support.redis_server import RedisServer, app_on_redis
from tests.support.workers import work_in_process
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import Content, Job, JobStatus, Role, Task, TaskStatus, db
from writer_app.services import credits, generation, job_recovery, jobs

pytestmark = pytest.mark.redis
REPO = Path(__file__).resolve().parents[2]
STALE_SECONDS = 8


def wait_for(check: Callable[[], Any], timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        value = check()
        db.session.rollback()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout} s")


@pytest.fixture
def start_worker(
    app: Flask, database_url: str, openai_server: FakeOpenAIServer
) -> Iterator[Callable[[str], subprocess.Popen[str]]]:
    """start_worker(redis_url): a `flask writer worker` subprocess with a short stale window."""
    started: list[subprocess.Popen[str]] = []

    def start(redis_url: str) -> subprocess.Popen[str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AI_", "JOB_"))}
        env.update(
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            MEDIA_ROOT=app.config["MEDIA_ROOT"],
            SECRET_KEY=app.config["SECRET_KEY"],
            AI_PROVIDER="openai",
            OPENAI_API_KEY="test-key",
            OPENAI_BASE_URL=openai_server.base_url,
            OPENAI_MODEL="fake-gpt",
            AI_TIMEOUT_SECONDS="20",
            AI_FIX_ROUNDS=str(app.config["AI_FIX_ROUNDS"]),  # as the test app: off
            AI_MAX_RETRIES="0",
            JOB_STALE_SECONDS=str(STALE_SECONDS),
            JOB_HEARTBEAT_SECONDS="1",
            FLASK_APP="wsgi",
        )
        command = [sys.executable, "-m", "flask", "--app", "wsgi", "writer", "worker"]
        process = subprocess.Popen(
            command, cwd=REPO, env=env, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            kill_worker(process)


@pytest.fixture
def on_own_redis(app: Flask, redis_server: RedisServer) -> Iterator[RedisServer]:
    with app_on_redis(app, redis_server.url):
        yield redis_server


def _generate(tenant: Tenant, count: int, title: str) -> tuple[Job, list[Task]]:
    tasks = [make_task(tenant.cluster, f"{title} {i}") for i in range(count)]
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [t.id for t in tasks])
    db.session.commit()
    assert not enqueue(job, job_entry.generate_content).inline
    return job, tasks


def _statuses(tasks: list[Task]) -> set[TaskStatus]:
    return {db.session.get(Task, t.id).status for t in tasks}


def test_a_lost_job_is_run_again_by_idle_workers_within_the_stale_window_without_cron(
    tenant: Tenant,
    on_own_redis: RedisServer,
    openai_server: FakeOpenAIServer,
    start_worker: Callable[[str], subprocess.Popen[str]],
) -> None:
    fund(tenant, 100)
    openai_server.latency = 15  # the drafts outlive the worker
    first = start_worker(on_own_redis.url)
    job, tasks = _generate(tenant, 3, "Lost with its worker")
    wait_for(lambda: len(openai_server.requests) == 3, timeout=60)
    kill_worker(first)  # the worker, its work horse and its scheduler: nothing is left to report
    killed_at = time.monotonic()
    openai_server.latency = 0
    time.sleep(3)
    start_worker(on_own_redis.url)  # a replacement: at its start the job does not look stale yet

    wait_for(lambda: db.session.get(Job, job.id).status == JobStatus.FINISHED, timeout=STALE_SECONDS + 60)

    took = time.monotonic() - killed_at
    job = db.session.get(Job, job.id)
    assert took <= STALE_SECONDS + 60 and job.result["recovered"] == 1
    assert _statuses(tasks) == {TaskStatus.COMPLETED}
    assert len(db.session.scalars(select(Content)).all()) == 3
    assert credits.balance(tenant.account.id) == 70
    assert len(openai_server.requests) == 3 + 3  # the 3 lost in flight, then the 3 unfinished once


def test_a_job_lost_twice_fails_as_worker_lost_and_returns_its_credits(tenant: Tenant) -> None:
    fund(tenant, 100)
    tasks = [make_task(tenant.cluster) for _ in range(2)]
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [t.id for t in tasks])
    jobs.mark_started(job)
    db.session.commit()

    requeued, failed = job_recovery.recover_stale(timedelta(0))
    db.session.commit()
    assert [j.id for j in requeued] == [job.id] and failed == []
    assert job_recovery.recover_stale(timedelta(0)) == ([], [])  # queued now: nothing to recover
    assert db.session.get(Job, job.id).status == JobStatus.QUEUED
    assert _statuses(tasks) == {TaskStatus.IN_PROGRESS} and credits.balance(tenant.account.id) == 80

    jobs.mark_started(db.session.get(Job, job.id))  # the second run is lost too
    db.session.commit()
    requeued, failed = job_recovery.recover_stale(timedelta(0))
    db.session.commit()

    assert requeued == [] and [j.id for j in failed] == [job.id]
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FAILED and job.error == jobs.WORKER_LOST
    assert _statuses(tasks) == {TaskStatus.FAILED}
    assert credits.balance(tenant.account.id) == 100


@pytest.fixture
def one_request_per_attempt(app: Flask, openai_config: dict[str, Any], redis_url: str) -> Iterator[Flask]:
    """The openai provider without SDK retries and one call at a time, so calls can be counted."""
    keys = [*openai_config, "JOB_RETRY_INTERVALS", "AI_CONCURRENCY"]
    saved = {key: app.config.get(key) for key in keys}
    app.config.update(openai_config, AI_MAX_RETRIES=0, JOB_RETRY_INTERVALS=[0], AI_CONCURRENCY=1)
    try:
        yield app
    finally:
        app.config.update(saved)


def _work_until_empty(redis_url: str) -> None:
    work_in_process(redis_url, "ai", with_scheduler=True)
    db.session.expire_all()


def test_a_retry_after_an_ai_outage_asks_only_for_the_unfinished_items(
    one_request_per_attempt: Flask, tenant: Tenant, redis_url: str, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    job, tasks = _generate(tenant, 4, "Half an outage")
    openai_server.push("ok", "error_500", "ok", "error_500")

    _work_until_empty(redis_url)

    assert [r.behaviour for r in openai_server.requests] == ["ok", "error_500", "ok", "error_500", "ok", "ok"]
    assert db.session.get(Job, job.id).status == JobStatus.FINISHED
    assert _statuses(tasks) == {TaskStatus.COMPLETED}
    assert len(db.session.scalars(select(Content)).all()) == 4
    assert credits.balance(tenant.account.id) == 60


def test_a_draft_is_saved_through_a_dropped_database_connection_and_not_asked_for_again(
    one_request_per_attempt: Flask,
    tenant: Tenant,
    redis_url: str,
    openai_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fund(tenant, 100)
    job, tasks = _generate(tenant, 3, "Saved anyway")
    real_save, drops = generation.drafting.save_draft, []

    def save_once_dropped(*args: Any, **kwargs: Any) -> Any:
        if not drops:
            drops.append(1)
            raise OperationalError("INSERT", {}, Exception("server closed the connection unexpectedly"))
        return real_save(*args, **kwargs)

    monkeypatch.setattr(generation.drafting, "save_draft", save_once_dropped)
    monkeypatch.setattr(job_recovery, "DB_RETRY_DELAYS", (0.01, 0.01, 0.01))

    _work_until_empty(redis_url)

    assert drops and len(openai_server.requests) == 3  # each draft asked for once
    assert db.session.get(Job, job.id).status == JobStatus.FINISHED
    assert _statuses(tasks) == {TaskStatus.COMPLETED}
    assert credits.balance(tenant.account.id) == 70


def test_an_attempt_that_fails_on_the_database_asks_for_no_draft_it_had_not_started(
    one_request_per_attempt: Flask,
    tenant: Tenant,
    redis_url: str,
    openai_server: FakeOpenAIServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fund(tenant, 100)
    job, tasks = _generate(tenant, 4, "Database away")
    real_save, calls = generation.drafting.save_draft, []

    def save(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) <= 4:  # the whole first attempt: every try to save the first draft fails
            raise OperationalError("INSERT", {}, Exception("the database system is starting up"))
        return real_save(*args, **kwargs)

    monkeypatch.setattr(generation.drafting, "save_draft", save)
    monkeypatch.setattr(job_recovery, "DB_RETRY_DELAYS", (0.01, 0.01, 0.01))

    _work_until_empty(redis_url)

    # Attempt 1 bought one draft and asked for no other while it could not save it; the retry asked
    # only for the 4 drafts without a result.
    assert len(openai_server.requests) == 1 + 4
    assert db.session.get(Job, job.id).status == JobStatus.FINISHED
    assert _statuses(tasks) == {TaskStatus.COMPLETED}
    assert credits.balance(tenant.account.id) == 60


def test_queued_jobs_and_the_scheduler_survive_a_redis_restart(
    tenant: Tenant,
    on_own_redis: RedisServer,
    openai_server: FakeOpenAIServer,
    start_worker: Callable[[str], subprocess.Popen[str]],
) -> None:
    from redis import Redis
    from rq.scheduler import RQScheduler

    fund(tenant, 100)
    openai_server.latency = 4
    start_worker(on_own_redis.url)
    running, running_tasks = _generate(tenant, 1, "Running through the restart")
    wait_for(lambda: openai_server.requests, timeout=60)
    waiting, waiting_tasks = _generate(tenant, 2, "Queued behind it")  # one worker: it waits in Redis
    lock = RQScheduler.get_locking_key("ai")
    assert Redis.from_url(on_own_redis.url).exists(lock)

    on_own_redis.stop()  # no persistence: every queued job and RQ record is gone
    on_own_redis.start()
    restarted = time.monotonic()
    assert not Redis.from_url(on_own_redis.url).exists(running.id, waiting.id)

    # The scheduler takes its lock again at once instead of dying with the connection.
    wait_for(lambda: Redis.from_url(on_own_redis.url).exists(lock), timeout=15)
    assert time.monotonic() - restarted < 15
    openai_server.latency = 0
    wait_for(
        lambda: {db.session.get(Job, j.id).status for j in (running, waiting)} == {JobStatus.FINISHED},
        timeout=STALE_SECONDS + 60,
    )
    assert _statuses(running_tasks + waiting_tasks) == {TaskStatus.COMPLETED}
    assert len(db.session.scalars(select(Content)).all()) == 3  # nothing twice
    assert credits.balance(tenant.account.id) == 70
