"""Images of content (featured, desktop, mobile, in-article): list, edit, bulk status, and their files
(served only through the scope). Grouping by content (the gallery): image_groups.py.

Every function takes a Scope; other accounts' ids are NotFound. Writes need the editor role.
Services flush, never commit: the view, API handler or job commits once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Select, or_
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


# ---------------------------------------------------------------- validation helpers


def filtered_images(scope: Scope, filters: ImageFilters) -> Select[tuple[Image]]:
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


LOAD_OWNERS = (joinedload(Image.content), joinedload(Image.task))


# ---------------------------------------------------------------- reads


def list_images(scope: Scope, filters: ImageFilters, page: int = 1, page_size: int = 25) -> Page[Image]:
    """One page of images (content and task eager-loaded): 2 queries whatever the page size."""
    stmt = apply_ordering(
        filtered_images(scope, filters).options(*LOAD_OWNERS),
        filters.ordering,
        ORDERINGS,
        DEFAULT_ORDERING,
        Image.id,
    )
    return paginate(stmt, page, page_size)


def get_image(scope: Scope, image_id: Any) -> Image:
    """One live image of the account (content and task loaded), or NotFound."""
    return get(scope, Image, image_id, options=LOAD_OWNERS)


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
    owner_required: bool = False,
) -> Image:
    """Add an image (editor+). Attach it to content (preferred) or a task; it takes account, site and
    sector from its owner (given site_id/sector_id must then be the owner's). Content and task given
    together must belong together (the content was written from that task). Without an owner (a
    library image; refused when `owner_required`, as the API's create is), explicit site_id/sector_id
    are validated, else the working context is used. image_path/thumbnail_path are MEDIA_ROOT-relative
    paths returned by media.store_image (they must lie in this account's folder).
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
            _same_task(owner, image.task)
    elif task_key is not None:
        owner = image.task = _owner(scope, Task, task_key, "task_id")
    elif owner_required:
        raise ValidationError.field(
            "content_id",
            "Give content_id (preferred) or task_id: an image belongs to content or a task "
            "(files for the media library: upload/).",
        )
    if owner is not None:
        _owners_place(owner, site_id, sector_id)
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


def _same_task(content: Content, task: Task) -> None:
    if content.task_id != task.id:
        origin = f"task {content.task_id}" if content.task_id else "no task"
        raise ValidationError.field(
            "task_id",
            f"Content {content.id} was written from {origin}, not task {task.id}: "
            "give content_id alone, or with its own task.",
        )


def _owners_place(owner: Content | Task, site_id: Any, sector_id: Any) -> None:
    """The image lives where its owner does; a site_id/sector_id sent along must say the same."""
    label = "Content" if isinstance(owner, Content) else "Task"
    for name, given, actual in (
        ("site_id", site_id, owner.site_id),
        ("sector_id", sector_id, owner.sector_id),
    ):
        if given not in (None, "") and optional_number(given, name, minimum=1) != actual:
            raise ValidationError.field(
                name,
                f"{label} {owner.id} is in {name.removesuffix('_id')} {actual}; leave {name} out or send that.",
            )


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
