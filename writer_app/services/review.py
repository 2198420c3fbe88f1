"""The review workflow: draft → review → published, or back to draft with a comment.

Every decision is a ReviewEvent (the timeline) plus an audit event. Approving hands over to
`publishing.publish`, which applies the rules every publish path shares (review_rules.ensure_may_publish:
content in review, no self-approval unless allowed, the publish gate), records the approval and
publishes: in WordPress for posts of connected sites (a job), here only for anything else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
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
from writer_app.services import audit, publishing
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.review_rules import SELF_APPROVAL_SETTING, record_decision, self_approval_reason
from writer_app.services.review_rules import self_approval_allowed as self_approval_allowed  # re-exported
from writer_app.services.scope import Scope, get

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


def available_actions(scope: Scope, content: Content) -> ReviewActions:
    """The decisions the scope's user may take on `content` now (used to render buttons)."""
    in_review = content.status == ContentStatus.REVIEW
    reviewer = scope.can(Role.REVIEWER)
    blocked = self_approval_reason(scope, content) if in_review and reviewer else None
    return ReviewActions(
        can_submit=content.status == ContentStatus.DRAFT and scope.can(Role.EDITOR),
        can_approve=in_review and reviewer and blocked is None,
        can_request_changes=in_review and reviewer,
        approve_blocked_reason=blocked,
    )


def _load(scope: Scope, content_id: Any) -> Content:
    return get(scope, Content, content_id)


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


def submit_for_review(scope: Scope, content_id: Any, comment: str = "") -> ReviewEvent:
    """draft → review (editor+)."""
    scope.require(Role.EDITOR)
    content = _load(scope, content_id)
    text = _comment(comment)
    _expect(content, ContentStatus.DRAFT, "submit for review")
    content.status = ContentStatus.REVIEW
    return _decide(scope, content, ReviewDecision.SUBMITTED, text)


def approve(
    scope: Scope, content_id: Any, comment: str = "", *, override_checks: bool = False
) -> ReviewEvent:
    """review → published (reviewer+), through publishing.publish and so the shared rules: refused for
    the content's last editor unless the account allows self-approval, and while Required checks fail
    unless `override_checks` with a comment saying why. Posts of a site connected to WordPress are
    sent there in a job; anything else is marked published here. Returns the approval."""
    scope.require(Role.REVIEWER)
    content = _load(scope, content_id)
    text = _comment(
        comment, required=override_checks, missing="Say why it is published although required checks fail."
    )
    _expect(content, ContentStatus.REVIEW, "approve")
    publishing.publish(scope, content.id, override_comment=text if override_checks else None, comment=text)
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


def request_changes(scope: Scope, content_id: Any, comment: str) -> ReviewEvent:
    """review → draft (reviewer+), with a required comment saying what to change."""
    scope.require(Role.REVIEWER)
    content = _load(scope, content_id)
    text = _comment(comment, required=True)
    _expect(content, ContentStatus.REVIEW, "request changes")
    content.status = ContentStatus.DRAFT
    return _decide(scope, content, ReviewDecision.CHANGES_REQUESTED, text)


def timeline(scope: Scope, content_id: Any) -> list[ReviewEvent]:
    """Every decision on the content, newest first, with who took it."""
    content = _load(scope, content_id)
    return list(
        db.session.scalars(
            select(ReviewEvent)
            .options(joinedload(ReviewEvent.user))
            .where(ReviewEvent.account_id == scope.account_id, ReviewEvent.content_id == content.id)
            .order_by(ReviewEvent.created_at.desc(), ReviewEvent.id.desc())
        )
    )


def waiting_for_review(scope: Scope, limit: int = 10) -> list[Content]:
    """Content in review, oldest change first (for dashboards)."""
    return list(
        db.session.scalars(
            select(Content)
            .where(
                Content.account_id == scope.account_id,
                Content.deleted_at.is_(None),
                Content.status == ContentStatus.REVIEW,
            )
            .order_by(Content.updated_at.asc(), Content.id)
            .limit(limit)
        )
    )
