"""/api/v1/writer/tasks/{id}/outline/: read, replace (and approve) and generate a task's outline.

Generate content (`auto_generate_content`) writes a task with an approved outline section by section."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import job_response, route
from writer_app.api.generation import JOB
from writer_app.api.schemas.outlines import OutlineIn, OutlineOut
from writer_app.jobs import ai as job_entry
from writer_app.models import Role
from writer_app.services import generation, tasks
from writer_app.services.scope import Scope

ITEM = "/writer/tasks/<int:task_id>/outline/"
TAG = "tasks"


def _out(scope: Scope, task_id: int) -> dict[str, Any]:
    task = tasks.get_task(scope, task_id)
    outline = generation.get_outline(scope, task.id)
    job = generation.running_job(outline)
    if job is not None:
        status = "generating"
    elif outline is None or not outline.sections:
        status = "none"
    else:
        status = "approved" if outline.approved else "draft"
    return {
        "task_id": task.id,
        "status": status,
        "approved_at": outline.approved_at if outline else None,
        "model": outline.model if outline else "",
        "job_id": job.id if job else None,
        "sections": [s.as_dict() for s in generation.sections_of(outline)],
        "costs": generation.costs(task),
    }


@route(ITEM, "GET", summary="Read a task's outline and AI costs", tag=TAG, response=OutlineOut)
def get_outline(scope: Scope, task_id: int) -> Any:
    """`status` none when the task has no outline yet; `costs` are the credits each AI step takes now."""
    return _out(scope, task_id)


@route(
    ITEM,
    "PUT",
    summary="Replace a task's outline",
    tag=TAG,
    role=Role.EDITOR,
    body=OutlineIn,
    response=OutlineOut,
    errors=(409,),
)
def put_outline(scope: Scope, task_id: int, body: OutlineIn) -> Any:
    """Every save clears the approval unless `approved` is true. 400 names the field
    (`sections.<n>.<field>`); 409 while an outline job is writing it."""
    data = body.model_dump()
    generation.save_outline(scope, task_id, data["sections"], approve=body.approved)
    return _out(scope, task_id)


@route(ITEM, "POST", summary="Generate a task's outline", tag=TAG, **JOB)
def generate_outline(scope: Scope, task_id: int) -> Any:
    """Writes an outline in a background job; it replaces the current outline as a draft to edit and
    approve. Costs `costs.outline` credits (402 when short), refunded when it fails."""
    return job_response(generation.start_outline(scope, task_id), job_entry.generate_outline)
