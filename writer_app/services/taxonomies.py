"""Content taxonomies (categories and tags) per site: everyone reads, admins change.

Uniqueness per site + slug + type is checked here and reported as a ValidationError on the field
the user typed (name, or slug when given), never as a database error. External sync fields
(external_taxonomy, external_id, sync_status, count) are written only by the WordPress sync.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from writer_app.models import (
    Content,
    ContentTaxonomy,
    ContentTaxonomyRelation,
    Role,
    Site,
    Task,
    TaxonomyType,
    db,
)
from writer_app.services import audit
from writer_app.services.clusters import site_sector_filter
from writer_app.services.errors import ValidationError
from writer_app.services.identity.accounts import slugify
from writer_app.services.inputs import QueryFilters
from writer_app.services.pagination import Page, apply_ordering, paginate
from writer_app.services.scope import Scope, get, resolve_site_sector, scoped

ORDERINGS = {
    "name": func.lower(ContentTaxonomy.name),  # "apple" sorts before "Banana"
    "slug": ContentTaxonomy.slug,
    "taxonomy_type": ContentTaxonomy.taxonomy_type,
    "created_at": ContentTaxonomy.created_at,
}
DEFAULT_ORDERING = "name"
EDITABLE_FIELDS = frozenset({"name", "slug", "taxonomy_type", "description", "sector_id"})
READ_ONLY_FIELDS = frozenset({"external_taxonomy", "external_id", "sync_status", "count", "site_id"})
MAX_NAME = 255
MAX_SLUG = 200


@dataclass
class TaxonomyFilters(QueryFilters):
    """taxonomy_type: category|tag; search matches name or slug; site_id: None → the scope's working
    site, "all" → every site. ordering: name | slug | taxonomy_type | created_at, "-" prefix for
    descending (default name)."""

    taxonomy_type: str | None = None
    site_id: int | str | None = None
    search: str = ""
    ordering: str | None = None


def _type(value: Any) -> TaxonomyType:
    try:
        return TaxonomyType(value)
    except ValueError:
        raise ValidationError.field(
            "taxonomy_type", f"Unknown taxonomy type “{value}”; use category or tag."
        ) from None


def list_taxonomies(
    scope: Scope, filters: TaxonomyFilters, page: int = 1, page_size: int = 25
) -> Page[ContentTaxonomy]:
    """One page of terms with their site loaded: 2 queries whatever the number of terms."""
    stmt = scoped(scope, ContentTaxonomy).options(joinedload(ContentTaxonomy.site))
    site_id, _ = site_sector_filter(scope, filters.site_id, None)
    if site_id is not None:
        stmt = stmt.where(ContentTaxonomy.site_id == site_id)
    if filters.taxonomy_type not in (None, ""):
        stmt = stmt.where(ContentTaxonomy.taxonomy_type == _type(filters.taxonomy_type))
    search = (filters.search or "").strip()
    if search:
        stmt = stmt.where(
            or_(
                ContentTaxonomy.name.icontains(search, autoescape=True),
                ContentTaxonomy.slug.icontains(search, autoescape=True),
            )
        )
    stmt = apply_ordering(stmt, filters.ordering, ORDERINGS, DEFAULT_ORDERING, ContentTaxonomy.id)
    return paginate(stmt, page, page_size)


def usage_counts(scope: Scope, taxonomy_ids: Iterable[int]) -> dict[int, int]:
    """How many live content items of the account use each term (one query)."""
    ids = list(taxonomy_ids)
    if not ids:
        return {}
    stmt = (
        select(ContentTaxonomyRelation.taxonomy_id, func.count())
        .join(Content, Content.id == ContentTaxonomyRelation.content_id)
        .where(
            ContentTaxonomyRelation.taxonomy_id.in_(ids),
            Content.account_id == scope.account_id,
            Content.deleted_at.is_(None),
        )
        .group_by(ContentTaxonomyRelation.taxonomy_id)
    )
    return {int(row[0]): int(row[1]) for row in db.session.execute(stmt)}


def get_taxonomy(scope: Scope, taxonomy_id: Any) -> ContentTaxonomy:
    """One term of the account (site loaded), or NotFound."""
    return get(scope, ContentTaxonomy, taxonomy_id, options=[joinedload(ContentTaxonomy.site)])


def _clean_name(name: Any) -> str:
    text = (name or "").strip()
    if not text:
        raise ValidationError.field("name", "Name the term.")
    if len(text) > MAX_NAME:
        raise ValidationError.field("name", f"Keep the name under {MAX_NAME} characters.")
    return text


def _clean_slug(slug: Any, name: str) -> tuple[str, str]:
    """(slug, field to blame on a clash): a typed slug is normalised; an empty one comes from the name."""
    typed = (slug or "").strip()
    if typed:
        return slugify(typed, MAX_SLUG), "slug"
    return slugify(name, MAX_SLUG), "name"


def _check_unique(
    site: Site, slug: str, taxonomy_type: TaxonomyType, blame: str, exclude_id: int | None = None
) -> None:
    stmt = select(ContentTaxonomy.id).where(
        ContentTaxonomy.site_id == site.id,
        ContentTaxonomy.slug == slug,
        ContentTaxonomy.taxonomy_type == taxonomy_type,
    )
    if exclude_id is not None:
        stmt = stmt.where(ContentTaxonomy.id != exclude_id)
    if db.session.scalar(stmt) is not None:
        raise _duplicate(site, slug, taxonomy_type, blame)


def _duplicate(site: Site, slug: str, taxonomy_type: TaxonomyType, blame: str) -> ValidationError:
    message = f"Site “{site.name}” already has a {taxonomy_type.value} with the slug “{slug}”."
    if blame == "name":
        message += " Choose another name or type a different slug."
    return ValidationError.field(blame, message)


def _flush_unique(site: Site, slug: str, taxonomy_type: TaxonomyType, blame: str) -> None:
    """Flush in a savepoint: a concurrent insert of the same slug becomes the same field error.

    The error is built before flushing: after a failed flush the session must not be touched
    (callers roll back on any DomainError anyway)."""
    duplicate = _duplicate(site, slug, taxonomy_type, blame)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise duplicate from None


def create_taxonomy(
    scope: Scope,
    *,
    site_id: int | str | None,
    name: str,
    taxonomy_type: str,
    slug: str = "",
    sector_id: int | str | None = None,
    description: str = "",
) -> ContentTaxonomy:
    """Add a category or tag to a site (admin). site_id is required, sector_id optional (must belong
    to the site); an empty slug is derived from the name."""
    scope.require(Role.ADMIN)
    if site_id in (None, ""):
        raise ValidationError.field("site_id", "Choose a site.")
    site, sector = resolve_site_sector(scope, site_id, sector_id, require_sector=False)
    clean_name = _clean_name(name)
    kind = _type(taxonomy_type)
    clean_slug, blame = _clean_slug(slug, clean_name)
    _check_unique(site, clean_slug, kind, blame)
    term = ContentTaxonomy(
        account_id=scope.account_id,
        site_id=site.id,
        sector_id=sector.id if sector else None,
        name=clean_name,
        slug=clean_slug,
        taxonomy_type=kind,
        description=(description or "").strip(),
        metadata_={},
    )
    db.session.add(term)
    _flush_unique(site, clean_slug, kind, blame)
    audit.record(
        scope, "taxonomy.create", term, object_type="taxonomy", name=term.name, slug=term.slug, type=kind
    )
    return term


def update_taxonomy(scope: Scope, taxonomy_id: Any, **changes: Any) -> ContentTaxonomy:
    """Change name, slug, taxonomy_type, description or sector_id (admin). Read-only fields
    (external sync fields, site) are a ValidationError naming them. Renaming keeps the slug unless
    a slug is given; an empty slug is derived from the (new) name."""
    scope.require(Role.ADMIN)
    rejected = sorted(set(changes) - EDITABLE_FIELDS)
    if rejected:
        fields = {
            n: ["This field is read-only." if n in READ_ONLY_FIELDS else "Unknown field."] for n in rejected
        }
        raise ValidationError(f"These fields cannot be changed: {', '.join(rejected)}.", fields)
    term = get_taxonomy(scope, taxonomy_id)
    site = term.site
    name = _clean_name(changes["name"]) if "name" in changes else term.name
    kind = _type(changes["taxonomy_type"]) if "taxonomy_type" in changes else TaxonomyType(term.taxonomy_type)
    slug, blame = (_clean_slug(changes["slug"], name)) if "slug" in changes else (term.slug, "name")
    if "sector_id" in changes:
        if changes["sector_id"] in (None, ""):
            term.sector_id = None
        else:
            _, sector = resolve_site_sector(scope, site.id, changes["sector_id"])
            term.sector_id = sector.id if sector else None
    _check_unique(site, slug, kind, blame, exclude_id=term.id)
    term.name, term.slug, term.taxonomy_type = name, slug, kind
    if "description" in changes:
        term.description = (changes["description"] or "").strip()
    _flush_unique(site, slug, kind, blame)
    audit.record(
        scope, "taxonomy.update", term, object_type="taxonomy", fields=sorted(changes), slug=term.slug
    )
    return term


def delete_taxonomy(scope: Scope, taxonomy_id: Any) -> str:
    """Delete a term (admin) with its content relations; tasks pointing at it lose the link.
    Returns the deleted term's name."""
    scope.require(Role.ADMIN)
    term = get_taxonomy(scope, taxonomy_id)
    name, term_id = term.name, term.id
    # Explicit, so it also holds where the database does not enforce ON DELETE (SQLite without FKs).
    db.session.execute(
        ContentTaxonomyRelation.__table__.delete().where(ContentTaxonomyRelation.taxonomy_id == term_id)
    )
    db.session.execute(
        update(Task)
        .where(Task.taxonomy_term_id == term_id, Task.account_id == scope.account_id)
        .values(taxonomy_term_id=None)
        .execution_options(synchronize_session="fetch")
    )
    audit.record(
        scope,
        "taxonomy.delete",
        term,
        object_type="taxonomy",
        name=name,
        slug=term.slug,
        type=term.taxonomy_type,
    )
    db.session.delete(term)
    db.session.flush()
    return name
