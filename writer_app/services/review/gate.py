"""The publish gate: no publish path goes ahead while a Required check fails, unless a reviewer
overrides it with a comment (recorded, and holding for that exact text).

    gate_status(scope, content) -> GateResult                      may it be published now (no record)
    content_gate(scope, content_id) -> GateResult                  the same by id
    publish_gate(scope, content, override_comment) -> GateResult   call on EVERY publish path
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from writer_app.models import AuditEvent, Content, ReviewDecision, ReviewEvent, Role, Site, db
from writer_app.services import audit
from writer_app.services.content_checks import content_input, load
from writer_app.services.errors import Conflict, PermissionDenied, ValidationError
from writer_app.services.links import checks as link_checks
from writer_app.services.scope import Scope
from writer_app.services.site_checks import site_levels
from writer_app.services.validation import Analysis, CheckResult, ContentInput, analyze
from writer_app.services.validation import failing_required as _failing_required

OVERRIDE_ACTION = "content.overridden"
MAX_COMMENT = 5000


class PublishBlocked(Conflict):
    """409: Required checks fail. `failing` lists them; a reviewer may override with a comment."""

    code = "publish_blocked"

    def __init__(self, content: Content, failing: list[CheckResult]) -> None:
        names = ", ".join(c.label for c in failing)
        super().__init__(
            f"“{content.title}” cannot be published: {len(failing)} required check"
            f"{'s' * (len(failing) != 1)} fail ({names}). Fix them, or a reviewer may override "
            "with a comment.",
            {"checks": [f"{c.label}: {c.message}" for c in failing]},
        )
        self.failing = failing


@dataclass(frozen=True)
class GateResult:
    """Publishing may go ahead (`allowed`), and why: nothing required fails, or an override."""

    allowed: bool
    failing: list[CheckResult]
    analysis: Analysis
    overridden: bool = False  # allowed although Required checks fail
    override_event: ReviewEvent | None = None  # the override recorded by this call, if any


_LATER_FIELDS = ("avoid_words", "dead_links")


def _fingerprint(content_input_: ContentInput) -> str:
    """Identifies the exact text an override was given for; any edit makes a new decision necessary."""
    # Fields added later count only when set, so overrides given before them still hold.
    values = {k: v for k, v in content_input_.__dict__.items() if k not in _LATER_FIELDS or v}
    data = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(data.encode()).hexdigest()


def _standing_override(scope: Scope, content: Content, fingerprint: str, failing: list[CheckResult]) -> bool:
    """An earlier override covers this exact text and (at least) these failing checks."""
    events = db.session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.account_id == scope.account_id,
            AuditEvent.action == OVERRIDE_ACTION,
            AuditEvent.object_type == "content",
            AuditEvent.object_id == content.id,
        )
        .order_by(AuditEvent.id.desc())
        .limit(20)
    )
    keys = {c.key for c in failing}
    return any(
        (e.details or {}).get("fingerprint") == fingerprint
        and keys <= set((e.details or {}).get("checks", []))
        for e in events
    )


def gate_status(scope: Scope, content: Content) -> GateResult:
    """Whether `content` may be published now, without recording anything (for rendering buttons)."""
    site = content.site if content.site is not None else db.session.get(Site, content.site_id)
    assert site is not None
    levels = site_levels(site)
    source = content_input(content, site)
    analysis = analyze(source, levels)
    failing = _failing_required(analysis, levels)
    if not failing:
        return GateResult(True, [], analysis)
    standing = _standing_override(scope, content, _fingerprint(source), failing)
    return GateResult(standing, failing, analysis, overridden=standing)


def content_gate(scope: Scope, content_id: Any) -> GateResult:
    """gate_status for a content id of the scope's account (NotFound otherwise)."""
    return gate_status(scope, load(scope, content_id))


def publish_gate(scope: Scope, content: Content, override_comment: str | None = None) -> GateResult:
    """Refuse publishing while a Required check fails (PublishBlocked, a 409 Conflict listing them).

    A reviewer or admin may publish anyway by giving `override_comment`: recorded as a ReviewEvent
    "overridden" plus an audit event. An override holds for that exact text, so a retried or scheduled
    publish of unchanged content passes without a new comment. Editors cannot override
    (PermissionDenied). The caller commits."""
    link_checks.check_links_before_publishing(scope, content)
    result = gate_status(scope, content)
    if not result.failing:
        return result
    comment = (override_comment or "").strip()
    if not comment:
        if result.allowed:
            return result  # an earlier override of this very text
        raise PublishBlocked(content, result.failing)
    if not scope.can(Role.REVIEWER):
        raise PermissionDenied("Only a reviewer or admin can publish content whose required checks fail.")
    if len(comment) > MAX_COMMENT:
        raise ValidationError.field("override_comment", f"Use at most {MAX_COMMENT} characters.")
    event = ReviewEvent(
        account_id=scope.account_id,
        content_id=content.id,
        user_id=scope.user_id,
        decision=ReviewDecision.OVERRIDDEN,
        comment=comment,
    )
    db.session.add(event)
    source = content_input(content, content.site or db.session.get(Site, content.site_id))  # type: ignore[arg-type]
    audit.record(
        scope,
        OVERRIDE_ACTION,
        content,
        title=content.title,
        comment=comment[:500],
        checks=[c.key for c in result.failing],
        fingerprint=_fingerprint(source),
    )
    db.session.flush()
    return GateResult(True, result.failing, result.analysis, overridden=True, override_event=event)
