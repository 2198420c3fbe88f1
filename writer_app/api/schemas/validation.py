"""Content checks and the WordPress payload: what /validate/ and /metadata/ answer."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any, Literal, Self

from pydantic import BaseModel, Field

from writer_app.api.schemas.common import Html, In, Out, Short, Text
from writer_app.models.base import as_utc
from writer_app.services.content_checks import ContentReport
from writer_app.services.metadata import PublishPreview

Score = Field(ge=0, le=100)


class ValidateBody(In):
    """Unsaved values to check instead of the stored ones (any subset); nothing is saved."""

    title: Short | None = None  # type: ignore[valid-type]
    html: Html | None = None  # type: ignore[valid-type]
    meta_title: Short | None = None  # type: ignore[valid-type]
    meta_description: Text(2000) | None = None  # type: ignore[valid-type]
    primary_keyword: Short | None = None  # type: ignore[valid-type]
    slug: Short | None = None  # type: ignore[valid-type]


class CheckOut(BaseModel):
    key: str
    group: Literal["seo", "readability"]
    label: str
    status: Literal["good", "improve", "problem"]
    message: str = Field(description="What was found and what to aim for, in a sentence.")
    value: float | int | None = Field(description="The measured value (None when it cannot be measured).")
    target: str
    anchor: str = Field(description='Where it applies: a field name, "body", or "body:pN" (N-th paragraph).')
    level: Literal["recommended", "required"] = Field(description="The site's level for this check.")


class RevisionScoreOut(BaseModel):
    number: int
    created_at: datetime
    seo_score: int = Score
    readability_score: int = Score
    word_count: int = Field(ge=0)
    problems: int = Field(ge=0, description="Checks that were not good.")


class ValidationOut(Out):
    content_id: int
    live: bool = Field(description="True when unsaved values sent in the request were checked.")
    seo_score: int = Score
    readability_score: int = Score
    word_count: int = Field(ge=0)
    failing_required: list[str] = Field(
        description="Keys of Required checks that are not good: publishing is refused while any fail, "
        "unless a reviewer overrides with a comment."
    )
    checks: list[CheckOut] = Field(description="Checks that apply and are not Off for the site.")
    duplicate_keyphrase_warnings: list[str]
    history: list[RevisionScoreOut] = Field(description="Scores stored with the latest saved revisions.")

    @classmethod
    def of(cls, report: ContentReport) -> Self:
        analysis = report.analysis
        return cls(
            content_id=report.content.id,
            live=report.live,
            seo_score=analysis.seo_score,
            readability_score=analysis.readability_score,
            word_count=analysis.word_count,
            failing_required=[c.key for c in report.failing],
            checks=[CheckOut(**asdict(c), level=report.level(c.key)) for c in analysis.checks],
            duplicate_keyphrase_warnings=report.duplicates,
            history=[
                RevisionScoreOut(
                    number=h.number,
                    created_at=as_utc(h.created_at),
                    seo_score=h.seo_score,
                    readability_score=h.readability_score,
                    word_count=h.word_count,
                    problems=h.problems,
                )
                for h in report.history
            ],
        )


class TermOut(BaseModel):
    id: int
    name: str
    slug: str
    taxonomy: Literal["category", "tag"]
    external_id: int | None = Field(description="The WordPress term id; None until synced.")


class FeaturedImageOut(BaseModel):
    id: int
    url: str
    path: str
    alt: str
    status: str
    external_id: int | None = Field(description="The WordPress media id; None until uploaded.")


class MetadataOut(Out):
    """Exactly what WordPress receives for this content; `body` is the post request body."""

    content_id: int
    site_id: int
    post_type: Literal["post", "page", "product", "taxonomy"]
    rest_base: str | None
    title: str
    slug: str
    excerpt: str
    html: str
    status: Literal["publish", "future"]
    date_gmt: str | None
    seo_plugin: Literal["yoast", "rankmath", "none"]
    seo_title: str
    meta_description: str
    focus_keyword: str
    og_title: str
    og_description: str
    categories: list[TermOut]
    tags: list[TermOut]
    featured_image: FeaturedImageOut | None
    meta: dict[str, str] = Field(description="SEO plugin meta keys sent in the post's `meta`.")
    notes: list[str]
    body: dict[str, Any]

    @classmethod
    def of(cls, preview: PublishPreview) -> Self:
        data = asdict(preview)
        return cls(**data, body=preview.post_body())
