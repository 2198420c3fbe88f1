"""Content: read, create, edit (optimistic concurrency), delete and restore (the list: content_list.py;
terms: content_terms.py; images: media/content_images.py).

The HTML views and the JSON API call these same functions. Review decisions live in services/review/decisions.py,
revisions (list/diff/restore) in services/review/revisions.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from writer_app.models import (
    Cluster,
    Content,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentType,
    Revision,
    Role,
    Sector,
    Task,
    db,
)
from writer_app.models.base import as_utc, utcnow
from writer_app.services import audit
from writer_app.services.clusters import cluster_map
from writer_app.services.content_list import (  # noqa: F401 - the list API, re-exported for callers
    DEFAULT_ORDERING,
    ORDERING,
    ContentFilters,
    ContentPage,
    ImageStats,
    filtered_statement,
    image_stats,
    list_content,
)
from writer_app.services.errors import Conflict, NotFound, ValidationError
from writer_app.services.identity.accounts import slugify
from writer_app.services.inputs import optional_choice, optional_number
from writer_app.services.media import body_images
from writer_app.services.review.revisions import snapshot
from writer_app.services.scope import Scope, get, resolve_site_sector
from writer_app.text.html import sanitize_html, word_count

# Set by the workflow, never by an edit: status by review actions (services/review/decisions.py, publishing.py),
# source by the WordPress import. A client may send them back unchanged (a read-modify-write round trip);
# a different value is refused with a field error, not ignored.
SYSTEM_FIELDS = {
    "status": "Status changes only through review actions: new content is a draft; submit it for review, "
    "and a reviewer approves it (and publishes it) or asks for changes.",
    "source": "Only the WordPress import creates content from WordPress; content made here is igny8.",
}

# Fields update_content accepts; status changes go through services/review/decisions.py only.
EDITABLE_FIELDS = (
    "title",
    "html",
    "meta_title",
    "meta_description",
    "primary_keyword",
    "secondary_keywords",
    "slug",
    "cluster_id",
    "content_type",
    "content_structure",
    "scheduled_at",
)


def get_content(scope: Scope, content_id: Any, *, include_deleted: bool = False) -> Content:
    """One content of the account (NotFound otherwise), with cluster, site, sector, its people and terms
    loaded."""
    return get(scope, Content, content_id, include_deleted=include_deleted, loaded_by=_with_relations())


@cache
def _with_relations() -> Select[tuple[Content]]:
    """Content by id with what its pages show, built once (scope.get's `loaded_by`)."""
    return (
        select(Content)
        .where(Content.id == bindparam("object_id"))
        .options(
            joinedload(Content.cluster),
            joinedload(Content.site),
            joinedload(Content.sector),
            joinedload(Content.last_edited_by),
            joinedload(Content.submitted_by),
            joinedload(Content.approved_by),
            selectinload(Content.taxonomy_terms),
        )
    )


def _keywords(value: Any) -> list[str]:
    parts = value.split(",") if isinstance(value, str) else list(value or [])
    return list(dict.fromkeys(str(p).strip() for p in parts if str(p).strip()))


def _clean_text(value: Any, name: str, max_length: int, *, required: bool = False) -> str:
    text = ("" if value is None else str(value)).strip()
    if required and not text:
        raise ValidationError.field(name, f"{name.replace('_', ' ').capitalize()} is required.")
    if len(text) > max_length:
        raise ValidationError.field(name, f"Use at most {max_length} characters.")
    return text


def _cluster_in_sector(scope: Scope, cluster_id: Any, sector: Sector) -> Cluster:
    try:
        cluster = get(scope, Cluster, cluster_id)
    except NotFound:
        raise ValidationError.field("cluster_id", f"Cluster {cluster_id} does not exist.") from None
    if cluster.sector_id != sector.id:
        raise ValidationError.field(
            "cluster_id", f"Cluster “{cluster.name}” does not belong to sector “{sector.name}”."
        )
    return cluster


def _collect(checks: dict[str, Any]) -> dict[str, Any]:
    """Run field checks, raising one ValidationError that names every failing field."""
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for name, check in checks.items():
        try:
            values[name] = check()
        except ValidationError as error:
            for key, messages in (error.fields or {name: [error.message]}).items():
                errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError("Please correct the highlighted fields.", errors)
    return values


def create_content(
    scope: Scope,
    *,
    title: str,
    cluster_id: int | None,
    content_type: str | None,
    content_structure: str | None,
    site_id: int | None = None,
    sector_id: int | None = None,
    html: str = "",
    meta_title: str = "",
    meta_description: str = "",
    primary_keyword: str = "",
    secondary_keywords: list[str] | str | None = None,
    slug: str = "",
    source: str | None = None,
    status: str | None = None,
    task_id: int | None = None,
    ai_model: str = "",
    prompt_version: int | None = None,
    scheduled_at: datetime | None = None,
) -> Content:
    """New content (editor+). title, cluster_id, content_type and content_structure are required;
    site/sector are explicit (validated) or the working context; the cluster must be in that sector.
    HTML is sanitized, word_count computed, slug derived from the title when empty; revision 1 stored.
    New content is a draft made here: `status` and `source` may only repeat that (SYSTEM_FIELDS)."""
    scope.require(Role.EDITOR)
    _refuse_system_changes(
        {"status": ContentStatus.DRAFT, "source": ContentSource.IGNY8}, status=status, source=source
    )
    values = _collect(
        {
            "title": lambda: _clean_text(title, "title", 255, required=True),
            "content_type": lambda: _required_enum(ContentType, content_type, "content_type"),
            "content_structure": lambda: _required_enum(
                ContentStructure, content_structure, "content_structure"
            ),
            "site_sector": lambda: resolve_site_sector(scope, site_id, sector_id),
            "cluster_id": lambda: (
                optional_number(cluster_id, "cluster_id") or _raise_field("cluster_id", "Choose a cluster.")
            ),
        }
    )
    site, sector = values["site_sector"]
    cluster = _cluster_in_sector(scope, values["cluster_id"], sector)
    clean_html = sanitize_html(html)
    content = Content(
        account_id=scope.account_id,
        site_id=site.id,
        sector_id=sector.id,
        cluster_id=cluster.id,
        title=values["title"],
        html=clean_html,
        word_count=word_count(clean_html),
        meta_title=_clean_text(meta_title, "meta_title", 255),
        meta_description=_clean_text(meta_description, "meta_description", 2000),
        primary_keyword=_clean_text(primary_keyword, "primary_keyword", 255),
        secondary_keywords=_keywords(secondary_keywords),
        slug=slugify(slug, 255) if slug.strip() else slugify(values["title"], 255),
        content_type=values["content_type"],
        content_structure=values["content_structure"],
        source=ContentSource.IGNY8,
        status=ContentStatus.DRAFT,
        task_id=_task_of_account(scope, task_id),
        ai_model=ai_model or "",
        prompt_version=prompt_version,
        scheduled_at=scheduled_at,
        # An AI draft has no human editor yet: whoever started the job may still approve it.
        last_edited_by_id=None if ai_model else scope.user_id,
        last_edited_at=utcnow(),
        external_metadata={},
    )
    db.session.add(content)
    db.session.flush()
    cluster_map.track_content(scope, content)
    snapshot(scope, content, "Created")
    audit.record(scope, "content.create", content, title=content.title)
    return content


def _refuse_system_changes(current: dict[str, Any], **sent: Any) -> None:
    """A field error for each SYSTEM_FIELDS value that differs from `current` (None: not sent)."""
    errors = {
        name: [SYSTEM_FIELDS[name]]
        for name, value in sent.items()
        if value is not None and str(value) != str(current[name])
    }
    if errors:
        raise ValidationError("Please correct the highlighted fields.", errors)


def _task_of_account(scope: Scope, task_id: Any) -> int | None:
    """The task a draft came from must be one of the account's tasks (a field error otherwise)."""
    key = optional_number(task_id, "task_id")
    if key is None:
        return None
    try:
        return get(scope, Task, key, include_deleted=True).id
    except NotFound:
        raise ValidationError.field("task_id", f"Task {key} does not exist in this account.") from None


def _required_enum(enum_cls: Any, value: Any, name: str) -> Any:
    return optional_choice(enum_cls, value, name) or _raise_field(name, f"Choose a {name.replace('_', ' ')}.")


def _raise_field(name: str, message: str) -> Any:
    raise ValidationError.field(name, message)


def latest_revision(content_id: int) -> Revision | None:
    return db.session.scalars(
        select(Revision).where(Revision.content_id == content_id).order_by(Revision.number.desc()).limit(1)
    ).first()


def conflict_message(content: Content) -> str:
    """What a user whose save was refused reads: who saved the newer version, and when."""
    # last_edited_by is who changed the text last (review decisions leave it alone); their revision
    # says when (updated_at also moves on status changes).
    revision = latest_revision(content.id)
    user = content.last_edited_by or (revision.user if revision is not None else None)
    same_author = revision is not None and revision.user_id == content.last_edited_by_id
    when = as_utc(revision.created_at if revision is not None and same_author else content.updated_at)
    at = when.astimezone(UTC).strftime("%H:%M UTC") if when else "an unknown time"
    who = user.display_name if user else "Someone"
    return f"{who} saved a newer version at {at}; reload to see it — your text is kept below."


def _normalize_change(scope: Scope, content: Content, name: str, value: Any) -> Any:
    if name == "title":
        return _clean_text(value, "title", 255, required=True)
    if name == "html":
        return sanitize_html(value)
    if name in ("meta_title", "primary_keyword"):
        return _clean_text(value, name, 255)
    if name == "meta_description":
        return _clean_text(value, name, 2000)
    if name == "secondary_keywords":
        return _keywords(value)
    if name == "slug":
        text = _clean_text(value, "slug", 255)
        return slugify(text, 255) if text else slugify(content.title, 255)
    if name in ("content_type", "content_structure"):
        enum_cls = ContentType if name == "content_type" else ContentStructure
        return _required_enum(enum_cls, value, name)
    if name == "cluster_id":
        sector = db.session.get(Sector, content.sector_id)
        return _cluster_in_sector(scope, value, sector).id  # type: ignore[arg-type]
    return value  # scheduled_at: a datetime or None


def update_content(
    scope: Scope,
    content_id: Any,
    expected_version: int | None = None,
    *,
    base_revision: int | None = None,
    note: str = "",
    **changes: Any,
) -> Content:
    """Save edits (editor+) to any of EDITABLE_FIELDS; SYSTEM_FIELDS may be sent unchanged only.

    expected_version is the version the editor started from: when the row changed since, the save is
    refused with Conflict (also when the race is lost at the UPDATE itself). The version also moves on
    review decisions and publishing; `base_revision` (the latest revision number the editor saw) lets
    such non-text changes through: the save is refused only when a newer revision exists.
    HTML is sanitized and word_count recomputed; every save that changes something stores a revision.
    No changes: no-op. (After a lost race the session is rolled back to read who won.)
    """
    scope.require(Role.EDITOR)
    system = {name: changes.pop(name) for name in list(changes) if name in SYSTEM_FIELDS}
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(f"These fields cannot be changed here: {', '.join(unknown)}.")
    content = get_content(scope, content_id)
    _refuse_system_changes({"status": content.status, "source": content.source}, **system)
    if expected_version is not None and int(expected_version) != content.version:
        latest = latest_revision(content.id)
        if base_revision is None or latest is None or int(base_revision) != latest.number:
            raise Conflict(conflict_message(content))
    values = _collect(
        {name: _bind(_normalize_change, scope, content, name, v) for name, v in changes.items()}
    )
    changed = {name: v for name, v in values.items() if getattr(content, name) != v}
    if not changed:
        return content
    for name, value in changed.items():
        setattr(content, name, value)
    if "html" in changed:
        content.word_count = word_count(content.html)
        body_images.sync_rows_from_body(scope, content)  # alt texts set in the editor
    content.last_edited_by_id = scope.user_id
    content.last_edited_at = utcnow()
    if ContentStatus(content.status) in (ContentStatus.APPROVED, ContentStatus.PUBLISHED):
        # A pending change: WordPress (or the approval) still has the earlier text until a reviewer
        # approves this one and it is sent (review_rules.mark_approved, publishing_finish.succeed).
        content.has_unpublished_changes = True
    try:
        db.session.flush()
    except StaleDataError:
        db.session.rollback()
        raise Conflict(conflict_message(get_content(scope, content_id))) from None
    if cluster_map.TRACKED_FIELDS & changed.keys():
        cluster_map.track_content(scope, content)
    snapshot(scope, content, note or "Edited " + ", ".join(_label(n) for n in sorted(changed)))
    audit.record(scope, "content.update", content, fields=sorted(changed), version=content.version)
    return content


def _label(name: str) -> str:
    return "body" if name == "html" else name.removesuffix("_id").replace("_", " ")


def _bind(fn: Any, *args: Any) -> Any:
    return lambda: fn(*args)


def delete_content(scope: Scope, content_id: Any) -> Content:
    """Soft delete (editor+): hidden from lists and lookups, restorable with restore_content."""
    scope.require(Role.EDITOR)
    content = get_content(scope, content_id)
    content.deleted_at = utcnow()
    audit.record(scope, "content.delete", content, title=content.title)
    db.session.flush()
    return content


def restore_content(scope: Scope, content_id: Any) -> Content:
    """Undo a soft delete (editor+)."""
    scope.require(Role.EDITOR)
    content = get_content(scope, content_id, include_deleted=True)
    content.deleted_at = None
    audit.record(scope, "content.restore", content, title=content.title)
    db.session.flush()
    return content
