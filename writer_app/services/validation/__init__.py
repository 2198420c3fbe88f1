"""Content analysis: SEO and readability checks with scores, and the per-site gate levels.

analysis = analyze(ContentInput(html=..., keyphrase="...", meta_description="..."), levels)
blocking = failing_required(analysis, levels)
"""

from __future__ import annotations

from collections.abc import Mapping

from .context import Context
from .model import (
    CHECKS,
    DEFAULT_LEVELS,
    Analysis,
    CheckResult,
    CheckSpec,
    ContentInput,
    ContentType,
    Group,
    Level,
    Status,
    failing_required,
    group_score,
    resolve_levels,
)
from .readability import READABILITY_CHECKS
from .seo import SEO_CHECKS

__all__ = [
    "CHECKS",
    "DEFAULT_LEVELS",
    "Analysis",
    "CheckResult",
    "CheckSpec",
    "ContentInput",
    "ContentType",
    "Group",
    "Level",
    "Status",
    "analyze",
    "failing_required",
    "resolve_levels",
]


def analyze(content: ContentInput, levels: Mapping[str, str] | None = None) -> Analysis:
    """Run every check that applies and is not Off; scores count only those checks.

    Checks that do not apply (no images, no subheadings, too little text) are left out rather than
    reported, so they neither lower the score nor block publishing.
    """
    resolved = resolve_levels(levels)
    ctx = Context(content)
    checks: list[CheckResult] = []
    for check in (*SEO_CHECKS, *READABILITY_CHECKS):
        if resolved.get(check.__name__) == "off":
            continue
        result = check(ctx)
        if result is not None:
            checks.append(result)
    return Analysis(
        checks=checks,
        seo_score=group_score(checks, "seo"),
        readability_score=group_score(checks, "readability"),
        word_count=ctx.word_count,
    )
