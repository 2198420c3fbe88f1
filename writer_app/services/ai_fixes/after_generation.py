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
from writer_app.services.ai_fixes.rounds import RoundsResult, fix_rounds
from writer_app.services.content import update_content
from writer_app.services.content_checks import content_input
from writer_app.services.scope import Scope, get
from writer_app.services.site_checks import site_levels
from writer_app.services.validation import CHECKS, resolve_levels

FIELDS = {"seo_title": "meta_title", "meta_description": "meta_description", "slug": "slug", "html": "html"}


def revision_note(checks: list[str], models: list[str]) -> str:
    """How a revision saved by AI fixes is labelled: the checks and the model."""
    labels = ", ".join(CHECKS[k].label for k in checks if k in CHECKS) or "checks"
    return f"AI fix: {labels} ({', '.join(models) or 'AI'})"


def fix_draft(scope: Scope, content_id: int, job_id: str | None) -> dict[str, Any]:
    """Fix rounds on one saved draft; saves the better version as a revision and records the run."""
    content = get(scope, Content, content_id, options=(joinedload(Content.site),))
    levels = site_levels(content.site)
    draft = content_input(content, content.site)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    provider = get_provider(app.config)
    caller = PaidCaller(scope, provider, content_id=content.id, job_id=job_id)
    try:
        result = fix_rounds(
            draft,
            levels,
            caller,
            link_targets(scope, content),
            concurrency=int(app.config.get("AI_CONCURRENCY", 5)),
            max_rounds=int(app.config.get("AI_FIX_ROUNDS", 2)),
        )
    finally:
        provider.close()
    saved = result.draft != draft
    if saved:
        fixed = [k for k in result.failed_before if k not in result.failed_after]
        changes = {FIELDS[name]: getattr(result.draft, name) for name in FIELDS}
        update_content(scope, content.id, note=revision_note(fixed, result.models), **changes)
    _record(scope, content, job_id, result, caller, saved)
    db.session.commit()
    return summary(result, saved, levels)


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
    drafts = [v["checks"] for v in items.values() if isinstance(v.get("checks"), dict)]
    if not drafts:
        return {}
    count = len(drafts)
    return {
        "first_draft_pass_rate": round(sum(d["passed_before"] for d in drafts) / count, 3),
        "fixed_pass_rate": round(sum(d["passed_after"] for d in drafts) / count, 3),
        "fix_seconds": round(sum(d["fix_seconds"] for d in drafts), 3),
    }


def fix_generated(job_id: str) -> dict[str, Any]:
    """Fix rounds for each draft the generation job saved and has not fixed yet (safe to call again
    on a retried attempt); returns the pass rates, also merged into the job result."""
    job = jobs.load(job_id)
    if job is None or int(current_app.config.get("AI_FIX_ROUNDS", 2)) <= 0:
        return {}
    scope = jobs.actor_scope(job)
    items = dict((job.result or {}).get("items") or {})
    for key, item in items.items():
        if item.get("status") != "completed" or not item.get("content_id") or "checks" in item:
            continue
        checks = fix_draft(scope, int(item["content_id"]), job_id)
        locked = db.session.get(Job, job_id, populate_existing=True, with_for_update=True)
        if locked is None or JobStatus(locked.status).done:  # canceled meanwhile: stop fixing
            db.session.rollback()
            return {}
        current = dict((locked.result or {}).get("items") or {})
        current[key] = {**current.get(key, item), "checks": checks}
        jobs.update_result(locked, items=current)
        db.session.commit()
        items = current
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
    for job in rows:
        for key, item in ((job.result or {}).get("items") or {}).items():
            items[f"{job.id}:{key}"] = item
    rates = pass_rates(items)
    return {**rates, "drafts": sum(isinstance(v.get("checks"), dict) for v in items.values())}
