"""The review workflow: draft → review → published, or back to draft with a comment.

Every decision is a ReviewEvent (the timeline) plus an audit event. Publishing to WordPress is not done
here: for posts of connected sites, approving hands the status change to
`writer_app.services.publishing.publish(scope, content_id)` when that module exists (it checks the
publish gate, marks the content published and enqueues the job).
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
    ContentType,
    ReviewDecision,
    ReviewEvent,
    Role,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services import audit, publishing
from writer_app.services.content_checks import publish_gate
from writer_app.services.errors import Conflict, PermissionDenied, ValidationError
from writer_app.services.scope import Scope, get

SELF_APPROVAL_SETTING = "allow_self_approval"
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


def self_approval_allowed(scope: Scope) -> bool:
    account = db.session.get(Account, scope.account_id)
    return bool(account and account.setting(SELF_APPROVAL_SETTING, False))


def set_self_approval(scope: Scope, allowed: bool) -> None:
    """Admins decide whether reviewers may approve content they last edited themselves."""
    scope.require(Role.ADMIN)
    account = db.session.get(Account, scope.account_id)
    assert account is not None
    # Reassign (not mutate) so SQLAlchemy sees the JSON column change.
    account.settings = {**(account.settings or {}), SELF_APPROVAL_SETTING: bool(allowed)}
    audit.record(scope, "account.settings", account, **{SELF_APPROVAL_SETTING: bool(allowed)})
    db.session.flush()


def _self_approval_reason(scope: Scope, content: Content) -> str | None:
    edited_last = content.last_edited_by_id is not None and content.last_edited_by_id == scope.user_id
    if edited_last and not self_approval_allowed(scope):
        return (
            "You edited this content last, so another reviewer must approve it "
            "(an admin can allow self-approval in the content settings)."
        )
    return None


def available_actions(scope: Scope, content: Content) -> ReviewActions:
    """The decisions the scope's user may take on `content` now (used to render buttons)."""
    in_review = content.status == ContentStatus.REVIEW
    reviewer = scope.can(Role.REVIEWER)
    blocked = _self_approval_reason(scope, content) if in_review and reviewer else None
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
    event = ReviewEvent(
        account_id=scope.account_id,
        content_id=content.id,
        user_id=scope.user_id,
        decision=decision,
        comment=comment,
    )
    db.session.add(event)
    audit.record(scope, f"content.{decision.value}", content, title=content.title, comment=comment[:500])
    db.session.flush()
    return event


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


def _goes_to_wordpress(content: Content) -> bool:
    """Posts of sites connected to WordPress are published there; anything else is published here only."""
    return ContentType(content.content_type) == ContentType.POST and content.site.wp_connected


def approve(
    scope: Scope, content_id: Any, comment: str = "", *, override_checks: bool = False
) -> ReviewEvent:
    """review → published (reviewer+). Refused for the content's last editor unless the account allows
    self-approval. Records the decision, then publishes: posts of a site connected to WordPress through
    services.publishing.publish (its publish gate refuses while required checks fail, rolling the
    approval back, unless `override_checks` with a comment saying why), anything else by marking it
    published here."""
    scope.require(Role.REVIEWER)
    content = _load(scope, content_id)
    text = _comment(
        comment, required=override_checks, missing="Say why it is published although required checks fail."
    )
    _expect(content, ContentStatus.REVIEW, "approve")
    reason = _self_approval_reason(scope, content)
    if reason:
        raise PermissionDenied(reason)
    event = _decide(scope, content, ReviewDecision.APPROVED, text)
    override = text if override_checks else None
    if _goes_to_wordpress(content):
        # Checks the publish gate, marks the content published and starts the job.
        publishing.publish(scope, content.id, override_comment=override)
    else:
        publish_gate(scope, content, override)  # nowhere to send it, but the same checks apply
        content.status = ContentStatus.PUBLISHED
        content.published_at = utcnow()
        db.session.flush()
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
