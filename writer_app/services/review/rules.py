"""The rules every path that publishes content obeys, in one place so they cannot drift apart.

    ensure_may_publish(scope, content, override_comment=None, update=False) -> GateResult
    ensure_may_approve(scope, content, override_comment=None) -> GateResult
    needs_approval(content) -> bool
    mark_approved(scope, content, comment) -> ReviewEvent
    self_approval_reason(scope, content) -> str | None
    record_decision(scope, content, decision, comment) -> ReviewEvent

Callers: review.approve (the approve buttons and the API's approve/), publishing.publish / republish /
schedule (the publish, update and schedule buttons, the API's publish and republish). Nothing else moves
content to approved or published, except the WordPress import (content that is published in WordPress
already); there is no bulk status change of content. Kept apart from review.py because publishing.py
needs it and review.py imports publishing. Every approval goes through mark_approved (one place for a
notification hook on "approved").
"""

from __future__ import annotations

from sqlalchemy import func, select

from writer_app.models import Account, Content, ContentStatus, ReviewDecision, ReviewEvent, Revision, Role, db
from writer_app.models.base import utcnow
from writer_app.services import audit
from writer_app.services.errors import Conflict, PermissionDenied
from writer_app.services.notifications import events as notifications
from writer_app.services.review.gate import GateResult, publish_gate
from writer_app.services.scope import Scope

SELF_APPROVAL_SETTING = "allow_self_approval"


def self_approval_allowed(scope: Scope) -> bool:
    account = db.session.get(Account, scope.account_id)
    return bool(account and account.setting(SELF_APPROVAL_SETTING, False))


def self_approval_reason(scope: Scope, content: Content) -> str | None:
    """Why the scope's user may not publish `content`: they changed its text last (None when they may)."""
    edited_last = content.last_edited_by_id is not None and content.last_edited_by_id == scope.user_id
    if edited_last and not self_approval_allowed(scope):
        return (
            "You edited this content last, so another reviewer must approve it "
            "(an admin can allow self-approval in the content settings)."
        )
    return None


def needs_approval(content: Content) -> bool:
    """Whether the current text still needs a reviewer's approval: content in review, or approved or
    published content changed since (a pending change)."""
    status = ContentStatus(content.status)
    if status == ContentStatus.REVIEW:
        return True
    return status in (ContentStatus.APPROVED, ContentStatus.PUBLISHED) and bool(
        content.has_unpublished_changes
    )


def _status_refusal(content: Content, update: bool) -> str | None:
    status = ContentStatus(content.status)
    title = content.title
    if update:
        if status == ContentStatus.PUBLISHED:
            return None
        return f"“{title}” is not published; publish it first (a reviewer approves it, then publishes it)."
    if status in (ContentStatus.REVIEW, ContentStatus.APPROVED):
        return None
    if status == ContentStatus.DRAFT:
        return f"“{title}” is a draft: submit it for review first; a reviewer then approves it to publish it."
    if status == ContentStatus.PUBLISHED:
        return f"“{title}” is published already; use “Update on WordPress” to send your changes."
    return f"“{title}” is {status.value}; it cannot be published from there."  # a status added later


def ensure_may_publish(
    scope: Scope, content: Content, *, override_comment: str | None = None, update: bool = False
) -> GateResult:
    """Refuse unless the scope's user may publish `content` now (or, with `update`, send the current
    text of published content to WordPress again):

    - reviewer or admin (PermissionDenied);
    - publishing needs content in review (publishing it approves it) or approved (a draft: Conflict,
      submit it first); an update needs published content (Conflict);
    - not the user who edited the text last, unless the account allows self-approval
      (PermissionDenied). Approved content unchanged since its approval needs no second approval, so
      the rule applies to content in review and to pending changes; an update sends the text as it is
      now, so it always applies there;
    - the publish gate: no Required check fails, or a reviewer's `override_comment` (PublishBlocked).

    The gate records an override; nothing else is written. The caller commits or rolls back."""
    scope.require(Role.REVIEWER)
    refusal = _status_refusal(content, update)
    if refusal:
        raise Conflict(refusal)
    if update or needs_approval(content):
        reason = self_approval_reason(scope, content)
        if reason:
            raise PermissionDenied(reason)
    return publish_gate(scope, content, override_comment)


def ensure_may_approve(scope: Scope, content: Content, override_comment: str | None = None) -> GateResult:
    """Refuse unless the scope's user may approve `content` without publishing it: reviewer or admin,
    content in review or with a pending change (Conflict otherwise), not its last editor unless
    self-approval is allowed, and the publish gate (an approval says the text may go out)."""
    scope.require(Role.REVIEWER)
    if not needs_approval(content):
        status = ContentStatus(content.status)
        if status == ContentStatus.DRAFT:
            raise Conflict(f"“{content.title}” is a draft: it is submitted for review before it is approved.")
        raise Conflict(
            f"“{content.title}” is {status.value} and unchanged since; there is nothing to approve."
        )
    reason = self_approval_reason(scope, content)
    if reason:
        raise PermissionDenied(reason)
    return publish_gate(scope, content, override_comment)


def latest_revision_number(content: Content) -> int | None:
    return db.session.scalar(select(func.max(Revision.number)).where(Revision.content_id == content.id))


def mark_approved(scope: Scope, content: Content, comment: str) -> ReviewEvent:
    """Record the approval of the current text (after ensure_may_publish or ensure_may_approve): content
    in review becomes approved; who approved it and when are kept apart from who edited it (approving
    is not an edit). A pending change of approved content is settled here; one of published content
    when WordPress has it (publishing_finish.succeed)."""
    if ContentStatus(content.status) == ContentStatus.REVIEW:
        content.status = ContentStatus.APPROVED
    content.approved_by_id = scope.user_id
    content.approved_at = utcnow()
    if ContentStatus(content.status) == ContentStatus.APPROVED:
        content.published_revision = latest_revision_number(content)
        content.has_unpublished_changes = False
    return record_decision(scope, content, ReviewDecision.APPROVED, comment)


def record_decision(scope: Scope, content: Content, decision: ReviewDecision, comment: str) -> ReviewEvent:
    """One entry of the review timeline, plus its audit event."""
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
    notifications.review_decided(scope, content, decision, comment)
    return event
