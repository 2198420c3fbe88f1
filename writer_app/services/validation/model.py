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
# Score weight of each status: a check that needs improvement earns half its share.
STATUS_WEIGHT: dict[str, float] = {"good": 1.0, "improve": 0.5, "problem": 0.0}
ANALYSIS_FORMAT = 1


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

    @property
    def effective_seo_title(self) -> str:
        return (self.seo_title or "").strip() or (self.title or "").strip()


@dataclass(frozen=True)
class CheckSpec:
    key: str
    label: str
    group: Group
    needs_keyphrase: bool = False


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


@dataclass
class Analysis:
    checks: list[CheckResult] = field(default_factory=list)
    seo_score: int = 0
    readability_score: int = 0
    word_count: int = 0

    def check(self, key: str) -> CheckResult | None:
        return next((c for c in self.checks if c.key == key), None)

    def by_group(self, group: Group) -> list[CheckResult]:
        return [c for c in self.checks if c.group == group]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": ANALYSIS_FORMAT,
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
        )


_RESULT_FIELDS = tuple(f.name for f in fields(CheckResult))

_SPECS = [
    CheckSpec("keyphrase_length", "Keyphrase length", "seo"),
    CheckSpec("keyphrase_in_introduction", "Keyphrase in introduction", "seo", True),
    CheckSpec("keyphrase_density", "Keyphrase density", "seo", True),
    CheckSpec("keyphrase_in_seo_title", "Keyphrase in SEO title", "seo", True),
    CheckSpec("seo_title_length", "SEO title length", "seo"),
    CheckSpec("meta_description_length", "Meta description length", "seo"),
    CheckSpec("keyphrase_in_meta_description", "Keyphrase in meta description", "seo", True),
    CheckSpec("keyphrase_in_slug", "Keyphrase in slug", "seo", True),
    CheckSpec("keyphrase_in_subheadings", "Keyphrase in subheadings", "seo", True),
    CheckSpec("text_length", "Text length", "seo"),
    CheckSpec("internal_links", "Internal links", "seo"),
    CheckSpec("outbound_links", "Outbound links", "seo"),
    CheckSpec("images", "Images", "seo"),
    CheckSpec("keyphrase_in_image_alt", "Keyphrase in image alt text", "seo", True),
    CheckSpec("image_alt_attributes", "Image alt text", "seo"),
    CheckSpec("single_h1", "No H1 in the body", "seo"),
    CheckSpec("subheading_distribution", "Subheading distribution", "readability"),
    CheckSpec("paragraph_length", "Paragraph length", "readability"),
    CheckSpec("sentence_length", "Sentence length", "readability"),
    CheckSpec("passive_voice", "Passive voice", "readability"),
    CheckSpec("transition_words", "Transition words", "readability"),
    CheckSpec("consecutive_sentences", "Consecutive sentences", "readability"),
    CheckSpec("flesch_reading_ease", "Flesch reading ease", "readability"),
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
    """0-100: good counts fully, improve half, problem nothing; 0 when no check of the group applies."""
    ours = [c for c in checks if c.group == group]
    if not ours:
        return 0
    return round(100 * sum(STATUS_WEIGHT[c.status] for c in ours) / len(ours))


def make_result(
    key: str, status: Status, message: str, value: float | int | None, target: str, anchor: str
) -> CheckResult:
    spec = CHECKS[key]
    return CheckResult(key, spec.group, spec.label, status, message, value, target, anchor)
