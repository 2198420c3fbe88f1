"""Writing tasks: list, create, edit, soft delete/restore (bulk actions and cancelling: task_actions.py).

Every rule about tasks lives here; the HTML views, the CSV import and the JSON API call these functions.
Writes need the editor role, are audited and only flushed (the caller commits once).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Required, TypedDict, Unpack

from sqlalchemy.orm import joinedload

from writer_app.models import (
    Cluster,
    ContentIdea,
    ContentStructure,
    ContentTaxonomy,
    ContentType,
    Role,
    Task,
    TaskStatus,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services import audit
from writer_app.services.clusters import normalize_keywords
from writer_app.services.errors import NotFound, ValidationError
from writer_app.services.inputs import choice
from writer_app.services.scope import Scope, get, resolve_site_sector
from writer_app.services.task_list import (  # noqa: F401  the list has its own module; callers keep these names
    DEFAULT_ORDERING,
    ORDERINGS,
    TaskFilters,
    iter_tasks,
    list_tasks,
)

MAX_BULK_IDS = 100
MIN_WORDS, MAX_WORDS = 100, 10_000
DEFAULT_WORD_COUNT = 1000
CANCELLABLE = (TaskStatus.QUEUED, TaskStatus.IN_PROGRESS)
# The states people may set; in_progress and failed belong to generation (a task put in progress by
# hand would block generation with a 409 until set back).
SETTABLE_STATUSES = (TaskStatus.QUEUED, TaskStatus.COMPLETED, TaskStatus.CANCELED)
SETTABLE_MESSAGE = (
    "Set a task to queued, completed or canceled; in progress and failed are set by generation."
)


class NewTask(TypedDict, total=False):
    """Fields of create_task / check_task. Missing optional ones take the defaults below."""

    title: Required[str]
    cluster_id: Required[int | str | None]
    content_type: Required[str | None]
    content_structure: Required[str | None]
    keywords: str | list[str]  # comma list or list; normalised
    word_count: int | str  # 100..10000, default 1000
    description: str
    idea_id: int | str | None  # must belong to the cluster
    taxonomy_term_id: int | str | None  # must belong to the site
    site_id: int | str | None  # both None → the working site/sector
    sector_id: int | str | None


class TaskChanges(TypedDict, total=False):
    """Fields update_task accepts (PATCH: only the ones given change)."""

    title: str
    description: str
    cluster_id: int | str
    idea_id: int | str | None
    content_type: str
    content_structure: str
    taxonomy_term_id: int | str | None
    keywords: str | list[str]
    word_count: int | str
    site_id: int | str
    sector_id: int | str
    status: str


def get_task(scope: Scope, task_id: Any, *, include_deleted: bool = False) -> Task:
    """One task of the account (NotFound for other accounts' ids and, unless asked, trashed tasks)."""
    options = [joinedload(Task.cluster), joinedload(Task.site), joinedload(Task.sector)]
    return get(scope, Task, task_id, include_deleted=include_deleted, options=options)


def _apply(scope: Scope, task: Task, values: Mapping[str, Any]) -> dict[str, Any]:
    """Validate `values` against `task` (new or existing) and set them; all field errors at once.

    Returns the fields that changed, with their new values (for the audit trail).
    """
    errors: dict[str, list[str]] = {}
    changed: dict[str, Any] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    def put(name: str, value: Any) -> None:
        if getattr(task, name, None) != value:
            setattr(task, name, value)
            changed[name] = value

    if "title" in values:
        title = " ".join(str(values["title"] or "").split())
        if not title:
            fail("title", "Give the task a title.")
        elif len(title) > 255:
            fail("title", "Keep the title under 255 characters.")
        else:
            put("title", title)
    if "description" in values:
        put("description", str(values["description"] or "").strip())
    for name, enum_class in (
        ("content_type", ContentType),
        ("content_structure", ContentStructure),
        ("status", TaskStatus),
    ):
        if name in values:
            if values[name] in (None, ""):
                fail(name, f"Choose a {name.replace('_', ' ')}.")
                continue
            try:
                value = choice(enum_class, values[name], name)
            except ValidationError as error:
                fail(name, error.message)
                continue
            if name == "status" and value != task.status and value not in SETTABLE_STATUSES:
                fail(name, SETTABLE_MESSAGE)  # sending the current value back unchanged is fine
                continue
            put(name, value)
    if "keywords" in values:
        put("keywords", normalize_keywords(values["keywords"]))
    if "word_count" in values:
        try:
            words = int(values["word_count"])
        except (TypeError, ValueError):
            fail("word_count", "Word count must be a whole number.")
        else:
            if MIN_WORDS <= words <= MAX_WORDS:
                put("word_count", words)
            else:
                fail("word_count", f"Word count must be between {MIN_WORDS} and {MAX_WORDS:,}.")

    # Where the task lives: explicit site/sector (validated together), else its current or working one.
    sector = task.sector if task.sector_id else None
    if "site_id" in values or "sector_id" in values or task.id is None:
        site_arg = values.get("site_id", task.site_id)
        sector_arg = values.get("sector_id", task.sector_id)
        try:
            site, sector = resolve_site_sector(scope, site_arg, sector_arg)
        except ValidationError as error:
            for name, messages in error.fields.items():
                errors.setdefault(name, []).extend(messages)
            sector = None
        else:
            put("site_id", site.id)
            put("sector_id", sector.id if sector else None)

    cluster = task.cluster if task.cluster_id else None
    if "cluster_id" in values:
        cluster = None
        if values["cluster_id"] in (None, ""):
            fail("cluster_id", "Choose a cluster.")
        else:
            try:
                cluster = get(scope, Cluster, values["cluster_id"])
            except NotFound:
                fail("cluster_id", f"Cluster {values['cluster_id']} does not exist in this account.")
    if cluster is not None and sector is not None and cluster.sector_id != sector.id:
        fail(
            "cluster_id",
            f"Cluster “{cluster.name}” belongs to sector “{cluster.sector.name}”, "
            f"not to the task's sector “{sector.name}”.",
        )
    elif cluster is not None:
        put("cluster_id", cluster.id)
        task.cluster = cluster

    if values.get("idea_id") not in (None, ""):
        try:
            idea = get(scope, ContentIdea, values["idea_id"])
        except NotFound:
            fail("idea_id", f"Idea {values['idea_id']} does not exist in this account.")
        else:
            if cluster is not None and idea.cluster_id != cluster.id:
                fail("idea_id", f"Idea “{idea.title}” belongs to another cluster than “{cluster.name}”.")
            else:
                put("idea_id", idea.id)
    elif "idea_id" in values:
        put("idea_id", None)
    elif task.idea_id and cluster is not None and task.idea and task.idea.cluster_id != cluster.id:
        fail("cluster_id", "The task's idea belongs to another cluster; clear the idea or keep the cluster.")

    if values.get("taxonomy_term_id") not in (None, ""):
        try:
            term = get(scope, ContentTaxonomy, values["taxonomy_term_id"])
        except NotFound:
            fail("taxonomy_term_id", f"Taxonomy term {values['taxonomy_term_id']} does not exist.")
        else:
            if task.site_id is not None and term.site_id != task.site_id:
                fail("taxonomy_term_id", f"Taxonomy term “{term.name}” belongs to another site.")
            else:
                put("taxonomy_term_id", term.id)
    elif "taxonomy_term_id" in values:
        put("taxonomy_term_id", None)

    if errors:
        first = next(iter(errors.values()))[0]
        raise ValidationError(first if len(errors) == 1 else "Please fix the marked fields.", errors)
    return changed


def _unknown_fields(fields: Mapping[str, Any], allowed: type) -> None:
    unknown = set(fields) - set(allowed.__annotations__)
    if unknown:
        raise ValidationError(
            f"Unknown fields: {', '.join(sorted(unknown))}.", {k: ["Unknown field."] for k in unknown}
        )


def check_task(scope: Scope, **fields: Unpack[NewTask]) -> Task:
    """Validate create_task's fields without saving anything; returns the unsaved task.

    Raises ValidationError with every field error at once (used by create_task and the CSV preview).
    """
    _unknown_fields(fields, NewTask)
    task = Task(account_id=scope.account_id, status=TaskStatus.QUEUED, error="")
    values: dict[str, Any] = {
        "title": "",
        "cluster_id": None,
        "content_type": None,
        "content_structure": None,
        "keywords": "",
        "word_count": DEFAULT_WORD_COUNT,
        "description": "",
        "idea_id": None,
        "taxonomy_term_id": None,
        **fields,
    }
    # Explicit site/sector are validated together; none at all means the working context.
    if values.get("site_id") in (None, "") and values.get("sector_id") in (None, ""):
        values.pop("site_id", None)
        values.pop("sector_id", None)
    _apply(scope, task, values)
    return task


def create_task(scope: Scope, **fields: Unpack[NewTask]) -> Task:
    """A new queued task. Cluster, content type and structure are required; the site/sector are the
    explicit ones (validated with each other) or the working context; the cluster must belong to that
    sector and the idea to that cluster; keywords become a clean comma list; word_count 100..10000.
    Editors and up. ValidationError carries every field error at once; unknown fields are errors."""
    scope.require(Role.EDITOR)
    task = check_task(scope, **fields)
    db.session.add(task)
    db.session.flush()
    audit.record(scope, "task.create", task, title=task.title, cluster=task.cluster.name)
    return task


def update_task(scope: Scope, task_id: Any, **changes: Unpack[TaskChanges]) -> Task:
    """Change the given fields of a live task (PATCH), with create_task's rules. Editors and up."""
    scope.require(Role.EDITOR)
    _unknown_fields(changes, TaskChanges)
    task = get_task(scope, task_id)
    changed = _apply(scope, task, dict(changes))
    if changed.get("status") and changed["status"] != TaskStatus.FAILED:
        task.error = ""
    if changed:
        db.session.flush()
        audit.record(scope, "task.update", task, **changed)
    return task


def delete_task(scope: Scope, task_id: Any) -> Task:
    """Move a task to the trash (soft delete; restore_task undoes it). Editors and up."""
    scope.require(Role.EDITOR)
    task = get_task(scope, task_id)
    task.deleted_at = utcnow()
    audit.record(scope, "task.delete", task, title=task.title)
    return task


def restore_task(scope: Scope, task_id: Any) -> Task:
    """Bring a task back from the trash (a live task is left as it is). Editors and up."""
    scope.require(Role.EDITOR)
    task = get_task(scope, task_id, include_deleted=True)
    if task.deleted_at is not None:
        task.deleted_at = None
        audit.record(scope, "task.restore", task, title=task.title)
    return task
