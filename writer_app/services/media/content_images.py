"""One content's images as the gallery shows them: the featured one (a library image chosen as featured
wins), in-article ones by position, then the rest."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam

from writer_app.models import Content, Image, ImageType, db
from writer_app.services.content import get_content
from writer_app.services.scope import Scope, scope_params, scoped_once


@dataclass
class ContentImages:
    """Images of one content, grouped as the gallery shows them."""

    featured: Image | None
    in_article: list[Image]  # by position
    other: list[Image]  # desktop/mobile variants and extra featured candidates

    @property
    def all(self) -> list[Image]:
        return ([self.featured] if self.featured else []) + self.in_article + self.other


def _library_featured(scope: Scope, content: Content) -> Image | None:
    """The library image chosen as the content's featured image, while it is live and of its site."""
    if content.featured_image_id is None:
        return None
    image = db.session.get(Image, content.featured_image_id)
    if image is None or image.account_id != scope.account_id or image.deleted_at is not None:
        return None
    return image if image.site_id == content.site_id else None


@cache
def _content_images() -> Select[tuple[Image]]:
    # On every review page: built once, run with the scope's account and the content.
    return (
        scoped_once(Image)
        .where(Image.content_id == bindparam("content_id"))
        .order_by(Image.position, Image.created_at.desc(), Image.id)
    )


def content_images(scope: Scope, content_id: Any, *, content: Content | None = None) -> ContentImages:
    """The content's live images: the newest featured one, in-article ones by position, then the rest.
    `content`: the content already read (through get_content) by the caller."""
    if content is None or content.id != content_id:
        content = get_content(scope, content_id)
    images = list(db.session.scalars(_content_images(), scope_params(scope, content_id=content.id)))
    featured_all = sorted(
        (i for i in images if i.image_type == ImageType.FEATURED), key=lambda i: i.id, reverse=True
    )
    featured = featured_all[0] if featured_all else None
    chosen = _library_featured(scope, content)
    if chosen is not None:  # a library image chosen as featured wins over generated ones
        featured_all = [chosen] + [i for i in featured_all if i.id != chosen.id]
        featured = chosen
    in_article = [i for i in images if i.image_type == ImageType.IN_ARTICLE and i is not featured]
    other = [
        i
        for i in images
        if i.image_type not in (ImageType.FEATURED, ImageType.IN_ARTICLE) and i is not featured
    ]
    return ContentImages(featured, in_article, featured_all[1:] + other)
