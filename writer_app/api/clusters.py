"""/api/v1/planner/clusters/: what tasks and content are planned around."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import route
from writer_app.api.schemas.clusters import (
    ClusterCreate,
    ClusterOut,
    ClusterPatch,
    ClusterQuery,
    ClusterUpdate,
)
from writer_app.models import Role
from writer_app.services import clusters
from writer_app.services.scope import Scope

BASE = "/planner/clusters/"
ITEM = "/planner/clusters/<int:cluster_id>/"
TAG = "clusters"


@route(BASE, "GET", summary="List clusters", tag=TAG, query=ClusterQuery, response=ClusterOut, paged=True)
def list_clusters(scope: Scope, query: ClusterQuery) -> Any:
    filters = clusters.ClusterFilters(**query.model_dump(exclude={"page", "page_size"}))
    return clusters.list_clusters(scope, filters, query.page, query.page_size)


@route(
    BASE,
    "POST",
    summary="Create a cluster",
    tag=TAG,
    role=Role.EDITOR,
    body=ClusterCreate,
    response=ClusterOut,
    status=201,
)
def create_cluster(scope: Scope, body: ClusterCreate) -> Any:
    cluster = clusters.create_cluster(scope, **body.model_dump())
    return clusters.get_cluster_row(scope, cluster.id)


@route(ITEM, "GET", summary="Read a cluster", tag=TAG, response=ClusterOut)
def get_cluster(scope: Scope, cluster_id: int) -> Any:
    return clusters.get_cluster_row(scope, cluster_id)


@route(
    ITEM,
    "PUT",
    summary="Replace a cluster's fields",
    tag=TAG,
    role=Role.EDITOR,
    body=ClusterUpdate,
    response=ClusterOut,
)
def put_cluster(scope: Scope, cluster_id: int, body: ClusterUpdate) -> Any:
    clusters.update_cluster(scope, cluster_id, **body.model_dump(exclude_unset=True))
    return clusters.get_cluster_row(scope, cluster_id)


@route(
    ITEM,
    "PATCH",
    summary="Change some fields of a cluster",
    tag=TAG,
    role=Role.EDITOR,
    body=ClusterPatch,
    response=ClusterOut,
)
def patch_cluster(scope: Scope, cluster_id: int, body: Any) -> Any:
    clusters.update_cluster(scope, cluster_id, **body.model_dump(exclude_unset=True))
    return clusters.get_cluster_row(scope, cluster_id)


@route(
    ITEM, "DELETE", summary="Delete an unused cluster", tag=TAG, role=Role.EDITOR, status=204, errors=(409,)
)
def delete_cluster(scope: Scope, cluster_id: int) -> None:
    """409 while tasks or content (also trashed ones) use it."""
    clusters.delete_cluster(scope, cluster_id)
