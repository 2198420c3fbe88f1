"""Images: featured / in-article / desktop / mobile pictures of content (or, for old data, tasks)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Self

from flask import url_for
from pydantic import ConfigDict, Field

from writer_app.api.schemas.common import (
    Count,
    Id,
    IdList,
    In,
    Long,
    Out,
    PageQuery,
    Text,
    orderings,
    partial,
)
from writer_app.models import Image, ImageSource, ImageStatus, ImageType
from writer_app.models.base import as_utc
from writer_app.services.media.images import MAX_BULK_IDS

ImageOrdering = orderings("created_at", "position", "id")
Position = Annotated[int, Field(ge=0, le=100_000)]
Url = Text(1000)


class ImageQuery(PageQuery):
    task_id: Id | None = None
    content_id: Id | None = None
    image_type: ImageType | None = None
    status: ImageStatus | None = None
    site_id: Id | None = None
    sector_id: Id | None = None
    q: Text(200) | None = Field(None, description="Part of the alt text, prompt or uploaded file name.")  # type: ignore[valid-type]
    source: ImageSource | None = None
    ordering: ImageOrdering = "-created_at"  # type: ignore[valid-type]


class ImageUpload(In):
    """An image file (PNG, JPEG, WebP or GIF; its type is read from the bytes, never from the name or
    header; the byte, pixel and frame limits are settings) for the library of `site_id` (default: the
    sector given, else the site's first) or, with `content_id`, for that content as an in-article image."""

    file: bytes = Field(description="The image file.")
    site_id: Id | None = None
    sector_id: Id | None = None
    content_id: Id | None = None
    alt_text: Text(500) = ""  # type: ignore[valid-type]

    @staticmethod
    def max_body_bytes() -> int:
        from flask import current_app

        return int(current_app.config["IMAGE_UPLOAD_MAX_BYTES"]) + 1024 * 1024  # the form around it


class ImageGroupsQuery(In):
    content_id: Id | None = Field(None, description="Only this content's group.")
    image_type: ImageType | None = None
    status: ImageStatus | None = None


class FileQuery(In):
    thumbnail: bool = Field(False, description="Serve the thumbnail when one exists.")


class ImageCreate(In):
    """A new image of content (content_id, preferred) or of a task (task_id): one of them is required,
    and both together must belong together (the content was written from that task), else a 400 naming
    task_id. The image takes its owner's site and sector, as the seed's images do: site_id and sector_id
    are optional and, when sent, must be the owner's (so a site without a sector needs no fallback).
    Files without an owner go to the media library through upload/."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"image_type": "featured", "content_id": 1, "prompt": "A sunny roof"}]
        }
    )

    image_type: ImageType
    content_id: Id | None = None
    task_id: Id | None = None
    site_id: Id | None = Field(None, description="Optional: the owner's site (checked).")
    sector_id: Id | None = Field(None, description="Optional: the owner's sector (checked).")
    prompt: Long = ""
    alt_text: Text(500) = ""  # type: ignore[valid-type]
    status: ImageStatus = ImageStatus.PENDING
    position: Position = 0
    image_url: Url = Field("", description="An http(s) URL of an image stored elsewhere.")  # type: ignore[valid-type]


class ImageUpdate(In):
    """Full update (PUT): image_type is required; fields left out stay as they are."""

    image_type: ImageType
    prompt: Long = ""
    alt_text: Text(500) = ""  # type: ignore[valid-type]
    status: ImageStatus = ImageStatus.PENDING
    position: Position = 0
    image_url: Url = ""  # type: ignore[valid-type]
    error: Long = ""


ImagePatch = partial(ImageUpdate, "ImagePatch", "Partial update (PATCH): only the fields sent change.")


class ImageBulkUpdate(In):
    """Set the status of every image of one content (content_id) or of the given ids (exactly one)."""

    status: ImageStatus
    content_id: Id | None = None
    ids: Annotated[IdList, Field(max_length=MAX_BULK_IDS)] | None = None


class ImageOut(Out):
    id: int
    content_id: int | None
    content_title: str
    task_id: int | None
    task_title: str
    image_type: ImageType
    status: ImageStatus
    image_url: str
    file_url: str | None = Field(description="Where the stored file is served (API, token needed).")
    prompt: str
    alt_text: str
    position: int
    width: int | None
    height: int | None
    error: str
    site_id: int
    sector_id: int
    source: ImageSource
    original_filename: str
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, image: Image) -> Self:
        return cls(
            id=image.id,
            content_id=image.content_id,
            content_title=image.content.title if image.content is not None else "",
            task_id=image.task_id,
            task_title=image.task.title if image.task is not None else "",
            image_type=ImageType(image.image_type),
            status=ImageStatus(image.status),
            image_url=image.image_url or "",
            file_url=url_for("api.images_image_file", image_id=image.id) if image.image_path else None,
            prompt=image.prompt or "",
            alt_text=image.alt_text or "",
            position=image.position,
            width=image.width,
            height=image.height,
            error=image.error or "",
            site_id=image.site_id,
            sector_id=image.sector_id,
            source=ImageSource(image.source),
            original_filename=image.original_filename or "",
            created_at=as_utc(image.created_at),
            updated_at=as_utc(image.updated_at),
        )


class ImageGroupOut(Out):
    """One content's images: the featured image, in-article images by position, then the rest."""

    content_id: int | None
    content_title: str
    featured_image: ImageOut | None
    in_article_images: list[ImageOut]
    other_images: list[ImageOut]
    image_count: Count

    @classmethod
    def of(cls, group: Any) -> Self:
        images = [group.featured_image] if group.featured_image else []
        images += group.in_article_images + group.other_images
        return cls(
            content_id=group.content_id,
            content_title=group.content_title,
            featured_image=ImageOut.of(group.featured_image) if group.featured_image else None,
            in_article_images=[ImageOut.of(i) for i in group.in_article_images],
            other_images=[ImageOut.of(i) for i in group.other_images],
            image_count=len(images),
        )
