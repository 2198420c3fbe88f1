"""Jobs that lost their worker or their queue record, and results saved through a dropped connection.

The database row is the source of truth. A started job whose heartbeat stopped (the worker was
killed) is found by `recover_stale` (or reported by RQ: `worker_lost`) and queued again once, so its
unfinished items run again with their credits still held (finished items keep their results and are
not redone); lost a second time it fails as "worker lost" (its objects fail, its unused credits go
back). Jobs queued here but unknown to Redis (restarted or flushed) are found by
`queued_without_record` and sent again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select, update
from sqlalchemy.exc import InterfaceError, OperationalError

from writer_app.jobs.queue import RESEND
from writer_app.models import Job, JobStatus, db
from writer_app.models.base import utcnow
from writer_app.services import audit
from writer_app.services.jobs import DEFAULT_STALE_AFTER, WORKER_LOST, actor_scope, fail_job

T = TypeVar("T")
log = logging.getLogger("writer.jobs")

# Pauses before saving a job's result again after the database connection dropped (then it gives up
# and the attempt fails: RQ retries it, and only items without a saved result run again).
DB_RETRY_DELAYS = (0.5, 2.0, 5.0)


def with_db_retries(save: Callable[[], T]) -> T:
    """Run `save` (one unit of work that commits itself); when the database connection is lost or the
    database is briefly unavailable, roll back and run it again on a fresh connection."""
    for delay in (*DB_RETRY_DELAYS, None):
        try:
            return save()
        except (OperationalError, InterfaceError):
            db.session.rollback()
            if delay is None:
                raise
            log.warning("saving a job result failed on the database; trying again", exc_info=True)
            time.sleep(delay)
    raise AssertionError("unreachable")


# --- jobs whose worker or queue record was lost ------------------------------------------------------

# A lost job is re-queued this many times (its unfinished items run again, its credits stay held)
# before it fails as "worker lost".
MAX_RECOVERIES = 1
REQUEUED_AFTER_LOSS = "The worker was lost; the unfinished items were queued again."


def stale_window(config: Any) -> timedelta:
    """How long a started job may go without a heartbeat before it counts as lost (JOB_STALE_SECONDS)."""
    return timedelta(seconds=max(1, int(config.get("JOB_STALE_SECONDS") or 300)))


def recoveries(job: Job) -> int:
    return int((job.result or {}).get("recovered") or 0)


def _can_run_again(job: Job) -> bool:
    """Queued jobs with a worker's entry point, not re-queued before (inline runs died with their
    web process: nothing would pick them up again)."""
    return job.kind in RESEND and not job.ran_inline and recoveries(job) < MAX_RECOVERIES


def _last_sign() -> Any:
    return func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)


def _stale(stale_after: timedelta | None, now: datetime | None) -> tuple[list[Job], datetime, datetime]:
    now = now or utcnow()
    cutoff = now - (stale_after if stale_after is not None else DEFAULT_STALE_AFTER)
    stmt = select(Job).where(Job.status == JobStatus.STARTED, _last_sign() < cutoff)
    return list(db.session.scalars(stmt)), cutoff, now


def _requeue_lost(job: Job, now: datetime, *, cutoff: datetime | None = None) -> bool:
    """Started → queued again after its worker was lost; False when someone else got there first.

    One conditional UPDATE, so two checkers (two workers, a worker and cron) cannot both re-queue it."""
    condition = [Job.id == job.id, Job.status == JobStatus.STARTED]
    if cutoff is not None:
        condition.append(_last_sign() < cutoff)
    result = db.session.execute(
        update(Job)
        .where(*condition)
        .values(
            status=JobStatus.QUEUED,
            heartbeat_at=now,
            error=REQUEUED_AFTER_LOSS,
            result={**(job.result or {}), "recovered": recoveries(job) + 1},
        )
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(job)
    if result.rowcount != 1:
        return False
    audit.record(actor_scope(job), "job.requeued", object_type="job", job_id=job.id, reason="worker lost")
    return True


def recover_stale(
    stale_after: timedelta | None = None, now: datetime | None = None, *, can_requeue: bool = True
) -> tuple[list[Job], list[Job]]:
    """Started jobs whose heartbeat is older than `stale_after`: their worker was lost.

    Each is re-queued once (returned in the first list: the caller commits, then sends them to the
    queue again; their finished items are kept and only the rest runs), and failed as "worker lost"
    (second list) when it was re-queued before, ran inline, or `can_requeue` is False (no Redis)."""
    stale, cutoff, now = _stale(stale_after, now)
    requeued, failed = [], []
    for job in stale:
        if can_requeue and _can_run_again(job):
            if _requeue_lost(job, now, cutoff=cutoff):
                requeued.append(job)
        elif not JobStatus(job.status).done:
            fail_job(job, WORKER_LOST)
            failed.append(job)
    return requeued, failed


def detect_stale(stale_after: timedelta | None = None, now: datetime | None = None) -> list[Job]:
    """Fail every started job whose heartbeat is older than `stale_after` ("worker lost"), without
    re-queueing (no queue to send them to). The caller commits."""
    return recover_stale(stale_after, now, can_requeue=False)[1]


def worker_lost(job: Job) -> bool:
    """RQ found the job's worker dead (an abandoned job). Re-queue it once (True; RQ's retry or the
    next check sends it again), else fail it as "worker lost". The caller commits."""
    if JobStatus(job.status) != JobStatus.STARTED:
        return False  # already re-queued by the stale check, or ended
    if _can_run_again(job):
        return _requeue_lost(job, utcnow())
    fail_job(job, WORKER_LOST)
    return False


def queued_without_record(
    has_live_record: Callable[[str], bool], grace: timedelta, now: datetime | None = None
) -> list[Job]:
    """Jobs queued in the database (not inline), quiet for longer than `grace`, that the queue holds no
    live record of: Redis was restarted or emptied, or the record failed with a lost worker. The
    database is the source of truth, so the caller sends them again (their credits are still held).

    The grace keeps away from the moment between a commit and the enqueue that follows it."""
    cutoff = (now or utcnow()) - grace
    stmt = select(Job).where(
        Job.status == JobStatus.QUEUED,
        Job.ran_inline.is_(False),
        func.coalesce(Job.heartbeat_at, Job.created_at) < cutoff,
    )
    return [job for job in db.session.scalars(stmt) if not has_live_record(job.id)]
