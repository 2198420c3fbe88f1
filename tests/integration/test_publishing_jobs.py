"""Publish jobs on real Redis with a `flask writer worker` subprocess, transient failures handed to
RQ's retry, and one publish job per site at a time (Redis lock, or the job table without Redis)."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from flask import Flask

from tests.integration.wp_helpers import connect, publishable, reload
from tests.support.wordpress import WordPressServer
from writer_app.integrations.wordpress import WordPressClient
from writer_app.jobs.connection import redis_connection
from writer_app.models import ContentStatus, Job, JobStatus, Role, SyncStatus, db
from writer_app.models.base import utcnow
from writer_app.services.jobs import RetryLater
from writer_app.services.publishing import actions as publishing
from writer_app.services.publishing.steps import run_publish_job

pytestmark = pytest.mark.wordpress
REPO = Path(__file__).resolve().parents[2]


def _start(tenant, content_id: int) -> str:
    job = publishing.publish(tenant.scope(Role.REVIEWER), content_id, require_wordpress=True)
    assert job is not None
    db.session.commit()
    return job.id


@pytest.mark.redis
@pytest.mark.parametrize("worker_options", [(), ("--no-fork",)], ids=["forking", "no-fork"])
def test_worker_publishes_queued_jobs_one_post_each(
    worker_options: tuple[str, ...],
    app: Flask,
    database_url: str,
    redis_url: str,
    tenant,
    wordpress_credentials,
    wp_client: WordPressClient,
    wp_created,
    wp_unique,
) -> None:
    connect(tenant, wordpress_credentials)
    slugs = [wp_unique("post"), wp_unique("post")]
    first, second = publishable(tenant, slugs[0]), publishable(tenant, slugs[1])
    db.session.commit()
    ids = [first.id, second.id]
    jobs = []
    for content_id in ids:
        job_id = _start(tenant, content_id)
        dispatch = publishing.dispatch(db.session.get(Job, job_id))
        assert not dispatch.inline
        jobs.append(job_id)
    assert (
        reload(ids[0]).sync_status == SyncStatus.PENDING and reload(ids[0]).status == ContentStatus.PUBLISHED
    )

    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": redis_url, "MEDIA_ROOT": app.config["MEDIA_ROOT"],
           "SECRET_KEY": app.config["SECRET_KEY"], "FLASK_APP": "wsgi",
           "WORDPRESS_ALLOW_PRIVATE_HOSTS": app.config["WORDPRESS_ALLOW_PRIVATE_HOSTS"]}  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "writer", "worker", "--burst", "--queue", "publish",
         *worker_options],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]

    db.session.expire_all()
    for job_id, content_id, slug in zip(jobs, ids, slugs, strict=True):
        job = db.session.get(Job, job_id)
        content = reload(content_id)
        if content.external_id:  # the worker's posts: ours to clean up
            wp_created.posts.append(int(content.external_id))
        assert job.status == JobStatus.FINISHED, job.error
        assert content.sync_status == SyncStatus.SYNCED
        assert [p["id"] for p in wp_client.find_posts(slug)] == [int(content.external_id)]
        assert wp_client.get_post(int(content.external_id))["status"] == "publish"


def test_transient_failure_with_retries_left_keeps_it_pending(
    tenant, wordpress_credentials, wp_created, wp_unique, wordpress_server: WordPressServer, wp_client
) -> None:
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"), status=ContentStatus.REVIEW)
    db.session.commit()
    content_id = content.id
    job_id = _start(tenant, content_id)
    wordpress_server.stop()
    try:
        with pytest.raises(RetryLater, match="could not be reached"):
            run_publish_job(job_id, final_attempt=False)
    finally:
        wordpress_server.start()
    content = reload(content_id)
    assert content.sync_status == SyncStatus.PENDING and content.status == ContentStatus.PUBLISHED
    assert "Retrying automatically" in content.external_metadata["publish"]["error"]

    db.session.get(Job, job_id).status = JobStatus.QUEUED  # what RQ's failure callback records
    db.session.commit()
    run_publish_job(job_id, final_attempt=True)  # RQ's next attempt
    content = reload(content_id)
    assert content.sync_status == SyncStatus.SYNCED and wp_client.get_post(int(content.external_id))


@pytest.mark.redis
def test_site_lock_on_redis_makes_the_job_wait_its_turn(
    app, redis_url, tenant, wordpress_credentials, wp_created, wp_unique, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_SITE_LOCK_WAIT", 0.5)
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    content_id = content.id
    job_id = _start(tenant, content_id)
    lock = redis_connection().lock(f"writer:publish:site:{tenant.site.id}", timeout=30)
    assert lock.acquire(blocking=False)  # another worker publishes to this site
    try:
        with pytest.raises(RetryLater, match="Another publish job for this site"):
            run_publish_job(job_id, final_attempt=False)
    finally:
        lock.release()
    assert reload(content_id).sync_status == SyncStatus.PENDING
    db.session.get(Job, job_id).status = JobStatus.QUEUED
    db.session.commit()
    run_publish_job(job_id, final_attempt=True)
    assert reload(content_id).sync_status == SyncStatus.SYNCED


def test_without_redis_an_earlier_running_job_of_the_site_blocks(
    app, tenant, wordpress_credentials, wp_created, wp_unique, monkeypatch
) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_SITE_LOCK_WAIT", 0.5)
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    content_id = content.id
    now = utcnow()
    running = Job(
        id=str(uuid.uuid4()), account_id=tenant.account.id, kind=publishing.KIND_PUBLISH, queue="publish",
        status=JobStatus.STARTED, object_type="content", object_ids=[999999], result={"site_id": tenant.site.id},
        started_at=now, heartbeat_at=now, created_at=now,
    )  # fmt: skip
    db.session.add(running)
    db.session.commit()
    job_id = _start(tenant, content_id)

    run_publish_job(job_id, final_attempt=True)

    assert db.session().expire_on_commit  # the job's setting for its own commits ends with it
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job.status == JobStatus.FAILED and "Another publish job for this site" in job.error
    assert (
        reload(content_id).status == ContentStatus.APPROVED
        and reload(content_id).sync_status == SyncStatus.FAILED
    )


def test_abandoned_publish_job_puts_the_content_back(tenant, wordpress_credentials) -> None:
    from writer_app.services import jobs as job_service

    connect(tenant, wordpress_credentials)
    content = publishable(tenant, "abandoned", status=ContentStatus.REVIEW)
    db.session.commit()
    content_id = content.id
    job_id = _start(tenant, content_id)  # queued, never run
    job = db.session.get(Job, job_id)

    job_service.fail_job(job, job_service.WORKER_LOST)  # what stale detection does with a lost worker
    db.session.commit()

    content = reload(content_id)
    assert content.status == ContentStatus.APPROVED and content.sync_status == SyncStatus.FAILED
    assert "Worker lost" in content.external_metadata["publish"]["error"]
