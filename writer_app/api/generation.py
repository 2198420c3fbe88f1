"""AI job endpoints: auto_generate_content, auto_generate_images, generate_image_prompts.

Each starts a job through its service (ids ≤ 10, credits reserved → 402 when short), commits, and only
then enqueues (a worker must find the committed job). Queued: 202 with status_url to poll. Without a
worker (no REDIS_URL, or Redis down) the job runs inline and the answer is 200 with its result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Response, jsonify, url_for

from writer_app.api.core import route
from writer_app.api.schemas.generation import IdsBody, JobStarted, TaskIdsBody
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import Job, Role, db
from writer_app.services import generation, image_generation

ERRORS = (402, 409)


def _started(job: Job, entry: Callable[[str], Any]) -> Response:
    job_id = job.id
    db.session.commit()  # enqueue after commit: the worker reads the job row
    dispatch = enqueue(job, entry)
    db.session.expire_all()
    fresh = db.session.get(Job, job_id)
    assert fresh is not None
    status_url = url_for("api.jobs_get_job", job_id=job_id)
    response = jsonify(JobStarted.build(fresh, dispatch, status_url).model_dump(mode="json"))
    response.status_code = 200 if dispatch.inline else 202
    if not dispatch.inline:
        response.headers["Location"] = status_url
    return response


@route(
    "/writer/tasks/auto_generate_content/",
    "POST",
    summary="Generate content for up to 10 tasks",
    tag="tasks",
    role=Role.EDITOR,
    body=IdsBody,
    response=JobStarted,
    status=202,
    errors=ERRORS,
)
def auto_generate_content(scope: Any, body: IdsBody) -> Any:
    """Drafts content for each task in a background job (202; 200 when it ran inline).
    402 when the account lacks the credits; nothing is charged for tasks that fail."""
    return _started(generation.start(scope, body.ids), job_entry.generate_content)


@route(
    "/writer/images/auto_generate_images/",
    "POST",
    summary="Generate images for up to 10 tasks",
    tag="images",
    role=Role.EDITOR,
    body=TaskIdsBody,
    response=JobStarted,
    status=202,
    errors=ERRORS,
)
def auto_generate_images(scope: Any, body: TaskIdsBody) -> Any:
    """Featured (with desktop and mobile crops) and in-article images for each task's content,
    writing image prompts first where the content has none."""
    return _started(image_generation.start_images(scope, task_ids=body.task_ids), job_entry.generate_images)


@route(
    "/writer/content/generate_image_prompts/",
    "POST",
    summary="Write image prompts for up to 10 content items",
    tag="content",
    role=Role.EDITOR,
    body=IdsBody,
    response=JobStarted,
    status=202,
    errors=ERRORS,
)
def generate_image_prompts(scope: Any, body: IdsBody) -> Any:
    """A featured and in-article image prompts with alt texts per content, as pending images."""
    return _started(image_generation.start_prompts(scope, body.ids), job_entry.generate_image_prompts)
