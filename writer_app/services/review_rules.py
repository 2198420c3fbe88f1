"""The rules every path that publishes content obeys, in one place so they cannot drift apart.

    ensure_may_publish(scope, content, override_comment=None, update=False) -> GateResult
    self_approval_reason(scope, content) -> str | None
    record_decision(scope, content, decision, comment) -> ReviewEvent

Callers: review.approve (the HTML approve button), publishing.publish / republish / schedule (the
publish, update and schedule buttons, the API's publish and republish). Nothing else moves content to
published, except the WordPress import (content that is published in WordPress already); there is no
bulk status change of content. Kept apart from review.py because publishing.py needs it and review.py
imports publishing.
"""

from __future__ import annotations

from writer_app.models import Account, Content, ContentStatus, ReviewDecision, ReviewEvent, Role, db
from writer_app.services import audit
from writer_app.services.content_checks import GateResult, publish_gate
from writer_app.services.errors import Conflict, PermissionDenied
from writer_app.services.notifications import events as notifications
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


def _status_refusal(content: Content, update: bool) -> str | None:
    status = ContentStatus(content.status)
    title = content.title
    if update:
        if status == ContentStatus.PUBLISHED:
            return None
        return f"“{title}” is not published; it is published when a reviewer approves it."
    if status == ContentStatus.REVIEW:
        return None
    if status == ContentStatus.DRAFT:
        return f"“{title}” is a draft: submit it for review first; a reviewer then approves it to publish it."
    if status == ContentStatus.PUBLISHED:
        return f"“{title}” is published already; use “Update in WordPress” to send your changes."
    return f"“{title}” is {status.value}; it cannot be published from there."  # a status added later


def ensure_may_publish(
    scope: Scope, content: Content, *, override_comment: str | None = None, update: bool = False
) -> GateResult:
    """Refuse unless the scope's user may publish `content` now (or, with `update`, send the current
    text of published content to WordPress again):

    - reviewer or admin (PermissionDenied);
    - publishing needs content in review (a draft: Conflict, submit it first); an update needs
      published content (Conflict);
    - not the user who edited the text last, unless the account allows self-approval
      (PermissionDenied; an update sends the text as it is now, so the same rule applies);
    - the publish gate: no Required check fails, or a reviewer's `override_comment` (PublishBlocked).

    The gate records an override; nothing else is written. The caller commits or rolls back."""
    scope.require(Role.REVIEWER)
    refusal = _status_refusal(content, update)
    if refusal:
        raise Conflict(refusal)
    reason = self_approval_reason(scope, content)
    if reason:
        raise PermissionDenied(reason)
    return publish_gate(scope, content, override_comment)


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
