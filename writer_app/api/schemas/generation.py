"""Starting AI jobs: the id lists they take and what they answer (queued → 202, inline → 200)."""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import Field

from writer_app.api.schemas.common import Id, In, Out
from writer_app.jobs.queue import Dispatch
from writer_app.models import Job, JobStatus

# At most 10 per request, as the seed's auto_generate_* actions (the service says so too).
AiIds = Annotated[list[Id], Field(min_length=1, max_length=10, description="1 to 10 ids.")]


class IdsBody(In):
    ids: AiIds


class TaskIdsBody(In):
    task_ids: AiIds


class JobStarted(Out):
    task_id: str = Field(description="The job id (the seed calls it task_id); poll status_url with it.")
    status: JobStatus
    status_url: str
    ran_inline: bool = Field(description="True when no worker is configured: the job already ran.")
    message: str
    progress_done: int
    progress_total: int
    result: dict[str, Any] | None = Field(description="The job's result when it ran inline, else null.")
    error: str

    @classmethod
    def build(cls, job: Job, dispatch: Dispatch, status_url: str) -> Self:
        return cls(
            task_id=job.id,
            status=JobStatus(job.status),
            status_url=status_url,
            ran_inline=dispatch.inline,
            message=dispatch.message,
            progress_done=job.progress_done,
            progress_total=job.progress_total,
            result=(job.result or None) if dispatch.inline else None,
            error=job.error or "",
        )
