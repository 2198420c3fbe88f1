"""Tasks: what to write, for which cluster; `status` and `error` tell how generation went."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, ClassVar, Literal, Self

from pydantic import ConfigDict, Field

from writer_app.api.schemas.common import (
    Id,
    IdList,
    In,
    Long,
    Name,
    Out,
    PageQuery,
    Short,
    Text,
    aliased,
    orderings,
    partial,
)
from writer_app.models import ContentStructure, ContentType, Task, TaskStatus
from writer_app.models.base import as_utc
from writer_app.services.tasks import MAX_BULK_IDS, MAX_WORDS, MIN_WORDS, SETTABLE_STATUSES

Keywords = Text(10_000) | Annotated[list[Short], Field(max_length=200)]
WordCount = Annotated[int, Field(ge=MIN_WORDS, le=MAX_WORDS)]
TaskOrdering = orderings("title", "created_at", "status")
SettableStatus = Literal[tuple(s.value for s in SETTABLE_STATUSES)]  # type: ignore[valid-type]


class TaskQuery(PageQuery):
    search: Short = Field("", description="Matches the title or the keywords.")
    status: TaskStatus | None = None
    cluster_id: Id | None = aliased(None, "cluster_id", "cluster")
    content_type: ContentType | None = None
    content_structure: ContentStructure | None = aliased(None, "content_structure", "structure")
    site_id: Id | None = None
    sector_id: Id | None = None
    ordering: TaskOrdering = "-created_at"  # type: ignore[valid-type]


class TaskCreate(In):
    """A new task; site_id and sector_id are required and must belong together."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "title": "How solar batteries work",
                    "cluster_id": 1,
                    "content_type": "post",
                    "content_structure": "guide",
                    "site_id": 1,
                    "sector_id": 1,
                    "keywords": "solar battery, home storage",
                    "word_count": 1200,
                }
            ]
        }
    )

    unknown_hints: ClassVar[dict[str, str]] = {
        "status": "New tasks are queued; change the status afterwards (PATCH, or bulk_update/)."
    }

    title: Name
    cluster_id: Id = Field(description="A cluster of the task's sector.")
    content_type: ContentType
    content_structure: ContentStructure
    site_id: Id
    sector_id: Id
    description: Long = ""
    keywords: Keywords = Field("", description="A comma-separated string or a list of keywords.")
    word_count: WordCount = 1000
    idea_id: Id | None = None
    taxonomy_term_id: Id | None = None


class TaskUpdate(TaskCreate):
    """Full update (PUT): the required fields must be sent; optional ones left out stay as they are."""

    unknown_hints: ClassVar[dict[str, str]] = {}

    status: TaskStatus | None = Field(
        None,
        description="queued, completed or canceled (in_progress and failed are set by generation; the "
        "current value may be sent back unchanged).",
        json_schema_extra=lambda s: s.pop("default", None),
    )


TaskPatch = partial(TaskUpdate, "TaskPatch", "Partial update (PATCH): only the fields sent change.")


class TaskBulkDelete(In):
    ids: Annotated[IdList, Field(max_length=MAX_BULK_IDS)]


class TaskBulkUpdate(In):
    ids: Annotated[IdList, Field(max_length=MAX_BULK_IDS)]
    status: SettableStatus = Field(  # type: ignore[valid-type]
        description="Only the states people set; in_progress and failed are set by generation."
    )


class TaskOut(Out):
    id: int
    title: str
    description: str
    cluster_id: int
    cluster_name: str
    idea_id: int | None
    content_type: ContentType
    content_structure: ContentStructure
    taxonomy_term_id: int | None
    keywords: str = Field(description="Comma-separated.")
    word_count: int
    status: TaskStatus
    error: str = Field(description="Why generation failed (status failed), else empty.")
    site_id: int
    sector_id: int
    sector_name: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, task: Task) -> Self:
        return cls(
            id=task.id,
            title=task.title,
            description=task.description or "",
            cluster_id=task.cluster_id,
            cluster_name=task.cluster.name,
            idea_id=task.idea_id,
            content_type=ContentType(task.content_type),
            content_structure=ContentStructure(task.content_structure),
            taxonomy_term_id=task.taxonomy_term_id,
            keywords=task.keywords or "",
            word_count=task.word_count,
            status=TaskStatus(task.status),
            error=task.error or "",
            site_id=task.site_id,
            sector_id=task.sector_id,
            sector_name=task.sector.name,
            created_at=as_utc(task.created_at),
            updated_at=as_utc(task.updated_at),
        )
