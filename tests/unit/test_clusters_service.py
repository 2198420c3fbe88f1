"""Clusters service: counts in a fixed number of queries, create/update/delete rules, tenancy."""

from __future__ import annotations

import pytest

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Cluster, ClusterRole, ContentClusterMap, Role, db
from writer_app.models.base import utcnow
from writer_app.services import clusters
from writer_app.services.clusters import ClusterFilters
from writer_app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError


def _map(cluster, role, content=None, task=None):
    db.session.add(
        ContentClusterMap(
            account_id=cluster.account_id,
            site_id=cluster.site_id,
            sector_id=cluster.sector_id,
            cluster_id=cluster.id,
            content_id=content.id if content else None,
            task_id=task.id if task else None,
            role=role,
        )
    )


def test_counts_of_tasks_content_and_roles(tenant):
    solar, empty = tenant.cluster, factories.make_cluster(tenant.sector, "Empty one")
    planned = factories.make_task(solar)
    other = factories.make_task(solar)
    factories.make_task(solar, deleted_at=utcnow())  # trashed tasks are not counted
    hub = factories.make_content(solar)
    spoke = factories.make_content(solar)
    trashed = factories.make_content(solar, deleted_at=utcnow())
    _map(solar, ClusterRole.HUB, content=hub)
    _map(solar, ClusterRole.SUPPORTING, content=spoke)
    _map(solar, ClusterRole.SUPPORTING, task=planned)  # a task alone counts
    _map(solar, ClusterRole.ATTRIBUTE, task=other)
    _map(solar, ClusterRole.SUPPORTING, content=trashed)  # trashed content does not
    db.session.commit()

    rows = {r.cluster.name: r for r in clusters.list_clusters(tenant.scope(Role.VIEWER)).items}
    row = rows[solar.name]
    assert (row.tasks, row.content, row.hub, row.supporting, row.attribute) == (2, 2, 1, 2, 1)
    assert (rows["Empty one"].tasks, rows["Empty one"].content, rows["Empty one"].roles) == (
        0,
        0,
        {"hub": 0, "supporting": 0, "attribute": 0},
    )
    one = clusters.get_cluster_row(tenant.scope(Role.VIEWER), solar.id)
    assert (one.tasks, one.content, one.supporting) == (2, 2, 2)
    assert empty.id in {r.cluster.id for r in rows.values()}


def test_list_runs_the_same_queries_for_few_and_many_clusters(tenant):
    scope = tenant.scope(Role.VIEWER)

    def run() -> int:
        db.session.expire_all()
        with count_queries() as q:
            page = clusters.list_clusters(scope)
            for row in page.items:  # what the page shows
                _ = (row.cluster.site.name, row.cluster.sector.name, row.tasks, row.hub)
        return q.count

    few = run()
    for n in range(30):
        cluster = factories.make_cluster(tenant.sector, f"C{n}")
        factories.make_task(cluster)
        _map(cluster, ClusterRole.HUB)
    db.session.commit()
    assert run() == few
    assert few <= 3


def test_list_follows_the_working_sector_and_searches(tenant):
    wind = factories.make_sector(tenant.site, "Wind")
    factories.make_cluster(wind, "Turbines", keywords="offshore wind")
    db.session.commit()
    scope = tenant.scope(Role.VIEWER)
    names = lambda **kw: [r.cluster.name for r in clusters.list_clusters(scope, ClusterFilters(**kw)).items]  # noqa: E731
    assert names() == [tenant.cluster.name]
    assert sorted(names(site_id="all")) == sorted([tenant.cluster.name, "Turbines"])
    assert names(site_id="all", search="OFFSHORE") == ["Turbines"]
    assert names(sector_id=wind.id) == ["Turbines"]
    with pytest.raises(ValidationError) as caught:
        clusters.list_clusters(scope, ClusterFilters(ordering="size"))
    assert "ordering" in caught.value.fields


def test_create_validates_name_and_sector(tenant, other_tenant):
    scope = tenant.scope(Role.EDITOR)
    cluster = clusters.create_cluster(scope, name="  Heat   pumps ", keywords="heat pump, Heat Pump, cost")
    assert (cluster.name, cluster.keywords, cluster.sector_id) == (
        "Heat pumps",
        "heat pump, cost",
        tenant.sector.id,
    )
    with pytest.raises(ValidationError) as caught:
        clusters.create_cluster(scope, name="Heat pumps")
    assert "already has a cluster" in caught.value.fields["name"][0]
    wind = factories.make_sector(tenant.site, "Wind")
    assert clusters.create_cluster(scope, name="Heat pumps", site_id=tenant.site.id, sector_id=wind.id)
    with pytest.raises(ValidationError) as caught:
        clusters.create_cluster(
            scope, name="X", site_id=other_tenant.site.id, sector_id=other_tenant.sector.id
        )
    assert "site_id" in caught.value.fields
    with pytest.raises(ValidationError):
        clusters.create_cluster(scope, name="")
    with pytest.raises(PermissionDenied):
        clusters.create_cluster(tenant.scope(Role.VIEWER), name="Nope")


def test_update_is_a_patch(tenant):
    scope = tenant.scope(Role.EDITOR)
    factories.make_cluster(tenant.sector, "Taken")
    cluster = clusters.update_cluster(scope, tenant.cluster.id, keywords="a,b")
    assert cluster.keywords == "a, b" and cluster.name == tenant.cluster.name
    with pytest.raises(ValidationError) as caught:
        clusters.update_cluster(scope, tenant.cluster.id, name="Taken")
    assert "name" in caught.value.fields
    with pytest.raises(ValidationError):
        clusters.update_cluster(scope, tenant.cluster.id, sector_id=1)


def test_delete_is_refused_while_tasks_or_content_use_it(tenant):
    scope = tenant.scope(Role.EDITOR)
    used = tenant.cluster
    factories.make_task(used, deleted_at=utcnow())  # even a trashed task keeps the cluster
    with pytest.raises(Conflict) as caught:
        clusters.delete_cluster(scope, used.id)
    assert "1 task" in caught.value.message
    content_only = factories.make_cluster(tenant.sector, "Content only")
    factories.make_content(content_only)
    with pytest.raises(Conflict) as caught:
        clusters.delete_cluster(scope, content_only.id)
    assert "1 content item" in caught.value.message
    unused = factories.make_cluster(tenant.sector, "Unused")
    clusters.delete_cluster(scope, unused.id)
    assert db.session.get(Cluster, unused.id) is None


def test_other_accounts_clusters_are_not_found(tenant, other_tenant):
    scope = tenant.scope(Role.EDITOR)
    for action in (
        lambda: clusters.get_cluster(scope, other_tenant.cluster.id),
        lambda: clusters.update_cluster(scope, other_tenant.cluster.id, name="Mine"),
        lambda: clusters.delete_cluster(scope, other_tenant.cluster.id),
    ):
        with pytest.raises(NotFound):
            action()
    assert other_tenant.cluster.id not in {
        r.cluster.id for r in clusters.list_clusters(scope, ClusterFilters(site_id="all")).items
    }
