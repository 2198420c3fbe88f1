"""RQ entry points on the `publish` queue: WordPress publishing, taxonomy sync and post import.

Each takes a job id only and runs through jobs.ai.run_job (app context, heartbeat, failure recording).
"""

from __future__ import annotations

from typing import Any

from writer_app.jobs.ai import run_job


def publish_content(job_id: str) -> dict[str, Any]:
    from writer_app.services.publishing.steps import run_publish_job

    return run_job(job_id, run_publish_job)


def sync_taxonomies(job_id: str) -> dict[str, Any]:
    from writer_app.services.wordpress.taxonomies import run_sync_job

    return run_job(job_id, run_sync_job)


def import_posts(job_id: str) -> dict[str, Any]:
    from writer_app.services.wordpress.import_posts import run_import_job

    return run_job(job_id, run_import_job)
