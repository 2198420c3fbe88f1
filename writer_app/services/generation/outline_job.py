"""Generate outline: one provider call per task, as a background job (like Generate content).

`start_outline` runs in the request: checks the task, reserves the outline price (402 before any AI
call) and marks the outline as being written. `run_outline` is the job body: the outline it gets
replaces the task's outline as a draft (not approved); a failure refunds the reservation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app

from writer_app.integrations.ai import AIError, get_provider
from writer_app.integrations.ai_outline import MAX_LINK_TARGETS, LinkTarget, OutlineRequest
from writer_app.models import Job, JobStatus, Role, Task, TaskOutline, TaskStatus, db
from writer_app.services import audit, jobs
from writer_app.services.errors import Conflict
from writer_app.services.generation.drafting import brief_for
from writer_app.services.generation.outline import (
    OUTLINE_OPERATION,
    find_outline,
    get_task,
    running_job,
)
from writer_app.services.generation.settings import get_account
from writer_app.services.links import ai_context, inventory
from writer_app.services.links.inventory import Subject
from writer_app.services.scope import Scope

OUTLINE_KIND = "generate_outline"
Report = Callable[[int, int, str], None]


def start_outline(scope: Scope, task_id: Any) -> Job:
    """Queue an outline for the task; it replaces the task's current outline when it arrives."""
    scope.require(Role.EDITOR)
    task = get_task(scope, task_id)
    if task.status == TaskStatus.IN_PROGRESS:
        raise Conflict(f"“{task.title}” is being generated; wait for it before asking for an outline.")
    outline = find_outline(task.id)
    if running_job(outline) is not None:
        raise Conflict(f"An outline is already being generated for “{task.title}”.")
    job = jobs.create_job(scope, OUTLINE_KIND, object_type="task", object_ids=[task.id], total=1)
    jobs.hold_credits(scope, job, {OUTLINE_OPERATION: 1})
    if outline is None:
        outline = TaskOutline(account_id=task.account_id, task_id=task.id, sections=[], model="")
        db.session.add(outline)
    outline.job_id = job.id
    return job


def link_targets(scope: Scope, task: Task) -> list[LinkTarget]:
    """Pages the outline may link to: the site's link inventory, ranked for the task (a hub's
    supporting pieces, a supporting piece's hub, first)."""
    ranked = inventory.ranked_targets(scope, task.site_id, Subject.for_task(task), MAX_LINK_TARGETS)
    return [LinkTarget(url=target.url, title=target.title) for target in ranked]


def _images(scope: Scope, task: Task) -> int:
    setting = get_account(scope).setting("in_article_images")
    if setting not in (None, ""):
        return max(0, min(6, int(setting)))
    return max(1, min(4, (task.word_count or 1000) // 400))


def run_outline(job_id: str, *, final_attempt: bool = True, report: Report | None = None) -> dict[str, Any]:
    job = jobs.load(job_id)
    if job is None or not jobs.mark_started(job):
        return {"skipped": True}
    db.session.commit()
    scope = jobs.actor_scope(job)
    task = db.session.get(Task, job.object_ids[0])
    if task is None or task.account_id != job.account_id or task.deleted_at is not None:
        return _end(job_id, error="The task was deleted before its outline was written.")
    brief = ai_context.brief_with_site(scope, task.site, brief_for(task), Subject.for_task(task))
    request = OutlineRequest(brief, link_targets(scope, task), images=_images(scope, task))
    db.session.commit()  # no transaction stays open across the provider call
    provider = get_provider(current_app.config)
    try:
        draft = provider.generate_outline(request)
    except AIError as error:
        if error.retryable and not final_attempt:
            raise jobs.RetryLater(
                f"A temporary AI error ({error.message}); the outline will be retried."
            ) from None
        return _end(job_id, error=error.message)
    finally:
        provider.close()
    return _end(job_id, draft=draft)


def _end(job_id: str, *, draft: Any = None, error: str = "") -> dict[str, Any]:
    """Save the outline and charge for it, or refund; close the job (unless it ended meanwhile)."""
    job = db.session.get(Job, job_id, populate_existing=True, with_for_update=True)
    if job is None or JobStatus(job.status).done:  # canceled meanwhile: the outline is not kept
        db.session.rollback()
        return {"skipped": True}
    outline = find_outline(job.object_ids[0])
    if outline is not None and outline.job_id == job.id:
        outline.job_id = None
        if draft is not None:
            outline.sections = [s.as_dict() for s in draft.sections]
            outline.model = draft.model[:100]
            outline.approved_at = outline.approved_by_id = None
    if draft is None or outline is None:
        jobs.release_credits(job, error or "The task's outline was removed.")
        jobs.finish(job, error=error or "The task's outline was removed.")
        db.session.commit()
        return {"error": job.error}
    jobs.settle_credits(
        job, used={OUTLINE_OPERATION: 1}, tokens_used=draft.tokens_used, paid_ids=job.object_ids
    )
    jobs.update_result(job, sections=len(draft.sections), model=draft.model, task_id=outline.task_id)
    jobs.advance(job, 1)
    audit.record(
        jobs.actor_scope(job),
        "task.outline_generate",
        object_type="task",
        object_id=outline.task_id,
        job_id=job.id,
        model=draft.model,
        sections=len(draft.sections),
    )
    jobs.finish(job)
    db.session.commit()
    return {"sections": len(draft.sections)}
