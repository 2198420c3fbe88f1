"""Enqueue background work: RQ when Redis is there, the same entry point run inline when it is not.

Rules every caller follows (see STYLE.md, "Jobs"):
- create the Job row in the request, **commit**, then call `enqueue` (a worker must find the row);
- pass ids only (the job id; the entry point loads everything else);
- the RQ job id is the Job row's id, enqueued with unique=True, so the same work is never queued twice;
- explicit timeouts (LLM calls outlast RQ's 180 s default) and `Retry` with intervals for attempts
  that failed on transient provider errors; a failure callback records every failure in the Job row.

Without REDIS_URL every job runs inline (development, the demo). With REDIS_URL set but Redis down,
work that may take minutes (AI calls for up to 10 objects, a whole WordPress import) is refused
before it starts (`refuse_when_queue_down`, called by services.jobs.create_job; the API answers 503):
run inside a web request it would outlast the proxy's timeout. One-object WordPress work (publish,
update, a taxonomy sync) still runs inline, and says so.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app, g
from redis.exceptions import RedisError
from rq import Callback, Queue, Retry
from rq.exceptions import DuplicateJobError, NoSuchJobError
from rq.job import Job as RQJob
from rq.job import JobStatus as RQStatus

from writer_app.jobs.connection import redis_connection
from writer_app.models import Job, JobStatus, db
from writer_app.services.errors import DomainError

log = logging.getLogger("writer.jobs")

QUEUES = ("ai", "publish", "mail")
# Seconds between the attempts RQ makes after a transient failure (429, 5xx, timeouts).
RETRY_INTERVALS = [30, 120]
DEFAULT_TIMEOUT = 30 * 60
FAILURE_CALLBACK = "writer_app.jobs.ai.on_failure"
# Kinds that wait for a worker rather than run inline when Redis is configured but down.
NEEDS_WORKER = frozenset(
    {"generate_content", "generate_image_prompts", "generate_images", "wordpress_import"}
)
QUEUE_DOWN_MESSAGE = "The job queue is unavailable; try again in a minute."
# How each kind is sent again when its RQ record was lost: entry point, timeout, retry intervals
# (None: as `enqueue` sizes them). Keep in step with the callers of `enqueue`.
RESEND: dict[str, tuple[str, int | None, list[int] | None]] = {
    "generate_content": ("writer_app.jobs.ai.generate_content", None, None),
    "generate_image_prompts": ("writer_app.jobs.ai.generate_image_prompts", None, None),
    "generate_images": ("writer_app.jobs.ai.generate_images", None, None),
    "generate_outline": ("writer_app.jobs.ai.generate_outline", None, None),
    "ai_fix": ("writer_app.jobs.ai.fix_content", None, None),
    "wordpress_publish": ("writer_app.jobs.publish.publish_content", 15 * 60, [10, 60]),
    "wordpress_update": ("writer_app.jobs.publish.publish_content", 15 * 60, [10, 60]),
    "wordpress_sync_taxonomies": ("writer_app.jobs.publish.sync_taxonomies", 30 * 60, [30, 120]),
    "wordpress_import": ("writer_app.jobs.publish.import_posts", 30 * 60, [30, 120]),
}
# RQ states in which a record will still run (or is running) the job.
LIVE_STATES = frozenset(
    {
        RQStatus.CREATED,
        RQStatus.QUEUED,
        RQStatus.SCHEDULED,
        RQStatus.STARTED,
        RQStatus.DEFERRED,
        RQStatus.READY_TO_ENQUEUE,
        RQStatus.RATE_LIMITED,
    }
)


class QueueUnavailable(DomainError):
    """Redis is configured but down, and this work is too long to run inside a web request."""

    status = 503
    code = "queue_unavailable"
    headers = {"Retry-After": "60"}

    def __init__(self) -> None:
        super().__init__(QUEUE_DOWN_MESSAGE)


@dataclass(frozen=True)
class Dispatch:
    """How a job was started: queued for a worker, or already run inline (then `status` is final)."""

    job_id: str
    inline: bool
    status: str
    reason: str = ""  # why it ran inline ("REDIS_URL is not set", "Redis is unreachable: ...")

    @property
    def message(self) -> str:
        if not self.inline:
            return "Queued: a worker will pick it up; this page updates itself."
        return f"Ran right away in the web process ({self.reason}) and {self.status}."


def _entry_point(func: Callable[..., Any] | str) -> str:
    return func if isinstance(func, str) else f"{func.__module__}.{func.__qualname__}"


def job_timeout(units: int, *, per_unit: int | None = None) -> int:
    """A timeout that fits `units` AI calls run a few at a time, each allowed its own retries."""
    config = current_app.config
    ai_timeout = int(config.get("AI_TIMEOUT_SECONDS", 120))
    attempts = int(config.get("AI_MAX_RETRIES", 2)) + 1
    concurrency = max(1, int(config.get("AI_CONCURRENCY", 5)))
    batches = -(-max(units, 1) // concurrency)
    seconds = 60 + batches * (per_unit or ai_timeout * attempts)
    return int(config.get("JOB_TIMEOUT_SECONDS") or min(max(seconds, 300), 4 * 3600))


def enqueue(
    job: Job,
    func: Callable[[str], Any] | str,
    *,
    timeout: int | None = None,
    retry_intervals: list[int] | None = None,
) -> Dispatch:
    """Send `func(job.id)` to RQ queue `job.queue`, or run it now when Redis is missing.

    The job row must already be committed. Inline runs call the very same entry point and leave
    `job.ran_inline` set, so pages and API answers can say so.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("Commit the job (and the work it refers to) before enqueueing it.")
    entry = _entry_point(func)
    reason = _unavailable_reason()
    if reason is None:
        try:
            _send(job, entry, timeout or job_timeout(_units(job)), retry_intervals)
        except DuplicateJobError:
            log.info("job %s is already queued; not queueing it twice", job.id)
            return Dispatch(job.id, inline=False, status=JobStatus.QUEUED.value)
        except RedisError as exc:  # went away between the ping and the enqueue
            reason = f"Redis is unreachable: {exc}"
        else:
            log.info("queued job %s (%s) on %s", job.id, job.kind, job.queue)
            return Dispatch(job.id, inline=False, status=JobStatus.QUEUED.value)
    if job.kind in NEEDS_WORKER and redis_connection() is not None:
        _give_up(job, reason)  # Redis went away after create_job checked it
    return _run_inline(job, entry, reason)


# --- jobs created by services that do not enqueue them themselves -----------------------------------
# A service that creates a job deep inside an action (an approval that publishes, a notification that
# emails) cannot enqueue it: its caller has not committed yet. It defers the job here instead, and
# `enqueue_deferred` sends it once the caller committed (after every request, after every job run).

_DEFERRED = "writer_deferred_jobs"


def enqueue_after_commit(job: Job, func: Callable[[str], Any] | str, **options: Any) -> None:
    """Remember `job` to be enqueued with `enqueue(job, func, **options)` once this app context's
    work is committed."""
    g.setdefault(_DEFERRED, {})[job.id] = (_entry_point(func), options)


def take_deferred(job: Job) -> dict[str, Any]:
    """The caller enqueues `job` itself: forget it here and return the options it was deferred with."""
    _, options = (g.get(_DEFERRED) or {}).pop(job.id, (None, {}))
    return dict(options)


def enqueue_deferred() -> int:
    """Enqueue the deferred jobs of this app context; the caller committed. A job whose row is not in
    the database was rolled back with its action and is skipped. Never raises: the action stands and
    the job row shows a job that never ran. Returns how many went to the queue (or ran inline)."""
    pending = g.pop(_DEFERRED, None) or {}
    if not pending:
        return 0
    if db.session.new or db.session.dirty or db.session.deleted:
        log.warning("jobs %s not enqueued: uncommitted changes remain", list(pending))
        return 0
    sent = 0
    for job_id, (entry, options) in pending.items():
        try:
            job = db.session.get(Job, job_id, populate_existing=True)
            if job is not None and JobStatus(job.status) == JobStatus.QUEUED and not job.ran_inline:
                enqueue(job, entry, **options)
                sent += 1
        except Exception:
            db.session.rollback()
            log.exception("could not enqueue job %s", job_id)
    return sent


def _units(job: Job) -> int:
    """Units of AI work: the job's progress total (images, tasks), plus one prompt call per object."""
    extra = len(job.object_ids or []) if job.kind == "generate_images" else 0
    if job.kind == "generate_content":  # fix rounds after the drafts: a few calls per draft and round
        extra = int(current_app.config.get("AI_FIX_ROUNDS", 2)) * 4 * (job.progress_total or 0)
    return max((job.progress_total or 0) + extra, 1)


def has_live_record(job_id: str) -> bool:
    """Whether RQ holds a record of the job that will still run it (queued, scheduled, running)."""
    connection = redis_connection()
    if connection is None:
        return False
    try:
        return RQJob.fetch(job_id, connection=connection).get_status(refresh=False) in LIVE_STATES
    except NoSuchJobError:
        return False


def resend(job: Job) -> bool:
    """Send a job that is queued in the database to RQ again, replacing a record that will not run it
    (gone with a Redis restart, failed, or left "started" by a lost worker). The job id stays the
    RQ id, enqueued with unique=True: two checkers sending it at once queue it once. RedisError
    propagates (the next check tries again)."""
    connection = redis_connection()
    if connection is None or job.kind not in RESEND:
        return False
    entry, timeout, intervals = RESEND[job.kind]
    with contextlib.suppress(NoSuchJobError):
        RQJob.fetch(job.id, connection=connection).delete()
    try:
        _send(job, entry, timeout or job_timeout(_units(job)), intervals)
    except DuplicateJobError:
        return False
    log.warning("job %s (%s) queued again", job.id, job.kind)
    return True


def refuse_when_queue_down(kind: str) -> None:
    """QueueUnavailable when Redis is configured but down and `kind` must not run inline."""
    if kind in NEEDS_WORKER and redis_connection() is not None:
        reason = _unavailable_reason()
        if reason is not None:
            log.warning("refusing a %s job: %s", kind, reason)
            raise QueueUnavailable()


def _give_up(job: Job, reason: str) -> None:
    """The job was committed but cannot be queued: fail it (its objects fail with the message, its
    credits go back) and tell the caller."""
    from writer_app.services import jobs

    log.warning("job %s (%s) could not be queued: %s", job.id, job.kind, reason)
    fresh = db.session.get(Job, job.id, populate_existing=True)
    if fresh is not None:
        jobs.fail_job(fresh, QUEUE_DOWN_MESSAGE)
        db.session.commit()
    raise QueueUnavailable()


def _unavailable_reason() -> str | None:
    connection = redis_connection()
    if connection is None:
        return "REDIS_URL is not set"
    try:
        connection.ping()
    except RedisError as exc:
        return f"Redis is unreachable: {exc}"
    return None


def _send(job: Job, entry: str, timeout: int, retry_intervals: list[int] | None) -> None:
    intervals = (
        retry_intervals
        if retry_intervals is not None
        else current_app.config.get("JOB_RETRY_INTERVALS", RETRY_INTERVALS)
    )
    queue = Queue(job.queue, connection=redis_connection())
    queue.enqueue_call(
        entry,
        args=(job.id,),
        job_id=job.id,
        unique=True,
        timeout=timeout,
        result_ttl=24 * 3600,
        failure_ttl=7 * 24 * 3600,
        retry=Retry(max=len(intervals), interval=list(intervals)) if intervals else None,
        on_failure=Callback(FAILURE_CALLBACK, timeout=60),
        meta={"kind": job.kind, "account_id": job.account_id, "progress": 0},
        description=f"{job.kind} for account {job.account_id}",
    )


def _run_inline(job: Job, entry: str, reason: str) -> Dispatch:
    from rq.utils import import_attribute

    log.warning("running job %s (%s) inline: %s", job.id, job.kind, reason)
    job_id = job.id
    db.session.execute(db.update(Job).where(Job.id == job_id).values(ran_inline=True))
    db.session.commit()
    function = import_attribute(entry)
    function(job_id)  # the entry point records failures in the job row itself
    db.session.expire_all()
    fresh = db.session.get(Job, job_id)
    status = JobStatus(fresh.status).value if fresh is not None else "unknown"
    return Dispatch(job_id, inline=True, status=status, reason=reason)
