"""A content's categories and tags (editor+): the terms of its site only."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from writer_app.models import ContentTaxonomy, ContentTaxonomyRelation, Role, db
from writer_app.services import audit
from writer_app.services.content import get_content
from writer_app.services.errors import NotFound, ValidationError
from writer_app.services.scope import Scope, get_many, scoped


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


def site_terms(scope: Scope, site_id: int) -> list[ContentTaxonomy]:
    """Every category and tag of one site, categories first, by name (for the term picker)."""
    return list(
        db.session.scalars(
            scoped(scope, ContentTaxonomy)
            .where(ContentTaxonomy.site_id == site_id)
            .order_by(ContentTaxonomy.taxonomy_type, ContentTaxonomy.name)
        )
    )


def _terms(scope: Scope, ids: list[Any], name: str) -> list[ContentTaxonomy]:
    try:
        return get_many(scope, ContentTaxonomy, ids)
    except (NotFound, ValidationError) as error:
        raise ValidationError.field(name, error.message) from None
