"""The RQ worker for Writer's queues: a recovery check at start and every few seconds after, then RQ's
worker with the scheduler (which re-enqueues jobs whose `Retry` interval has passed): forking a work
horse per job, or, with `fork=False`, running each job in the worker process itself.

Why the check runs often: an idle RQ worker blocks on the queue read for `worker_ttl - 15` seconds
(405 s by default) and runs its maintenance only between reads, so a lost job could wait most of
seven minutes beyond its stale window. Writer's workers read with a timeout of `check_interval`
(at most 30 s), so an idle worker checks every `check_interval` seconds (see bench/README.md).
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, SimpleWorker, Worker
from rq.scheduler import RQScheduler
from rq.worker import BaseWorker

from writer_app.jobs import queue as job_queue
from writer_app.jobs.connection import redis_connection
from writer_app.jobs.queue import QUEUES
from writer_app.models import db
from writer_app.services import job_recovery, jobs

log = logging.getLogger("writer.worker")
CHECK_LOCK = "writer:recovery-check"


class WorkerConfigError(RuntimeError):
    """The worker cannot start; the message says what to set."""


@dataclass
class Recovery:
    """What one recovery check did, by job id."""

    requeued: list[str] = field(default_factory=list)  # lost with their worker, queued again (once)
    resent: list[str] = field(default_factory=list)  # queued in the database, gone from Redis: sent again
    failed: list[str] = field(default_factory=list)  # lost again, or no queue to send them to

    @property
    def ids(self) -> list[str]:
        return [*self.requeued, *self.resent, *self.failed]


def check_interval(window: timedelta) -> int:
    """Seconds between recovery checks: a tenth of the stale window, between 1 and 30."""
    return int(min(30, max(1, window.total_seconds() / 10)))


def check_stale(app: Flask, stale_after: timedelta | None = None) -> Recovery:
    """Recover jobs whose worker was lost (no heartbeat for `stale_after`, default JOB_STALE_SECONDS):
    re-queue each once, then fail it as "worker lost"; and send again the jobs queued in the database
    that Redis no longer holds (a restart or flush). One checker at a time (a Redis lock)."""
    connection = redis_connection(app.config.get("REDIS_URL") or "")
    window = stale_after if stale_after is not None else job_recovery.stale_window(app.config)
    done = Recovery()
    token = _lock(connection, window)
    if token is False:
        return done  # another worker is checking right now
    try:
        with app.app_context():
            requeued, failed = job_recovery.recover_stale(window, can_requeue=connection is not None)
            done.failed = [job.id for job in failed]
            db.session.commit()
            if connection is not None:
                _send_again(requeued, window, done)
            db.session.commit()
            # Work horses are forked from this process: they must not inherit open database connections.
            db.engine.dispose()
    finally:
        _unlock(connection, token)
    for job_id in done.failed:
        log.warning("job %s: %s", job_id, jobs.WORKER_LOST)
    return done


def _send_again(requeued: list, window: timedelta, done: Recovery) -> None:
    try:
        for job in requeued:  # their RQ record, if any, belongs to the lost worker: replace it
            job_queue.resend(job)
            done.requeued.append(job.id)
        grace = min(window, timedelta(seconds=30))
        for job in job_recovery.queued_without_record(job_queue.has_live_record, grace):
            if job.id not in done.requeued and job_queue.resend(job):
                done.resent.append(job.id)
    except RedisError:  # Redis is down: these stay queued in the database; the next check sends them
        log.warning("could not send recovered jobs to Redis", exc_info=True)
        done.requeued = [job.id for job in requeued]


def _lock(connection: Redis | None, window: timedelta) -> str | bool | None:
    """A token when we hold the check lock, False when another checker does, None without Redis."""
    if connection is None:
        return None
    token = f"{socket.gethostname()}-{os.getpid()}-{time.monotonic()}"
    try:
        got = connection.set(CHECK_LOCK, token, nx=True, ex=max(5, check_interval(window)))
    except RedisError:
        return None  # Redis is down: check anyway (the database updates are conditional)
    return token if got else False


def _unlock(connection: Redis | None, token: str | bool | None) -> None:
    if connection is None or not isinstance(token, str):
        return
    try:
        if connection.get(CHECK_LOCK) == token.encode():
            connection.delete(CHECK_LOCK)
    except RedisError:
        pass


class WriterScheduler(RQScheduler):
    """RQ's scheduler process, outliving a Redis restart: a connection error waits and tries again
    (re-taking its locks) instead of ending the process, which RQ would restart only at the worker's
    next maintenance."""

    def work(self) -> None:
        self._install_signal_handlers()
        wait, down = float(self.interval), False
        while not self._stop_requested:
            try:
                if down or self.should_reacquire_locks:
                    self.register_birth()
                    self.acquire_locks()
                self.heartbeat()
                self.enqueue_scheduled_jobs()
                if down:
                    self.log.warning("Scheduler: Redis is back")
                wait, down = float(self.interval), False
            except (RedisConnectionError, RedisTimeoutError) as error:
                if not down:
                    self.log.warning("Scheduler: Redis is unreachable (%s); retrying", error)
                wait, down = min(wait * 2, 10.0), True
            time.sleep(wait)
        with contextlib.suppress(RedisError):
            self.stop()


# How long the worker's command-listening thread waits for a message before looking again whether the
# worker is stopping. RQ uses 60 s; the redis client (8.2) waits for the thread when the worker stops,
# and a thread that read the unsubscribe reply first then waits out the whole of it: every stop of a
# worker took up to a minute (a burst worker, a deploy's restart).
LISTEN_SECONDS = 1


class _StaleJobCheck(BaseWorker):
    """Runs the recovery check during RQ's maintenance (every `check_interval` seconds when idle,
    after each job when busy), and Writer's scheduler; stops within LISTEN_SECONDS."""

    writer_app: Flask | None = None
    stale_after: timedelta | None = None

    def subscribe(self) -> None:
        """RQ's own subscription to the worker's command channel, listened to in LISTEN_SECONDS rounds."""
        self.pubsub = self.connection.pubsub()
        self.pubsub.subscribe(**{self.pubsub_channel_name: self.handle_payload})
        self.pubsub_thread = self.pubsub.run_in_thread(
            sleep_time=LISTEN_SECONDS, daemon=True, exception_handler=self._pubsub_exception_handler
        )

    def run_maintenance_tasks(self) -> None:
        try:
            super().run_maintenance_tasks()
        except RedisError:  # Redis is restarting; the worker's loop waits for it
            log.warning("RQ maintenance failed", exc_info=True)
        if self.writer_app is not None:
            try:
                check_stale(self.writer_app, self.stale_after)
            except Exception:  # the database may be briefly away; try again next round
                log.warning("stale-job check failed", exc_info=True)

    def _start_scheduler(self, burst: bool = False, logging_level: str | None = "INFO", *args, **kwargs):  # type: ignore[no-untyped-def]
        self.scheduler = WriterScheduler(
            self.queues,
            connection=self.connection,
            logging_level=logging_level if logging_level is not None else self.log.level,
            serializer=self.serializer,
        )
        self.scheduler.acquire_locks()
        if not self.scheduler.acquired_locks:
            return
        if burst:
            try:
                self.scheduler.register_birth()
                self.scheduler.enqueue_scheduled_jobs()
            finally:
                self.scheduler.release_locks()
                self.scheduler.register_death()
        else:
            self.scheduler.start()


class WriterWorker(_StaleJobCheck, Worker):
    """Forks a work horse per job: a job's memory and crashes end with it, but every horse starts
    cold (a new database connection, SQL statements compiled afresh: 30-80 ms a job)."""


class WriterSimpleWorker(_StaleJobCheck, SimpleWorker):
    """Runs each job in the worker process, warm from the jobs before it; a job that crashes the
    process ends the worker (its job is then re-queued once, like any lost job)."""


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
    every = check_interval(stale_after if stale_after is not None else job_recovery.stale_window(app.config))
    worker_class = WriterWorker if fork else WriterSimpleWorker
    worker = worker_class(
        [Queue(name, connection=connection) for name in queues],
        connection=connection,
        name=f"writer-{socket.gethostname()}-{os.getpid()}",
        maintenance_interval=every,
        # The blocking queue read lasts worker_ttl - 15 s: end it every `every` seconds, so an idle
        # worker runs its maintenance (and the recovery check) that often.
        worker_ttl=every + 15,
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
