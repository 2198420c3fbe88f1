"""Tasks by hand: trash, restore and set the status of many at once; cancel one.

Split from tasks.py (same rules: editors and up, audited, flushed only; the caller commits).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from writer_app.models import Role, Task, TaskStatus
from writer_app.models.base import utcnow
from writer_app.services import audit
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.inputs import choice
from writer_app.services.scope import Scope, get_many
from writer_app.services.task_history import content_for_tasks
from writer_app.services.tasks import (
    CANCELLABLE,
    MAX_BULK_IDS,
    SETTABLE_MESSAGE,
    SETTABLE_STATUSES,
    get_task,
)


def _bulk_ids(ids: Iterable[Any]) -> list[Any]:
    ids = list(ids or [])
    if not ids:
        raise ValidationError.field("ids", "Select at least one task.")
    if len(set(map(str, ids))) > MAX_BULK_IDS:
        raise ValidationError.field("ids", f"Select at most {MAX_BULK_IDS} tasks at a time.")
    return ids


def bulk_delete(scope: Scope, ids: Iterable[Any]) -> int:
    """Trash up to 100 tasks; returns how many were moved (already trashed ones are not counted).
    Ids of other accounts or that do not exist → NotFound naming them, nothing changes."""
    scope.require(Role.EDITOR)
    tasks = get_many(scope, Task, _bulk_ids(ids), include_deleted=True)
    now = utcnow()
    moved = [t for t in tasks if t.deleted_at is None]
    for task in moved:
        task.deleted_at = now
        audit.record(scope, "task.delete", task, title=task.title, bulk=True)
    return len(moved)


def bulk_restore(scope: Scope, ids: Iterable[Any]) -> int:
    """Restore up to 100 tasks from the trash; returns how many came back."""
    scope.require(Role.EDITOR)
    tasks = get_many(scope, Task, _bulk_ids(ids), include_deleted=True)
    restored = [t for t in tasks if t.deleted_at is not None]
    for task in restored:
        task.deleted_at = None
        audit.record(scope, "task.restore", task, title=task.title, bulk=True)
    return len(restored)


def bulk_update_status(scope: Scope, ids: Iterable[Any], status: str) -> int:
    """Set the status of up to 100 live tasks; returns how many changed status. Only the states people
    may set (SETTABLE_STATUSES), else ValidationError on `status`; unknown ids → NotFound, nothing changes."""
    scope.require(Role.EDITOR)
    new_status = choice(TaskStatus, status, "status")
    if new_status not in SETTABLE_STATUSES:
        raise ValidationError.field("status", SETTABLE_MESSAGE)
    tasks = get_many(scope, Task, _bulk_ids(ids))
    if new_status == TaskStatus.COMPLETED:
        # Completed means its content exists: a task without content cannot be marked so.
        with_content = content_for_tasks(scope, [t.id for t in tasks])
        missing = [t.title for t in tasks if t.id not in with_content and t.status != new_status]
        if missing:
            raise ValidationError.field(
                "status",
                "Only tasks with content can be completed; these have none: "
                + ", ".join(missing[:10])
                + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
                + ".",
            )
    changed = 0
    for task in tasks:
        if task.status == new_status:
            continue
        audit.record(scope, "task.status", task, status=new_status, previous=task.status, bulk=True)
        task.status = new_status
        if new_status != TaskStatus.FAILED:
            task.error = ""
        changed += 1
    return changed


def cancel_task(scope: Scope, task_id: Any) -> Task:
    """Cancel a queued or in-progress task; any other status → Conflict saying why. Editors and up.

    A running generation job must check the task's status before it saves its result.
    """
    scope.require(Role.EDITOR)
    task = get_task(scope, task_id)
    if task.status not in CANCELLABLE:
        raise Conflict(
            f"Task “{task.title}” is {TaskStatus(task.status).value.replace('_', ' ')}; "
            "only queued or in-progress tasks can be cancelled."
        )
    audit.record(scope, "task.cancel", task, previous=task.status)
    task.status = TaskStatus.CANCELED
    return task
