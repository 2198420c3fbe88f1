"""/api/v1/writer/images/: list, create, read, update, soft delete, the file, bulk status, groups."""

from __future__ import annotations

from typing import Any

from flask import request, send_file

from writer_app.api.core import route
from writer_app.api.schemas.common import Changed
from writer_app.api.schemas.images import (
    FileQuery,
    ImageBulkUpdate,
    ImageCreate,
    ImageGroupOut,
    ImageGroupsQuery,
    ImageOut,
    ImagePatch,
    ImageQuery,
    ImageUpdate,
    ImageUpload,
)
from writer_app.models import Role
from writer_app.services.media import files as media
from writer_app.services.media import image_groups, images
from writer_app.services.media import library as media_library
from writer_app.services.scope import Scope

BASE = "/writer/images/"
ITEM = "/writer/images/<int:image_id>/"
TAG = "images"


@route(BASE, "GET", summary="List images", tag=TAG, query=ImageQuery, response=ImageOut, paged=True)
def list_images(scope: Scope, query: ImageQuery) -> Any:
    filters = images.ImageFilters(**query.model_dump(exclude={"page", "page_size"}))
    return images.list_images(scope, filters, query.page, query.page_size)


@route(
    BASE,
    "POST",
    summary="Add an image",
    tag=TAG,
    role=Role.EDITOR,
    body=ImageCreate,
    response=ImageOut,
    status=201,
)
def create_image(scope: Scope, body: ImageCreate) -> Any:
    image = images.create_image(scope, **body.model_dump(), owner_required=True)
    return images.get_image(scope, image.id)


@route(
    BASE + "upload/",
    "POST",
    summary="Upload an image (multipart)",
    tag=TAG,
    role=Role.EDITOR,
    form=ImageUpload,
    response=ImageOut,
    status=201,
)
def upload_image(scope: Scope, form: ImageUpload) -> Any:
    """A file that is not a complete PNG/JPEG/WebP/GIF within the limits is a 400 naming `file`.
    EXIF and other metadata are dropped (the image is re-encoded); the file gets a random name."""
    image = media_library.upload_image(
        scope,
        data=form.file,
        filename=_file_name(),
        site_id=form.site_id,
        sector_id=form.sector_id,
        content_id=form.content_id,
        alt_text=form.alt_text,
    )
    return images.get_image(scope, image.id)


def _file_name() -> str:
    part = request.files.get("file")
    return part.filename or "" if part is not None else ""


@route(ITEM, "GET", summary="Read an image", tag=TAG, response=ImageOut)
def get_image(scope: Scope, image_id: int) -> Any:
    return images.get_image(scope, image_id)


@route(
    ITEM,
    "PUT",
    summary="Replace an image's fields",
    tag=TAG,
    role=Role.EDITOR,
    body=ImageUpdate,
    response=ImageOut,
)
def put_image(scope: Scope, image_id: int, body: ImageUpdate) -> Any:
    return images.update_image(scope, image_id, **body.model_dump(exclude_unset=True))


@route(
    ITEM,
    "PATCH",
    summary="Change some fields of an image",
    tag=TAG,
    role=Role.EDITOR,
    body=ImagePatch,
    response=ImageOut,
)
def patch_image(scope: Scope, image_id: int, body: Any) -> Any:
    return images.update_image(scope, image_id, **body.model_dump(exclude_unset=True))


@route(ITEM, "DELETE", summary="Delete an image (soft)", tag=TAG, role=Role.EDITOR, status=204)
def delete_image(scope: Scope, image_id: int) -> None:
    images.delete_image(scope, image_id)


# The concrete types a stored file is served as (png, jpeg, webp, gif), each declared in the document.
FILE_TYPES = " ".join(dict.fromkeys(media.MIMETYPES.values()))


@route(ITEM + "file/", "GET", summary="The image file", tag=TAG, query=FileQuery, media_type=FILE_TYPES)
def image_file(scope: Scope, image_id: int, query: FileQuery) -> Any:
    """404 when the image has no stored file."""
    path = images.image_file(scope, image_id, thumbnail=query.thumbnail)
    response = send_file(path, mimetype=media.mimetype_for(path), max_age=3600)
    # Only the token's account may see it: no shared cache (proxy, CDN) may keep a copy.
    response.cache_control.public = False
    response.cache_control.private = True
    response.vary.add("Authorization")
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@route(
    BASE + "bulk_update/",
    "POST",
    summary="Set the status of a content's images or of ids",
    tag=TAG,
    role=Role.EDITOR,
    body=ImageBulkUpdate,
    response=Changed,
)
def bulk_update(scope: Scope, body: ImageBulkUpdate) -> Any:
    count = images.bulk_update_status(scope, body.status, content_id=body.content_id, ids=body.ids)
    return Changed(count=count)


@route(
    BASE + "content_images/",
    "GET",
    summary="Images grouped by content",
    tag=TAG,
    query=ImageGroupsQuery,
    response=ImageGroupOut,
    many=True,
)
def content_images(scope: Scope, query: ImageGroupsQuery) -> Any:
    """One group per content that has images, newest content first."""
    filters = images.ImageFilters(image_type=query.image_type, status=query.status)
    content_ids = [query.content_id] if query.content_id else None
    return image_groups.content_images(scope, content_ids, filters)
