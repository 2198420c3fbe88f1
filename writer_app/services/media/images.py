"""Images of content (featured, desktop, mobile, in-article): list, group by content, edit, bulk status,
and their files (served only through the scope).

Every function takes a Scope; other accounts' ids are NotFound. Writes need the editor role.
Services flush, never commit: the view, API handler or job commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from writer_app.models import Content, Image, ImageSource, ImageStatus, ImageType, Role, Task, db
from writer_app.models.base import utcnow
from writer_app.services import audit
from writer_app.services.clusters import site_sector_filter
from writer_app.services.errors import Conflict, NotFound, ValidationError
from writer_app.services.inputs import QueryFilters, choice, optional_number, whole_number
from writer_app.services.media import files as media
from writer_app.services.pagination import Page, apply_ordering, paginate
from writer_app.services.scope import Scope, get, get_many, resolve_site_sector, scoped

ORDERINGS = {"created_at": Image.created_at, "position": Image.position, "id": Image.id}
DEFAULT_ORDERING = "-created_at"
MAX_BULK_IDS = 100
# Fields update_image accepts; account/site/sector, owner and files are not editable this way.
EDITABLE_FIELDS = frozenset({"image_type", "prompt", "alt_text", "status", "position", "image_url", "error"})


@dataclass
class ImageFilters(QueryFilters):
    """List filters (all optional). ids may be given as strings (query parameters); they are checked.

    ordering: created_at | position | id, "-" prefix for descending (default "-created_at").
    site_id/sector_id: None → the scope's working site/sector (as the task list), "all" → every site.
    """

    task_id: int | str | None = None
    content_id: int | str | None = None
    image_type: str | None = None
    status: str | None = None
    ordering: str | None = None
    site_id: int | str | None = None
    sector_id: int | str | None = None
    q: str | None = None  # part of the alt text, prompt or uploaded file name, any case
    source: str | None = None  # ai | upload


@dataclass
class ContentImagesGroup:
    """The images of one content item: the featured image, then in-article images by position.

    Images that belong to a task but no content form a group with content_id None and task_id set;
    desktop/mobile variants go to `other_images`.
    """

    content_id: int | None
    content_title: str
    task_id: int | None = None
    featured_image: Image | None = None
    in_article_images: list[Image] = field(default_factory=list)
    other_images: list[Image] = field(default_factory=list)

    @property
    def images(self) -> list[Image]:
        """All images of the group in display order (featured first)."""
        head = [self.featured_image] if self.featured_image is not None else []
        return head + self.in_article_images + self.other_images

    @property
    def overall_status(self) -> str:
        """failed if any failed, pending if any pending, generated when all are (as the seed reports)."""
        statuses = {str(image.status) for image in self.images}
        for status in (ImageStatus.FAILED, ImageStatus.PENDING):
            if status in statuses:
                return status.value
        return ImageStatus.GENERATED.value if statuses else ImageStatus.PENDING.value


# ---------------------------------------------------------------- validation helpers


def _filtered(scope: Scope, filters: ImageFilters) -> Select[tuple[Image]]:
    stmt = scoped(scope, Image)
    conditions: list[ColumnElement[bool]] = []
    for name, column in (("task_id", Image.task_id), ("content_id", Image.content_id)):
        value = optional_number(getattr(filters, name), name, minimum=1)
        if value is not None:
            conditions.append(column == value)
    site_id, sector_id = site_sector_filter(scope, filters.site_id, filters.sector_id)
    if site_id is not None:
        conditions.append(Image.site_id == site_id)
    if sector_id is not None:
        conditions.append(Image.sector_id == sector_id)
    if filters.image_type not in (None, ""):
        conditions.append(Image.image_type == choice(ImageType, filters.image_type, "image_type"))
    if filters.status not in (None, ""):
        conditions.append(Image.status == choice(ImageStatus, filters.status, "status"))
    if filters.source not in (None, ""):
        conditions.append(Image.source == choice(ImageSource, filters.source, "source"))
    if term := (filters.q or "").strip()[:200]:
        columns = (Image.alt_text, Image.prompt, Image.original_filename)
        conditions.append(or_(*(column.icontains(term, autoescape=True) for column in columns)))
    return stmt.where(*conditions) if conditions else stmt


_LOAD_OWNERS = (joinedload(Image.content), joinedload(Image.task))


# ---------------------------------------------------------------- reads


def list_images(scope: Scope, filters: ImageFilters, page: int = 1, page_size: int = 25) -> Page[Image]:
    """One page of images (content and task eager-loaded): 2 queries whatever the page size."""
    stmt = apply_ordering(
        _filtered(scope, filters).options(*_LOAD_OWNERS),
        filters.ordering,
        ORDERINGS,
        DEFAULT_ORDERING,
        Image.id,
    )
    return paginate(stmt, page, page_size)


def get_image(scope: Scope, image_id: Any) -> Image:
    """One live image of the account (content and task loaded), or NotFound."""
    return get(scope, Image, image_id, options=_LOAD_OWNERS)


def _group_key_columns() -> tuple[Any, Any]:
    # A group is the content; images without content are grouped by their task instead.
    task_when_no_content = case((Image.content_id.is_(None), Image.task_id), else_=None)
    return Image.content_id, task_when_no_content


def gallery(
    scope: Scope, filters: ImageFilters, page: int = 1, page_size: int = 25
) -> Page[ContentImagesGroup]:
    """A page of content groups (the gallery): 3 queries whatever the number of images.

    Groups are ordered by filters.ordering applied to the group's images (created_at: newest image,
    position: lowest position, id: highest id); inside a group the order is fixed (featured first,
    in-article by position). Only images matching the filters are shown.
    """
    ordering = filters.ordering or DEFAULT_ORDERING
    name = ordering.removeprefix("-")
    aggregates = {
        "created_at": func.max(Image.created_at),
        "position": func.min(Image.position),
        "id": func.max(Image.id),
    }
    if name not in aggregates:
        apply_ordering(select(Image.id), ordering, ORDERINGS, DEFAULT_ORDERING, Image.id)  # names the field
    key_content, key_task = _group_key_columns()
    grouped = _filtered(scope, filters).with_only_columns(key_content, key_task.label("tk"))
    grouped = grouped.group_by(key_content, key_task)
    total = db.session.scalar(select(func.count()).select_from(grouped.subquery())) or 0
    sort, tiebreak = aggregates[name], func.max(Image.id)
    descending = ordering.startswith("-")
    page_stmt = (
        grouped.order_by(
            sort.desc() if descending else sort.asc(), tiebreak.desc() if descending else tiebreak.asc()
        )
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    keys = [(row[0], row[1]) for row in db.session.execute(page_stmt)]
    return Page(items=_groups_for(scope, filters, keys), total=total, page=page, page_size=page_size)


def _groups_for(
    scope: Scope, filters: ImageFilters, keys: Sequence[tuple[int | None, int | None]]
) -> list[ContentImagesGroup]:
    """Load the images of the given group keys in one query and assemble the groups in key order."""
    if not keys:
        return []
    content_ids = [c for c, _ in keys if c is not None]
    task_ids = [t for c, t in keys if c is None and t is not None]
    owner: list[ColumnElement[bool]] = []
    if content_ids:
        owner.append(Image.content_id.in_(content_ids))
    if task_ids:
        owner.append(and_(Image.content_id.is_(None), Image.task_id.in_(task_ids)))
    if (None, None) in keys:
        owner.append(and_(Image.content_id.is_(None), Image.task_id.is_(None)))
    stmt = _filtered(scope, filters).where(or_(*owner)).options(*_LOAD_OWNERS)
    stmt = stmt.order_by(Image.position, Image.id)
    groups = {key: _empty_group(*key) for key in keys}
    for image in db.session.scalars(stmt).unique():
        key = (image.content_id, image.task_id if image.content_id is None else None)
        group = groups.get(key)
        if group is None:
            continue
        _add_to_group(group, image)
    return [groups[key] for key in keys]


def _empty_group(content_id: int | None, task_id: int | None) -> ContentImagesGroup:
    return ContentImagesGroup(content_id=content_id, content_title="", task_id=task_id)


def _add_to_group(group: ContentImagesGroup, image: Image) -> None:
    if not group.content_title:
        owner = image.content or image.task
        group.content_title = owner.title if owner is not None else "Media library"
    if image.task_id and group.task_id is None:
        group.task_id = image.task_id
    if image.image_type == ImageType.FEATURED and group.featured_image is None:
        group.featured_image = image
    elif image.image_type == ImageType.IN_ARTICLE:
        group.in_article_images.append(image)  # already ordered by position, id
    else:  # desktop/mobile variants, or a second featured image
        group.other_images.append(image)


def content_images(
    scope: Scope, content_ids: Sequence[int] | None = None, filters: ImageFilters | None = None
) -> list[ContentImagesGroup]:
    """Images grouped by content (the seed's content_images): one group per content that has images,
    newest content first; `content_ids` (≤ 100) limits it to those content items (unknown ids are
    NotFound). A fixed number of queries whatever the number of images; for pages use `gallery`.
    """
    filters = filters or ImageFilters()
    stmt = _filtered(scope, filters).where(Image.content_id.is_not(None))
    if content_ids is not None:
        if len(content_ids) > MAX_BULK_IDS:
            raise ValidationError.field("content_ids", f"Ask for at most {MAX_BULK_IDS} content ids at once.")
        found = get_many(scope, Content, content_ids)
        stmt = stmt.where(Image.content_id.in_([c.id for c in found]))
    keys_stmt = (
        stmt.with_only_columns(Image.content_id).group_by(Image.content_id).order_by(Image.content_id.desc())
    )
    keys = [(content_id, None) for content_id in db.session.scalars(keys_stmt)]
    return _groups_for(scope, filters, keys)


# ---------------------------------------------------------------- writes


def create_image(
    scope: Scope,
    *,
    image_type: str,
    content_id: int | str | None = None,
    task_id: int | str | None = None,
    site_id: int | str | None = None,
    sector_id: int | str | None = None,
    prompt: str = "",
    alt_text: str = "",
    status: str = ImageStatus.PENDING.value,
    position: int | str = 0,
    image_url: str = "",
    image_path: str = "",
    thumbnail_path: str = "",
    width: int | None = None,
    height: int | None = None,
) -> Image:
    """Add an image (editor+). Attach it to content (preferred) or a task; it takes account, site and
    sector from its owner. Without an owner, explicit site_id/sector_id are validated, else the
    working context is used. image_path/thumbnail_path are MEDIA_ROOT-relative paths returned by
    media.store_image (they must lie in this account's folder).
    """
    scope.require(Role.EDITOR)
    content_key = optional_number(content_id, "content_id", minimum=1)
    task_key = optional_number(task_id, "task_id", minimum=1)
    image = Image(
        account_id=scope.account_id,
        image_type=choice(ImageType, image_type, "image_type"),
        status=choice(ImageStatus, status, "status"),
        position=whole_number(position, "position", minimum=0),
        prompt=(prompt or "").strip(),
        alt_text=_alt_text(alt_text),
        image_url=_url(image_url),
        image_path=_own_media_path(scope, image_path, "image_path"),
        thumbnail_path=_own_media_path(scope, thumbnail_path, "thumbnail_path"),
        width=width,
        height=height,
    )
    owner: Content | Task | None = None
    if content_key is not None:
        owner = image.content = _owner(scope, Content, content_key, "content_id")
        if task_key is not None:
            image.task = _owner(scope, Task, task_key, "task_id")
    elif task_key is not None:
        owner = image.task = _owner(scope, Task, task_key, "task_id")
    if owner is not None:
        image.site_id, image.sector_id = owner.site_id, owner.sector_id
    else:
        site, sector = resolve_site_sector(scope, site_id, sector_id)
        assert sector is not None  # require_sector=True
        image.site_id, image.sector_id = site.id, sector.id
    db.session.add(image)
    db.session.flush()
    audit.record(scope, "image.create", image, image_type=image.image_type, content_id=image.content_id)
    return image


def update_image(scope: Scope, image_id: Any, **changes: Any) -> Image:
    """Change an image's editable fields (editor+): image_type, prompt, alt_text, status, position,
    image_url, error. Any other field is a ValidationError naming it."""
    scope.require(Role.EDITOR)
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"These fields cannot be changed here: {', '.join(unknown)}.",
            {name: ["This field cannot be changed."] for name in unknown},
        )
    image = get_image(scope, image_id)
    cleaners = {
        "image_type": lambda v: choice(ImageType, v, "image_type"),
        "status": lambda v: choice(ImageStatus, v, "status"),
        "position": lambda v: whole_number(v, "position", minimum=0),
        "prompt": lambda v: (v or "").strip(),
        "alt_text": _alt_text,
        "image_url": _url,
        "error": lambda v: (v or "").strip(),
    }
    cleaned = {name: cleaners[name](value) for name, value in changes.items()}
    alt_changed = "alt_text" in cleaned and cleaned["alt_text"] != image.alt_text
    for name, value in cleaned.items():
        setattr(image, name, value)
    db.session.flush()
    if alt_changed:  # the bodies that show the image say the same (services/media/body_images.py)
        from writer_app.services.media.body_images import push_alt_to_bodies

        push_alt_to_bodies(scope, image)
    audit.record(scope, "image.update", image, fields=sorted(cleaned))
    return image


def delete_image(scope: Scope, image_id: Any) -> Image:
    """Soft-delete an image (editor+) that nothing uses: not shown in a body, not a featured image
    (Conflict naming where it is used otherwise). Its files stay until a cleanup removes them."""
    from writer_app.services.media.body_images import used_by

    scope.require(Role.EDITOR)
    image = get_image(scope, image_id)
    if reasons := used_by(scope, image):
        raise Conflict(f"Image {image.id} is in use ({'; '.join(reasons)}): remove it there first.")
    image.deleted_at = utcnow()
    db.session.flush()
    audit.record(scope, "image.delete", image, content_id=image.content_id)
    return image


def bulk_update_status(
    scope: Scope, status: str, *, content_id: int | str | None = None, ids: Sequence[Any] | None = None
) -> int:
    """Set `status` on all images of one content item, or on the images `ids` (≤ 100); exactly one of
    the two. Returns how many images were updated. Unknown or other-account ids are NotFound."""
    scope.require(Role.EDITOR)
    new_status = choice(ImageStatus, status, "status")
    content_key = optional_number(content_id, "content_id", minimum=1)
    if (content_key is None) == (ids is None):
        raise ValidationError.field("ids", "Give exactly one of content_id or ids.")
    if ids is not None:
        if not ids:
            raise ValidationError.field("ids", "Select at least one image.")
        if len(ids) > MAX_BULK_IDS:
            raise ValidationError.field("ids", f"Select at most {MAX_BULK_IDS} images at once.")
        images = get_many(scope, Image, ids)
    else:
        content = get(scope, Content, content_key)
        images = list(db.session.scalars(scoped(scope, Image).where(Image.content_id == content.id)))
    for image in images:
        image.status = new_status
    db.session.flush()
    audit.record(
        scope,
        "image.bulk_status",
        object_type="image",
        status=new_status,
        content_id=content_key,
        ids=[image.id for image in images],
    )
    return len(images)


def image_file(scope: Scope, image_id: Any, thumbnail: bool = False) -> Path:
    """The file of an image of this account (its thumbnail when asked and one exists, else the image).

    NotFound when the image is not the account's, has no stored file, or its path is unsafe: the
    returned path is always an existing file inside MEDIA_ROOT/<account_id>/.
    """
    image = get(scope, Image, image_id)
    prefix = f"{image.account_id}/"
    candidates = [image.thumbnail_path, image.image_path] if thumbnail else [image.image_path]
    for relative in candidates:
        path = media.resolve(relative, prefix=prefix) if relative else None
        if path is not None:
            return path
    raise NotFound(f"Image {image.id} has no file.")


# ---------------------------------------------------------------- small field checks


def _owner(scope: Scope, model: type[Any], key: int, name: str) -> Any:
    try:
        return get(scope, model, key)
    except NotFound:
        label = "Content" if model is Content else "Task"
        raise ValidationError.field(name, f"{label} {key} does not exist in this account.") from None


def _alt_text(value: Any) -> str:
    text = (value or "").strip()
    if len(text) > 500:
        raise ValidationError.field("alt_text", "Keep the alt text under 500 characters.")
    return text


def _url(value: Any) -> str:
    url = (value or "").strip()
    if url and (not url.startswith(("https://", "http://")) or len(url) > 1000):
        raise ValidationError.field(
            "image_url", "image_url must be an http(s) URL of at most 1000 characters."
        )
    return url


def _own_media_path(scope: Scope, value: Any, name: str) -> str:
    relative = (value or "").strip()
    if relative and not relative.startswith(f"{scope.account_id}/"):
        raise ValidationError.field(name, f"{name} must be a file stored for this account.")
    if relative and ".." in relative.split("/"):
        raise ValidationError.field(name, f"{name} must not leave the media folder.")
    return relative
