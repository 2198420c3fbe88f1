"""Durable job records: the database row, not Redis, is the source of truth for background work.

A job is created (queued) in the request that asks for the work, together with its credit
reservation; the worker marks it started, beats a heartbeat while it runs, records progress and
finishes or fails it, recording each item's result as it happens. A started job whose heartbeat
stopped (the worker was killed) is queued again once, then failed as "worker lost"; see
services/job_recovery.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select, update

from writer_app.jobs.queue import refuse_when_queue_down
from writer_app.models import Job, JobStatus, Membership, Role, db
from writer_app.models.base import utcnow
from writer_app.services import audit, credits
from writer_app.services.errors import Conflict, NotFound
from writer_app.services.inputs import text_problem
from writer_app.services.scope import Scope

DEFAULT_STALE_AFTER = timedelta(minutes=5)


class RetryLater(Exception):
    """This attempt ended on transient provider errors; what succeeded is saved, run the rest again."""


WORKER_LOST = "Worker lost: the job stopped reporting progress (the worker was stopped or crashed)."


def create_job(
    scope: Scope,
    kind: str,
    *,
    object_type: str,
    object_ids: Sequence[Any],
    total: int,
    queue: str = "ai",
) -> Job:
    """A queued job record for `kind` (flushed, so its id can go on ledger rows and into RQ).

    QueueUnavailable (503) when the work needs a worker and Redis is down: refused before any
    credits are held or objects change."""
    refuse_when_queue_down(kind)
    job = Job(
        id=str(uuid.uuid4()),
        account_id=scope.account_id,
        user_id=scope.user_id,
        kind=kind,
        queue=queue,
        status=JobStatus.QUEUED,
        object_type=object_type,
        object_ids=list(object_ids),
        progress_done=0,
        progress_total=total,
        result={},
        error="",
        ran_inline=False,
        created_at=utcnow(),
    )
    db.session.add(job)
    db.session.flush()
    audit.record(scope, f"job.{kind}", object_type="job", job_id=job.id, objects=list(object_ids))
    return job


JOB_ID_LENGTH = Job.__table__.c.id.type.length  # 36: a UUID


def _job_key(job_id: Any) -> str | None:
    """The id to look up, or None when no job can have it: ids match exactly, never cut to the column."""
    text = str(job_id)
    return text if len(text) <= JOB_ID_LENGTH and text_problem(text) is None else None


def get_job(scope: Scope, job_id: Any) -> Job:
    """One job of the scope's account; NotFound for unknown ids and other accounts' jobs alike."""
    key = _job_key(job_id)
    job = (
        None
        if key is None
        else db.session.scalars(select(Job).where(Job.id == key, Job.account_id == scope.account_id)).first()
    )
    if job is None:
        raise NotFound("Job not found.")
    return job


def load(job_id: str) -> Job | None:
    """The job by id, for the worker (which acts for the job's own account)."""
    return db.session.get(Job, job_id, populate_existing=True)


def actor_scope(job: Job) -> Scope:
    """The scope the job acts in: its account, and the user who asked with their current role.

    The request that created the job checked the role; a member removed since then still had the
    right when asking, so the job runs as an editor for them (and as the system without a user).
    """
    role = Role.EDITOR
    if job.user_id is not None:
        found = db.session.scalar(
            select(Membership.role).where(
                Membership.user_id == job.user_id, Membership.account_id == job.account_id
            )
        )
        if found is not None and Role(found).at_least(Role.EDITOR):
            role = Role(found)
    return Scope(job.account_id, role, job.user_id)


def update_result(job: Job, **changes: Any) -> None:
    """Merge keys into job.result (a new dict, so the JSON column notices the change)."""
    job.result = {**(job.result or {}), **changes}


def mark_started(job: Job) -> bool:
    """Queued (or retried) → started; False when the job already ended (then do nothing)."""
    if JobStatus(job.status).done:
        return False
    now = utcnow()
    job.status = JobStatus.STARTED
    job.started_at = job.started_at or now
    job.heartbeat_at = now
    return True


def touch(job_id: str) -> None:
    """Heartbeat: the worker still runs this job (a cheap UPDATE, safe from any thread)."""
    db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.STARTED)
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def advance(job: Job, done: int) -> None:
    job.progress_done = min(done, job.progress_total) if job.progress_total else done
    job.heartbeat_at = utcnow()


def finish(job: Job, *, error: str = "") -> None:
    """The job ran to its end; it failed as a whole when nothing at all succeeded (`error` set)."""
    job.status = JobStatus.FAILED if error else JobStatus.FINISHED
    job.error = error
    job.ended_at = utcnow()
    job.progress_done = job.progress_total
    _notify_ended(job)


def _notify_ended(job: Job) -> None:
    from writer_app.services.notifications.events import job_ended

    job_ended(job)


def will_retry(job: Job, message: str) -> None:
    """An attempt failed on a transient error and RQ will run the job again."""
    job.status = JobStatus.QUEUED
    job.error = message
    job.heartbeat_at = utcnow()


# --- credits held by a job ------------------------------------------------------------------------


def hold_credits(scope: Scope, job: Job, units: dict[str, int]) -> int:
    """Reserve the price of `units` ({operation: count}) for the job, or raise InsufficientCredits (402).

    The prices are kept with the job, so settling charges what was quoted when the work was asked for.
    """
    prices = {operation: credits.price_of(operation) for operation in units}
    amount = sum(prices[operation] * count for operation, count in units.items())
    operation = next(iter(units))
    credits.reserve(
        scope, amount, operation, object_type=job.object_type, object_ids=job.object_ids, job_id=job.id
    )
    update_result(
        job, credits={"operation": operation, "prices": prices, "reserved": amount, "settled": False}
    )
    return amount


def settle_credits(job: Job, *, used: dict[str, int], tokens_used: int, paid_ids: Sequence[Any]) -> None:
    """Charge for what succeeded (`used`: {operation: count}) and return the rest; once per job."""
    held = dict((job.result or {}).get("credits") or {})
    if not held or held.get("settled"):
        return
    prices = held.get("prices") or {}
    charged = sum(int(prices.get(operation, 0)) * count for operation, count in used.items())
    credits.settle(
        actor_scope(job),
        reserved=int(held["reserved"]),
        charged=charged,
        operation=held["operation"],
        job_id=job.id,
        object_type=job.object_type,
        object_ids=paid_ids,
        tokens_used=tokens_used,
    )
    update_result(job, credits={**held, "settled": True, "charged": min(charged, int(held["reserved"]))})


def release_credits(job: Job, reason: str) -> None:
    """Return the whole reservation of a job that produced nothing (lost, canceled, failed)."""
    held = dict((job.result or {}).get("credits") or {})
    if not held or held.get("settled"):
        return
    credits.refund(
        actor_scope(job),
        int(held["reserved"]),
        operation=held["operation"],
        job_id=job.id,
        reason=reason,
        object_type=job.object_type,
        object_ids=job.object_ids,
    )
    update_result(job, credits={**held, "settled": True, "charged": 0})


# --- ending a job from outside: failure callback, cancel, stale detection ----------------------------


# What to do with a job's unfinished objects when it ends from outside ("module:function" taking
# (job, reason)); kinds without an entry only get their held credits back.
ABANDON_HANDLERS: dict[str, str] = {
    "generate_content": "writer_app.services.generation:abandon",
    "generate_image_prompts": "writer_app.services.media.generation:abandon",
    "generate_images": "writer_app.services.media.generation:abandon",
    "ai_fix": "writer_app.services.ai_fixes.proposals:abandon",
    "wordpress_publish": "writer_app.services.publishing.finish:abandon",
    "wordpress_update": "writer_app.services.publishing.finish:abandon",
    "send_mail": "writer_app.services.notifications.mail:abandon",
}


def _abandon(job: Job, reason: str) -> None:
    """Fail what the job had not finished, per kind, and settle its credits for what it did finish."""
    from importlib import import_module

    path = ABANDON_HANDLERS.get(job.kind)
    if path is None:
        release_credits(job, reason)
        return
    module, _, name = path.partition(":")
    getattr(import_module(module), name)(job, reason)


def fail_job(job: Job, error: str) -> None:
    """The job cannot go on (crash, timeout, worker lost): record why and clean up after it."""
    if JobStatus(job.status).done:
        return
    _abandon(job, error)
    job.status = JobStatus.FAILED
    job.error = error[:2000]
    job.ended_at = utcnow()
    audit.record(actor_scope(job), "job.failed", object_type="job", job_id=job.id, error=error[:500])
    _notify_ended(job)


def cancel_job(scope: Scope, job_id: Any) -> Job:
    """Stop a queued or running job: unfinished objects are canceled and their credits returned."""
    scope.require(Role.EDITOR)
    found = get_job(scope, job_id)  # 404 for other accounts' jobs and malformed ids
    job = db.session.get(Job, found.id, populate_existing=True, with_for_update=True)
    if job is None:  # deleted meanwhile
        raise NotFound("Job not found.")
    if JobStatus(job.status).done:
        raise Conflict(f"The job already {JobStatus(job.status).value}; there is nothing to cancel.")
    _abandon(job, "canceled")
    job.status = JobStatus.CANCELED
    job.error = "Canceled."
    job.ended_at = utcnow()
    audit.record(scope, "job.cancel", object_type="job", job_id=job.id)
    return job


def recent_jobs(scope: Scope, limit: int = 20) -> list[Job]:
    return list(
        db.session.scalars(
            select(Job).where(Job.account_id == scope.account_id).order_by(Job.created_at.desc()).limit(limit)
        )
    )


# --- what a job did, for its progress component -----------------------------------------------------

KIND_LABELS = {
    "generate_content": "Generate content",
    "generate_image_prompts": "Write image prompts",
    "generate_images": "Generate images",
    "generate_outline": "Generate outline",
    "ai_fix": "Fix with AI",
    "wordpress_publish": "Publish to WordPress",
    "wordpress_update": "Update on WordPress",
    "wordpress_sync_taxonomies": "Sync categories and tags",
    "wordpress_import": "Import WordPress posts",
}


def describe(scope: Scope, job: Job) -> list[dict[str, Any]]:
    """One row per object of the job: title, outcome and error, and the content to open (if any)."""
    from writer_app.models import Content, Image, ImageStatus, Task

    if job.kind.startswith("wordpress_"):
        from writer_app.services.publishing.actions import describe_job

        return describe_job(scope, job)
    items = (job.result or {}).get("items") or {}
    if job.object_type == "task":
        tasks = db.session.scalars(
            select(Task).where(Task.id.in_(job.object_ids), Task.account_id == scope.account_id)
        )
        titles = {t.id: (t.title, t.status, t.error) for t in tasks}
        rows = []
        for task_id in job.object_ids:
            title, status, error = titles.get(task_id, (f"Task {task_id}", None, ""))
            item = items.get(str(task_id), {})
            rows.append(
                {
                    "id": task_id,
                    "title": title,
                    "status": item.get("status") or (str(status) if status else "queued"),
                    "error": item.get("error") or (error if str(status) == "failed" else ""),
                    "content_id": item.get("content_id"),
                    "removed_links": item.get("removed_links") or [],  # invented links taken out
                }
            )
        return rows
    contents = db.session.scalars(
        select(Content).where(Content.id.in_(job.object_ids), Content.account_id == scope.account_id)
    )
    titles = {c.id: c.title for c in contents}
    if job.kind not in ("generate_image_prompts", "generate_images"):  # other kinds: the job's own state
        return [
            {
                "id": cid,
                "title": titles.get(cid, f"Content {cid}"),
                "status": JobStatus(job.status).value,
                "error": job.error if JobStatus(job.status) == JobStatus.FAILED else "",
                "content_id": cid,
            }
            for cid in job.object_ids
        ]
    counts: dict[int, dict[str, int]] = {cid: {} for cid in job.object_ids}
    stmt = (
        select(Image.content_id, Image.status, func.count())
        .where(Image.content_id.in_(job.object_ids), Image.deleted_at.is_(None))
        .group_by(Image.content_id, Image.status)
    )
    for content_id, status, n in db.session.execute(stmt):
        counts.setdefault(content_id, {})[ImageStatus(status).value] = n
    errors = (job.result or {}).get("errors") or {}
    return [
        {
            "id": cid,
            "title": titles.get(cid, f"Content {cid}"),
            "status": ", ".join(f"{n} {s}" for s, n in sorted(counts.get(cid, {}).items())) or "no images",
            "error": errors.get(str(cid), ""),
            "content_id": cid,
        }
        for cid in job.object_ids
    ]
