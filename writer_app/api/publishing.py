"""WordPress publishing endpoints: publish (a job), update, unpublish, status; taxonomy sync and post
import (admin jobs). Job actions answer 202 {"task_id", "status_url"} when queued and 200 with the
finished job when they ran inline (no Redis)."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import job_response, route
from writer_app.api.schemas.common import JobAccepted
from writer_app.api.schemas.content import ContentOut
from writer_app.api.schemas.jobs import JobOut
from writer_app.api.schemas.publishing import (
    ImportBody,
    PublishQuery,
    SiteBody,
    UnpublishQuery,
    WordPressStatusOut,
)
from writer_app.models import Job, Role
from writer_app.services import content as content_service
from writer_app.services.publishing import actions as publishing
from writer_app.services.scope import Scope
from writer_app.services.wordpress import import_posts as wordpress_import
from writer_app.services.wordpress import taxonomies as wordpress_taxonomies

ITEM = "/writer/content/<int:content_id>/"
JOB: dict[str, Any] = {"status": 202, "response": JobAccepted, "also": {200: JobOut}, "errors": (409,)}


def _publish_response(job: Job) -> Any:
    return job_response(job, publishing.ENTRY, **publishing.take_pending(job))


@route(
    ITEM + "publish/",
    "POST",
    summary="Publish to WordPress",
    tag="content",
    role=Role.REVIEWER,
    query=PublishQuery,
    **JOB,
)
def publish(scope: Scope, content_id: int, query: PublishQuery) -> Any:
    """Publishes content in review (approving it) or approved: marks it published (sync pending) and
    publishes it in a job: terms, images, the post, a read-back check. 409 for a draft, when it is
    published already, is being published, or Required checks fail (a reviewer may pass
    `override_comment`). A failure leaves it approved with sync status failed."""
    job = publishing.publish(scope, content_id, query.override_comment)
    return _publish_response(job)


@route(
    ITEM + "republish/",
    "POST",
    summary="Update the WordPress post",
    tag="content",
    role=Role.REVIEWER,
    query=PublishQuery,
    **JOB,
)
def republish(scope: Scope, content_id: int, query: PublishQuery) -> Any:
    """Sends the current text of published content to the same WordPress post; a pending change
    (`has_unpublished_changes`) is approved by this, so its last editor may not (403)."""
    return _publish_response(publishing.republish(scope, content_id, query.override_comment))


@route(
    ITEM + "unpublish/",
    "POST",
    summary="Unpublish",
    tag="content",
    role=Role.REVIEWER,
    query=UnpublishQuery,
    response=ContentOut,
    errors=(409,),
)
def unpublish(scope: Scope, content_id: int, query: UnpublishQuery) -> Any:
    """Approved or published content back to draft; clears the approval, the WordPress id and link.
    The post stays in WordPress unless `trash`."""
    content = publishing.unpublish(scope, content_id, trash=query.trash)
    return content, content_service.image_stats(scope, [content.id])[content.id]  # as ContentOut reads it


@route(
    ITEM + "wordpress_status/",
    "GET",
    summary="The post's status in WordPress",
    tag="content",
    response=WordPressStatusOut,
)
def wordpress_status(scope: Scope, content_id: int) -> Any:
    """Asks WordPress now: remote status, link, modified time; `drift` when edited in WordPress after
    Writer's last sync, `missing` when deleted or trashed there."""
    return publishing.wordpress_status(scope, content_id)


@route(
    "/writer/taxonomies/sync/",
    "POST",
    summary="Sync categories and tags with WordPress",
    tag="taxonomies",
    role=Role.ADMIN,
    body=SiteBody,
    **JOB,
)
def sync_taxonomies(scope: Scope, body: SiteBody) -> Any:
    """Pulls every WordPress category and tag, pushes local terms WordPress lacks; near-duplicates
    are reported in the job's result, not duplicated."""
    job = wordpress_taxonomies.start_sync(scope, body.site_id)
    return job_response(job, "writer_app.jobs.publish.sync_taxonomies", timeout=30 * 60)


@route(
    "/writer/content/import_wordpress/",
    "POST",
    summary="Import WordPress posts",
    tag="content",
    role=Role.ADMIN,
    body=ImportBody,
    **{**JOB, "errors": (409, 503)},
)
def import_wordpress(scope: Scope, body: ImportBody) -> Any:
    """Imports the site's WordPress posts as content (source wordpress); idempotent."""
    job = wordpress_import.start_import(scope, body.site_id, body.cluster_id)
    return job_response(job, "writer_app.jobs.publish.import_posts", timeout=30 * 60)
