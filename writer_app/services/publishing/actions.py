"""Publishing content to its site's WordPress: the request side (publish, republish, unpublish, status).

    publish(scope, content_id, override_comment=None) -> Job     reviewer+; in review (approves it) or approved
    republish(scope, content_id, override_comment=None) -> Job   reviewer+; updates the same WordPress post
    unpublish(scope, content_id, trash=False) -> Content         reviewer+; back to draft, optionally trashed
    wordpress_status(scope, content_id) -> WordPressStatus       remote status, link, drift and missing
    dispatch(job)                                                enqueue after the caller committed

Both apply review_rules.ensure_may_publish (the rules every publish path shares: status, self-approval,
the publish gate). `publish` marks the content published with sync status pending, remembers
the status it had, and creates a Job on the `publish` queue; the job (publishing_steps.run_publish_job)
does the WordPress work step by step and puts the status back when it fails. Services never commit,
so the job is enqueued once the caller committed: views and the API call `dispatch(job)`; for callers
that only call `publish` (review.approve) the job is deferred (`jobs.queue.enqueue_after_commit`) and
enqueued after the request.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from writer_app.integrations.wordpress import WordPressError, WordPressNotFound
from writer_app.jobs import queue as job_queue
from writer_app.models import (
    Content,
    ContentStatus,
    ContentType,
    Job,
    JobStatus,
    ReviewDecision,
    ReviewEvent,
    Role,
    SyncStatus,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services import audit, jobs
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.review.rules import ensure_may_publish, mark_approved, needs_approval
from writer_app.services.scope import Scope, get
from writer_app.services.wordpress.fields import remote_link
from writer_app.services.wordpress.sites import client_for, credentials_for

log = logging.getLogger("writer.publishing")

KIND_PUBLISH = "wordpress_publish"
KIND_UPDATE = "wordpress_update"
PUBLISH_KINDS = (KIND_PUBLISH, KIND_UPDATE)
STEP_COUNT = 5  # terms, media, post, verify, store
ENTRY = "writer_app.jobs.publish.publish_content"


def publish_state(content: Content) -> dict[str, Any]:
    """The publishing record kept in external_metadata["publish"] (error, previous status, job id)."""
    return dict((content.external_metadata or {}).get("publish") or {})


def _set_meta(content: Content, **sections: Any) -> None:
    content.external_metadata = {**(content.external_metadata or {}), **sections}


def _running_job(scope: Scope, content: Content) -> Job | None:
    candidates = db.session.scalars(
        select(Job).where(
            Job.account_id == scope.account_id,
            Job.kind.in_(PUBLISH_KINDS),
            Job.status.in_((JobStatus.QUEUED, JobStatus.STARTED)),
        )
    )
    return next((j for j in candidates if content.id in (j.object_ids or [])), None)


def _check_publishable(scope: Scope, content: Content) -> None:
    """What WordPress publishing needs besides the review rules: a post, a connected site, no job
    running for it."""
    if ContentType(content.content_type) != ContentType.POST:
        raise ValidationError(
            f"Only posts are published to WordPress; “{content.title}” is a "
            f"{ContentType(content.content_type).value}."
        )
    credentials_for(content.site)  # ValidationError when the site is not connected
    running = _running_job(scope, content)
    if running is not None:
        raise Conflict(
            f"“{content.title}” is being published already (job {running.id}); wait for it to end."
        )


def _start(scope: Scope, content: Content, kind: str) -> Job:
    previous = ContentStatus(content.status).value
    job = jobs.create_job(
        scope, kind, object_type="content", object_ids=[content.id], total=STEP_COUNT, queue="publish"
    )
    jobs.update_result(job, site_id=content.site_id, content_id=content.id)
    content.status = ContentStatus.PUBLISHED
    content.sync_status = SyncStatus.PENDING
    content.published_at = content.published_at or utcnow()
    _set_meta(
        content,
        publish={
            "previous_status": previous,
            "job_id": job.id,
            "error": "",
            "requested_at": utcnow().isoformat(),
        },
    )
    audit.record(scope, f"content.{kind}", content, title=content.title, job_id=job.id, previous=previous)
    db.session.flush()
    _remember(job)
    return job


def goes_to_wordpress(content: Content) -> bool:
    """Posts of sites connected to WordPress are published there; anything else is published here only."""
    return ContentType(content.content_type) == ContentType.POST and content.site.wp_connected


def publish(
    scope: Scope,
    content_id: Any,
    override_comment: str | None = None,
    *,
    require_wordpress: bool = True,  # kept for callers: publishing always needs WordPress now
    comment: str = "",
) -> Job:
    """Publish content in review or approved to its WordPress post (reviewer+).
    review_rules.ensure_may_publish decides whether the user may (a draft or published content is a
    Conflict, the last editor is refused unless self-approval is allowed — approved content unchanged
    since its approval needs no second approval —, the publish gate). Publishing content in review (or
    a pending change of approved content) is approving it: the approval is recorded with `comment`
    and the content is approved first, so a failed publish leaves it approved, never in review.

    Only posts of sites connected to WordPress can be published (a ValidationError otherwise: approve
    the content instead, review.approve, which leaves it approved)."""
    scope.require(Role.REVIEWER)
    content = get(scope, Content, content_id)
    _check_publishable(scope, content)
    ensure_may_publish(scope, content, override_comment=override_comment)
    if needs_approval(content):
        mark_approved(scope, content, comment)
    return _start(scope, content, KIND_PUBLISH)


def republish(
    scope: Scope, content_id: Any, override_comment: str | None = None, *, comment: str = ""
) -> Job:
    """Send the current text of published content to its WordPress post again (reviewer+), under the
    same review rules as publishing (review_rules.ensure_may_publish with `update`). Sending a pending
    change is approving it (recorded with `comment`); WordPress shows it once the job succeeded."""
    scope.require(Role.REVIEWER)
    content = get(scope, Content, content_id)
    _check_publishable(scope, content)
    ensure_may_publish(scope, content, override_comment=override_comment, update=True)
    if needs_approval(content):
        mark_approved(scope, content, comment or "Approved the changes to send them to WordPress.")
    return _start(scope, content, KIND_UPDATE)


# --- enqueueing after the caller's commit -----------------------------------------------------------


ENQUEUE_OPTIONS: dict[str, Any] = {"timeout": 15 * 60, "retry_intervals": [10, 60]}


def _remember(job: Job) -> None:
    job_queue.enqueue_after_commit(job, ENTRY, **ENQUEUE_OPTIONS)


def take_pending(job: Job) -> dict[str, Any]:
    """The caller enqueues `job` itself (e.g. api.core.job_response): forget it here, and return the
    options to enqueue it with."""
    job_queue.take_deferred(job)
    return dict(ENQUEUE_OPTIONS)


def dispatch(job: Job) -> Any:
    """Enqueue a committed publish job (inline when Redis is absent); returns the queue's Dispatch."""
    return job_queue.enqueue(job, ENTRY, **take_pending(job))


# --- unpublish and status ---------------------------------------------------------------------------


def unpublish(scope: Scope, content_id: Any, trash: bool = False) -> Content:
    """Back to draft (reviewer+), for approved or published content: forget the approval and the
    WordPress post id and link. The post stays in WordPress unless `trash`, which moves it to the
    WordPress trash first (a failure there changes nothing)."""
    scope.require(Role.REVIEWER)
    content = get(scope, Content, content_id)
    status = ContentStatus(content.status)
    if status not in (ContentStatus.APPROVED, ContentStatus.PUBLISHED) and not content.external_id:
        raise Conflict(f"“{content.title}” is neither approved nor published.")
    if _running_job(scope, content) is not None:
        raise Conflict(f"“{content.title}” is being published right now; unpublish it when that ends.")
    post_id = content.external_id
    trashed = False
    if trash and post_id:
        try:
            with client_for(content.site) as client:
                client.trash_post(int(post_id))
            trashed = True
        except WordPressNotFound:
            trashed = False  # deleted in WordPress already: nothing to trash
        except WordPressError as exc:
            raise Conflict(
                f"WordPress did not move the post to the trash: {exc}. Nothing was changed."
            ) from exc
    history = {
        "post_id": post_id,
        "url": content.external_url,
        "at": utcnow().isoformat(),
        "trashed": trashed,
    }
    content.status = ContentStatus.DRAFT
    content.external_id = None
    content.external_url = ""
    content.sync_status = SyncStatus.NONE
    content.published_at = None
    content.published_revision = None
    content.has_unpublished_changes = False
    _set_meta(content, unpublished=history, publish={}, publish_steps={})
    if trashed:
        note = "Moved to the WordPress trash."
    elif post_id:
        note = "The post stays in WordPress."
    else:
        note = "Back to draft (it was approved, not published)."
    db.session.add(
        ReviewEvent(
            account_id=scope.account_id,
            content_id=content.id,
            user_id=scope.user_id,
            decision=ReviewDecision.UNPUBLISHED,
            comment=note,
        )
    )
    audit.record(scope, "content.unpublish", content, title=content.title, post_id=post_id, trashed=trashed)
    db.session.flush()
    return content


@dataclass(frozen=True)
class WordPressStatus:
    content_id: int
    post_id: int | None
    remote_status: str  # publish, future, draft, trash, ... ; "" when unknown
    link: str
    modified_gmt: str
    synced_modified_gmt: str
    drift: bool  # edited in WordPress after our last sync
    missing: bool  # deleted (or trashed) in WordPress
    message: str
    sync_status: str
    error: str = ""


def _parse_gmt(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        return None


def wordpress_status(scope: Scope, content_id: Any) -> WordPressStatus:
    """Ask WordPress about the content's post (viewer+). Unreachable WordPress is reported, not raised."""
    content = get(scope, Content, content_id)
    meta = content.external_metadata or {}
    synced = str(meta.get("modified_gmt") or "")
    base = {
        "content_id": content.id,
        "synced_modified_gmt": synced,
        "sync_status": SyncStatus(content.sync_status).value,
        "error": publish_state(content).get("error", ""),
    }
    if not content.external_id:
        return WordPressStatus(
            post_id=None, remote_status="", link="", modified_gmt="", drift=False, missing=False,
            message="Not published to WordPress.", **base,
        )  # fmt: skip
    post_id = int(content.external_id)
    try:
        with client_for(content.site) as client:
            post = client.get_post(post_id)
    except WordPressNotFound:
        return WordPressStatus(
            post_id=post_id, remote_status="", link=content.external_url, modified_gmt="", drift=False,
            missing=True, message=f"The WordPress post {post_id} no longer exists (deleted in WordPress).",
            **base,
        )  # fmt: skip
    except WordPressError as exc:
        return WordPressStatus(
            post_id=post_id, remote_status="", link=content.external_url, modified_gmt="", drift=False,
            missing=False, message=f"Could not ask WordPress: {exc}", **base,
        )  # fmt: skip
    remote_status = str(post.get("status") or "")
    modified = str(post.get("modified_gmt") or "")
    remote_time, synced_time = _parse_gmt(modified), _parse_gmt(synced)
    drift = bool(remote_time and synced_time and remote_time > synced_time)
    missing = remote_status == "trash"
    if missing:
        message = f"The WordPress post {post_id} is in the WordPress trash."
    elif drift:
        message = (
            f"The post was edited in WordPress ({modified} UTC) after Writer last sent it ({synced} UTC); "
            "updating from Writer would overwrite those edits."
        )
    else:
        message = f"In WordPress as {remote_status}, unchanged since Writer last sent it."
    return WordPressStatus(
        post_id=post_id, remote_status=remote_status, link=remote_link(post.get("link")) or content.external_url,
        modified_gmt=modified, drift=drift, missing=missing, message=message, **base,
    )  # fmt: skip


# --- scheduling -----------------------------------------------------------------------------------


def site_timezone(site: Any) -> tzinfo:
    """The site's WordPress timezone (from the last connection test), else UTC."""
    info = (site.settings or {}).get("wordpress") or {}
    name = str(info.get("timezone") or "")
    if name and not name.startswith("UTC"):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    offset = info.get("gmt_offset")
    if isinstance(offset, int | float):
        return timezone(timedelta(hours=float(offset)))
    return UTC


def schedule(scope: Scope, content_id: Any, local_when: datetime, override_comment: str | None = None) -> Job:
    """Publish at `local_when` (naive: the site's timezone): WordPress holds the post as `future`
    until then. Published content is rescheduled through an update of its post (reviewer+)."""
    scope.require(Role.REVIEWER)
    content = get(scope, Content, content_id)
    zone = site_timezone(content.site)
    when = local_when.replace(tzinfo=zone) if local_when.tzinfo is None else local_when
    when_utc = when.astimezone(UTC)
    if when_utc <= utcnow() + timedelta(minutes=1):
        raise ValidationError.field("when", "Choose a time in the future (in the site's timezone).")
    content.scheduled_at = when_utc
    db.session.flush()
    if ContentStatus(content.status) == ContentStatus.PUBLISHED:
        return republish(scope, content.id, override_comment)
    return publish(scope, content.id, override_comment)


# --- job rows for the progress component ---------------------------------------------------------------

KIND_LABELS = {
    KIND_PUBLISH: "Publish to WordPress",
    KIND_UPDATE: "Update in WordPress",
    "wordpress_sync_taxonomies": "Sync categories and tags with WordPress",
    "wordpress_import": "Import WordPress posts",
}


def describe_job(scope: Scope, job: Job) -> list[dict[str, Any]]:
    """Rows for services.jobs.describe: the content and its sync status, or the site job's summary."""
    result = job.result or {}
    if job.kind in PUBLISH_KINDS:
        rows = []
        for content_id in job.object_ids or []:
            content = db.session.scalar(
                select(Content).where(Content.id == int(content_id), Content.account_id == scope.account_id)
            )
            rows.append(
                {
                    "id": content_id,
                    "title": content.title if content is not None else f"Content {content_id}",
                    "status": SyncStatus(content.sync_status).value if content is not None else "unknown",
                    "error": job.error or (publish_state(content).get("error", "") if content else ""),
                    "content_id": content_id,
                }
            )
        return rows
    return [
        {
            "id": site_id,
            "title": f"Site {site_id}",
            "status": result.get("summary") or JobStatus(job.status).value,
            "error": job.error,
            "content_id": None,
        }
        for site_id in job.object_ids or []
    ]
