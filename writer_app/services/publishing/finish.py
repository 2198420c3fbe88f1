"""How a publish attempt runs its steps and how it ends: synced, or failed with the status put back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, update

from writer_app.models import (
    Content,
    ContentStatus,
    Job,
    ReviewDecision,
    ReviewEvent,
    Revision,
    SyncStatus,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services import audit, jobs
from writer_app.services.errors import ValidationError
from writer_app.services.media import body_images
from writer_app.services.notifications import events as notifications
from writer_app.services.scope import Scope
from writer_app.services.wordpress.fields import remote_id, remote_link

if TYPE_CHECKING:
    from writer_app.services.publishing.steps import PublishRun


def run_steps(run: PublishRun) -> dict[str, Any]:
    """terms → media → post → verify; returns the post as WordPress read it back."""
    from writer_app.services.metadata import wordpress_payload
    from writer_app.services.review.gate import publish_gate

    publish_gate(run.scope, run.content, None)  # the text may have changed since it was queued
    preview = wordpress_payload(run.scope, run.content_id)
    if preview.rest_base != "posts":
        raise ValidationError(f"Only posts are published to WordPress, not a {preview.post_type}.")
    # Checked first: with wrong credentials WordPress treats calls as anonymous and answers
    # confusing 400s (e.g. "status" is invalid for anonymous post queries) instead of a 401.
    run.client.current_user()
    categories, tags = run.sync_terms()
    featured_id = preview.featured_image.id if preview.featured_image else None
    featured_media, urls, _skipped = run.upload_images(featured_id, preview.html)
    html = body_images.rewrite_sources(preview.html, urls)
    body = preview.post_body(category_ids=categories, tag_ids=tags, featured_media=featured_media, html=html)
    # An update must also clear a featured image removed since the last publish (0 = none).
    body.setdefault("featured_media", 0)
    post = run.write_post(body)
    return run.verify(int(post["id"]), body)


def _metadata(content_id: int) -> dict[str, Any]:
    return dict(db.session.scalar(select(Content.external_metadata).where(Content.id == content_id)) or {})


def succeed(
    scope: Scope, job_id: str, content_id: int, post: dict[str, Any], steps: dict[str, Any]
) -> dict[str, Any]:
    now = utcnow().isoformat()
    meta = _metadata(content_id)
    state = {**(meta.get("publish") or {}), "error": "", "finished_at": now}
    meta.update(
        publish=state,
        publish_steps={**steps, "resumable": False, "finished_at": now},
        wp_status=post.get("status"),
        modified_gmt=post.get("modified_gmt"),
        date_gmt=post.get("date_gmt"),
        slug=post.get("slug"),
        synced_at=now,
    )
    link, post_id = remote_link(post.get("link")), remote_id(post.get("id"))
    db.session.execute(
        update(Content)
        .where(Content.id == content_id)
        .values(
            external_id=str(post_id),
            external_url=link,
            external_type="post",
            external_metadata=meta,
            sync_status=SyncStatus.SYNCED,
            status=ContentStatus.PUBLISHED,
            # WordPress shows the text as the job read it: the latest revision, no pending change.
            published_revision=select(func.max(Revision.number))
            .where(Revision.content_id == content_id)
            .scalar_subquery(),
            has_unpublished_changes=False,
        )
        .execution_options(synchronize_session=False)
    )
    job = db.session.get(Job, job_id, populate_existing=True)
    assert job is not None
    comment = "Scheduled in WordPress." if post.get("status") == "future" else ""
    db.session.add(
        ReviewEvent(
            account_id=job.account_id,
            content_id=content_id,
            user_id=job.user_id,
            decision=ReviewDecision.PUBLISHED,
            comment=comment,
        )
    )
    audit.record(
        scope, "content.published", object_type="content", object_id=content_id, post_id=post_id, link=link
    )
    jobs.update_result(job, post_id=post_id, link=link, wp_status=post.get("status"))
    jobs.finish(job)
    notifications.publish_ended(job, content_id)
    db.session.commit()
    return {"post_id": post_id, "link": link}


def fail(scope: Scope, job_id: str, content_id: int, message: str) -> dict[str, Any]:
    """Sync status failed, the error kept for the content page, the status it had before put back."""
    meta = _metadata(content_id)
    state = {**(meta.get("publish") or {}), "error": message, "failed_at": utcnow().isoformat()}
    previous = ContentStatus(state.get("previous_status") or ContentStatus.DRAFT.value)
    meta["publish"] = state
    values: dict[str, Any] = {"external_metadata": meta, "sync_status": SyncStatus.FAILED, "status": previous}
    if previous != ContentStatus.PUBLISHED:
        values["published_at"] = None
    db.session.execute(
        update(Content)
        .where(Content.id == content_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is not None:
        jobs.finish(job, error=message)
        notifications.publish_ended(job, content_id, message)
    audit.record(
        scope, "content.publish_failed", object_type="content", object_id=content_id, error=message[:500]
    )
    db.session.commit()
    return {"error": message}


def abandon(job: Job, reason: str) -> None:
    """For services.jobs._abandon (worker lost, timeout, cancel): the content goes back like a failed
    publish. Does not commit and does not end the job: the caller does both."""
    for content_id in job.object_ids or []:
        meta = _metadata(int(content_id))
        state = dict(meta.get("publish") or {})
        if state.get("job_id") != job.id:
            continue  # a newer publish of this content owns it now
        state.update(error=f"Publishing stopped: {reason}", failed_at=utcnow().isoformat())
        previous = ContentStatus(state.get("previous_status") or ContentStatus.DRAFT.value)
        values: dict[str, Any] = {
            "external_metadata": {**meta, "publish": state},
            "sync_status": SyncStatus.FAILED,
            "status": previous,
        }
        if previous != ContentStatus.PUBLISHED:
            values["published_at"] = None
        changed = db.session.execute(
            update(Content)
            .where(Content.id == int(content_id), Content.sync_status == SyncStatus.PENDING)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount:
            notifications.publish_ended(job, int(content_id), state["error"])
