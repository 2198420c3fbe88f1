"""Fix with AI, on demand: a proposal per request, accepted or rejected change by change.

    quote(scope, content_id, checks)            what it would cost (shown before anything runs)
    start(scope, content_id, checks) -> Job     editor+; 402 when the credits do not cover the calls
    run(job_id, ...)                            the job body: one paid call per check group
    get_fix(scope, content_id, fix_id) -> AiFix
    proposal(fix) -> dict                       fix id, status and the changes with their diffs
    apply(scope, content_id, fix_id, change_ids) -> Content   a revision labelled with check and model

A proposal expires after a day, and is refused when the content's text changed since it was made.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from writer_app.integrations.ai import get_provider
from writer_app.models import AiFix, Content, Job, Role, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services import audit, credits, jobs
from writer_app.services.ai_fixes.after_generation import revision_note, save_fixed
from writer_app.services.ai_fixes.fixers import FIXABLE, Change, apply_changes, plan
from writer_app.services.ai_fixes.paid import OPERATION, PaidCaller, fingerprint, link_targets
from writer_app.services.ai_fixes.rounds import Piece, failing, run_round
from writer_app.services.content_checks import content_input
from writer_app.services.errors import Conflict, InsufficientCredits, NotFound, ValidationError
from writer_app.services.inputs import object_id
from writer_app.services.links.policy import allowed_links
from writer_app.services.review.diffing import html_diff, word_diff
from writer_app.services.scope import Scope, get
from writer_app.services.site_checks import site_levels
from writer_app.services.validation import CHECKS, analyze

KIND = "ai_fix"
LIFETIME = timedelta(hours=24)
MAX_CHECKS = len(FIXABLE)


def _content(scope: Scope, content_id: Any) -> Content:
    return get(scope, Content, content_id, options=(joinedload(Content.site),))


def fixable_failing(content: Content) -> list[str]:
    """The content's failing checks that have a fixer, in the panel's order."""
    analysis = analyze(content_input(content, content.site), site_levels(content.site))
    return [k for k in failing(analysis) if k in FIXABLE]


def _checked(content: Content, checks: Any) -> list[str]:
    if isinstance(checks, str | bytes) or not isinstance(checks, list | tuple):
        raise ValidationError.field("checks", "checks must be a list of check keys.")
    keys = list(dict.fromkeys(str(k) for k in checks))
    if not keys or len(keys) > MAX_CHECKS:
        raise ValidationError.field("checks", f"Name 1 to {MAX_CHECKS} checks to fix.")
    unknown = [k for k in keys if k not in CHECKS]
    if unknown:
        raise ValidationError.field("checks", f"Unknown checks: {', '.join(unknown)}.")
    no_fixer = [CHECKS[k].label for k in keys if k not in FIXABLE]
    if no_fixer:
        raise ValidationError.field("checks", f"These checks have no AI fix: {', '.join(no_fixer)}.")
    now_failing = set(fixable_failing(content))
    passing = [CHECKS[k].label for k in keys if k not in now_failing]
    if passing:
        raise ValidationError.field("checks", f"These checks do not fail: {', '.join(passing)}.")
    return keys


def quote(scope: Scope, content_id: Any, checks: Any) -> dict[str, Any]:
    """The calls a fix of `checks` makes and their credit cost (ValidationError for bad checks)."""
    content = _content(scope, content_id)
    keys = _checked(content, checks)
    calls = len(plan(content_input(content, content.site), keys, link_targets(scope, content)))
    if not calls:
        raise ValidationError.field(
            "checks",
            "There is nothing the AI can change for these checks (e.g. no page of the site to link to).",
        )
    price = credits.price_of(OPERATION)
    return {
        "checks": keys,
        "calls": calls,
        "credits": calls * price,
        "balance": credits.balance(scope.account_id),
    }


def start(scope: Scope, content_id: Any, checks: Any) -> Job:
    """Queue a proposal for `checks` (editor+); 402 before anything runs when credits are short."""
    scope.require(Role.EDITOR)
    cost = quote(scope, content_id, checks)
    if cost["credits"] > cost["balance"]:
        raise InsufficientCredits(
            f"Not enough AI credits: this fix needs {cost['credits']} and the account has {cost['balance']}."
        )
    content = _content(scope, content_id)
    job = jobs.create_job(scope, KIND, object_type="content", object_ids=[content.id], total=cost["calls"])
    fix = AiFix(
        account_id=scope.account_id,
        content_id=content.id,
        user_id=scope.user_id,
        job_id=job.id,
        kind="proposal",
        status="pending",
        checks=cost["checks"],
        base_fingerprint=fingerprint(content),
        failed_before=failing(analyze(content_input(content, content.site), site_levels(content.site))),
        expires_at=utcnow() + LIFETIME,
    )
    db.session.add(fix)
    db.session.flush()
    jobs.update_result(
        job, fix_id=fix.id, content_id=content.id, checks=cost["checks"], quoted=cost["credits"]
    )
    audit.record(scope, "content.ai_fix_requested", content, fix_id=fix.id, checks=cost["checks"])
    return job


def run(job_id: str, *, final_attempt: bool = True, report: Any = None) -> dict[str, Any]:
    """The job body: one paid call per check group, the answers kept as the proposal's changes."""
    job = jobs.load(job_id)
    if job is None or not jobs.mark_started(job):
        return {"skipped": True}
    scope = jobs.actor_scope(job)
    fix = db.session.scalar(select(AiFix).where(AiFix.job_id == job_id))
    content = db.session.get(Content, job.object_ids[0])
    if fix is None or content is None or content.deleted_at is not None:
        jobs.finish(job, error="The content was deleted before the fix was made.")
        db.session.commit()
        return {"error": job.error}
    if fingerprint(content) != fix.base_fingerprint:
        return _end(job, fix, error="The content changed before the fix could be made; ask again.")
    provider = get_provider(current_app.config)
    caller = PaidCaller(
        scope, provider, content_id=content.id, job_id=job.id, allowed=allowed_links(scope, content.site)
    )
    piece = Piece(
        content_input(content, content.site),
        site_levels(content.site),
        caller,
        link_targets(scope, content),
        only=frozenset(fix.checks),
    )
    try:
        run_round([piece], int(current_app.config.get("AI_CONCURRENCY", 5)))
    finally:
        provider.close()
    result, fixed = piece.result, piece.current
    fix.changes = [c.to_dict() for c in result.changes]
    fix.model = ", ".join(result.models)[:100]
    fix.failed_after = failing(analyze(fixed, site_levels(content.site)))
    fix.details = {
        "calls": result.calls,
        "charged": caller.charged,
        "errors": result.errors,
        "skipped": caller.short,
        "removed_links": caller.removed[:20],
    }
    if not result.changes:
        reason = "; ".join(result.errors) or caller.short or "The AI proposed no change for these checks."
        return _end(job, fix, error=reason)
    fix.status = "proposed"
    return _end(job, fix)


def _end(job: Job, fix: AiFix, error: str = "") -> dict[str, Any]:
    if error:
        fix.status, fix.error = "failed", error[:2000]
    jobs.update_result(job, **proposal(fix))
    jobs.finish(job, error=error)
    db.session.commit()
    return proposal(fix)


def abandon(job: Job, reason: str) -> None:
    """The job ended from outside (worker lost, crash, cancel): its proposal fails with the reason.
    Calls are paid one by one in the job's own transaction, so nothing is held to return."""
    fix = db.session.scalar(select(AiFix).where(AiFix.job_id == job.id))
    if fix is not None and fix.status == "pending":
        fix.status, fix.error = "failed", reason[:2000]
        jobs.update_result(job, **proposal(fix))
    jobs.release_credits(job, reason)


def get_fix(scope: Scope, content_id: Any, fix_id: Any) -> AiFix:
    content = get(scope, Content, content_id)
    key = object_id(fix_id)
    fix = None
    if key is not None:
        fix = db.session.scalar(
            select(AiFix).where(
                AiFix.id == key, AiFix.account_id == scope.account_id, AiFix.content_id == content.id
            )
        )
    if fix is None:
        raise NotFound("AI fix not found.")
    return fix


def expired(fix: AiFix) -> bool:
    return fix.expires_at is not None and as_utc(fix.expires_at) <= utcnow()


def proposal(fix: AiFix) -> dict[str, Any]:
    """What the API and the page show: the fix and its changes, each with a word-level diff."""
    changes = []
    for data in fix.changes or []:
        change = Change.from_dict(data)
        lines = html_diff(change.old, change.new) if change.field == "html" else None
        changes.append(
            {
                "id": change.id,
                "checks": list(change.checks),
                "labels": [CHECKS[k].label for k in change.checks if k in CHECKS],
                "field": change.field,
                "old": change.old,
                "new": change.new,
                "diff": [
                    {"kind": line.kind, "segments": [{"kind": s.kind, "text": s.text} for s in line.segments]}
                    for line in (lines or [])
                ]
                or [{"kind": "replace", "segments": [s.__dict__ for s in word_diff(change.old, change.new)]}],
            }
        )
    status = "expired" if fix.status == "proposed" and expired(fix) else fix.status
    return {
        "fix_id": fix.id,
        "content_id": fix.content_id,
        "status": status,
        "checks": list(fix.checks or []),
        "model": fix.model,
        "error": fix.error,
        "changes": changes,
        "accepted": list(fix.accepted or []),
        "expires_at": as_utc(fix.expires_at).isoformat() if fix.expires_at else None,
    }


def apply(scope: Scope, content_id: Any, fix_id: Any, change_ids: Any) -> Content:
    """Make the accepted changes (editor+) as one revision labelled with the checks and the model."""
    scope.require(Role.EDITOR)
    fix = get_fix(scope, content_id, fix_id)
    if fix.status != "proposed":
        raise Conflict(f"This AI fix is {fix.status}; it can no longer be applied.")
    if expired(fix):
        raise Conflict("This AI fix expired; ask for a new one.")
    if isinstance(change_ids, str | bytes) or not isinstance(change_ids, list | tuple):
        raise ValidationError.field("change_ids", "change_ids must be a list of change ids.")
    changes = {c["id"]: Change.from_dict(c) for c in fix.changes or []}
    wanted = list(dict.fromkeys(str(i) for i in change_ids))
    unknown = [i for i in wanted if i not in changes]
    if unknown:
        raise ValidationError.field("change_ids", f"Unknown change ids: {', '.join(unknown)}.")
    if not wanted:
        raise ValidationError.field("change_ids", "Select at least one change to accept.")
    content = _content(scope, content_id)
    if fingerprint(content) != fix.base_fingerprint:
        fix.status = "stale"
        db.session.commit()
        raise Conflict(
            "The content changed since this fix was proposed, so it was not applied; ask for a new fix."
        )
    chosen = [changes[i] for i in wanted]
    draft = apply_changes(content_input(content, content.site), chosen)
    checks = list(dict.fromkeys(k for c in chosen for k in c.checks))
    updated = save_fixed(scope, content, draft, revision_note(checks, [fix.model]))
    fix.status, fix.accepted, fix.applied_at = "applied", wanted, utcnow()
    audit.record(scope, "content.ai_fix_applied", updated, fix_id=fix.id, accepted=wanted, checks=checks)
    return updated


def discard(scope: Scope, content_id: Any, fix_id: Any) -> AiFix:
    scope.require(Role.EDITOR)
    fix = get_fix(scope, content_id, fix_id)
    if fix.status == "proposed":
        fix.status = "discarded"
    return fix


def latest(scope: Scope, content_id: int) -> AiFix | None:
    """The newest on-demand fix of the content, for the content page."""
    return db.session.scalar(
        select(AiFix)
        .where(AiFix.account_id == scope.account_id, AiFix.content_id == content_id, AiFix.kind == "proposal")
        .order_by(AiFix.id.desc())
        .limit(1)
    )
