"""Data shapes of the content analysis: inputs, check results, the registry of checks and gate levels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

Status = Literal["good", "improve", "problem"]
Group = Literal["seo", "readability"]
Level = Literal["off", "recommended", "required"]
ContentType = Literal["post", "page", "product", "taxonomy"]

STATUSES: tuple[Status, ...] = ("good", "improve", "problem")
LEVELS: tuple[Level, ...] = ("off", "recommended", "required")

# Format 2: Yoast's rules and points (`CheckResult.score`); format 1 analyses (Writer's own rules) are
# re-scored when read through `is_current`.
ANALYSIS_FORMAT = 2
# Yoast's points per status where a check has no finer scale (its own results may go lower, e.g. -50).
STATUS_POINTS: dict[str, int] = {"good": 9, "improve": 6, "problem": 3}


@dataclass(frozen=True)
class ContentInput:
    """Everything the analysis reads; plain values so views, jobs and tests can build it alike."""

    html: str
    title: str = ""
    seo_title: str = ""  # meta title; empty means WordPress will use the title
    meta_description: str = ""
    slug: str = ""
    keyphrase: str = ""
    content_type: ContentType = "post"
    cornerstone: bool = False
    site_domain: str = ""  # e.g. "example.com"; relative links are always internal
    avoid_words: tuple[str, ...] = ()  # the site's style guide: words to avoid
    dead_links: tuple[str, ...] | None = None  # from the last link check of this text; None: not checked

    @property
    def effective_seo_title(self) -> str:
        return (self.seo_title or "").strip() or (self.title or "").strip()


@dataclass(frozen=True)
class CheckSpec:
    key: str
    label: str
    group: Group
    needs_keyphrase: bool = False
    yoast: str = ""  # the yoastseo assessment this check reproduces; "" for Writer's own checks


@dataclass(frozen=True)
class CheckResult:
    key: str
    group: Group
    label: str
    status: Status
    message: str
    value: float | int | None
    target: str
    anchor: str  # "title", "meta_title", "meta_description", "slug", "primary_keyword", "body", "body:pN"
    score: int = 0  # Yoast's points for this result (9 best; bad results 3 or less, some negative)


@dataclass
class Analysis:
    checks: list[CheckResult] = field(default_factory=list)
    seo_score: int = 0
    readability_score: int = 0
    word_count: int = 0
    format: int = ANALYSIS_FORMAT

    @property
    def is_current(self) -> bool:
        """False for analyses stored under older rules; callers re-analyse those instead of showing them."""
        return self.format == ANALYSIS_FORMAT

    def check(self, key: str) -> CheckResult | None:
        return next((c for c in self.checks if c.key == key), None)

    def by_group(self, group: Group) -> list[CheckResult]:
        return [c for c in self.checks if c.group == group]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "seo_score": self.seo_score,
            "readability_score": self.readability_score,
            "word_count": self.word_count,
            "checks": [asdict(c) for c in self.checks],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Analysis:
        return cls(
            # Keys a later format may add are ignored, so old rows and new code keep working.
            checks=[
                CheckResult(**{k: c[k] for k in _RESULT_FIELDS if k in c}) for c in data.get("checks", [])
            ],
            seo_score=int(data.get("seo_score", 0)),
            readability_score=int(data.get("readability_score", 0)),
            word_count=int(data.get("word_count", 0)),
            format=int(data.get("format", 1)),
        )


_RESULT_FIELDS = tuple(f.name for f in fields(CheckResult))

_SPECS = [
    CheckSpec("keyphrase_length", "Keyphrase length", "seo", yoast="keyphraseLength"),
    CheckSpec(
        "keyphrase_function_words", "Function words in keyphrase", "seo", True, "functionWordsInKeyphrase"
    ),
    CheckSpec("keyphrase_in_introduction", "Keyphrase in introduction", "seo", True, "introductionKeyword"),
    CheckSpec("keyphrase_density", "Keyphrase density", "seo", True, "keyphraseDensity"),
    CheckSpec("keyphrase_in_seo_title", "Keyphrase in SEO title", "seo", True, "keyphraseInSEOTitle"),
    CheckSpec("seo_title_length", "SEO title length", "seo", yoast="titleWidth"),
    CheckSpec("meta_description_length", "Meta description length", "seo", yoast="metaDescriptionLength"),
    CheckSpec(
        "keyphrase_in_meta_description",
        "Keyphrase in meta description",
        "seo",
        True,
        "metaDescriptionKeyword",
    ),
    CheckSpec("keyphrase_in_slug", "Keyphrase in slug", "seo", True, "slugKeyword"),
    CheckSpec("keyphrase_in_subheadings", "Keyphrase in subheadings", "seo", True, "subheadingsKeyword"),
    CheckSpec("competing_links", "Competing links", "seo", True, "textCompetingLinks"),
    CheckSpec("text_length", "Text length", "seo", yoast="textLength"),
    CheckSpec("internal_links", "Internal links", "seo", yoast="internalLinks"),
    CheckSpec("outbound_links", "Outbound links", "seo", yoast="externalLinks"),
    CheckSpec("images", "Images", "seo", yoast="images"),
    CheckSpec("keyphrase_in_image_alt", "Keyphrase in image alt text", "seo", True, "imageKeyphrase"),
    CheckSpec("image_alt_attributes", "Image alt text", "seo"),
    CheckSpec("single_h1", "Single title (H1)", "seo", yoast="singleH1"),
    CheckSpec(
        "subheading_distribution", "Subheading distribution", "readability", yoast="subheadingsTooLong"
    ),
    CheckSpec("paragraph_length", "Paragraph length", "readability", yoast="textParagraphTooLong"),
    CheckSpec("sentence_length", "Sentence length", "readability", yoast="textSentenceLength"),
    CheckSpec("passive_voice", "Passive voice", "readability", yoast="passiveVoice"),
    CheckSpec("transition_words", "Transition words", "readability", yoast="textTransitionWords"),
    CheckSpec("consecutive_sentences", "Consecutive sentences", "readability", yoast="sentenceBeginnings"),
    CheckSpec("text_presence", "Not enough content", "readability", yoast="textPresence"),
    CheckSpec("flesch_reading_ease", "Flesch reading ease", "readability"),
    CheckSpec("dead_links", "Dead links", "seo"),
    CheckSpec("words_to_avoid", "Words to avoid", "readability"),
]
CHECKS: dict[str, CheckSpec] = {s.key: s for s in _SPECS}

_REQUIRED_BY_DEFAULT = {
    "keyphrase_length",
    "seo_title_length",
    "meta_description_length",
    "image_alt_attributes",
}
DEFAULT_LEVELS: dict[str, Level] = {
    key: ("required" if key in _REQUIRED_BY_DEFAULT else "recommended") for key in CHECKS
}


def resolve_levels(overrides: Mapping[str, str] | None = None) -> dict[str, Level]:
    """Site overrides on top of the defaults; unknown keys and invalid levels are ignored."""
    levels = dict(DEFAULT_LEVELS)
    for key, level in (overrides or {}).items():
        if key in CHECKS and level in LEVELS:
            levels[key] = level  # type: ignore[assignment]
    return levels


def failing_required(analysis: Analysis, levels: Mapping[str, str] | None = None) -> list[CheckResult]:
    """Checks that block publishing: level "required" and status anything but "good".

    "improve" blocks too: Required means the site's standard must be met, not merely approached.
    Checks that did not apply to this content (absent from the analysis) never block.
    """
    resolved = resolve_levels(levels)
    return [c for c in analysis.checks if resolved.get(c.key) == "required" and c.status != "good"]


def group_score(checks: list[CheckResult], group: Group) -> int:
    """0-100 as yoastseo computes it, from the checks that reproduce a Yoast assessment.

    SEO: the points of those checks over 9 points each, x 100. Readability: penalty points (3 for a
    red result, 2 for an orange one) give 90 (up to 4), 60 (5-6) or 30 (7 or more, or when only one
    check applies). Writer's own checks (image alt text, Flesch) are shown but count in neither.
    """
    ours = [c for c in checks if c.group == group and CHECKS[c.key].yoast]
    if group == "seo":
        if not ours:
            return 0
        return max(0, min(100, round(100 * sum(c.score for c in ours) / (9 * len(ours)))))
    if len(ours) <= 1:
        return 30
    penalty = sum(3 if c.score <= 4 else 2 if c.score <= 7 else 0 for c in ours)
    return 30 if penalty > 6 else 60 if penalty > 4 else 90


def make_result(
    key: str,
    status: Status,
    message: str,
    value: float | int | None,
    target: str,
    anchor: str,
    score: int | None = None,
) -> CheckResult:
    spec = CHECKS[key]
    points = STATUS_POINTS[status] if score is None else score
    return CheckResult(key, spec.group, spec.label, status, message, value, target, anchor, points)


def status_of(score: int) -> Status:
    """Yoast's traffic light for a score: above 7 green, 5-7 orange, 4 or less (or negative) red."""
    return "good" if score > 7 else "improve" if score > 4 else "problem"
