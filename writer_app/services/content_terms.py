"""A content's categories and tags (editor+): the terms of its site only."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, select

from writer_app.models import ContentTaxonomy, ContentTaxonomyRelation, Role, TaxonomyType, db
from writer_app.services import audit, plain_reads
from writer_app.services.content import get_content
from writer_app.services.errors import NotFound, ValidationError
from writer_app.services.scope import Scope, get_many, scope_params, scoped_once


def set_taxonomy_terms(
    scope: Scope, content_id: Any, add: list[int] | None = None, remove: list[int] | None = None
) -> list[ContentTaxonomy]:
    """Add and remove categories/tags of one content (editor+); terms must belong to its site.
    Returns the content's terms afterwards, ordered by name."""
    scope.require(Role.EDITOR)
    content = get_content(scope, content_id)
    add_terms = _terms(scope, add or [], "add")
    remove_ids = {t.id for t in _terms(scope, remove or [], "remove")}
    foreign = [t.name for t in add_terms if t.site_id != content.site_id]
    if foreign:
        raise ValidationError.field("add", f"Not terms of this content's site: {', '.join(foreign)}.")
    present = set(
        db.session.scalars(
            select(ContentTaxonomyRelation.taxonomy_id).where(
                ContentTaxonomyRelation.content_id == content.id
            )
        )
    )
    added = [t for t in add_terms if t.id not in present and t.id not in remove_ids]
    for term in added:
        db.session.add(ContentTaxonomyRelation(content_id=content.id, taxonomy_id=term.id))
    removed = remove_ids & present
    if removed:
        db.session.execute(
            delete(ContentTaxonomyRelation).where(
                ContentTaxonomyRelation.content_id == content.id,
                ContentTaxonomyRelation.taxonomy_id.in_(removed),
            )
        )
    if added or removed:
        audit.record(scope, "content.terms", content, added=[t.id for t in added], removed=sorted(removed))
    db.session.flush()
    db.session.expire(content, ["taxonomy_terms"])
    return list(content.taxonomy_terms)


def term_choices(scope: Scope, site_id: int, exclude: set[int]) -> dict[str, list[tuple[int, str]]]:
    """The site's categories and tags but `exclude`, as (id, name) by name under "category" and "tag"
    (for the term picker: plain rows, the picker shows nothing else of a term)."""
    rows = plain_reads.rows(_site_terms(), scope_params(scope, site_id=site_id))
    groups: dict[str, list[tuple[int, str]]] = {}
    for term_id, name, taxonomy_type in rows:
        if term_id not in exclude:
            groups.setdefault(TaxonomyType(taxonomy_type).value, []).append((term_id, name))
    return groups


@cache
def _site_terms() -> Any:
    # On every review page: built once, run with the scope's account and the content's site.
    return (
        scoped_once(ContentTaxonomy)
        .with_only_columns(ContentTaxonomy.id, ContentTaxonomy.name, ContentTaxonomy.taxonomy_type)
        .where(ContentTaxonomy.site_id == bindparam("site_id"))
        .order_by(ContentTaxonomy.taxonomy_type, ContentTaxonomy.name)
    )


def _terms(scope: Scope, ids: list[Any], name: str) -> list[ContentTaxonomy]:
    try:
        return get_many(scope, ContentTaxonomy, ids)
    except (NotFound, ValidationError) as error:
        raise ValidationError.field(name, error.message) from None
