"""RQ entry points for AI work. Each takes a job id only, opens an app context, runs a service, and
records progress in the Job row (coarse, durable) and in RQ's job.meta (fine, expiring).

The same functions run inline (queue.enqueue without Redis): then they push a fresh app context of
the running app, so they never share the request's database session.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from flask import Flask, current_app, has_app_context
from rq import get_current_job
from rq.exceptions import AbandonedJobError
from rq.timeouts import JobTimeoutException
from sqlalchemy.exc import SQLAlchemyError

from writer_app.integrations.ai import AIError
from writer_app.models import db
from writer_app.services import job_recovery, jobs
from writer_app.services.jobs import RetryLater

log = logging.getLogger("writer.jobs")

Runner = Callable[..., dict[str, Any]]
_app: Flask | None = None
_app_pid: int | None = None
_engine_pid: int | None = None


def _the_app() -> Flask:
    """The running app (inline) or one app per worker process (a forked work horse builds its own,
    so it never reuses the parent's database connections)."""
    global _app, _app_pid
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _app is None or _app_pid != os.getpid():
        from writer_app import create_app

        _app, _app_pid = create_app(), os.getpid()
    return _app


@contextmanager
def job_context() -> Iterator[Flask]:
    global _engine_pid
    app = _the_app()
    with app.app_context():
        if get_current_job() is not None and _engine_pid != os.getpid():
            # A forked work horse must not use connections inherited from the worker process.
            db.engine.dispose(close=False)
            _engine_pid = os.getpid()
        try:
            yield app
        finally:
            _enqueue_deferred()
            db.session.remove()


def _enqueue_deferred() -> None:
    """Jobs the work deferred (the emails it notified about) go out once its commits are done."""
    from writer_app.jobs.queue import enqueue_deferred

    enqueue_deferred()


class Heartbeat:
    """Refresh Job.heartbeat_at every `interval` seconds from a thread with its own app context,
    so a long AI call still shows the worker is alive; a killed worker stops beating."""

    def __init__(self, app: Flask, job_id: str, interval: float) -> None:
        self.app, self.job_id, self.interval = app, job_id, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id[:8]}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=self.interval + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                with self.app.app_context():
                    jobs.touch(self.job_id)
                    db.session.commit()
            except Exception:  # a missed beat is not worth killing the job for
                log.warning("heartbeat of job %s failed", self.job_id, exc_info=True)


def _reporter() -> Callable[[int, int, str], None]:
    """Fine-grained progress into RQ's job.meta (a no-op inline)."""
    rq_job = get_current_job()

    def report(done: int, total: int, message: str) -> None:
        if rq_job is None:
            return
        rq_job.meta.update(progress=done, total=total, message=message, at=datetime.now(UTC).isoformat())
        try:
            rq_job.save_meta()
        except Exception:
            log.warning("could not save progress of job %s", rq_job.id, exc_info=True)

    return report


def run_job(job_id: str, runner: Runner) -> dict[str, Any]:
    """Run `runner(job_id, final_attempt=..., report=...)` for one attempt of a job."""
    rq_job = get_current_job()
    final_attempt = rq_job is None or not rq_job.retries_left
    with job_context() as app:
        interval = float(app.config.get("JOB_HEARTBEAT_SECONDS", 10))
        with Heartbeat(app, job_id, interval):
            try:
                return runner(job_id, final_attempt=final_attempt, report=_reporter())
            except RetryLater:
                raise  # partial work is committed; RQ runs the job again after an interval
            except Exception as exc:
                db.session.rollback()
                if rq_job is not None:
                    raise  # the failure callback records it
                log.exception("inline job %s failed", job_id)
                _record_failure(job_id, _message(exc))
                return {"error": _message(exc)}


def generate_content(job_id: str) -> dict[str, Any]:
    from writer_app.services import generation

    return run_job(job_id, generation.run)


def generate_image_prompts(job_id: str) -> dict[str, Any]:
    from writer_app.services.media import generation as image_generation

    return run_job(job_id, image_generation.run_prompts)


def generate_images(job_id: str) -> dict[str, Any]:
    from writer_app.services.media import generation as image_generation

    return run_job(job_id, image_generation.run_images)


def generate_outline(job_id: str) -> dict[str, Any]:
    from writer_app.services import generation

    return run_job(job_id, generation.run_outline)


def fix_content(job_id: str) -> dict[str, Any]:
    from writer_app.services.ai_fixes import proposals

    return run_job(job_id, proposals.run)


def _message(exc: BaseException | None) -> str:
    if isinstance(exc, JobTimeoutException):
        return "The job took longer than its time limit and was stopped."
    if isinstance(exc, AbandonedJobError):
        return jobs.WORKER_LOST
    if isinstance(exc, RetryLater):
        return str(exc)
    if isinstance(exc, AIError):  # e.g. the provider settings are unusable
        return exc.message
    if isinstance(exc, SQLAlchemyError):  # its text holds SQL and values: the log has it, users do not
        return (
            "The job could not save its result: the database refused a value (too long or not valid). "
            "Nothing half-written was kept; the log has the details."
        )
    text = str(exc) if exc is not None else ""
    return f"The job failed unexpectedly ({type(exc).__name__}{': ' + text[:300] if text else ''})."


def _record_failure(job_id: str, message: str) -> None:
    with job_context():
        job = jobs.load(job_id)
        if job is not None:
            jobs.fail_job(job, message)
            db.session.commit()


def on_failure(rq_job: Any, connection: Any, exc_type: Any, exc_value: Any, traceback: Any) -> None:
    """RQ failure callback (every failed attempt, also abandoned jobs): record it in the Job row."""
    message = _message(exc_value)
    will_retry = bool(rq_job.retries_left)
    with job_context():
        job = jobs.load(rq_job.id)
        if job is None:
            return
        if isinstance(exc_value, AbandonedJobError):  # RQ found the worker dead
            job_recovery.worker_lost(
                job
            )  # re-queued once (RQ's retry or the next check sends it), else failed
        elif will_retry:
            jobs.will_retry(job, f"{message} Retrying automatically.")
        else:
            jobs.fail_job(job, message)
        db.session.commit()
