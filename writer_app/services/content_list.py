"""The content list: filters, one page with image stats per row, the filtered SELECT (also for exports)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, func, select

from writer_app.models import (
    Cluster,
    Content,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentTaxonomy,
    ContentTaxonomyRelation,
    ContentType,
    Image,
    ImageStatus,
    ImageType,
    Sector,
    Site,
    User,
)
from writer_app.services import plain_reads
from writer_app.services.clusters import site_sector_filter
from writer_app.services.count_cache import CountKey
from writer_app.services.inputs import QueryFilters, optional_choice, optional_number
from writer_app.services.pagination import Page, PageRows, apply_ordering, page_by_ids, paginate
from writer_app.services.scope import Scope, scope_params, scoped, scoped_once
from writer_app.services.search import contains_text, reads_every_match
from writer_app.services.statement_cache import kept, list_key

T = TypeVar("T")

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


# Every image status, in order: each row of a list page starts from these (iterating the enum and
# reading each member's value costs more than the row's own numbers).
IMAGE_STATUSES = tuple(status.value for status in ImageStatus)


@dataclass
class ImageStats:
    """Images of one content: whether a featured image exists and counts per status."""

    has_featured_image: bool = False
    total: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(IMAGE_STATUSES, 0))


@dataclass
class ContentPage(Page[Content]):
    """A page of content plus `image_stats[content.id]` (one grouped query for the whole page)."""

    image_stats: dict[int, ImageStats] = field(default_factory=dict)

    def stats(self, content_id: int) -> ImageStats:
        return self.image_stats.get(content_id) or ImageStats()


def filtered_statement(
    scope: Scope, filters: ContentFilters, *, many: bool = False
) -> Select[tuple[Content]]:
    """The SELECT behind the list and the CSV export (validated filters, ordering applied); `many`:
    shaped for a search with many matches (search.contains_text)."""
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
        stmt = stmt.where(contains_text(Content, filters.search.strip(), many=many))
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


def list_content(scope: Scope, filters: ContentFilters, page: int = 1, page_size: int = 25) -> ContentPage:
    """One page of ContentRow items (SUMMARY_COLUMNS, no bodies) with the names of their cluster, site,
    sector and last editor, their taxonomy terms, and image stats per row: 4 queries whatever the page
    holds (the total is cached). The API's list reads its own summaries (services/content_summaries.py)."""
    return _summary_page(scope, filters, page, page_size)


def _with_stats(scope: Scope, result: Page[Any]) -> ContentPage:
    return ContentPage(
        items=result.items,
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        total_is_exact=result.total_is_exact,
        image_stats=image_stats(scope, [c.id for c in result.items]),
    )


class Named(NamedTuple):
    """A listed item's cluster, site, sector or taxonomy term: what a row shows of it."""

    id: int
    name: str


class Editor(NamedTuple):
    id: int
    name: str
    email: str

    @property
    def display_name(self) -> str:
        return self.name or self.email


class ContentRow:
    """A content item as the HTML list shows it: SUMMARY_COLUMNS (same names and types as Content's)
    plus its cluster, site, sector, last editor and terms. Read-only, built from plain SELECTs: the
    ORM's objects cost more per row than the row."""

    taxonomy_terms: list[Named]

    def __init__(self, values: dict[str, Any], names: tuple[Named, Named, Named], editor: Editor | None):
        self.__dict__.update(values)
        self.cluster, self.site, self.sector = names
        self.last_edited_by = editor
        self.taxonomy_terms = []

    @property
    def is_offline_draft(self) -> bool:
        return self.ai_model == "offline"  # type: ignore[attr-defined]


def _content_row(row: Any) -> ContentRow:
    n = len(SUMMARY_COLUMNS)
    values = {column.key: row[i] for i, column in enumerate(SUMMARY_COLUMNS)}
    names = (
        Named(values["cluster_id"], row[n]),
        Named(values["site_id"], row[n + 1]),
        Named(values["sector_id"], row[n + 2]),
    )
    editor = Editor(row[n + 3], row[n + 4], row[n + 5]) if row[n + 3] is not None else None
    return ContentRow(values, names, editor)


def _summary_page(scope: Scope, filters: ContentFilters, page: int, page_size: int) -> ContentPage:
    stmt, rows = kept(list_key("content", scope, filters), lambda: _statements(scope, filters))
    result = paginate(stmt, page, page_size, CountKey.for_list(scope, "content", filters), rows=rows)
    by_id = {item.id: item for item in result.items}
    if by_id:  # the terms of the whole page in one query, in the relationship's order (by name)
        for content_id, term_id, name in plain_reads.rows(_page_terms(), {"ids": list(by_id)}):
            by_id[content_id].taxonomy_terms.append(Named(term_id, name))
    return _with_stats(scope, result)


def _statements(scope: Scope, filters: ContentFilters) -> tuple[Select[Any], PageRows[ContentRow]]:
    rows = (
        select(*SUMMARY_COLUMNS, Cluster.name, Site.name, Sector.name, User.id, User.name, User.email)
        .select_from(Content)
        .outerjoin(Cluster, Cluster.id == Content.cluster_id)
        .outerjoin(Site, Site.id == Content.site_id)
        .outerjoin(Sector, Sector.id == Content.sector_id)
        .outerjoin(User, User.id == Content.last_edited_by_id)
    )
    return list_statements(scope, filters, rows, _content_row)


def list_statements(
    scope: Scope, filters: ContentFilters, rows: Select[Any], make: Callable[[Any], T]
) -> tuple[Select[Any], PageRows[T]]:
    """The counted SELECT and how its pages are read as `rows` (plain columns and their joins) made
    into items by `make`: when a search matches few rows, when it matches many (MANY_MATCHES), and
    with the total of a search that reads every match (pagination.PageRows)."""

    def order(stmt: Select[Any]) -> Select[Any]:
        return apply_ordering(stmt, filters.ordering, ORDERING, DEFAULT_ORDERING, Content.id)

    def limited(source: Select[Any], with_total: bool = False) -> Select[Any]:
        return page_by_ids(rows, source.whereclause, Content.id, order, with_total=with_total)

    stmt = filtered_statement(scope, filters)
    counted = limited(stmt, with_total=True) if reads_every_match(filters.search) else None
    many = limited(filtered_statement(scope, filters, many=True))
    return stmt, PageRows(limited(stmt), make, many, counted)


@cache
def _page_terms() -> Select[Any]:
    """The terms of a page's content (`ids`), in the relationship's order (by name)."""
    return (
        select(ContentTaxonomyRelation.content_id, ContentTaxonomy.id, ContentTaxonomy.name)
        .join(ContentTaxonomy, ContentTaxonomy.id == ContentTaxonomyRelation.taxonomy_id)
        .where(plain_reads.among(ContentTaxonomyRelation.content_id))
        .order_by(ContentTaxonomy.name)
    )


@cache
def _image_counts() -> Select[Any]:
    return (
        scoped_once(Image)
        .where(plain_reads.among(Image.content_id))
        .with_only_columns(Image.content_id, Image.image_type, Image.status, func.count())
        .group_by(Image.content_id, Image.image_type, Image.status)
    )


def image_stats(scope: Scope, content_ids: list[int]) -> dict[int, ImageStats]:
    """has_featured_image and image counts per status for each content id, in ONE grouped query."""
    stats: dict[int, ImageStats] = {cid: ImageStats() for cid in content_ids}
    if not content_ids:
        return stats
    rows = plain_reads.rows(_image_counts(), scope_params(scope, ids=content_ids))
    for content_id, image_type, status, count in rows:
        entry = stats[content_id]
        entry.total += count
        entry.by_status[status] += count  # a StrEnum member is its value as a key
        if image_type == ImageType.FEATURED:
            entry.has_featured_image = True
    return stats
