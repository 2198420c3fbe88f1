"""Content analysis: SEO and readability checks with scores, and the per-site gate levels.

    levels = resolve_levels(site_overrides)            # DEFAULT_LEVELS + the site's choices
    analysis = analyze(ContentInput(html=..., keyphrase=..., meta_description=...), levels)
    blocking = failing_required(analysis, levels)      # publish is refused while this is not empty
    stored = analysis.to_dict(); Analysis.from_dict(stored) == analysis

Rules worth knowing:
- The checks reproduce yoastseo 3.6.0's English analysis for posts, pages and cornerstone content
  (tests/oracle measures the agreement); each result carries Yoast's points in `score`.
- Like Yoast, most checks always apply; a few appear only when they have something to say
  (function words in the keyphrase, far too little text, image alt text without images).
- Without a keyphrase, keyphrase_length and every keyphrase check are "problem" (value None).
- Scores as Yoast computes them (model.group_score); Writer's own checks (image alt text, Flesch,
  dead links, words to avoid) count in neither score.
- A Required check blocks when its status is "improve" or "problem".
"""

from __future__ import annotations

from collections.abc import Mapping

from .context import Context
from .language import _passive_lists
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
from .readability import READABILITY_CHECKS, _cmu_exceptions, _hyphenator
from .seo import SEO_CHECKS
from .writer_checks import WRITER_CHECKS

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
    "warm_up",
]


def warm_up() -> None:
    """Load the syllable and passive-voice tables now (about 0.1 s) instead of on the first analysis."""
    _cmu_exceptions()
    _hyphenator()
    _passive_lists()


def analyze(content: ContentInput, levels: Mapping[str, str] | None = None) -> Analysis:
    """Run every check that applies and is not Off; scores count only those checks.

    Checks that do not apply (no images, no subheadings, too little text) are left out rather than
    reported, so they neither lower the score nor block publishing.
    """
    resolved = resolve_levels(levels)
    ctx = Context(content)
    checks: list[CheckResult] = []
    for check in (*SEO_CHECKS, *READABILITY_CHECKS, *WRITER_CHECKS):
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
