"""The review workflow: draft → review → approved → published, or back to draft with a comment.

Every decision is a ReviewEvent (the timeline) plus an audit event; every review event (submit, request
changes, approve, publish, publish failed) goes through this module, review_rules and publishing, so a
notification hook belongs there. Approving applies the rules every publish path shares
(review_rules.ensure_may_approve / ensure_may_publish: content in review or a pending change, no
self-approval unless allowed, the publish gate). Approved posts of connected sites are sent to WordPress
in a job unless the reviewer chose "publish later"; anything else stays approved (nothing left Writer).
Edits to approved or published content are pending changes (has_unpublished_changes): an editor
submits them, a reviewer requests changes or approves them (sending them to WordPress).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload

from writer_app.models import (
    Account,
    Content,
    ContentStatus,
    ReviewDecision,
    ReviewEvent,
    Role,
    db,
)
from writer_app.models.base import as_utc, utcnow
from writer_app.services import audit
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.publishing import actions as publishing
from writer_app.services.review.rules import (
    SELF_APPROVAL_SETTING,
    ensure_may_approve,
    mark_approved,
    needs_approval,
    record_decision,
    self_approval_reason,
)
from writer_app.services.review.rules import self_approval_allowed as self_approval_allowed  # re-exported
from writer_app.services.scope import Scope, get, scope_params, scoped_once

MAX_COMMENT = 5000


@dataclass(frozen=True)
class ReviewActions:
    """Which review buttons the acting user gets for one content, and why approve is blocked."""

    can_submit: bool
    can_approve: bool
    can_request_changes: bool
    approve_blocked_reason: str | None = None

    @property
    def any(self) -> bool:
        return self.can_submit or self.can_approve or self.can_request_changes


def set_self_approval(scope: Scope, allowed: bool) -> None:
    """Admins decide whether reviewers may approve content they last edited themselves."""
    scope.require(Role.ADMIN)
    account = db.session.get(Account, scope.account_id)
    assert account is not None
    # Reassign (not mutate) so SQLAlchemy sees the JSON column change.
    account.settings = {**(account.settings or {}), SELF_APPROVAL_SETTING: bool(allowed)}
    audit.record(scope, "account.settings", account, **{SELF_APPROVAL_SETTING: bool(allowed)})
    db.session.flush()


def change_submitted(content: Content) -> bool:
    """A pending change of approved or published content was submitted for review since its last edit."""
    if not content.has_unpublished_changes or content.submitted_at is None:
        return False
    edited = content.last_edited_at
    return edited is None or _utc(content.submitted_at) >= _utc(edited)


def _utc(value: Any) -> Any:
    return as_utc(value)


def why_not_published(content: Content) -> str:
    """For approved content: why it is not on WordPress, in words ("" when it is published)."""
    if ContentStatus(content.status) != ContentStatus.APPROVED:
        return ""
    if not content.site.wp_connected:
        return f"Not published: “{content.site.name}” has no WordPress connection."
    if not publishing.goes_to_wordpress(content):
        return f"Not published: only posts are sent to WordPress, and this is a {content.content_type.value}."
    return "Not published yet: publish or schedule it when it is time."


def _may_submit(content: Content) -> bool:
    status = ContentStatus(content.status)
    if status == ContentStatus.DRAFT:
        return True
    return (
        status in (ContentStatus.APPROVED, ContentStatus.PUBLISHED)
        and bool(content.has_unpublished_changes)
        and not change_submitted(content)
    )


def available_actions(scope: Scope, content: Content) -> ReviewActions:
    """The decisions the scope's user may take on `content` now (used to render buttons)."""
    pending = needs_approval(content)
    reviewer = scope.can(Role.REVIEWER)
    blocked = self_approval_reason(scope, content) if pending and reviewer else None
    return ReviewActions(
        can_submit=_may_submit(content) and scope.can(Role.EDITOR),
        can_approve=pending and reviewer and blocked is None,
        can_request_changes=pending and reviewer,
        approve_blocked_reason=blocked,
    )


def _load(scope: Scope, content_id: Any, expected_version: int | None = None) -> Content:
    """The content; with `expected_version` (optimistic concurrency, as saves have) a Conflict when it
    changed since the client read it."""
    content = get(scope, Content, content_id)
    if expected_version is not None and int(expected_version) != content.version:
        raise Conflict(
            f"“{content.title}” changed since you read it (version {content.version} now, not "
            f"{expected_version}). Reload it and decide again."
        )
    return content


def _expect(content: Content, status: ContentStatus, action: str) -> None:
    if content.status != status:
        raise Conflict(
            f"Cannot {action}: “{content.title}” is {ContentStatus(content.status).value}, "
            f"not {status.value}. Reload to see its current state."
        )


def _decide(scope: Scope, content: Content, decision: ReviewDecision, comment: str) -> ReviewEvent:
    return record_decision(scope, content, decision, comment)


def _comment(comment: str | None, *, required: bool = False, missing: str = "") -> str:
    text = (comment or "").strip()
    if required and not text:
        raise ValidationError.field("comment", missing or "Say what needs to change: a comment is required.")
    if len(text) > MAX_COMMENT:
        raise ValidationError.field("comment", f"Use at most {MAX_COMMENT} characters.")
    return text


def submit_for_review(
    scope: Scope, content_id: Any, comment: str = "", *, expected_version: int | None = None
) -> ReviewEvent:
    """draft → review (editor+). A pending change of approved or published content is submitted as
    it is: the status stays (WordPress still shows the published text) and the timeline says so."""
    scope.require(Role.EDITOR)
    content = _load(scope, content_id, expected_version)
    text = _comment(comment)
    if not _may_submit(content):
        if content.has_unpublished_changes:
            raise Conflict(f"The changes to “{content.title}” were submitted for review already.")
        _expect(content, ContentStatus.DRAFT, "submit for review")
    if ContentStatus(content.status) == ContentStatus.DRAFT:
        content.status = ContentStatus.REVIEW
    content.submitted_by_id = scope.user_id
    content.submitted_at = utcnow()
    return _decide(scope, content, ReviewDecision.SUBMITTED, text)


def approve(
    scope: Scope,
    content_id: Any,
    comment: str = "",
    *,
    override_checks: bool = False,
    publish: bool = True,
    expected_version: int | None = None,
) -> ReviewEvent:
    """Approve content in review, or a pending change (reviewer+), under the shared rules: refused for
    the content's last editor unless the account allows self-approval, and while Required checks fail
    unless `override_checks` with a comment saying why.

    With `publish` (the default), posts of a site connected to WordPress are published in a job
    (publishing.publish; a pending change of published content: publishing.republish). Anything else
    — a site without a connection, a page, or `publish=False` ("publish later") — is approved and stays
    approved: nothing left Writer. Returns the approval."""
    scope.require(Role.REVIEWER)
    content = _load(scope, content_id, expected_version)
    text = _comment(
        comment, required=override_checks, missing="Say why it is published although required checks fail."
    )
    override = text if override_checks else None
    status = ContentStatus(content.status)
    if not needs_approval(content):
        ensure_may_approve(scope, content, override)  # raises the reason (draft, or nothing to approve)
    if status == ContentStatus.PUBLISHED:
        if not publish:
            raise Conflict(
                f"“{content.title}” is on WordPress: its changes are approved by sending them there "
                "(approve with publish, or “Update on WordPress”)."
            )
        publishing.republish(scope, content.id, override, comment=text)
    elif publish and publishing.goes_to_wordpress(content):
        publishing.publish(scope, content.id, override_comment=override, comment=text)
    else:
        ensure_may_approve(scope, content, override)
        mark_approved(scope, content, text)
        db.session.flush()
    return _latest_decision(scope, content, ReviewDecision.APPROVED)


def _latest_decision(scope: Scope, content: Content, decision: ReviewDecision) -> ReviewEvent:
    event = db.session.scalars(
        select(ReviewEvent)
        .where(
            ReviewEvent.account_id == scope.account_id,
            ReviewEvent.content_id == content.id,
            ReviewEvent.decision == decision,
        )
        .order_by(ReviewEvent.id.desc())
        .limit(1)
    ).one()
    return event


def request_changes(
    scope: Scope, content_id: Any, comment: str, *, expected_version: int | None = None
) -> ReviewEvent:
    """review → draft (reviewer+), with a required comment saying what to change. For a pending change
    of approved or published content the status stays (the approved text is still what goes out) and
    the editor reworks the change."""
    scope.require(Role.REVIEWER)
    content = _load(scope, content_id, expected_version)
    text = _comment(comment, required=True)
    if not needs_approval(content):
        _expect(content, ContentStatus.REVIEW, "request changes")
    if ContentStatus(content.status) == ContentStatus.REVIEW:
        content.status = ContentStatus.DRAFT
    content.submitted_at = None  # the editor submits again when the changes are made
    return _decide(scope, content, ReviewDecision.CHANGES_REQUESTED, text)


def timeline(scope: Scope, content_id: Any) -> list[ReviewEvent]:
    """Every decision on the content, newest first, with who took it."""
    content = _load(scope, content_id)
    return list(db.session.scalars(_timeline(), scope_params(scope, content_id=content.id)))


@cache
def _timeline() -> Select[tuple[ReviewEvent]]:
    # On every review page: built once, run with the scope's account and the content.
    return (
        scoped_once(ReviewEvent)
        .options(joinedload(ReviewEvent.user))
        .where(ReviewEvent.content_id == bindparam("content_id"))
        .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())
    )


def waiting_for_review(scope: Scope, limit: int = 10) -> list[Content]:
    """Content in review, longest waiting first (by when it was submitted), with who submitted it."""
    return list(
        db.session.scalars(
            select(Content)
            .options(joinedload(Content.submitted_by))
            .where(
                Content.account_id == scope.account_id,
                Content.deleted_at.is_(None),
                Content.status == ContentStatus.REVIEW,
            )
            .order_by(Content.submitted_at.asc(), Content.updated_at.asc(), Content.id)
            .limit(limit)
        )
    )
