"""The API's content list: one summary per row, without the article (`html`) or WordPress metadata.

Read as plain rows (one SELECT of the columns a summary shows, with cluster, sector and the three
users' names joined), the terms and image stats of the page in one query each: the ORM objects and the
article bodies cost more than everything else the list answers (273 KB a 50-row page with bodies).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import aliased

from writer_app.models import Cluster, Content, ContentTaxonomy, ContentTaxonomyRelation, Sector, User
from writer_app.services import plain_reads
from writer_app.services.content_list import (
    ContentFilters,
    ContentPage,
    image_stats,
    list_statements,
)
from writer_app.services.count_cache import CountKey
from writer_app.services.pagination import PageRows, paginate
from writer_app.services.scope import Scope
from writer_app.services.statement_cache import kept, list_key

# Content's own columns in a summary (names as on Content); `html` and `external_metadata` are only
# on the detail endpoint.
COLUMNS = (
    Content.id,
    Content.title,
    Content.word_count,
    Content.meta_title,
    Content.meta_description,
    Content.primary_keyword,
    Content.secondary_keywords,
    Content.slug,
    Content.cluster_id,
    Content.task_id,
    Content.content_type,
    Content.content_structure,
    Content.source,
    Content.status,
    Content.external_id,
    Content.external_url,
    Content.external_type,
    Content.sync_status,
    Content.scheduled_at,
    Content.published_at,
    Content.site_id,
    Content.sector_id,
    Content.has_unpublished_changes,
    Content.published_revision,
    Content.last_edited_by_id,
    Content.last_edited_at,
    Content.submitted_by_id,
    Content.submitted_at,
    Content.approved_by_id,
    Content.approved_at,
    Content.version,
    Content.created_at,
    Content.updated_at,
)
KEYS = tuple(column.key for column in COLUMNS)
# Who edited, submitted and approved it: `<person>_id` on Content, each joined to its own User alias.
PEOPLE = ("last_edited_by", "submitted_by", "approved_by")


def list_summaries(scope: Scope, filters: ContentFilters, page: int = 1, page_size: int = 25) -> ContentPage:
    """One page of content summaries (dicts: COLUMNS by name, `cluster_name`, `sector_name`,
    `<person>_name` for PEOPLE, `terms` as (id, name, slug, taxonomy_type)) plus image stats per row;
    4 queries whatever the page holds (the total is cached), the same rows and order as list_content."""
    key = list_key("content summaries", scope, filters)
    stmt, rows = kept(key, lambda: _statements(scope, filters))
    result = paginate(stmt, page, page_size, CountKey.for_list(scope, "content", filters), rows=rows)
    by_id = {item["id"]: item for item in result.items}
    if by_id:  # the terms of the whole page in one query, in the relationship's order (by name)
        for content_id, *term in plain_reads.rows(_page_terms(), {"ids": list(by_id)}):
            by_id[content_id]["terms"].append(tuple(term))
    return ContentPage(
        items=result.items,
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        total_is_exact=result.total_is_exact,
        image_stats=image_stats(scope, list(by_id)),
    )


def _summary(row: Any) -> dict[str, Any]:
    n = len(COLUMNS)
    item = dict(zip(KEYS, row, strict=False))
    item["cluster_name"], item["sector_name"] = row[n], row[n + 1]
    for i, person in enumerate(PEOPLE):
        # display_name: the name, else the email; no user, no name
        name, email = row[n + 2 + 2 * i], row[n + 3 + 2 * i]
        item[f"{person}_name"] = (name or email) if item[f"{person}_id"] is not None else None
    item["terms"] = []
    return item


def _statements(scope: Scope, filters: ContentFilters) -> tuple[Select[Any], PageRows[dict[str, Any]]]:
    users = [aliased(User) for _ in PEOPLE]
    rows = select(*COLUMNS, Cluster.name, Sector.name, *(c for u in users for c in (u.name, u.email)))
    rows = rows.select_from(Content).outerjoin(Cluster, Cluster.id == Content.cluster_id)
    rows = rows.outerjoin(Sector, Sector.id == Content.sector_id)
    for person, user in zip(PEOPLE, users, strict=True):
        rows = rows.outerjoin(user, user.id == getattr(Content, f"{person}_id"))
    return list_statements(scope, filters, rows, _summary)


@cache
def _page_terms() -> Select[Any]:
    """The terms of a page's content (`ids`) as a summary shows them, by name."""
    return (
        select(
            ContentTaxonomyRelation.content_id,
            ContentTaxonomy.id,
            ContentTaxonomy.name,
            ContentTaxonomy.slug,
            ContentTaxonomy.taxonomy_type,
        )
        .join(ContentTaxonomy, ContentTaxonomy.id == ContentTaxonomyRelation.taxonomy_id)
        .where(plain_reads.among(ContentTaxonomyRelation.content_id))
        .order_by(ContentTaxonomy.name)
    )
