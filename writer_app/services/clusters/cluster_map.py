"""The cluster map: which content (and tasks) a cluster holds, in which role, and where each came from.

Every piece of content has one row: content made here gets source `manual`, AI drafts `blueprint`
(written from a task, the plan), WordPress imports `import`. The row follows its content: cluster, slug
and keywords (keyphrase first, then the secondary keywords) are copied on every change of them. A row
may also link a task alone (before it has content; it follows the task's cluster and keywords); the
content later made from it takes the row over.

At most one hub per cluster and site: checked here with a clear message, and by a partial unique index
(migration 0012) against races.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import event, func, inspect, select
from sqlalchemy.orm import Session, joinedload

from writer_app.models import (
    Cluster,
    ClusterMapSource,
    ClusterRole,
    Content,
    ContentClusterMap,
    ContentStructure,
    Role,
    Task,
    db,
)
from writer_app.services import audit
from writer_app.services.errors import Conflict, NotFound, ValidationError
from writer_app.services.inputs import optional_choice, optional_number
from writer_app.services.pagination import Page, page_params
from writer_app.services.scope import Scope, get, scoped

# Content fields the row copies; a change of any of them updates the row.
TRACKED_FIELDS = frozenset({"primary_keyword", "secondary_keywords", "slug", "cluster_id"})
MAX_KEYWORDS = 20


@dataclass
class MapFilters:
    cluster_id: Any = None
    content_id: Any = None
    task_id: Any = None
    role: Any = None
    source: Any = None


@dataclass
class ClusterPieces:
    """A cluster's live content by role, for its page."""

    hub: list[ContentClusterMap] = field(default_factory=list)
    supporting: list[ContentClusterMap] = field(default_factory=list)
    attribute: list[ContentClusterMap] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.hub or self.supporting or self.attribute)


def content_keywords(content: Content) -> list[str]:
    words = [content.primary_keyword or "", *(content.secondary_keywords or [])]
    return [w for w in dict.fromkeys(str(w).strip() for w in words) if w][:MAX_KEYWORDS]


def hub_of(cluster_id: int, site_id: int, exclude_id: int | None = None) -> ContentClusterMap | None:
    """The cluster's hub entry on the site (other than `exclude_id`), if it has one."""
    stmt = select(ContentClusterMap).where(
        ContentClusterMap.cluster_id == cluster_id,
        ContentClusterMap.site_id == site_id,
        ContentClusterMap.role == ClusterRole.HUB,
    )
    if exclude_id is not None:
        stmt = stmt.where(ContentClusterMap.id != exclude_id)
    return db.session.scalars(stmt.limit(1)).first()


def _describe(entry: ContentClusterMap) -> str:
    if entry.content_id is not None:
        content = db.session.get(Content, entry.content_id)
        if content is not None:
            trash = " (in the trash)" if content.deleted_at is not None else ""
            return f"“{content.title}”{trash}"
    if entry.task_id is not None:
        task = db.session.get(Task, entry.task_id)
        if task is not None:
            return f"task “{task.title}”"
    return f"entry {entry.id}"


def _check_hub(entry_id: int | None, cluster_id: int, site_id: int) -> None:
    hub = hub_of(cluster_id, site_id, exclude_id=entry_id)
    if hub is not None:
        cluster = db.session.get(Cluster, cluster_id)
        name = cluster.name if cluster is not None else str(cluster_id)
        raise ValidationError.field(
            "role",
            f"Cluster “{name}” already has a hub on this site: {_describe(hub)}. "
            "Make that one supporting first.",
        )


def _step_down_if_moved(entry: ContentClusterMap, cluster_id: int, site_id: int) -> None:
    """A hub moving into a cluster that has one becomes supporting (a move never fails on the map)."""
    moved = entry.cluster_id is not None and entry.cluster_id != cluster_id
    if moved and entry.role == ClusterRole.HUB and hub_of(cluster_id, site_id, entry.id) is not None:
        entry.role = ClusterRole.SUPPORTING


def entry_of_content(content_id: int) -> ContentClusterMap | None:
    return db.session.scalars(
        select(ContentClusterMap).where(ContentClusterMap.content_id == content_id)
    ).first()


def _task_entry(task_id: int) -> ContentClusterMap | None:
    return db.session.scalars(
        select(ContentClusterMap)
        .where(ContentClusterMap.task_id == task_id, ContentClusterMap.content_id.is_(None))
        .order_by(ContentClusterMap.id)
        .limit(1)
    ).first()


def track_content(
    scope: Scope, content: Content, *, source: ClusterMapSource | None = None
) -> ContentClusterMap:
    """Create or update the content's row (the content is flushed). A new row is the cluster's hub
    when the content is a cluster hub and the cluster has none on the site yet, supporting otherwise;
    a hub moved into a cluster that has one becomes supporting. `source` None keeps the row's source
    (new rows: manual). Called by the services that create and change content, not by users."""
    entry = entry_of_content(content.id)
    if entry is None and content.task_id is not None:
        entry = _task_entry(content.task_id)  # the task's row becomes its content's
    if entry is None:
        hub = ContentStructure(content.content_structure) == ContentStructure.CLUSTER_HUB
        role = ClusterRole.HUB if hub and hub_of(content.cluster_id, content.site_id) is None else None
        entry = ContentClusterMap(
            role=role or ClusterRole.SUPPORTING, source=source or ClusterMapSource.MANUAL
        )
        db.session.add(entry)
    elif source is not None:
        entry.source = source
    _step_down_if_moved(entry, content.cluster_id, content.site_id)
    entry.account_id, entry.site_id, entry.sector_id = content.account_id, content.site_id, content.sector_id
    entry.content_id, entry.task_id, entry.cluster_id = content.id, content.task_id, content.cluster_id
    entry.keywords = content_keywords(content)
    entry.slug = content.slug or ""
    db.session.flush()
    return entry


@event.listens_for(Session, "before_flush")
def _task_entries_follow_their_task(session: Session, _context: Any, _instances: Any) -> None:
    """A task's own entry (no content yet) follows the task's cluster and keywords, wherever the task is
    changed (services/tasks.py, bulk edits, CSV import) without each of them calling in here."""
    for task in [o for o in session.dirty if isinstance(o, Task)]:
        state = inspect(task)
        if not (state.attrs.cluster_id.history.has_changes() or state.attrs.keywords.history.has_changes()):
            continue
        with session.no_autoflush:
            entry = _task_entry(task.id)
            if entry is None:
                continue
            _step_down_if_moved(entry, task.cluster_id, task.site_id)
        entry.cluster_id, entry.site_id, entry.sector_id = task.cluster_id, task.site_id, task.sector_id
        entry.keywords = task.keyword_list[:MAX_KEYWORDS]


def list_entries(
    scope: Scope, filters: MapFilters | None = None, page: Any = 1, page_size: Any = 25
) -> Page[ContentClusterMap]:
    """One page of the account's rows, by cluster, hub first, then oldest first."""
    filters = filters or MapFilters()
    page_number, size = page_params(page, page_size)
    stmt = scoped(scope, ContentClusterMap)
    for name in ("cluster_id", "content_id", "task_id"):
        value = optional_number(getattr(filters, name), name)
        if value is not None:
            stmt = stmt.where(getattr(ContentClusterMap, name) == value)
    for name, enum_cls in (("role", ClusterRole), ("source", ClusterMapSource)):
        value = optional_choice(enum_cls, getattr(filters, name), name)
        if value is not None:
            stmt = stmt.where(getattr(ContentClusterMap, name) == value)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    role_order = [ContentClusterMap.role != ClusterRole.HUB, ContentClusterMap.role]
    rows = db.session.scalars(
        stmt.order_by(ContentClusterMap.cluster_id, *role_order, ContentClusterMap.id)
        .limit(size)
        .offset((page_number - 1) * size)
    )
    return Page(items=list(rows), total=total, page=page_number, page_size=size)


def get_entry(scope: Scope, entry_id: Any) -> ContentClusterMap:
    return get(scope, ContentClusterMap, entry_id)


def _field_object(scope: Scope, model: type, key: Any, name: str, label: str) -> Any:
    try:
        return get(scope, model, key)
    except NotFound:
        raise ValidationError.field(name, f"{label} {key} does not exist in this account.") from None


def create_entry(
    scope: Scope,
    *,
    content_id: Any = None,
    task_id: Any = None,
    cluster_id: Any = None,
    role: Any = None,
    source: Any = None,
) -> ContentClusterMap:
    """Map a content that has no row yet, or a task alone (editor+). The cluster is the content's (or
    task's): a different `cluster_id` is refused, move the content instead. Keywords and slug are the
    content's (or the task's keywords)."""
    scope.require(Role.EDITOR)
    content_key = optional_number(content_id, "content_id")
    task_key = optional_number(task_id, "task_id")
    chosen_role = optional_choice(ClusterRole, role, "role")
    chosen_source = optional_choice(ClusterMapSource, source, "source") or ClusterMapSource.MANUAL
    if content_key is None and task_key is None:
        raise ValidationError.field("content_id", "Give a content_id or a task_id.")
    if content_key is not None:
        content = _field_object(scope, Content, content_key, "content_id", "Content")
        if (existing := entry_of_content(content.id)) is not None:
            raise ValidationError.field(
                "content_id",
                f"Content {content.id} is already mapped (entry {existing.id}); change that one.",
            )
        if task_key is not None and task_key != content.task_id:
            origin = f"task {content.task_id}" if content.task_id else "no task"
            raise ValidationError.field("task_id", f"Content {content.id} came from {origin}.")
        owner: Content | Task = content
    else:
        task = _field_object(scope, Task, task_key, "task_id", "Task")
        made = db.session.scalar(select(Content.id).where(Content.task_id == task.id).limit(1))
        if made is not None or _task_entry(task.id) is not None:
            taken = f"content {made} made from it" if made is not None else "a row of its own"
            raise ValidationError.field("task_id", f"Task {task.id} is already mapped through {taken}.")
        owner = task
    cluster_key = optional_number(cluster_id, "cluster_id")
    if cluster_key is not None and cluster_key != owner.cluster_id:
        raise ValidationError.field(
            "cluster_id",
            f"It belongs to cluster {owner.cluster_id}; change its cluster to move it on the map.",
        )
    if chosen_role == ClusterRole.HUB:
        _check_hub(None, owner.cluster_id, owner.site_id)
    if isinstance(owner, Content):
        entry = track_content(scope, owner, source=chosen_source)
        if chosen_role is not None:
            entry.role = chosen_role
    else:
        entry = ContentClusterMap(
            account_id=owner.account_id,
            site_id=owner.site_id,
            sector_id=owner.sector_id,
            task_id=owner.id,
            cluster_id=owner.cluster_id,
            role=chosen_role or ClusterRole.SUPPORTING,
            source=chosen_source,
            keywords=owner.keyword_list[:MAX_KEYWORDS],
            slug="",
        )
        db.session.add(entry)
    db.session.flush()
    audit.record(scope, "cluster_map.create", entry, role=entry.role, source=entry.source)
    return entry


def set_role(scope: Scope, entry_id: Any, role: Any) -> ContentClusterMap:
    """Change a row's role (editor+); a second hub in the cluster and site is a field error."""
    scope.require(Role.EDITOR)
    entry = get_entry(scope, entry_id)
    new_role = optional_choice(ClusterRole, role, "role")
    if new_role is None:
        raise ValidationError.field("role", "Choose hub, supporting or attribute.")
    if new_role == entry.role:
        return entry
    if new_role == ClusterRole.HUB:
        _check_hub(entry.id, entry.cluster_id, entry.site_id)
    before = entry.role
    entry.role = new_role
    db.session.flush()
    audit.record(scope, "cluster_map.role", entry, before=before, role=new_role)
    return entry


def delete_entry(scope: Scope, entry_id: Any) -> None:
    """Remove a task's row (editor+). A content's row lasts as long as the content: Conflict."""
    scope.require(Role.EDITOR)
    entry = get_entry(scope, entry_id)
    if entry.content_id is not None:
        raise Conflict("A content's entry lasts as long as the content; change its role instead.")
    audit.record(scope, "cluster_map.delete", entry, task_id=entry.task_id)
    db.session.delete(entry)
    db.session.flush()


def cluster_pieces(scope: Scope, cluster_id: int) -> ClusterPieces:
    """The cluster's live content by role (trashed content left out), oldest first; one query."""
    rows = db.session.scalars(
        scoped(scope, ContentClusterMap)
        .join(Content, Content.id == ContentClusterMap.content_id)
        .where(ContentClusterMap.cluster_id == cluster_id, Content.deleted_at.is_(None))
        .options(joinedload(ContentClusterMap.content))
        .order_by(ContentClusterMap.id)
    )
    pieces = ClusterPieces()
    for row in rows:
        getattr(pieces, ClusterRole(row.role).value).append(row)
    return pieces
