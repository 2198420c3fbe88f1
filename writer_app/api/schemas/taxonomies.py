"""Taxonomy terms: a site's categories and tags (with their WordPress sync fields, read-only)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import ConfigDict, Field

from writer_app.api.schemas.common import (
    Id,
    In,
    Long,
    Name,
    Out,
    PageQuery,
    Short,
    Text,
    orderings,
    partial,
)
from writer_app.models import ContentTaxonomy, SyncStatus, TaxonomyType
from writer_app.models.base import as_utc
from writer_app.services.taxonomies import MAX_SLUG

TaxonomyOrdering = orderings("name", "slug", "taxonomy_type", "created_at")


class TaxonomyQuery(PageQuery):
    taxonomy_type: TaxonomyType | None = None
    site_id: Id | None = None
    search: Short = Field("", description="Matches the name or the slug.")
    ordering: TaxonomyOrdering = "name"  # type: ignore[valid-type]


class TaxonomyCreate(In):
    """A new category or tag of a site; sector_id is optional (a sector of that site)."""

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"site_id": 1, "name": "Buying guides", "taxonomy_type": "category"}]}
    )

    site_id: Id
    name: Name
    taxonomy_type: TaxonomyType
    slug: Text(MAX_SLUG) = Field("", description="Derived from the name when empty.")  # type: ignore[valid-type]
    sector_id: Id | None = None
    description: Long = ""


class TaxonomyUpdate(In):
    """Full update (PUT): name and taxonomy_type are required; the site never changes."""

    name: Name
    taxonomy_type: TaxonomyType
    slug: Text(MAX_SLUG) = ""  # type: ignore[valid-type]
    sector_id: Id | None = None
    description: Long = ""


TaxonomyPatch = partial(
    TaxonomyUpdate, "TaxonomyPatch", "Partial update (PATCH): only the fields sent change."
)


class TaxonomyOut(Out):
    id: int
    name: str
    slug: str
    taxonomy_type: TaxonomyType
    description: str
    site_id: int
    site_name: str
    sector_id: int | None
    external_taxonomy: str | None
    external_id: int | None
    sync_status: SyncStatus
    count: int = Field(description="Posts using the term on WordPress (from the last sync).")
    metadata: dict[str, Any]
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, term: ContentTaxonomy) -> Self:
        return cls(
            id=term.id,
            name=term.name,
            slug=term.slug,
            taxonomy_type=TaxonomyType(term.taxonomy_type),
            description=term.description or "",
            site_id=term.site_id,
            site_name=term.site.name,
            sector_id=term.sector_id,
            external_taxonomy=term.external_taxonomy,
            external_id=term.external_id,
            sync_status=SyncStatus(term.sync_status),
            count=term.count or 0,
            metadata=term.metadata_ or {},
            created_at=as_utc(term.created_at),
            updated_at=as_utc(term.updated_at),
        )


class TermRef(Out):
    """A term as content shows it."""

    id: int
    name: str
    slug: str
    taxonomy_type: TaxonomyType

    @classmethod
    def of(cls, term: ContentTaxonomy) -> Self:
        return cls(id=term.id, name=term.name, slug=term.slug, taxonomy_type=TaxonomyType(term.taxonomy_type))
