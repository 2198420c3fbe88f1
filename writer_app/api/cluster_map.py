"""/api/v1/writer/cluster_map/: the cluster map's entries (one per content, or a task alone)."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import route
from writer_app.api.schemas.cluster_map import (
    ClusterMapCreate,
    ClusterMapOut,
    ClusterMapPatch,
    ClusterMapQuery,
)
from writer_app.models import Role
from writer_app.services.clusters import cluster_map
from writer_app.services.scope import Scope

BASE = "/writer/cluster_map/"
ITEM = "/writer/cluster_map/<int:entry_id>/"
TAG = "cluster_map"


@route(
    BASE,
    "GET",
    summary="List cluster-map entries",
    tag=TAG,
    query=ClusterMapQuery,
    response=ClusterMapOut,
    paged=True,
)
def list_entries(scope: Scope, query: ClusterMapQuery) -> Any:
    filters = cluster_map.MapFilters(**query.model_dump(exclude={"page", "page_size"}))
    return cluster_map.list_entries(scope, filters, query.page, query.page_size)


@route(
    BASE,
    "POST",
    summary="Map a content or a task",
    tag=TAG,
    role=Role.EDITOR,
    body=ClusterMapCreate,
    response=ClusterMapOut,
    status=201,
)
def create_entry(scope: Scope, body: ClusterMapCreate) -> Any:
    """Content gets its entry when it is created; this maps a task alone, or a content whose entry is missing."""
    return cluster_map.create_entry(scope, **body.model_dump())


@route(ITEM, "GET", summary="Read a cluster-map entry", tag=TAG, response=ClusterMapOut)
def get_entry(scope: Scope, entry_id: int) -> Any:
    return cluster_map.get_entry(scope, entry_id)


@route(
    ITEM,
    "PATCH",
    summary="Change an entry's role",
    tag=TAG,
    role=Role.EDITOR,
    body=ClusterMapPatch,
    response=ClusterMapOut,
)
def patch_entry(scope: Scope, entry_id: int, body: ClusterMapPatch) -> Any:
    return cluster_map.set_role(scope, entry_id, body.role)


@route(ITEM, "DELETE", summary="Remove a task's entry", tag=TAG, role=Role.EDITOR, status=204, errors=(409,))
def delete_entry(scope: Scope, entry_id: int) -> None:
    """409 for a content's entry: it lasts as long as the content (change its role instead)."""
    cluster_map.delete_entry(scope, entry_id)
