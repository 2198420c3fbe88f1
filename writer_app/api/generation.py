"""AI job endpoints: auto_generate_content, auto_generate_images, generate_image_prompts.

Each starts a job through its service (ids ≤ 10, credits reserved → 402 when short); `job_response`
commits, then enqueues: 202 {"task_id", "status_url"} when queued, 200 with the finished job when it
ran inline (no REDIS_URL); 503 when REDIS_URL is set but Redis is down (jobs.queue.NEEDS_WORKER).
"""

from __future__ import annotations

from typing import Any

from writer_app.api.core import job_response, route
from writer_app.api.schemas.common import JobAccepted
from writer_app.api.schemas.generation import IdsBody, TaskIdsBody
from writer_app.api.schemas.jobs import JobOut
from writer_app.jobs import ai as job_entry
from writer_app.models import Role
from writer_app.services import generation
from writer_app.services.media import generation as image_generation
from writer_app.services.scope import Scope

ERRORS = (402, 409, 503)
JOB = {"status": 202, "response": JobAccepted, "also": {200: JobOut}, "errors": ERRORS, "role": Role.EDITOR}


@route(
    "/writer/tasks/auto_generate_content/",
    "POST",
    summary="Generate content for up to 10 tasks",
    tag="tasks",
    body=IdsBody,
    **JOB,
)
def auto_generate_content(scope: Scope, body: IdsBody) -> Any:
    """Drafts content for each task in a background job. 402 when the account lacks the credits;
    tasks that fail are not charged (their error is on the task)."""
    return job_response(generation.start(scope, body.ids), job_entry.generate_content)


@route(
    "/writer/images/auto_generate_images/",
    "POST",
    summary="Generate images for up to 10 tasks",
    tag="images",
    body=TaskIdsBody,
    **JOB,
)
def auto_generate_images(scope: Scope, body: TaskIdsBody) -> Any:
    """Featured (with desktop and mobile crops) and in-article images for each task's content,
    writing image prompts first where the content has none."""
    return job_response(
        image_generation.start_images(scope, task_ids=body.task_ids), job_entry.generate_images
    )


@route(
    "/writer/content/generate_image_prompts/",
    "POST",
    summary="Write image prompts for up to 10 content items",
    tag="content",
    body=IdsBody,
    **JOB,
)
def generate_image_prompts(scope: Scope, body: IdsBody) -> Any:
    """A featured and in-article image prompts with alt texts per content, as pending images."""
    return job_response(image_generation.start_prompts(scope, body.ids), job_entry.generate_image_prompts)
