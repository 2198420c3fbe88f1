"""Job status: what a queued action's `status_url` answers."""

from __future__ import annotations

from typing import Any, Self

from pydantic import BaseModel, Field

from writer_app.api.schemas.common import Out
from writer_app.models import Job, JobStatus


class Progress(BaseModel):
    done: int = Field(ge=0)
    total: int = Field(ge=0)


class JobOut(Out):
    id: str
    kind: str
    status: JobStatus
    progress: Progress
    result: dict[str, Any] | None
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
            result=job.result or None,
            error=job.error or "",
            ran_inline=bool(job.ran_inline),
        )
