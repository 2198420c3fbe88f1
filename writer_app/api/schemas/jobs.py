"""Job status: what a queued action's `status_url` answers."""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, Field

from writer_app.api.schemas.common import Out
from writer_app.api.schemas.job_results import JobResult, result_of
from writer_app.models import Job, JobStatus


class Progress(BaseModel):
    done: int = Field(ge=0)
    total: int = Field(ge=0)


class JobOut(Out):
    id: str
    kind: str = Field(
        description="generate_content, generate_image_prompts, generate_images, wordpress_publish, "
        "wordpress_update, wordpress_import, wordpress_sync_taxonomies or send_mail."
    )
    status: JobStatus
    progress: Progress
    result: JobResult | None = Field(
        description="What the job did so far, typed by its kind (the result's own `kind` tells which); "
        "null before it recorded anything."
    )
    error: str = Field(description="The failure message when status is failed, else empty.")
    ran_inline: bool = Field(
        description="True when no worker was available and the job ran in the web request."
    )

    @classmethod
    def of(cls, job: Job) -> Self:
        return cls(
            id=job.id,
            kind=job.kind,
            status=JobStatus(job.status),
            progress=Progress(done=job.progress_done, total=job.progress_total),
            result=result_of(job),
            error=job.error or "",
            ran_inline=bool(job.ran_inline),
        )
