"""Keyword clusters: what tasks and content are planned around, counted per sector.

Lists run a fixed number of queries (one count, one page) whatever the number of clusters: the task,
content and cluster-map role counts come from GROUP BY subqueries joined to the page query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple, TypedDict, Unpack

from sqlalchemy import case, func, select
from sqlalchemy.orm import contains_eager, joinedload

from writer_app.models import (
    Cluster,
    ClusterRole,
    Content,
    ContentClusterMap,
    Role,
    Sector,
    Site,
    Task,
    db,
)
from writer_app.models.planner import split_keywords
from writer_app.services import audit, plain_reads
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.inputs import whole_number
from writer_app.services.pagination import Page, apply_ordering, page_params
from writer_app.services.scope import Scope, get, resolve_site_sector, scope_params, scoped, scoped_once

ALL = "all"  # a site/sector filter value meaning "every site", overriding the working context


@dataclass
class ClusterFilters:
    """Filters of the cluster list. site_id/sector_id None means the scope's working context."""

    search: str = ""
    site_id: int | str | None = None
    sector_id: int | str | None = None
    ordering: str = "sector"


@dataclass
class ClusterRow:
    """A cluster with its counts (live tasks, live content, cluster-map entries by role)."""

    cluster: Cluster
    tasks: int = 0
    content: int = 0
    roles: dict[str, int] = field(default_factory=dict)

    @property
    def hub(self) -> int:
        return self.roles.get(ClusterRole.HUB.value, 0)

    @property
    def supporting(self) -> int:
        return self.roles.get(ClusterRole.SUPPORTING.value, 0)

    @property
    def attribute(self) -> int:
        return self.roles.get(ClusterRole.ATTRIBUTE.value, 0)


class ClusterChanges(TypedDict, total=False):
    name: str
    keywords: str | list[str]
    description: str


def site_sector_filter(scope: Scope, site_id: Any, sector_id: Any) -> tuple[int | None, int | None]:
    """The (site_id, sector_id) a list is limited to.

    No explicit value → the scope's working site/sector; "all" → no limit; an explicit site alone
    does not inherit the working sector. Malformed ids are a field error.
    """
    if site_id in (None, "") and sector_id in (None, ""):
        return scope.site_id, scope.sector_id
    return _id_or_none(site_id, "site_id"), _id_or_none(sector_id, "sector_id")


def _id_or_none(value: Any, name: str) -> int | None:
    if value in (None, "", ALL):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError.field(name, f"{name} must be a whole number or “all”.") from None
    return whole_number(number, name)  # within the column's range


def normalize_keywords(raw: str | list[str] | None) -> str:
    """A comma list without blanks or case-insensitive duplicates, in the order given."""
    parts = raw if isinstance(raw, list) else split_keywords(raw)
    seen: dict[str, str] = {}
    for part in parts:
        word = " ".join(str(part).split())
        if word and word.lower() not in seen:
            seen[word.lower()] = word
    return ", ".join(seen.values())


def _counts_columns() -> tuple[Any, list[Any]]:
    """Subqueries of per-cluster counts, and the columns to select from them."""
    tasks = (
        select(Task.cluster_id.label("cid"), func.count().label("n"))
        .where(Task.deleted_at.is_(None))
        .group_by(Task.cluster_id)
        .subquery("task_counts")
    )
    content = (
        select(Content.cluster_id.label("cid"), func.count().label("n"))
        .where(Content.deleted_at.is_(None))
        .group_by(Content.cluster_id)
        .subquery("content_counts")
    )
    role_sums = [
        func.sum(case((ContentClusterMap.role == role, 1), else_=0)).label(role.value) for role in ClusterRole
    ]
    roles = (  # trashed content keeps its entry (it may come back) but is not counted
        select(ContentClusterMap.cluster_id.label("cid"), *role_sums)
        .outerjoin(Content, Content.id == ContentClusterMap.content_id)
        .where(Content.deleted_at.is_(None))
        .group_by(ContentClusterMap.cluster_id)
        .subquery("role_counts")
    )
    columns = [
        func.coalesce(tasks.c.n, 0),
        func.coalesce(content.c.n, 0),
        *[func.coalesce(roles.c[role.value], 0) for role in ClusterRole],
    ]
    joins = [(tasks, tasks.c.cid), (content, content.c.cid), (roles, roles.c.cid)]
    return joins, columns


def _row(values: Any) -> ClusterRow:
    cluster, tasks, content, *role_counts = values
    roles = {role.value: int(n) for role, n in zip(ClusterRole, role_counts, strict=True)}
    return ClusterRow(cluster=cluster, tasks=int(tasks), content=int(content), roles=roles)


def _with_counts(stmt_filter: Any) -> Any:
    joins, columns = _counts_columns()
    stmt = select(Cluster, *columns).join(Sector, Sector.id == Cluster.sector_id).where(*stmt_filter)
    for subquery, cid in joins:
        stmt = stmt.outerjoin(subquery, cid == Cluster.id)
    return stmt.options(contains_eager(Cluster.sector), joinedload(Cluster.site))


def list_clusters(
    scope: Scope, filters: ClusterFilters | None = None, page: Any = 1, page_size: Any = 100
) -> Page[ClusterRow]:
    """One page of the account's clusters with counts, by sector then name (or name, created_at; "-" descending)."""
    filters = filters or ClusterFilters()
    page_number, size = page_params(page, page_size, default_size=100)
    site_id, sector_id = site_sector_filter(scope, filters.site_id, filters.sector_id)
    conditions: list[Any] = [Cluster.account_id == scope.account_id]
    if site_id is not None:
        conditions.append(Cluster.site_id == site_id)
    if sector_id is not None:
        conditions.append(Cluster.sector_id == sector_id)
    term = (filters.search or "").strip()
    if term:
        conditions.append(
            Cluster.name.icontains(term, autoescape=True) | Cluster.keywords.icontains(term, autoescape=True)
        )
    total = db.session.scalar(select(func.count(Cluster.id)).where(*conditions)) or 0
    ordering = filters.ordering or "sector"
    stmt = _with_counts(conditions)
    if ordering.removeprefix("-") == "sector":
        # Grouped for the per-sector page: site, then sector, then cluster name.
        desc = ordering.startswith("-")
        keys = [Site.name, Sector.name, Sector.id]
        stmt = stmt.join(Site, Site.id == Cluster.site_id).order_by(
            *[k.desc() if desc else k.asc() for k in keys], Cluster.name, Cluster.id
        )
    else:
        allowed = {"name": Cluster.name, "created_at": Cluster.created_at, "sector": Sector.name}
        stmt = apply_ordering(stmt, ordering, allowed, "sector", Cluster.id)
    rows = db.session.execute(stmt.limit(size).offset((page_number - 1) * size)).unique().all()
    return Page(items=[_row(r) for r in rows], total=total, page=page_number, page_size=size)


def get_cluster(scope: Scope, cluster_id: Any) -> Cluster:
    """One cluster of the account (NotFound for other accounts' ids)."""
    return get(scope, Cluster, cluster_id, options=[joinedload(Cluster.site), joinedload(Cluster.sector)])


def get_cluster_row(scope: Scope, cluster_id: Any) -> ClusterRow:
    """One cluster with its counts (NotFound for other accounts' ids)."""
    cluster = get_cluster(scope, cluster_id)
    values = db.session.execute(_with_counts([Cluster.id == cluster.id])).unique().one()
    return _row(values)


class ClusterChoice(NamedTuple):
    """A cluster as a select option shows it: plain values, no ORM objects to build per row."""

    id: int
    name: str
    site_id: int
    sector_id: int
    site_name: str
    sector_name: str


@cache
def _cluster_choices() -> Any:
    return (
        scoped_once(Cluster)
        .join(Cluster.site)
        .join(Cluster.sector)
        .with_only_columns(
            Cluster.id, Cluster.name, Cluster.site_id, Cluster.sector_id, Site.name, Sector.name
        )
        .order_by(Cluster.site_id, Cluster.sector_id, Cluster.name)
    )


def clusters_for_choices(scope: Scope) -> list[ClusterChoice]:
    """Every cluster of the account with its site and sector names, for select boxes (one query)."""
    return [ClusterChoice(*row) for row in plain_reads.rows(_cluster_choices(), scope_params(scope))]


def _check_name(scope: Scope, name: str | None, sector_id: int, exclude_id: int | None = None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError.field("name", "Name the cluster.")
    if len(name) > 255:
        raise ValidationError.field("name", "Keep the name under 255 characters.")
    clash = scoped(scope, Cluster).where(Cluster.sector_id == sector_id, Cluster.name == name)
    if exclude_id is not None:
        clash = clash.where(Cluster.id != exclude_id)
    if db.session.scalar(clash) is not None:
        raise ValidationError.field("name", f"This sector already has a cluster named “{name}”.")
    return name


def create_cluster(
    scope: Scope,
    *,
    name: str,
    keywords: str | list[str] = "",
    description: str = "",
    site_id: Any = None,
    sector_id: Any = None,
) -> Cluster:
    """A new cluster in the given (validated) site/sector or the working one. Editors and up."""
    scope.require(Role.EDITOR)
    site, sector = resolve_site_sector(scope, site_id, sector_id)
    assert sector is not None  # resolve_site_sector requires one
    cluster = Cluster(
        account_id=scope.account_id,
        site_id=site.id,
        sector_id=sector.id,
        name=_check_name(scope, name, sector.id),
        keywords=normalize_keywords(keywords),
        description=(description or "").strip(),
    )
    db.session.add(cluster)
    db.session.flush()
    audit.record(scope, "cluster.create", cluster, name=cluster.name, sector=sector.name)
    return cluster


def update_cluster(scope: Scope, cluster_id: Any, **changes: Unpack[ClusterChanges]) -> Cluster:
    """PATCH a cluster's name, keywords or description (its sector never changes). Editors and up."""
    scope.require(Role.EDITOR)
    unknown = set(changes) - set(ClusterChanges.__annotations__)
    if unknown:
        raise ValidationError(
            f"Unknown fields: {', '.join(sorted(unknown))}.", {k: ["Unknown field."] for k in unknown}
        )
    cluster = get_cluster(scope, cluster_id)
    before = {"name": cluster.name, "keywords": cluster.keywords, "description": cluster.description}
    if "name" in changes:
        cluster.name = _check_name(scope, changes["name"], cluster.sector_id, exclude_id=cluster.id)
    if "keywords" in changes:
        cluster.keywords = normalize_keywords(changes["keywords"])
    if "description" in changes:
        cluster.description = (changes["description"] or "").strip()
    changed = {k: getattr(cluster, k) for k, v in before.items() if getattr(cluster, k) != v}
    if changed:
        audit.record(scope, "cluster.update", cluster, **changed)
    return cluster


def delete_cluster(scope: Scope, cluster_id: Any) -> None:
    """Delete a cluster no task or content uses (also those in the trash); otherwise Conflict."""
    scope.require(Role.EDITOR)
    cluster = get_cluster(scope, cluster_id)
    tasks = db.session.scalar(select(func.count(Task.id)).where(Task.cluster_id == cluster.id)) or 0
    content = db.session.scalar(select(func.count(Content.id)).where(Content.cluster_id == cluster.id)) or 0
    if tasks or content:
        used = " and ".join(
            part
            for part in (
                f"{tasks} task{'s' * (tasks != 1)}" if tasks else "",
                f"{content} content item{'s' * (content != 1)}" if content else "",
            )
            if part
        )
        raise Conflict(
            f"Cluster “{cluster.name}” is used by {used} (including any in the trash); "
            "move or delete them first."
        )
    audit.record(scope, "cluster.delete", cluster, name=cluster.name)
    db.session.delete(cluster)
    db.session.flush()
