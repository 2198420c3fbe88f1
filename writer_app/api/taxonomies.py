"""/api/v1/writer/taxonomies/: a site's categories and tags. Everyone reads; admins write."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import route
from writer_app.api.schemas.taxonomies import (
    TaxonomyCreate,
    TaxonomyOut,
    TaxonomyPatch,
    TaxonomyQuery,
    TaxonomyUpdate,
)
from writer_app.models import Role
from writer_app.services import taxonomies
from writer_app.services.scope import Scope

BASE = "/writer/taxonomies/"
ITEM = "/writer/taxonomies/<int:taxonomy_id>/"
TAG = "taxonomies"


@route(
    BASE,
    "GET",
    summary="List categories and tags",
    tag=TAG,
    query=TaxonomyQuery,
    response=TaxonomyOut,
    paged=True,
)
def list_taxonomies(scope: Scope, query: TaxonomyQuery) -> Any:
    filters = taxonomies.TaxonomyFilters(**query.model_dump(exclude={"page", "page_size"}))
    return taxonomies.list_taxonomies(scope, filters, query.page, query.page_size)


@route(
    BASE,
    "POST",
    summary="Add a category or tag",
    tag=TAG,
    role=Role.ADMIN,
    body=TaxonomyCreate,
    response=TaxonomyOut,
    status=201,
)
def create_taxonomy(scope: Scope, body: TaxonomyCreate) -> Any:
    term = taxonomies.create_taxonomy(scope, **body.model_dump())
    return taxonomies.get_taxonomy(scope, term.id)


@route(ITEM, "GET", summary="Read a term", tag=TAG, response=TaxonomyOut)
def get_taxonomy(scope: Scope, taxonomy_id: int) -> Any:
    return taxonomies.get_taxonomy(scope, taxonomy_id)


@route(
    ITEM, "PUT", summary="Replace a term", tag=TAG, role=Role.ADMIN, body=TaxonomyUpdate, response=TaxonomyOut
)
def put_taxonomy(scope: Scope, taxonomy_id: int, body: TaxonomyUpdate) -> Any:
    return taxonomies.update_taxonomy(scope, taxonomy_id, **body.model_dump(exclude_unset=True))


@route(
    ITEM,
    "PATCH",
    summary="Change some fields of a term",
    tag=TAG,
    role=Role.ADMIN,
    body=TaxonomyPatch,
    response=TaxonomyOut,
)
def patch_taxonomy(scope: Scope, taxonomy_id: int, body: Any) -> Any:
    return taxonomies.update_taxonomy(scope, taxonomy_id, **body.model_dump(exclude_unset=True))


@route(ITEM, "DELETE", summary="Delete a term", tag=TAG, role=Role.ADMIN, status=204)
def delete_taxonomy(scope: Scope, taxonomy_id: int) -> None:
    """Also removes it from content; tasks pointing at it lose the link."""
    taxonomies.delete_taxonomy(scope, taxonomy_id)
