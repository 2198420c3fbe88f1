"""The cluster map: which content (or task) a cluster holds, in which role, and where it came from."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from pydantic import ConfigDict, Field

from writer_app.api.schemas.common import Id, In, Out, PageQuery
from writer_app.models import ClusterMapSource, ClusterRole, ContentClusterMap
from writer_app.models.base import as_utc


class ClusterMapQuery(PageQuery):
    cluster_id: Id | None = None
    content_id: Id | None = None
    task_id: Id | None = None
    role: ClusterRole | None = None
    source: ClusterMapSource | None = None


class ClusterMapCreate(In):
    """Map a content that has no entry, or a task alone. The cluster is the content's (or task's)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"task_id": 3, "role": "supporting"}]}
    )

    content_id: Id | None = None
    task_id: Id | None = Field(None, description="With content_id: the task it came from, if sent.")
    cluster_id: Id | None = Field(None, description="If sent, it must be the content's (or task's) cluster.")
    role: ClusterRole | None = Field(
        None, description="Default: hub for a cluster_hub content of a cluster without one, else supporting."
    )
    source: ClusterMapSource = ClusterMapSource.MANUAL


class ClusterMapPatch(In):
    """Change the role; a second hub in the cluster and site is a 400 on `role`."""

    model_config = ConfigDict(extra="forbid")

    role: ClusterRole


class ClusterMapOut(Out):
    id: int
    cluster_id: int
    content_id: int | None
    task_id: int | None
    site_id: int
    sector_id: int
    role: ClusterRole
    source: ClusterMapSource = Field(
        description="manual: made here; blueprint: an AI draft from a task; import: from WordPress."
    )
    keywords: list[str] = Field(description="The content's keyphrase and secondary keywords (or the task's).")
    slug: str = Field(description="The content's slug.")
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, entry: ContentClusterMap) -> Self:
        return cls(
            id=entry.id,
            cluster_id=entry.cluster_id,
            content_id=entry.content_id,
            task_id=entry.task_id,
            site_id=entry.site_id,
            sector_id=entry.sector_id,
            role=ClusterRole(entry.role),
            source=ClusterMapSource(entry.source),
            keywords=[str(k) for k in entry.keywords or []],
            slug=entry.slug or "",
            created_at=as_utc(entry.created_at),
            updated_at=as_utc(entry.updated_at),
        )
