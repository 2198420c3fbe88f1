"""RQ entry point on the `mail` queue: send a notification's or an invitation's email.

Runs through jobs.ai.run_job (app context, heartbeat, failure recording) like every job.
"""

from __future__ import annotations

from typing import Any

from writer_app.jobs.ai import run_job


def send_mail(job_id: str) -> dict[str, Any]:
    from writer_app.services.notifications.mail import run

    return run_job(job_id, run)
