"""The RQ worker for Writer's queues: stale-job check at start, then RQ's worker with the scheduler
(which re-enqueues jobs whose `Retry` interval has passed): forking a work horse per job, or, with
`fork=False`, running each job in the worker process itself."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Sequence
from datetime import timedelta

from flask import Flask
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker, Worker
from rq.job import Job as RQJob
from rq.worker import BaseWorker

from writer_app.jobs.connection import redis_connection
from writer_app.jobs.queue import QUEUES
from writer_app.models import db
from writer_app.services import jobs

log = logging.getLogger("writer.worker")


class WorkerConfigError(RuntimeError):
    """The worker cannot start; the message says what to set."""


def check_stale(app: Flask, stale_after: timedelta | None = None) -> list[str]:
    """Fail jobs whose worker was lost (no heartbeat for `stale_after`) and queued jobs Redis no
    longer has; returns their ids."""
    connection = redis_connection(app.config.get("REDIS_URL") or "")
    with app.app_context():
        stale = jobs.detect_stale(stale_after)
        if connection is not None:
            try:
                stale += jobs.detect_lost_queued(lambda job_id: RQJob.exists(job_id, connection), stale_after)
            except RedisError:  # Redis is down: queued jobs cannot be checked now
                log.warning("could not check queued jobs against Redis", exc_info=True)
        ids = [job.id for job in stale]
        db.session.commit()
        # Work horses are forked from this process: they must not inherit open database connections.
        db.engine.dispose()
    for job_id in ids:
        log.warning("job %s: %s", job_id, jobs.WORKER_LOST)
    return ids


class _StaleJobCheck(BaseWorker):
    """Also fails stale jobs during RQ's periodic maintenance, so a job lost with a crashed worker is
    noticed by the workers still alive."""

    writer_app: Flask | None = None
    stale_after: timedelta | None = None

    def run_maintenance_tasks(self) -> None:
        super().run_maintenance_tasks()
        if self.writer_app is not None:
            try:
                check_stale(self.writer_app, self.stale_after)
            except Exception:  # the database may be briefly away; try again next round
                log.warning("stale-job check failed", exc_info=True)


class WriterWorker(_StaleJobCheck, Worker):
    """Forks a work horse per job: a job's memory and crashes end with it, but every horse starts
    cold (a new database connection, SQL statements compiled afresh: 30-80 ms a job)."""


class WriterSimpleWorker(_StaleJobCheck, SimpleWorker):
    """Runs each job in the worker process, warm from the jobs before it; a job that crashes the
    process ends the worker (its job is then failed as "worker lost")."""


def run_worker(
    app: Flask,
    *,
    burst: bool = False,
    queues: Sequence[str] = QUEUES,
    stale_after: timedelta | None = None,
    fork: bool = True,
) -> bool:
    """Work on `queues` until stopped (or, with burst, until they are empty). True if any job ran."""
    url = app.config.get("REDIS_URL")
    if not url:
        raise WorkerConfigError(
            "REDIS_URL is not set: without Redis, jobs run inline and no worker is needed."
        )
    connection = redis_connection(url)
    connection.ping()  # fail fast with a clear error when Redis is down
    check_stale(app, stale_after)
    window = (stale_after or jobs.DEFAULT_STALE_AFTER).total_seconds()
    worker_class = WriterWorker if fork else WriterSimpleWorker
    worker = worker_class(
        [Queue(name, connection=connection) for name in queues],
        connection=connection,
        name=f"writer-{socket.gethostname()}-{os.getpid()}",
        maintenance_interval=int(min(600, max(30, window / 2))),
    )
    worker.writer_app, worker.stale_after = app, stale_after
    _preload_for_jobs()
    return worker.work(burst=burst, with_scheduler=True, logging_level=app.config.get("LOG_LEVEL", "INFO"))


def _preload_for_jobs() -> None:
    """Load once in the worker what every forked job would otherwise load again (about 60-80 MB and a
    second or two per job): the readability dictionary and the AI SDK."""
    import writer_app.integrations.ai_openai  # noqa: F401 - imported for its side effect: loaded once
    from writer_app.services.validation import warm_up

    warm_up()
