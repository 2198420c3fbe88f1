"""Write to the checks: after a generation run, every saved draft goes through the fix rounds.

    fix_generated(job_id)      the generation job calls this once its drafts are saved, before it
                               settles: each draft not fixed yet gets up to two rounds, then the job
                               result gains per draft `failed_before` / `failed_after` and the run's
                               `first_draft_pass_rate` / `fixed_pass_rate`.

A draft "passes" when none of the site's Required checks fails. Every round's fix calls are paid per
call (services.ai_fixes.paid); the draft is saved only when the fixed version is better.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from sqlalchemy.orm import joinedload

from writer_app.integrations.ai import get_provider
from writer_app.models import AiFix, Content, Job, JobStatus, db
from writer_app.services import audit, jobs
from writer_app.services.ai_fixes.paid import PaidCaller, link_targets
from writer_app.services.ai_fixes.rounds import Piece, RoundsResult, fix_many
from writer_app.services.content import update_content
from writer_app.services.content_checks import content_input
from writer_app.services.links.policy import allowed_links
from writer_app.services.scope import Scope, get
from writer_app.services.site_checks import site_levels
from writer_app.services.validation import CHECKS, ContentInput, resolve_levels

FIELDS = {"seo_title": "meta_title", "meta_description": "meta_description", "slug": "slug", "html": "html"}


def revision_note(checks: list[str], models: list[str]) -> str:
    """How a revision saved by AI fixes is labelled: the checks and the model."""
    labels = ", ".join(CHECKS[k].label for k in checks if k in CHECKS) or "checks"
    return f"AI fix: {labels} ({', '.join(models) or 'AI'})"


def save_fixed(scope: Scope, content: Content, draft: ContentInput, note: str) -> Content:
    """The one place AI-fixed text is saved (fix rounds and Fix with AI alike), as a revision
    labelled `note` (links outside the site's inventory were unwrapped as the answers came, PaidCaller)."""
    changes = {FIELDS[name]: getattr(draft, name) for name in FIELDS}
    return update_content(scope, content.id, note=note, **changes)


def fix_drafts(scope: Scope, content_ids: list[int], job_id: str | None) -> dict[int, dict[str, Any]]:
    """Fix rounds on saved drafts (their calls of a round run together); each better version is saved
    as a revision, every draft's run is recorded. The caller commits."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    provider = get_provider(app.config)
    contents = [get(scope, Content, i, options=(joinedload(Content.site),)) for i in content_ids]
    callers = [
        PaidCaller(scope, provider, content_id=c.id, job_id=job_id, allowed=allowed_links(scope, c.site))
        for c in contents
    ]
    pieces = [
        Piece(content_input(c, c.site), site_levels(c.site), caller, link_targets(scope, c))
        for c, caller in zip(contents, callers, strict=True)
    ]
    try:
        fix_many(
            pieces,
            concurrency=int(app.config.get("AI_CONCURRENCY", 5)),
            max_rounds=int(app.config.get("AI_FIX_ROUNDS", 2)),
        )
    finally:
        provider.close()
    out = {}
    for content, piece, caller in zip(contents, pieces, callers, strict=True):
        result = piece.result
        saved = result.draft != piece.draft
        if saved:
            fixed = [k for k in result.failed_before if k not in result.failed_after]
            save_fixed(scope, content, result.draft, revision_note(fixed, result.models))
        _record(scope, content, job_id, result, caller, saved)
        out[content.id] = {
            **summary(result, saved, piece.levels),
            "fix_credits": caller.charged,
            **({"removed_links": caller.removed} if caller.removed else {}),
        }
    return out


def _record(
    scope: Scope, content: Content, job_id: str | None, result: RoundsResult, caller: PaidCaller, saved: bool
) -> None:
    details = {
        "rounds": result.rounds,
        "calls": result.calls,
        "seconds": result.seconds,
        "errors": result.errors[:20],
        "charged": caller.charged,
        "skipped": caller.short,
        "removed_links": caller.removed[:20],
    }
    db.session.add(
        AiFix(
            account_id=content.account_id,
            content_id=content.id,
            user_id=scope.user_id,
            job_id=job_id,
            kind="rounds",
            status="applied" if saved else "unchanged",
            checks=sorted({k for c in result.changes for k in c.checks}),
            changes=[c.to_dict() for c in result.changes],
            accepted=result.kept,
            failed_before=result.failed_before,
            failed_after=result.failed_after,
            details=details,
            model=", ".join(result.models)[:100],
        )
    )
    audit.record(
        scope,
        "content.ai_fix_rounds",
        content,
        failed_before=result.failed_before,
        failed_after=result.failed_after,
        saved=saved,
        **details,
    )


def summary(result: RoundsResult, saved: bool, levels: dict[str, Any]) -> dict[str, Any]:
    resolved = resolve_levels(levels)
    return {
        "failed_before": result.failed_before,
        "failed_after": result.failed_after,
        "passed_before": not any(resolved.get(k) == "required" for k in result.failed_before),
        "passed_after": not any(resolved.get(k) == "required" for k in result.failed_after),
        "fix_rounds": result.rounds,
        "fix_calls": result.calls,
        "fix_seconds": result.seconds,
        "fixed": saved,
    }


def pass_rates(items: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The first-draft pass rate (and after fixing) over the drafts of a job's items."""
    drafts = [v["checks"] for v in items.values() if "failed_before" in (v.get("checks") or {})]
    if not drafts:
        return {}
    count = len(drafts)
    return {
        "first_draft_pass_rate": round(sum(d["passed_before"] for d in drafts) / count, 3),
        "fixed_pass_rate": round(sum(d["passed_after"] for d in drafts) / count, 3),
        "fix_seconds": max(d["fix_seconds"] for d in drafts),  # a job's drafts are fixed together
        "fix_calls": sum(d["fix_calls"] for d in drafts),
        "fix_credits": sum(d.get("fix_credits", 0) for d in drafts),
        "drafts_checked": count,
    }


def fix_generated(job_id: str) -> dict[str, Any]:
    """Fix rounds for each draft the generation job saved and has not fixed yet (safe to call again
    on a retried attempt); returns the pass rates, also merged into the job result."""
    job = jobs.load(job_id)
    if job is None or int(current_app.config.get("AI_FIX_ROUNDS", 2)) <= 0:
        return {}
    scope = jobs.actor_scope(job)
    items = dict((job.result or {}).get("items") or {})
    todo = {
        int(item["content_id"]): key
        for key, item in items.items()
        if item.get("status") == "completed" and item.get("content_id") and "checks" not in item
    }
    if todo:
        try:
            checks = fix_drafts(scope, list(todo), job_id)
        except Exception:  # a bug must not cost the saved drafts: they stay as written
            db.session.rollback()
            current_app.logger.exception("fix rounds of job %s failed", job_id)
            checks = {
                cid: {"error": "The fix rounds failed; the drafts were kept as written."} for cid in todo
            }
        locked = db.session.get(Job, job_id, populate_existing=True, with_for_update=True)
        if locked is None or JobStatus(locked.status).done:  # canceled meanwhile: keep nothing
            db.session.rollback()
            return {}
        items = dict((locked.result or {}).get("items") or {})
        for content_id, key in todo.items():
            items[key] = {**items.get(key, {}), "checks": checks[content_id]}
        jobs.update_result(locked, items=items)
        db.session.commit()
    rates = pass_rates(items)
    job = jobs.load(job_id)
    if job is not None and rates:
        jobs.update_result(job, **rates)
        db.session.commit()
    return rates


def pass_rate_since(since: Any) -> dict[str, Any]:
    """First-draft pass rate, pass rate after fixing and fix-round time over the generation jobs
    created since `since` (for `make bench`): drafts counted one by one across jobs."""
    from sqlalchemy import select

    rows = db.session.scalars(select(Job).where(Job.kind == "generate_content", Job.created_at >= since))
    items: dict[str, dict[str, Any]] = {}
    seconds = 0.0
    for job in rows:
        seconds += float((job.result or {}).get("fix_seconds") or 0)
        for key, item in ((job.result or {}).get("items") or {}).items():
            items[f"{job.id}:{key}"] = item
    drafts = sum("failed_before" in (v.get("checks") or {}) for v in items.values())
    return {**pass_rates(items), "fix_seconds": round(seconds, 3), "drafts": drafts}
