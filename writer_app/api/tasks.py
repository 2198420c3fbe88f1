"""/api/v1/writer/tasks/: list, create, read, update, soft delete, bulk delete and bulk status."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import route
from writer_app.api.schemas.common import Changed
from writer_app.api.schemas.tasks import (
    TaskBulkDelete,
    TaskBulkUpdate,
    TaskCreate,
    TaskOut,
    TaskPatch,
    TaskQuery,
    TaskUpdate,
)
from writer_app.models import Role
from writer_app.services import task_actions, tasks
from writer_app.services.scope import Scope

BASE = "/writer/tasks/"
ITEM = "/writer/tasks/<int:task_id>/"
TAG = "tasks"


@route(BASE, "GET", summary="List tasks", tag=TAG, query=TaskQuery, response=TaskOut, paged=True)
def list_tasks(scope: Scope, query: TaskQuery) -> Any:
    filters = tasks.TaskFilters(**query.model_dump(exclude={"page", "page_size"}))
    return tasks.list_tasks(scope, filters, query.page, query.page_size)


@route(
    BASE,
    "POST",
    summary="Create a task",
    tag=TAG,
    role=Role.EDITOR,
    body=TaskCreate,
    response=TaskOut,
    status=201,
)
def create_task(scope: Scope, body: TaskCreate) -> Any:
    task = tasks.create_task(scope, **body.model_dump())
    return tasks.get_task(scope, task.id)


@route(ITEM, "GET", summary="Read a task", tag=TAG, response=TaskOut)
def get_task(scope: Scope, task_id: int) -> Any:
    return tasks.get_task(scope, task_id)


@route(ITEM, "PUT", summary="Replace a task", tag=TAG, role=Role.EDITOR, body=TaskUpdate, response=TaskOut)
def put_task(scope: Scope, task_id: int, body: TaskUpdate) -> Any:
    return tasks.update_task(scope, task_id, **body.model_dump(exclude_unset=True))


@route(
    ITEM,
    "PATCH",
    summary="Change some fields of a task",
    tag=TAG,
    role=Role.EDITOR,
    body=TaskPatch,
    response=TaskOut,
)
def patch_task(scope: Scope, task_id: int, body: Any) -> Any:
    return tasks.update_task(scope, task_id, **body.model_dump(exclude_unset=True))


@route(ITEM, "DELETE", summary="Move a task to the trash", tag=TAG, role=Role.EDITOR, status=204)
def delete_task(scope: Scope, task_id: int) -> None:
    tasks.delete_task(scope, task_id)


@route(
    BASE + "bulk_delete/",
    "POST",
    summary="Trash up to 100 tasks",
    tag=TAG,
    role=Role.EDITOR,
    body=TaskBulkDelete,
    response=Changed,
)
def bulk_delete(scope: Scope, body: TaskBulkDelete) -> Any:
    """Unknown or other accounts' ids: 404 naming them, and nothing changes."""
    return Changed(count=task_actions.bulk_delete(scope, body.ids))


@route(
    BASE + "bulk_update/",
    "POST",
    summary="Set the status of up to 100 tasks",
    tag=TAG,
    role=Role.EDITOR,
    body=TaskBulkUpdate,
    response=Changed,
)
def bulk_update(scope: Scope, body: TaskBulkUpdate) -> Any:
    """Unknown or other accounts' ids: 404 naming them, and nothing changes."""
    return Changed(count=task_actions.bulk_update_status(scope, body.ids, body.status))
