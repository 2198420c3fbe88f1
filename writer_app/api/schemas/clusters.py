"""Keyword clusters (the planner's minimum): tasks and content are planned around them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Self

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
from writer_app.models.base import as_utc
from writer_app.services.clusters import ClusterRow

ClusterOrdering = orderings("name", "created_at", "sector")
Keywords = Text(10_000) | Annotated[list[Short], Field(max_length=500)]


class ClusterQuery(PageQuery):
    search: Short = Field("", description="Matches the name or the keywords.")
    site_id: Id | None = None
    sector_id: Id | None = None
    ordering: ClusterOrdering = "sector"  # type: ignore[valid-type]


class ClusterCreate(In):
    """A new cluster in an explicit site and sector (names are unique per sector)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"name": "Heat pumps", "site_id": 1, "sector_id": 1, "keywords": ["heat pump", "COP"]}
            ]
        }
    )

    name: Name
    site_id: Id
    sector_id: Id
    keywords: Keywords = Field("", description="A comma-separated string or a list.")
    description: Long = ""


class ClusterUpdate(In):
    """Full update (PUT): name is required; a cluster never changes sector."""

    name: Name
    keywords: Keywords = ""
    description: Long = ""


ClusterPatch = partial(ClusterUpdate, "ClusterPatch", "Partial update (PATCH): only the fields sent change.")


class RoleCounts(Out):
    """Cluster-map entries per role (content in the trash not counted)."""

    hub: int
    supporting: int
    attribute: int


class ClusterOut(Out):
    id: int
    name: str
    description: str
    keywords: list[str]
    site_id: int
    site_name: str
    sector_id: int
    sector_name: str
    tasks_count: int = Field(description="Live tasks of the cluster.")
    content_count: int = Field(description="Live content of the cluster.")
    role_counts: RoleCounts
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, row: ClusterRow) -> Self:
        cluster = row.cluster
        return cls(
            id=cluster.id,
            name=cluster.name,
            description=cluster.description or "",
            keywords=cluster.keyword_list,
            site_id=cluster.site_id,
            site_name=cluster.site.name,
            sector_id=cluster.sector_id,
            sector_name=cluster.sector.name,
            tasks_count=row.tasks,
            content_count=row.content,
            role_counts=RoleCounts(hub=row.hub, supporting=row.supporting, attribute=row.attribute),
            created_at=as_utc(cluster.created_at),
            updated_at=as_utc(cluster.updated_at),
        )
