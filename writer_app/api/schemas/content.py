"""Content: the article itself (`html`), its SEO fields, publishing fields (read-only) and image stats."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Self

from pydantic import ConfigDict, Field

from writer_app.api.schemas.common import (
    Html,
    Id,
    In,
    Name,
    Out,
    PageQuery,
    Short,
    Text,
    aliased,
    orderings,
    partial,
)
from writer_app.api.schemas.images import ImageOut
from writer_app.api.schemas.taxonomies import TermRef
from writer_app.models import (
    Content,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentType,
    ImageStatus,
    SyncStatus,
    TaxonomyType,
)
from writer_app.models.base import as_utc

ContentOrdering = orderings("title", "created_at", "updated_at", "status")
Keywords = Text(10_000) | Annotated[list[Short], Field(max_length=100)]


class ContentQuery(PageQuery):
    search: Short = Field("", description="Matches the title.")
    status: ContentStatus | None = None
    cluster_id: Id | None = aliased(None, "cluster_id", "cluster")
    content_type: ContentType | None = None
    content_structure: ContentStructure | None = aliased(None, "content_structure", "structure")
    source: ContentSource | None = None
    site_id: Id | None = None
    sector_id: Id | None = None
    ordering: ContentOrdering = "-updated_at"  # type: ignore[valid-type]


def _system_field(what: str, only: str | None = None) -> Any:
    """`status` and `source` are set by Writer, not by edits: accepted only with the value they have
    (the service checks; `only` documents the one value new content accepts)."""

    def schema(s: dict[str, Any]) -> None:
        s.pop("default", None)
        if only is not None:
            s["anyOf"] = [{"type": "string", "enum": [only]}, {"type": "null"}]

    return Field(None, description=what, json_schema_extra=schema)


STATUS_RULE = (
    "Read-only: status (draft → review → approved → published) changes only through review actions "
    "(submit/, approve/, request_changes/, publish/, unpublish/)."
)
SOURCE_RULE = "Read-only: only the WordPress import creates content from WordPress."
ROUND_TRIP = "It may be sent back unchanged (a read-modify-write); any other value is a 400 naming the field."


class _Editable(In):
    title: Name
    cluster_id: Id = Field(description="A cluster of the content's sector.")
    content_type: ContentType
    content_structure: ContentStructure
    html: Html = Field("", description="Sanitized on save; word_count is computed from it.")
    meta_title: Short = ""
    meta_description: Text(2000) = ""  # type: ignore[valid-type]
    primary_keyword: Short = ""
    secondary_keywords: Keywords = Field(
        default_factory=list, description="A list, or a comma-separated string."
    )
    slug: Short = Field("", description="Derived from the title when empty.")


class ContentCreate(_Editable):
    """New content: title, cluster, type and structure are required, and an explicit site and sector."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "Solar batteries: a buyer's guide",
                    "cluster_id": 1,
                    "content_type": "post",
                    "content_structure": "guide",
                    "site_id": 1,
                    "sector_id": 1,
                    "html": "<p>Batteries store what your panels make.</p>",
                    "primary_keyword": "solar battery",
                }
            ]
        }
    )

    site_id: Id
    sector_id: Id
    task_id: Id | None = None
    status: ContentStatus | None = _system_field(
        STATUS_RULE + " New content is a draft; any other value is a 400 naming `status`.", "draft"
    )
    source: ContentSource | None = _system_field(
        SOURCE_RULE + " Content made here is igny8; any other value is a 400 naming `source`.", "igny8"
    )


class ContentUpdate(_Editable):
    """Full update (PUT): the required fields must be sent; optional ones left out stay as they are.
    Send `version` (from your last read) to refuse the save when someone changed it meanwhile (409)."""

    unknown_hints: ClassVar[dict[str, str]] = dict.fromkeys(
        ("taxonomy_terms", "categories", "tags"),
        "Add and remove terms with POST /api/v1/writer/content/{id}/taxonomy_terms/ (add, remove).",
    )

    version: Id | None = Field(None, json_schema_extra=lambda s: s.pop("default", None))
    status: ContentStatus | None = _system_field(f"{STATUS_RULE} {ROUND_TRIP}")
    source: ContentSource | None = _system_field(f"{SOURCE_RULE} {ROUND_TRIP}")


ContentPatch = partial(ContentUpdate, "ContentPatch", "Partial update (PATCH): only the fields sent change.")


class TermChanges(In):
    """Terms (ids of this site's categories/tags) to add to and remove from the content."""

    add: Annotated[list[Id], Field(max_length=100)] = Field(default_factory=list)
    remove: Annotated[list[Id], Field(max_length=100)] = Field(default_factory=list)


class ImageCounts(Out):
    pending: int
    generated: int
    failed: int


class ContentSummary(Out):
    """A content list item: the content without its article (`html`) and WordPress metadata
    (`external_metadata`); read one content (GET /api/v1/writer/content/{id}/) for those."""

    id: int
    title: str
    word_count: int
    meta_title: str
    meta_description: str
    primary_keyword: str
    secondary_keywords: list[str]
    slug: str
    cluster_id: int
    cluster_name: str
    task_id: int | None
    content_type: ContentType
    content_structure: ContentStructure
    source: ContentSource
    status: ContentStatus
    external_id: str | None
    external_url: str
    external_type: str
    sync_status: SyncStatus
    scheduled_at: datetime | None
    published_at: datetime | None
    site_id: int
    sector_id: int
    sector_name: str
    taxonomy_terms: list[TermRef]
    categories: list[str] = Field(description="Names of the category terms.")
    tags: list[str] = Field(description="Names of the tag terms.")
    has_featured_image: bool
    image_count: int
    image_status_counts: ImageCounts
    has_unpublished_changes: bool = Field(
        description="Approved or published content edited since: WordPress (or the approval) still has "
        "revision `published_revision`; a reviewer approves the changes (approve/, or republish/)."
    )
    published_revision: int | None = Field(
        description="The revision that was approved, and that WordPress shows once published."
    )
    last_edited_by_id: int | None = Field(description="Who changed the text last (approving is not an edit).")
    last_edited_by_name: str | None
    last_edited_at: datetime | None
    submitted_by_id: int | None = Field(description="Who submitted it for review last.")
    submitted_by_name: str | None
    submitted_at: datetime | None
    approved_by_id: int | None = Field(description="Who approved it last.")
    approved_by_name: str | None
    approved_at: datetime | None
    version: int = Field(
        description="Send it back on PUT/PATCH and review actions to detect concurrent changes."
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, pair: Any) -> Self:
        row, stats = pair  # (a services.content_summaries row, services.content.ImageStats)
        terms = [{"id": i, "name": n, "slug": s, "taxonomy_type": t} for i, n, s, t in row["terms"]]
        return cls(
            **{key: row[key] for key in SUMMARY_KEYS},
            meta_title=row["meta_title"] or "",
            meta_description=row["meta_description"] or "",
            primary_keyword=row["primary_keyword"] or "",
            secondary_keywords=[str(k) for k in row["secondary_keywords"] or []],
            slug=row["slug"] or "",
            external_url=row["external_url"] or "",
            external_type=row["external_type"] or "",
            scheduled_at=as_utc(row["scheduled_at"]),
            published_at=as_utc(row["published_at"]),
            last_edited_at=as_utc(row["last_edited_at"]),
            submitted_at=as_utc(row["submitted_at"]),
            approved_at=as_utc(row["approved_at"]),
            created_at=as_utc(row["created_at"]),
            updated_at=as_utc(row["updated_at"]),
            has_unpublished_changes=bool(row["has_unpublished_changes"]),
            taxonomy_terms=terms,
            categories=[t["name"] for t in terms if t["taxonomy_type"] == TaxonomyType.CATEGORY],
            tags=[t["name"] for t in terms if t["taxonomy_type"] == TaxonomyType.TAG],
            has_featured_image=stats.has_featured_image,
            image_count=stats.total,
            image_status_counts=stats.by_status,
        )


# Summary fields taken as the row has them (pydantic checks their types and enum values).
SUMMARY_KEYS = (
    "id",
    "title",
    "word_count",
    "cluster_id",
    "cluster_name",
    "task_id",
    "content_type",
    "content_structure",
    "source",
    "status",
    "external_id",
    "sync_status",
    "site_id",
    "sector_id",
    "sector_name",
    "published_revision",
    "last_edited_by_id",
    "last_edited_by_name",
    "submitted_by_id",
    "submitted_by_name",
    "approved_by_id",
    "approved_by_name",
    "version",
)


class ContentOut(ContentSummary):
    """One content, with its article and WordPress metadata."""

    html: str
    external_metadata: dict[str, Any]

    @classmethod
    def of(cls, pair: Any) -> Self:
        content, stats = pair  # (Content, services.content.ImageStats)
        content: Content
        terms = list(content.taxonomy_terms)
        by_status = {s.value: stats.by_status.get(s.value, 0) for s in ImageStatus}
        return cls(
            id=content.id,
            title=content.title,
            html=content.html or "",
            word_count=content.word_count,
            meta_title=content.meta_title or "",
            meta_description=content.meta_description or "",
            primary_keyword=content.primary_keyword or "",
            secondary_keywords=[str(k) for k in content.secondary_keywords or []],
            slug=content.slug or "",
            cluster_id=content.cluster_id,
            cluster_name=content.cluster.name,
            task_id=content.task_id,
            content_type=ContentType(content.content_type),
            content_structure=ContentStructure(content.content_structure),
            source=ContentSource(content.source),
            status=ContentStatus(content.status),
            external_id=content.external_id,
            external_url=content.external_url or "",
            external_type=content.external_type or "",
            external_metadata=content.external_metadata or {},
            sync_status=SyncStatus(content.sync_status),
            scheduled_at=as_utc(content.scheduled_at),
            published_at=as_utc(content.published_at),
            site_id=content.site_id,
            sector_id=content.sector_id,
            sector_name=content.sector.name,
            taxonomy_terms=[TermRef.of(t) for t in terms],
            categories=[t.name for t in terms if t.taxonomy_type == TaxonomyType.CATEGORY],
            tags=[t.name for t in terms if t.taxonomy_type == TaxonomyType.TAG],
            has_featured_image=stats.has_featured_image,
            image_count=stats.total,
            image_status_counts=ImageCounts(**by_status),
            has_unpublished_changes=bool(content.has_unpublished_changes),
            published_revision=content.published_revision,
            last_edited_by_id=content.last_edited_by_id,
            last_edited_by_name=_name(content.last_edited_by),
            last_edited_at=as_utc(content.last_edited_at),
            submitted_by_id=content.submitted_by_id,
            submitted_by_name=_name(content.submitted_by),
            submitted_at=as_utc(content.submitted_at),
            approved_by_id=content.approved_by_id,
            approved_by_name=_name(content.approved_by),
            approved_at=as_utc(content.approved_at),
            version=content.version,
            created_at=as_utc(content.created_at),
            updated_at=as_utc(content.updated_at),
        )


def _name(user: Any) -> str | None:
    return user.display_name if user is not None else None


class ContentImagesOut(Out):
    """One content's images: the newest featured image, in-article images by position, the rest."""

    content_id: int
    content_title: str
    featured_image: ImageOut | None
    in_article_images: list[ImageOut]
    other_images: list[ImageOut]
