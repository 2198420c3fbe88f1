"""/api/v1/jobs/<job_id>/: the status of a background job started through the API or the app."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import route
from writer_app.api.schemas.jobs import JobOut
from writer_app.services import jobs
from writer_app.services.scope import Scope


@route("/jobs/<job_id>/", "GET", summary="A job's status, progress and result", tag="jobs", response=JobOut)
def get_job(scope: Scope, job_id: str) -> Any:
    """Poll until `status` is finished, failed or canceled."""
    return jobs.get_job(scope, job_id)
