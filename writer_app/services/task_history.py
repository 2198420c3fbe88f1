"""Tasks and their content: which content a task produced, and what happened to a task (its history).

content_for_tasks(scope, task_ids) -> {task_id: ContentRef} the newest live content of each task
task_history(scope, task) -> list[HistoryEntry]            created, edits, generation jobs, failures
is_planned(task) -> bool                                   queued, and no generation job ever took it
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from writer_app.models import AuditEvent, Content, ContentStatus, Job, Task, TaskStatus, db
from writer_app.models.base import as_utc
from writer_app.services import plain_reads
from writer_app.services.scope import Scope, scope_params, scoped_once

GENERATION_KIND = "generate_content"  # services.generation.KIND (not imported: generation imports AI code)
RECENT_JOBS = 500  # generation jobs of the account looked through for one task's history


class ContentRef(NamedTuple):
    """What the task pages show of a task's content (read with a plain SELECT, no ORM object)."""

    id: int
    task_id: int
    title: str
    status: ContentStatus


def content_for_tasks(scope: Scope, task_ids: list[int]) -> dict[int, ContentRef]:
    """The newest live content of each task (one query; tasks without content are left out).

    Plain rows: a list of 50 tasks would otherwise build 50 Content objects (or defer 30 columns on
    each) to show a title and a status."""
    if not task_ids:
        return {}
    rows = plain_reads.rows(_task_content(), scope_params(scope, ids=task_ids))
    return {row.task_id: ContentRef(*row) for row in rows if row.task_id is not None}


@cache
def _task_content() -> Select[Any]:
    """The live content of the tasks `ids`, oldest first (so the newest is kept per task)."""
    return (
        scoped_once(Content)
        .where(plain_reads.among(Content.task_id))
        .with_only_columns(Content.id, Content.task_id, Content.title, Content.status)
        .order_by(Content.id)
    )


def is_planned(task: Task) -> bool:
    """`queued` in the data means nobody has started generation yet (starting it moves the task to
    in_progress at once): the pages call it planned and offer no Cancel."""
    return TaskStatus(task.status) == TaskStatus.QUEUED


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    what: str
    who: str
    detail: str = ""
    job_id: str | None = None


def _who(user: Any) -> str:
    return user.display_name if user is not None else "someone"


AUDIT_WORDS = {
    "task.create": "Created",
    "task.update": "Edited",
    "task.status": "Status changed",
    "task.cancel": "Canceled",
    "task.delete": "Moved to the trash",
    "task.restore": "Restored from the trash",
    "task.outline_generate": "Outline generated",
    "task.outline_edit": "Outline edited",
    "task.outline_approve": "Outline approved",
}


def _audit_entries(scope: Scope, task: Task) -> list[HistoryEntry]:
    events = db.session.scalars(
        select(AuditEvent)
        .options(joinedload(AuditEvent.user))
        .where(
            AuditEvent.account_id == scope.account_id,
            AuditEvent.object_type == "task",
            AuditEvent.object_id == task.id,
        )
    )
    entries = []
    for event in events:
        details = event.details or {}
        detail = f"to {details['status']}" if event.action == "task.status" and details.get("status") else ""
        if event.action == "task.update":
            detail = ", ".join(sorted(k for k in details if k not in ("title",)))
        what = AUDIT_WORDS.get(event.action, event.action)
        entries.append(HistoryEntry(as_utc(event.created_at), what, _who(event.user), detail))
    return entries


def _job_entries(scope: Scope, task: Task) -> list[HistoryEntry]:
    jobs = db.session.scalars(
        select(Job)
        .options(joinedload(Job.user))
        .where(Job.account_id == scope.account_id, Job.kind == GENERATION_KIND)
        .order_by(Job.created_at.desc())
        .limit(RECENT_JOBS)
    )
    entries = []
    for job in jobs:
        if task.id not in [int(i) for i in job.object_ids or []]:
            continue
        who = _who(job.user)
        entries.append(HistoryEntry(as_utc(job.created_at), "Generation started", who, job_id=job.id))
        item = ((job.result or {}).get("items") or {}).get(str(task.id)) or {}
        outcome = item.get("status")
        ended = as_utc(job.ended_at or job.created_at)
        if outcome == "completed":
            entries.append(HistoryEntry(ended, "Draft generated", who, job_id=job.id))
        elif outcome in ("failed", "canceled"):
            reason = item.get("error") or job.error or ""
            entries.append(HistoryEntry(ended, f"Generation {outcome}", who, reason, job.id))
    return entries


def task_history(scope: Scope, task: Task) -> list[HistoryEntry]:
    """What happened to the task, oldest first: created and edited (the audit log), each generation job
    that took it (who started it, when, and whether it drafted or failed with which reason)."""
    entries = _audit_entries(scope, task) + _job_entries(scope, task)
    if not any(e.what == "Created" for e in entries):
        entries.append(HistoryEntry(as_utc(task.created_at), "Created", "—"))
    failed = TaskStatus(task.status) == TaskStatus.FAILED and task.error
    if failed and not any(e.detail == task.error for e in entries):
        entries.append(HistoryEntry(as_utc(task.updated_at), "Failed", "—", task.error))
    return sorted(entries, key=lambda e: e.at)
