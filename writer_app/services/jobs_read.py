"""Reading background-job records for their status (the API's /jobs/<id>/ and progress polling)."""

from __future__ import annotations

from sqlalchemy import select

from writer_app.models import Job, db
from writer_app.services.errors import NotFound
from writer_app.services.scope import Scope


def get_job(scope: Scope, job_id: str) -> Job:
    """One job of the scope's account by id; NotFound for unknown ids and other accounts' jobs."""
    job = db.session.scalars(
        select(Job).where(Job.id == str(job_id)[:36], Job.account_id == scope.account_id)
    ).first()
    if job is None:
        raise NotFound(f"Job {job_id} not found.")
    return job
