"""The media library: images members upload, per site, and the featured image chosen from it.

Uploads are checked and re-encoded by `media.clean_upload` (format sniffed by Pillow, byte, pixel and
frame limits, EXIF dropped) and stored under MEDIA_ROOT with random names. An upload made from a
content's editor belongs to that content (an in-article image); one made in the library belongs to the
site only, without content or task — the deliberate exception to "an image belongs to content or a
task" (its sector is the working one when it lies in the site, else the site's first).
Services flush, never commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from writer_app.models import Content, Image, ImageSource, ImageStatus, ImageType, Role, Sector, db
from writer_app.services import audit
from writer_app.services.errors import NotFound, ValidationError
from writer_app.services.media import files as media
from writer_app.services.media import images
from writer_app.services.scope import Scope, get, resolve_site_sector


def _library_sector(scope: Scope, site_id: Any, sector_id: Any) -> tuple[int, int]:
    if sector_id not in (None, ""):
        site, sector = resolve_site_sector(scope, site_id, sector_id)
        assert sector is not None
        return site.id, sector.id
    site, _ = resolve_site_sector(scope, site_id, None, require_sector=False)
    if scope.sector_id is not None and scope.site_id == site.id:
        return site.id, scope.sector_id
    first = db.session.scalar(select(Sector.id).where(Sector.site_id == site.id).order_by(Sector.id))
    if first is None:
        raise ValidationError.field("site_id", f"Site “{site.name}” has no sector yet; add one first.")
    return site.id, first


def upload_image(
    scope: Scope,
    *,
    data: bytes,
    filename: str = "",
    site_id: Any = None,
    sector_id: Any = None,
    content_id: Any = None,
    alt_text: str = "",
) -> Image:
    """Store an uploaded image (editor+): for `content_id` as one of its in-article images, else in the
    library of `site_id` (default: the working site). A bad file is a ValidationError on "file"."""
    scope.require(Role.EDITOR)
    owner: dict[str, Any] = {}
    if content_id not in (None, ""):
        try:
            content = get(scope, Content, content_id)
        except NotFound:
            raise ValidationError.field(
                "content_id", f"Content {content_id} does not exist in this account."
            ) from None
        owner = {"content_id": content.id}
        site = content.site_id
    else:
        site, sector = _library_sector(scope, site_id, sector_id)
        owner = {"site_id": site, "sector_id": sector}
    name = media.original_name(filename)
    cleaned = media.clean_upload(data, media.upload_limits())
    stored = media.store_image(scope.account_id, site, "upload", cleaned)  # a random name on disk
    image = images.create_image(
        scope,
        image_type=ImageType.IN_ARTICLE.value,
        alt_text=alt_text,
        status=ImageStatus.GENERATED.value,
        image_path=stored.path,
        thumbnail_path=stored.thumbnail_path,
        width=stored.width,
        height=stored.height,
        **owner,
    )
    image.source, image.original_filename = ImageSource.UPLOAD, name
    db.session.flush()
    audit.record(scope, "image.upload", image, file_name=name, bytes=len(cleaned))
    return image


def choose_featured(scope: Scope, content_id: Any, image_id: Any) -> Content:
    """Use a generated image of the content's site as its featured image (editor+); None goes back to
    the content's newest generated featured image."""
    from writer_app.services.content import get_content

    scope.require(Role.EDITOR)
    content = get_content(scope, content_id)
    chosen: int | None = None
    if image_id not in (None, ""):
        try:
            image = images.get_image(scope, image_id)
        except NotFound:
            raise ValidationError.field(
                "image_id", f"Image {image_id} does not exist in this account."
            ) from None
        if image.site_id != content.site_id:
            raise ValidationError.field("image_id", "Choose an image of the content's own site.")
        if image.status != ImageStatus.GENERATED or not image.image_path:
            raise ValidationError.field("image_id", "This image has no file yet.")
        chosen = image.id
    if content.featured_image_id != chosen:
        content.featured_image_id = chosen
        db.session.flush()
        audit.record(scope, "content.featured_image", content, image_id=chosen)
    return content


def pickable(scope: Scope, content_id: Any, q: str = "", limit: int = 60) -> list[Image]:
    """Images an editor may insert into a content's body: its own generated in-article images first,
    then the generated images of its site's library (newest first), matching `q` when given."""
    from writer_app.services.content import get_content

    content = get_content(scope, content_id)
    filters = images.ImageFilters(site_id=content.site_id, sector_id="all", status="generated", q=q or None)
    found = images.list_images(scope, filters, 1, 100).items
    mine = [i for i in found if i.content_id == content.id and i.image_path]
    library = [i for i in found if i.content_id is None and i.task_id is None and i.image_path]
    return (sorted(mine, key=lambda i: (i.position, i.id)) + library)[:limit]
