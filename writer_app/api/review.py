"""Review actions in the API, on the same services as the pages: submit, approve, request changes;
the review timeline; revisions (list, read, restore).

    POST /writer/content/{id}/submit/            editor+    draft → review (or submit a pending change)
    POST /writer/content/{id}/approve/           reviewer+  → approved, or published when `publish`
    POST /writer/content/{id}/request_changes/   reviewer+  review → draft, comment required
    GET  /writer/content/{id}/events/                       the timeline, newest first
    GET  /writer/content/{id}/revisions/                    revisions, newest first
    GET  /writer/content/{id}/revisions/{number}/           one revision's fields
    POST /writer/content/{id}/revisions/{number}/restore/  editor+ (stored as a new revision)
"""

from __future__ import annotations

from typing import Any

from flask import url_for

from writer_app.api.core import route
from writer_app.api.schemas.content import ContentOut
from writer_app.api.schemas.review import (
    ApproveBody,
    EventOut,
    RequestChangesBody,
    RestoreBody,
    ReviewResult,
    RevisionOut,
    RevisionSummaryOut,
    SubmitBody,
)
from writer_app.models import ReviewEvent, Role
from writer_app.services import content as content_service
from writer_app.services.publishing import actions as publishing
from writer_app.services.review import decisions as review
from writer_app.services.review import revisions
from writer_app.services.scope import Scope

ITEM = "/writer/content/<int:content_id>/"
TAG = "review"


def _content(scope: Scope, content_id: int) -> Any:
    content = content_service.get_content(scope, content_id)
    return ContentOut.of((content, content_service.image_stats(scope, [content.id])[content.id]))


def _result(scope: Scope, content_id: int, event: ReviewEvent) -> ReviewResult:
    content = content_service.get_content(scope, content_id)
    job_id = publishing.publish_state(content).get("job_id") if content.sync_status == "pending" else None
    return ReviewResult(
        event=EventOut.of(event),
        content=_content(scope, content_id),
        job_id=job_id,
        status_url=url_for("api.jobs_get_job", job_id=job_id) if job_id else None,
    )


@route(
    ITEM + "submit/",
    "POST",
    summary="Submit for review",
    tag=TAG,
    role=Role.EDITOR,
    body=SubmitBody,
    response=ReviewResult,
    errors=(409,),
)
def submit(scope: Scope, content_id: int, body: SubmitBody) -> Any:
    """A draft goes to review. A pending change of approved or published content is submitted as it
    is (the status stays: WordPress still shows the published text). 409 from any other state, or
    when `version` is not the current one."""
    event = review.submit_for_review(scope, content_id, body.comment, expected_version=body.version)
    return _result(scope, content_id, event)


@route(
    ITEM + "approve/",
    "POST",
    summary="Approve",
    tag=TAG,
    role=Role.REVIEWER,
    body=ApproveBody,
    response=ReviewResult,
    errors=(409,),
)
def approve(scope: Scope, content_id: int, body: ApproveBody) -> Any:
    """Content in review (or a pending change) is approved under the same rules as the pages: 403 for
    its last editor unless the account allows self-approval, 409 `publish_blocked` while Required
    checks fail unless `override_comment` says why, 409 from other states or on a stale `version`.
    A post of a site connected to WordPress is then published (`publish`, the default; `job_id` names
    the job); anything else stays `approved`."""
    override = (body.override_comment or "").strip()
    comment = override or body.comment
    event = review.approve(
        scope,
        content_id,
        comment,
        override_checks=bool(override),
        publish=body.publish,
        expected_version=body.version,
    )
    return _result(scope, content_id, event)


@route(
    ITEM + "request_changes/",
    "POST",
    summary="Request changes",
    tag=TAG,
    role=Role.REVIEWER,
    body=RequestChangesBody,
    response=ReviewResult,
    errors=(409,),
)
def request_changes(scope: Scope, content_id: int, body: RequestChangesBody) -> Any:
    """Content in review goes back to draft with the comment; for a pending change of approved or
    published content the status stays and the editor reworks the change."""
    event = review.request_changes(scope, content_id, body.comment, expected_version=body.version)
    return _result(scope, content_id, event)


@route(ITEM + "events/", "GET", summary="The review timeline", tag=TAG, response=EventOut, many=True)
def events(scope: Scope, content_id: int) -> Any:
    """Every decision (submitted, approved, changes requested, published, unpublished, a check
    overridden), newest first, with who took it and when."""
    return review.timeline(scope, content_id)


@route(ITEM + "revisions/", "GET", summary="Revisions", tag=TAG, response=RevisionSummaryOut, many=True)
def list_revisions(scope: Scope, content_id: int) -> Any:
    """Every saved revision, newest first."""
    return revisions.list_revisions(scope, content_id)


@route(ITEM + "revisions/<int:number>/", "GET", summary="Read a revision", tag=TAG, response=RevisionOut)
def get_revision(scope: Scope, content_id: int, number: int) -> Any:
    return revisions.get_revision(scope, content_id, number)


@route(
    ITEM + "revisions/<int:number>/restore/",
    "POST",
    summary="Restore a revision",
    tag=TAG,
    role=Role.EDITOR,
    body=RestoreBody,
    response=ContentOut,
    errors=(409,),
)
def restore_revision(scope: Scope, content_id: int, number: int, body: RestoreBody) -> Any:
    """Makes the revision's fields current again, stored as a new revision (so it can be undone).
    409 when the content already matches it or `version` is not the current one. Restoring on
    approved or published content is a pending change like any edit."""
    revisions.restore(scope, content_id, number, body.version)
    content = content_service.get_content(scope, content_id)
    return content, content_service.image_stats(scope, [content.id])[content.id]
