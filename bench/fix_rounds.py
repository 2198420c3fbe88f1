"""Write to the checks in the generation bench: first-draft pass rate and the time fix rounds took."""

from __future__ import annotations

from typing import Any


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
        f"{100 * rates['first_draft_pass_rate']:.0f}% → {100 * rates['fixed_pass_rate']:.0f}% after fix rounds; "
        f"fix rounds took {rates['fix_seconds']:.1f} s of job time in all (the drafts of a job are fixed together).",
    ]
