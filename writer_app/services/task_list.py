"""The task list: filters, ordering, one page (HTML and API) and every matching task (CSV export).

Moved out of services/tasks.py (which keeps the rules about single tasks and re-exports these names):
the list is read-only and tuned for speed on its own (issue 18).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import joinedload

from writer_app.models import Cluster, ContentStructure, ContentType, Sector, Site, Task, TaskStatus, db
from writer_app.services.clusters import ALL, site_sector_filter
from writer_app.services.count_cache import CountKey
from writer_app.services.inputs import QueryFilters, choice, whole_number
from writer_app.services.pagination import Page, apply_ordering, page_params, paginate
from writer_app.services.scope import Scope, scoped
from writer_app.services.search import contains_text

ORDERINGS = {"title": Task.title, "created_at": Task.created_at, "status": Task.status}
DEFAULT_ORDERING = "-created_at"


@dataclass
class TaskFilters(QueryFilters):
    """Filters of the task list; every field optional. site_id/sector_id None → the working context,
    "all" → every site. `trash=True` lists soft-deleted tasks instead of live ones."""

    search: str = ""
    status: str | None = None
    cluster_id: int | str | None = None
    content_type: str | None = None
    content_structure: str | None = None
    site_id: int | str | None = None
    sector_id: int | str | None = None
    ordering: str = DEFAULT_ORDERING
    trash: bool = False


def task_query(scope: Scope, filters: TaskFilters) -> Any:
    # A list row names its cluster, site and sector: only their names are joined in (a site's
    # settings would otherwise be decoded again for every row).
    stmt = scoped(scope, Task, include_deleted=filters.trash).options(
        joinedload(Task.cluster).load_only(Cluster.name),
        joinedload(Task.site).load_only(Site.name),
        joinedload(Task.sector).load_only(Sector.name),
    )
    if filters.trash:
        stmt = stmt.where(Task.deleted_at.is_not(None))
    site_id, sector_id = site_sector_filter(scope, filters.site_id, filters.sector_id)
    if site_id is not None:
        stmt = stmt.where(Task.site_id == site_id)
    if sector_id is not None:
        stmt = stmt.where(Task.sector_id == sector_id)
    term = (filters.search or "").strip()
    if term:
        stmt = stmt.where(contains_text(Task, term))
    if filters.status:
        stmt = stmt.where(Task.status == choice(TaskStatus, filters.status, "status"))
    if filters.cluster_id not in (None, "", ALL):
        stmt = stmt.where(Task.cluster_id == whole_number(filters.cluster_id, "cluster_id"))
    if filters.content_type:
        stmt = stmt.where(Task.content_type == choice(ContentType, filters.content_type, "content_type"))
    if filters.content_structure:
        structure = choice(ContentStructure, filters.content_structure, "content_structure")
        stmt = stmt.where(Task.content_structure == structure)
    return apply_ordering(stmt, filters.ordering, ORDERINGS, DEFAULT_ORDERING, Task.id)


def list_tasks(
    scope: Scope, filters: TaskFilters | None = None, page: Any = 1, page_size: Any = 25
) -> Page[Task]:
    """One page of tasks with cluster, site and sector loaded (3 queries whatever the page size).

    Unknown filter values, orderings and page sizes raise ValidationError naming the field.
    """
    page_number, size = page_params(page, page_size)
    filters = filters or TaskFilters()
    return paginate(
        task_query(scope, filters), page_number, size, CountKey.for_list(scope, "tasks", filters)
    )


def iter_tasks(scope: Scope, filters: TaskFilters | None = None, batch: int = 500) -> Iterable[Task]:
    """Every task matching the filters, in list order, fetched in batches (for CSV export)."""
    stmt = task_query(scope, filters or TaskFilters())
    offset = 0
    while True:
        rows = list(db.session.scalars(stmt.limit(batch).offset(offset)).unique())
        yield from rows
        if len(rows) < batch:
            return
        offset += batch
