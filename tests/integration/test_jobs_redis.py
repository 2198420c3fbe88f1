"""End to end on real Redis: the UI route enqueues, a `flask writer worker` subprocess does the work.

The worker gets the same DATABASE_URL / REDIS_URL / MEDIA_ROOT as the test app and talks to the local
OpenAI-compatible server over HTTP. One test SIGKILLs a worker mid-job and checks that the lost job
is queued again and completes (tests/integration/test_jobs_recovery.py covers more).
"""

from __future__ import annotations

import os
import signal
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

from tests.integration.jobs_support import fund, kill_worker
from tests.support.factories import Tenant, make_task
from tests.support.openai_server import FakeOpenAIServer
from tests.support.workers import work_in_process
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import Content, Image, ImageStatus, Job, JobStatus, Role, Task, TaskStatus, db
from writer_app.services import credits, generation, job_recovery, jobs

pytestmark = pytest.mark.redis
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker_env(
    app: Flask, database_url: str, redis_url: str, openai_server: FakeOpenAIServer
) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AI_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        MEDIA_ROOT=app.config["MEDIA_ROOT"],
        SECRET_KEY=app.config["SECRET_KEY"],
        AI_PROVIDER="openai",
        OPENAI_API_KEY="test-key",
        OPENAI_BASE_URL=openai_server.base_url,
        OPENAI_MODEL="fake-gpt",
        OPENAI_IMAGE_MODEL="gpt-image-1",
        AI_TIMEOUT_SECONDS="20",
        AI_FIX_ROUNDS=str(app.config["AI_FIX_ROUNDS"]),  # as the test app: off
        AI_MAX_RETRIES="1",
        FLASK_APP="wsgi",
    )
    return env


def flask_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", "writer", *args]


def burst(env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        flask_cmd("worker", "--burst", *extra), cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def wait_for(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.expire_all()
        value = check()
        if value:
            return value
        db.session.rollback()
        time.sleep(0.2)
    raise AssertionError("timed out waiting")


@pytest.fixture
def running_worker(worker_env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    process = subprocess.Popen(
        flask_cmd("worker"),
        cwd=REPO,
        env=worker_env,
        start_new_session=True,
        text=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def test_ui_route_enqueues_and_a_burst_worker_generates_content_and_images(
    app: Flask, tenant: Tenant, login, worker_env: dict[str, str], openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    tasks = [make_task(tenant.cluster, f"Queued draft {i}") for i in range(2)]
    db.session.commit()
    client = login(tenant.editor)

    response = client.post("/tasks/generate", data={"ids": [str(t.id) for t in tasks]})

    assert response.status_code == 303
    job = db.session.scalars(select(Job)).one()
    assert job.status == JobStatus.QUEUED and not job.ran_inline
    page = client.get(f"/jobs/{job.id}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'hx-trigger="every 1s"' in page and "Waiting for a worker" in page
    assert openai_server.requests == []  # nothing ran in the web process

    burst(worker_env)

    db.session.expire_all()
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FINISHED, job.error
    for task in tasks:
        assert db.session.get(Task, task.id).status == TaskStatus.COMPLETED
        content = db.session.scalars(select(Content).where(Content.task_id == task.id)).one()
        assert content.ai_model == "fake-gpt"
    assert credits.balance(tenant.account.id) == 100 - 2 * 10
    done = client.get(f"/jobs/{job.id}", headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' not in done.get_data(as_text=True)
    assert "writer:job-done" in done.headers["HX-Trigger"]

    images = client.post("/content/generate-images", data={"task_ids": [str(tasks[0].id)]})
    assert images.status_code == 303
    burst(worker_env)

    content = db.session.scalars(select(Content).where(Content.task_id == tasks[0].id)).one()
    stored = db.session.scalars(select(Image).where(Image.content_id == content.id)).all()
    assert len(stored) >= 4 and {i.status for i in stored} == {ImageStatus.GENERATED}
    assert all((Path(app.config["MEDIA_ROOT"]) / i.image_path).is_file() for i in stored)


def test_a_killed_workers_job_is_queued_again_and_completes(
    tenant: Tenant,
    worker_env: dict[str, str],
    openai_server: FakeOpenAIServer,
    running_worker: subprocess.Popen[str],
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Interrupted draft")
    db.session.commit()
    openai_server.latency = 30  # the AI call outlives the worker
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    assert not enqueue(job, job_entry.generate_content).inline

    wait_for(lambda: db.session.get(Job, job.id).status == JobStatus.STARTED and openai_server.requests)
    kill_worker(running_worker)  # the worker, its work horse and its scheduler

    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.IN_PROGRESS  # what a lost worker leaves
    assert credits.balance(tenant.account.id) == 90

    # A worker starting up (or the check-stale-jobs cron) queues the lost job again, once, and runs it.
    openai_server.latency = 0
    burst(worker_env, "--stale-minutes", "0")

    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.COMPLETED
    job = db.session.get(Job, job.id)
    assert job.status == JobStatus.FINISHED and job.result["recovered"] == 1
    assert len(db.session.scalars(select(Content).where(Content.task_id == task.id)).all()) == 1
    assert credits.balance(tenant.account.id) == 90
    assert len(openai_server.requests) == 2  # the one lost with the worker, and the one run again


def test_detect_stale_ignores_jobs_with_a_fresh_heartbeat(tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    jobs.mark_started(job)
    db.session.commit()

    assert job_recovery.detect_stale(timedelta(minutes=5)) == []
    assert [j.id for j in job_recovery.detect_stale(timedelta(0))] == [job.id]


@pytest.fixture
def rq_ai_app(app: Flask, openai_config: dict[str, Any], redis_url: str) -> Iterator[Flask]:
    """The openai provider without SDK retries, so each RQ attempt makes exactly one request."""
    saved = {key: app.config.get(key) for key in [*openai_config, "JOB_RETRY_INTERVALS"]}
    app.config.update(openai_config, AI_MAX_RETRIES=0, JOB_RETRY_INTERVALS=[0])
    try:
        yield app
    finally:
        app.config.update(saved)


def test_rq_retries_a_transient_failure_then_succeeds(
    rq_ai_app: Flask, tenant: Tenant, redis_url: str, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Second attempt wins")
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    assert not enqueue(job, job_entry.generate_content).inline
    openai_server.push("error_500")

    work_in_process(redis_url, "ai")

    db.session.expire_all()
    assert [r.behaviour for r in openai_server.requests] == ["error_500", "ok"]
    assert db.session.get(Task, task.id).status == TaskStatus.COMPLETED
    assert db.session.get(Job, job.id).status == JobStatus.FINISHED
    assert credits.balance(tenant.account.id) == 90
    from redis import Redis
    from rq.job import Job as RQJob

    meta = RQJob.fetch(job.id, connection=Redis.from_url(redis_url)).get_meta()
    assert meta["progress"] == 1 and meta["total"] == 1 and meta["kind"] == "generate_content"


def test_rq_gives_up_after_the_last_attempt_and_the_callback_records_it(
    rq_ai_app: Flask, tenant: Tenant, redis_url: str, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Never works")
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    enqueue(job, job_entry.generate_content)
    openai_server.push("error_500", "error_500")

    work_in_process(redis_url, "ai")

    db.session.expire_all()
    failed = db.session.get(Task, task.id)
    assert failed.status == TaskStatus.FAILED and "500" in failed.error
    assert db.session.get(Job, job.id).status == JobStatus.FAILED
    assert credits.balance(tenant.account.id) == 100


def test_an_unexpected_crash_is_recorded_by_the_failure_callback(
    app: Flask, tenant: Tenant, redis_url: str
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    saved = app.config["AI_PROVIDER"]
    app.config["AI_PROVIDER"] = "no-such-provider"  # get_provider raises inside the job
    try:
        enqueue(job, job_entry.generate_content, retry_intervals=[])
        work_in_process(redis_url, "ai")
    finally:
        app.config["AI_PROVIDER"] = saved

    db.session.expire_all()
    crashed = db.session.get(Job, job.id)
    assert crashed.status == JobStatus.FAILED and "Unknown AI provider" in crashed.error
    assert db.session.get(Task, task.id).status == TaskStatus.FAILED
    assert credits.balance(tenant.account.id) == 100


def test_heartbeat_refreshes_a_running_job(app: Flask, tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    jobs.mark_started(job)
    db.session.commit()
    first = job.heartbeat_at

    with job_entry.Heartbeat(app, job.id, 0.1):
        time.sleep(0.6)

    db.session.expire_all()
    assert db.session.get(Job, job.id).heartbeat_at > first
    assert job_recovery.detect_stale(timedelta(seconds=5)) == []


def test_queued_jobs_that_redis_lost_are_sent_again(app: Flask, tenant: Tenant, redis_url: str) -> None:
    from writer_app.jobs.worker import check_stale

    fund(tenant, 100)
    lost_task, kept_task = make_task(tenant.cluster), make_task(tenant.cluster)
    db.session.commit()
    lost = generation.start(tenant.scope(Role.EDITOR), [lost_task.id])  # never reached Redis
    kept = generation.start(tenant.scope(Role.EDITOR), [kept_task.id])
    db.session.commit()
    enqueue(kept, job_entry.generate_content)

    done = check_stale(app, timedelta(0))
    again = check_stale(app, timedelta(0))  # idempotent: now Redis has it

    assert done.resent == [lost.id] and done.failed == [] and again.ids == []
    work_in_process(redis_url, "ai")
    db.session.expire_all()
    for job, task in ((lost, lost_task), (kept, kept_task)):
        assert db.session.get(Job, job.id).status == JobStatus.FINISHED
        assert db.session.get(Task, task.id).status == TaskStatus.COMPLETED
    assert credits.balance(tenant.account.id) == 80


def test_a_worker_stops_listening_for_commands_within_seconds(app: Flask, redis_url: str) -> None:
    """The thread listening for RQ's commands may have read the unsubscribe reply before the worker
    stops it (a race it loses under load): the worker still stops within seconds, not RQ's 60."""
    from redis import Redis
    from rq import Queue

    from writer_app.jobs.worker import WriterSimpleWorker

    connection = Redis.from_url(redis_url)
    worker = WriterSimpleWorker([Queue("publish", connection=connection)], connection=connection)
    worker.subscribe()
    worker.pubsub.unsubscribe()  # the listening thread reads the reply, then waits for a subscription
    deadline = time.monotonic() + 10
    while worker.pubsub.subscribed and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not worker.pubsub.subscribed

    started = time.monotonic()
    worker.unsubscribe()
    assert time.monotonic() - started < 5
    assert not worker.pubsub_thread.is_alive()


@pytest.mark.parametrize("fork", [True, False], ids=["forking", "no-fork"])
def test_a_no_fork_worker_runs_jobs_in_its_own_process(app: Flask, redis_url: str, fork: bool) -> None:
    from redis import Redis
    from rq import Queue

    from writer_app.jobs.worker import run_worker

    queued = Queue("publish", connection=Redis.from_url(redis_url)).enqueue(os.getpid)
    assert run_worker(app, burst=True, queues=["publish"], fork=fork)
    queued.refresh()
    assert (queued.return_value() == os.getpid()) is not fork  # a forked work horse has its own pid
