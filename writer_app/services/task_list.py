"""The task list: filters, ordering, one page (HTML and API) and every matching task (CSV export).

Moved out of services/tasks.py (which keeps the rules about single tasks and re-exports these names):
the list is read-only and tuned for speed on its own (issue 18).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Select, inspect, select
from sqlalchemy.orm import joinedload

from writer_app.models import Cluster, ContentStructure, ContentType, Sector, Site, Task, TaskStatus, db
from writer_app.models.planner import split_keywords
from writer_app.services.clusters import ALL, site_sector_filter
from writer_app.services.count_cache import CountKey
from writer_app.services.inputs import QueryFilters, choice, whole_number
from writer_app.services.pagination import (
    Page,
    PageRows,
    apply_ordering,
    page_by_ids,
    page_params,
    paginate,
)
from writer_app.services.scope import Scope, scoped
from writer_app.services.search import contains_text, reads_every_match
from writer_app.services.statement_cache import kept, list_key

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


def task_query(scope: Scope, filters: TaskFilters, *, many: bool = False) -> Any:
    """The list's SELECT; `many`: shaped for a search with many matches (search.contains_text)."""
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
        stmt = stmt.where(contains_text(Task, term, many=many))
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


class Named(NamedTuple):
    """A listed task's cluster, site or sector: what a row shows of it."""

    id: int
    name: str


class TaskRow:
    """A task as the lists show it: every column of a Task (same names, same types) and its cluster,
    site and sector as `Named`. Read-only: built from a plain SELECT without the ORM's identity map
    and change tracking, which cost 2-3× more per row than the row itself."""

    cluster: Named
    site: Named
    sector: Named

    def __init__(self, values: dict[str, Any], cluster: Named, site: Named, sector: Named) -> None:
        self.__dict__.update(values)
        self.cluster, self.site, self.sector = cluster, site, sector

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)  # type: ignore[attr-defined]


@cache
def _task_columns() -> tuple[tuple[str, Any], ...]:
    """(attribute name, column) of every mapped Task column (after the mappers are configured)."""
    return tuple((attr.key, attr.columns[0]) for attr in inspect(Task).column_attrs)


def _rows_statement(stmt: Select[Any], filters: TaskFilters, *, with_total: bool = False) -> Select[Any]:
    """One page of `stmt`'s rows as plain columns with the three names joined in, in the list's order
    (`with_total`: and the number of matching tasks, pagination.page_by_ids)."""
    columns = [column for _, column in _task_columns()]
    rows = (
        select(*columns, Cluster.name, Site.name, Sector.name)
        .select_from(Task)
        .outerjoin(Cluster, Cluster.id == Task.cluster_id)
        .outerjoin(Site, Site.id == Task.site_id)
        .outerjoin(Sector, Sector.id == Task.sector_id)
    )
    return page_by_ids(
        rows,
        stmt.whereclause,
        Task.id,
        lambda s: apply_ordering(s, filters.ordering, ORDERINGS, DEFAULT_ORDERING, Task.id),
        with_total=with_total,
    )


def _task_row(row: Any) -> TaskRow:
    keys = _task_columns()
    values = {key: row[i] for i, (key, _) in enumerate(keys)}
    n = len(keys)
    return TaskRow(
        values,
        Named(values["cluster_id"], row[n]),
        Named(values["site_id"], row[n + 1]),
        Named(values["sector_id"], row[n + 2]),
    )


def list_tasks(
    scope: Scope, filters: TaskFilters | None = None, page: Any = 1, page_size: Any = 25
) -> Page[TaskRow]:
    """One page of tasks (read-only TaskRow) with the names of their cluster, site and sector: 2 queries
    whatever the page size, or 1 with the total from the count cache.

    Unknown filter values, orderings and page sizes raise ValidationError naming the field.
    """
    page_number, size = page_params(page, page_size)
    filters = filters or TaskFilters()
    stmt, rows = kept(list_key("tasks", scope, filters), lambda: _statements(scope, filters))
    return paginate(stmt, page_number, size, CountKey.for_list(scope, "tasks", filters), rows=rows)


def _statements(scope: Scope, filters: TaskFilters) -> tuple[Select[Any], PageRows[TaskRow]]:
    """The counted SELECT and how its pages are read (as plain rows; shaped for many matches; with
    the total of a search that reads every match)."""
    stmt = task_query(scope, filters)
    many = task_query(scope, filters, many=True)
    counted = _rows_statement(stmt, filters, with_total=True) if reads_every_match(filters.search) else None
    return stmt, PageRows(_rows_statement(stmt, filters), _task_row, _rows_statement(many, filters), counted)


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
