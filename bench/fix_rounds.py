"""Write to the checks in the generation bench: the AI latency fix rounds add to the ideal, the
first-draft pass rate and the time the fix rounds took."""

from __future__ import annotations

import math
from typing import Any


def ideal_extra(app: Any, since: Any, workers: int, concurrency: int, latency: float) -> float:
    """Seconds of AI latency the fix rounds of the jobs since `since` add to the ideal wall time: per
    job, a batch of `concurrency` calls at a time and at least one per round; jobs share the workers,
    so the longest job's rounds are the least it takes."""
    from sqlalchemy import select

    from writer_app.models import Job, db

    with app.app_context():
        jobs = db.session.scalars(select(Job).where(Job.kind == "generate_content", Job.created_at >= since))
        batches = []
        for job in jobs:
            items = ((job.result or {}).get("items") or {}).values()
            rounds = max((int((i.get("checks") or {}).get("fix_rounds") or 0) for i in items), default=0)
            calls = int((job.result or {}).get("fix_calls") or 0)
            batches.append(max(rounds, math.ceil(calls / max(1, concurrency))))
    # A job's rounds run in that job alone: the workers share jobs, not one job's rounds.
    return latency * max(max(batches, default=0), math.ceil(sum(batches) / max(1, workers)))


def lines(app: Any, since: Any) -> list[str]:
    """Markdown lines for the generation section, over the jobs created since `since`."""
    from writer_app.services.ai_fixes.after_generation import pass_rate_since

    with app.app_context():
        rates = pass_rate_since(since)
    if not rates.get("drafts"):
        return ["", "Fix rounds: no draft was checked (AI_FIX_ROUNDS=0?)."]
    return [
        "",
        f"Write to the checks ({rates['drafts']} drafts): first-draft pass rate "
        f"{100 * rates['first_draft_pass_rate']:.0f}% → {100 * rates['fixed_pass_rate']:.0f}% after fix "
        f"rounds ({rates['fix_calls']} fix calls); fix rounds took {rates['fix_seconds']:.1f} s of job time "
        "in all (the drafts of a job are fixed together; the ideal above includes their AI latency).",
    ]
