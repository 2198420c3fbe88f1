"""Images grouped by content: the gallery's pages and the seed's content_images (split from images.py;
same rules: every function takes a Scope, other accounts' ids are NotFound)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select

from writer_app.models import Content, Image, ImageStatus, ImageType, db
from writer_app.services.errors import ValidationError
from writer_app.services.media.images import (
    DEFAULT_ORDERING,
    LOAD_OWNERS,
    MAX_BULK_IDS,
    ORDERINGS,
    ImageFilters,
    filtered_images,
)
from writer_app.services.pagination import Page, apply_ordering
from writer_app.services.scope import Scope, get_many


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
    grouped = filtered_images(scope, filters).with_only_columns(key_content, key_task.label("tk"))
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
    stmt = filtered_images(scope, filters).where(or_(*owner)).options(*LOAD_OWNERS)
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
    stmt = filtered_images(scope, filters).where(Image.content_id.is_not(None))
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
