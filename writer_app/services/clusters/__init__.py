"""Keyword clusters: the clusters themselves (`catalog`: lists with counts, create/edit/delete, choices).

The package re-exports `catalog`'s public names, so `services.clusters.list_clusters` and
`from writer_app.services.clusters import site_sector_filter` keep working for every caller.
"""

from writer_app.services.clusters.catalog import (
    ALL,
    ClusterChanges,
    ClusterChoice,
    ClusterFilters,
    ClusterRow,
    clusters_for_choices,
    create_cluster,
    delete_cluster,
    get_cluster,
    get_cluster_row,
    list_clusters,
    normalize_keywords,
    site_sector_filter,
    update_cluster,
)

__all__ = [
    "ALL",
    "ClusterChanges",
    "ClusterChoice",
    "ClusterFilters",
    "ClusterRow",
    "clusters_for_choices",
    "create_cluster",
    "delete_cluster",
    "get_cluster",
    "get_cluster_row",
    "list_clusters",
    "normalize_keywords",
    "site_sector_filter",
    "update_cluster",
]
