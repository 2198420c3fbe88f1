"""The content list: filters, one page with image stats per row, the filtered SELECT (also for exports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, load_only, selectinload

from writer_app.models import (
    Cluster,
    Content,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentTaxonomy,
    ContentType,
    Image,
    ImageStatus,
    ImageType,
    Sector,
    Site,
    User,
    db,
)
from writer_app.services.clusters import site_sector_filter
from writer_app.services.count_cache import CountKey
from writer_app.services.inputs import QueryFilters, optional_choice, optional_number
from writer_app.services.pagination import Page, apply_ordering, paginate
from writer_app.services.scope import Scope, scoped
from writer_app.services.search import contains_text

ORDERING = {
    "title": Content.title,
    "created_at": Content.created_at,
    "updated_at": Content.updated_at,
    "status": Content.status,
}
DEFAULT_ORDERING = "-updated_at"
# The columns the HTML list shows (content/index.html; anything else would load row by row).
SUMMARY_COLUMNS = (
    Content.id,
    Content.account_id,
    Content.site_id,
    Content.sector_id,
    Content.cluster_id,
    Content.title,
    Content.status,
    Content.word_count,
    Content.content_type,
    Content.content_structure,
    Content.source,
    Content.ai_model,
    Content.scheduled_at,
    Content.updated_at,
    Content.last_edited_by_id,
    Content.version,
)


@dataclass
class ContentFilters(QueryFilters):
    """List filters. site_id/sector_id None → the user's working site/sector (the whole account when
    they have none); "all" → no limit (as clusters.site_sector_filter). `all_sites=True` is the same as
    site_id="all". ordering: title | created_at | updated_at | status, "-" prefix for descending."""

    search: str = ""
    status: str | None = None
    cluster_id: int | str | None = None
    content_type: str | None = None
    content_structure: str | None = None
    source: str | None = None
    site_id: int | str | None = None
    sector_id: int | str | None = None
    ordering: str = DEFAULT_ORDERING
    all_sites: bool = False


@dataclass
class ImageStats:
    """Images of one content: whether a featured image exists and counts per status."""

    has_featured_image: bool = False
    total: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: {s.value: 0 for s in ImageStatus})


@dataclass
class ContentPage(Page[Content]):
    """A page of content plus `image_stats[content.id]` (one grouped query for the whole page)."""

    image_stats: dict[int, ImageStats] = field(default_factory=dict)

    def stats(self, content_id: int) -> ImageStats:
        return self.image_stats.get(content_id) or ImageStats()


def filtered_statement(scope: Scope, filters: ContentFilters) -> Select[tuple[Content]]:
    """The SELECT behind the list and the CSV export (validated filters, ordering applied)."""
    stmt = scoped(scope, Content)
    if filters.all_sites:
        site_id, sector_id = None, None
    else:
        site_id, sector_id = site_sector_filter(scope, filters.site_id, filters.sector_id)
    if site_id is not None:
        stmt = stmt.where(Content.site_id == site_id)
    if sector_id is not None:
        stmt = stmt.where(Content.sector_id == sector_id)
    if filters.search.strip():
        stmt = stmt.where(contains_text(Content, filters.search.strip()))
    for column, enum_cls, value, name in (
        (Content.status, ContentStatus, filters.status, "status"),
        (Content.content_type, ContentType, filters.content_type, "content_type"),
        (Content.content_structure, ContentStructure, filters.content_structure, "content_structure"),
        (Content.source, ContentSource, filters.source, "source"),
    ):
        member = optional_choice(enum_cls, value, name)
        if member is not None:
            stmt = stmt.where(column == member)
    cluster_id = None if filters.cluster_id == "all" else optional_number(filters.cluster_id, "cluster_id")
    if cluster_id is not None:
        stmt = stmt.where(Content.cluster_id == cluster_id)
    return apply_ordering(stmt, filters.ordering, ORDERING, DEFAULT_ORDERING, Content.id)


def list_content(
    scope: Scope, filters: ContentFilters, page: int = 1, page_size: int = 25, *, with_html: bool = True
) -> ContentPage:
    """One page of content with the names of its cluster, site, sector and last editor, its taxonomy
    terms, and image stats per row: 4 queries whatever the page holds (the total is cached).

    `with_html=False` (the HTML list) loads only SUMMARY_COLUMNS: a list of titles shows no bodies."""
    # What a list row shows of a term: not its description or metadata (JSON decoded per term).
    terms = selectinload(Content.taxonomy_terms).load_only(
        ContentTaxonomy.name, ContentTaxonomy.slug, ContentTaxonomy.taxonomy_type
    )
    names = (
        joinedload(Content.cluster).load_only(Cluster.name),
        joinedload(Content.site).load_only(Site.name),
        joinedload(Content.sector).load_only(Sector.name),
        joinedload(Content.last_edited_by).load_only(User.name, User.email),
    )
    stmt = filtered_statement(scope, filters).options(*names, terms)
    if with_html:  # the API's full shape
        stmt = stmt.options(
            joinedload(Content.submitted_by).load_only(User.name, User.email),
            joinedload(Content.approved_by).load_only(User.name, User.email),
        )
    else:  # the HTML list: the columns its rows show (no body, no JSON columns to decode)
        stmt = stmt.options(load_only(*SUMMARY_COLUMNS))
    result = paginate(stmt, page, page_size, CountKey.for_list(scope, "content", filters))
    return ContentPage(
        items=result.items,
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        total_is_exact=result.total_is_exact,
        image_stats=image_stats(scope, [c.id for c in result.items]),
    )


def image_stats(scope: Scope, content_ids: list[int]) -> dict[int, ImageStats]:
    """has_featured_image and image counts per status for each content id, in ONE grouped query."""
    stats: dict[int, ImageStats] = {cid: ImageStats() for cid in content_ids}
    if not content_ids:
        return stats
    rows = db.session.execute(
        select(Image.content_id, Image.image_type, Image.status, func.count())
        .where(
            Image.account_id == scope.account_id,
            Image.content_id.in_(content_ids),
            Image.deleted_at.is_(None),
        )
        .group_by(Image.content_id, Image.image_type, Image.status)
    )
    for content_id, image_type, status, count in rows:
        entry = stats[content_id]
        entry.total += count
        entry.by_status[ImageStatus(status).value] += count
        if ImageType(image_type) == ImageType.FEATURED:
            entry.has_featured_image = True
    return stats
