"""/api/v1/writer/content/: list, create, read, update, soft delete, taxonomy terms, grouped images.

Publishing, WordPress status, validation, metadata and image-prompt actions arrive with their
services (add a module per resource group, see api/__init__.py).
"""

from __future__ import annotations

from typing import Any

from writer_app.api.core import route
from writer_app.api.schemas.content import (
    ContentCreate,
    ContentImagesOut,
    ContentOut,
    ContentPatch,
    ContentQuery,
    ContentSummary,
    ContentUpdate,
    TermChanges,
)
from writer_app.api.schemas.images import ImageOut
from writer_app.models import Role
from writer_app.services import content as content_service
from writer_app.services import content_summaries, content_terms
from writer_app.services.media.content_images import content_images
from writer_app.services.pagination import Page, page_params
from writer_app.services.scope import Scope

BASE = "/writer/content/"
ITEM = "/writer/content/<int:content_id>/"
TAG = "content"


def _with_stats(scope: Scope, content_id: int) -> tuple[Any, Any]:
    """The content and its image stats, as ContentOut reads them."""
    content = content_service.get_content(scope, content_id)
    return content, content_service.image_stats(scope, [content.id])[content.id]


@route(BASE, "GET", summary="List content", tag=TAG, query=ContentQuery, response=ContentSummary, paged=True)
def list_content(scope: Scope, query: ContentQuery) -> Any:
    """Summaries: without `html` and `external_metadata` (read one content for those)."""
    # No site_id/sector_id: the whole account (an API scope has no working site); given: only those.
    filters = content_service.ContentFilters(**query.model_dump(exclude={"page", "page_size"}))
    page_number, size = page_params(query.page, query.page_size)
    found = content_summaries.list_summaries(scope, filters, page_number, size)
    pairs = [(row, found.stats(row["id"])) for row in found.items]
    return Page(
        items=pairs,
        total=found.total,
        page=found.page,
        page_size=found.page_size,
        total_is_exact=found.total_is_exact,
    )


@route(
    BASE,
    "POST",
    summary="Create content",
    tag=TAG,
    role=Role.EDITOR,
    body=ContentCreate,
    response=ContentOut,
    status=201,
)
def create_content(scope: Scope, body: ContentCreate) -> Any:
    content = content_service.create_content(scope, **body.model_dump())
    return _with_stats(scope, content.id)


@route(ITEM, "GET", summary="Read content", tag=TAG, response=ContentOut)
def get_content(scope: Scope, content_id: int) -> Any:
    return _with_stats(scope, content_id)


def _update(scope: Scope, content_id: int, body: Any) -> Any:
    changes = body.model_dump(exclude_unset=True)
    version = changes.pop("version", None)
    content_service.update_content(scope, content_id, version, **changes)
    return _with_stats(scope, content_id)


@route(
    ITEM,
    "PUT",
    summary="Replace content",
    tag=TAG,
    role=Role.EDITOR,
    body=ContentUpdate,
    response=ContentOut,
    errors=(409,),
)
def put_content(scope: Scope, content_id: int, body: ContentUpdate) -> Any:
    """409 when `version` is not the current one (someone saved in between)."""
    return _update(scope, content_id, body)


@route(
    ITEM,
    "PATCH",
    summary="Change some fields of content",
    tag=TAG,
    role=Role.EDITOR,
    body=ContentPatch,
    response=ContentOut,
    errors=(409,),
)
def patch_content(scope: Scope, content_id: int, body: Any) -> Any:
    """409 when `version` is not the current one (someone saved in between)."""
    return _update(scope, content_id, body)


@route(ITEM, "DELETE", summary="Delete content (soft)", tag=TAG, role=Role.EDITOR, status=204)
def delete_content(scope: Scope, content_id: int) -> None:
    content_service.delete_content(scope, content_id)


@route(
    ITEM + "taxonomy_terms/",
    "POST",
    summary="Add and remove categories and tags",
    tag=TAG,
    role=Role.EDITOR,
    body=TermChanges,
    response=ContentOut,
)
def taxonomy_terms(scope: Scope, content_id: int, body: TermChanges) -> Any:
    """Terms must belong to the content's site (else 400 naming `add`)."""
    content_terms.set_taxonomy_terms(scope, content_id, add=body.add, remove=body.remove)
    return _with_stats(scope, content_id)


@route(ITEM + "images/", "GET", summary="The content's images, grouped", tag=TAG, response=ContentImagesOut)
def images(scope: Scope, content_id: int) -> Any:
    content = content_service.get_content(scope, content_id)
    grouped = content_images(scope, content_id)
    return ContentImagesOut(
        content_id=content.id,
        content_title=content.title,
        featured_image=ImageOut.of(grouped.featured) if grouped.featured else None,
        in_article_images=[ImageOut.of(i) for i in grouped.in_article],
        other_images=[ImageOut.of(i) for i in grouped.other],
    )
