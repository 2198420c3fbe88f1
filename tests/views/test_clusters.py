"""The Clusters page: per-sector list with counts, create/edit/delete, roles and tenancy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Cluster, ClusterRole, ContentClusterMap, db

HX = {"HX-Request": "true"}


@pytest.fixture
def editor_client(client, tenant, login):
    return login(tenant.editor)


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_list_full_page_and_fragment_with_counts(editor_client, tenant):
    factories.make_task(tenant.cluster)
    hub = factories.make_content(tenant.cluster)
    db.session.add(
        ContentClusterMap(
            account_id=tenant.account.id,
            site_id=tenant.site.id,
            sector_id=tenant.sector.id,
            cluster_id=tenant.cluster.id,
            content_id=hub.id,
            role=ClusterRole.HUB,
        )
    )
    db.session.commit()
    full = _html(editor_client.get("/clusters/?site_id=all"))
    assert "<html" in full and f"{tenant.site.name} · {tenant.sector.name}" in full
    assert "solar panels" in full  # keywords
    assert "hub 1" in full and "supporting 0" in full
    fragment = editor_client.get("/clusters/?site_id=all&search=solar", headers=HX)
    body = _html(fragment)
    assert body.lstrip().startswith('<div id="cluster-results"') and "<html" not in body
    assert tenant.cluster.name in body
    assert tenant.cluster.name not in _html(
        editor_client.get("/clusters/?site_id=all&search=zzz", headers=HX)
    )
    assert editor_client.get("/clusters/?ordering=weight").status_code == 400


def test_list_query_count_is_fixed(editor_client, tenant):
    def measure() -> int:
        with count_queries() as q:
            assert editor_client.get("/clusters/?site_id=all").status_code == 200
        return q.count

    few = measure()
    for n in range(40):
        cluster = factories.make_cluster(tenant.sector, f"Bulk cluster {n}")
        factories.make_task(cluster)
        factories.make_content(cluster)
    db.session.commit()
    assert measure() == few


def test_create_edit_and_delete(editor_client, tenant):
    response = editor_client.post(
        "/clusters/new",
        data={
            "name": "Heat pumps",
            "site_id": tenant.site.id,
            "sector_id": tenant.sector.id,
            "keywords": "a,b",
        },
    )
    assert response.status_code == 303
    cluster = db.session.scalars(select(Cluster).where(Cluster.name == "Heat pumps")).one()
    assert cluster.keywords == "a, b"
    page = _html(editor_client.get(f"/clusters/{cluster.id}/edit"))
    assert 'value="Heat pumps"' in page
    response = editor_client.post(
        f"/clusters/{cluster.id}/edit", data={"name": "Heat pump costs", "keywords": "c"}
    )
    assert response.status_code == 303
    db.session.refresh(cluster)
    assert (cluster.name, cluster.keywords, cluster.sector_id) == ("Heat pump costs", "c", tenant.sector.id)
    assert editor_client.post(f"/clusters/{cluster.id}/delete").status_code == 303
    assert db.session.get(Cluster, cluster.id) is None


def test_duplicate_name_is_a_field_error(editor_client, tenant):
    data = {"name": tenant.cluster.name, "site_id": tenant.site.id, "sector_id": tenant.sector.id}
    response = editor_client.post("/clusters/new", data=data)
    assert response.status_code == 422 and 'id="name-error"' in _html(response)
    response = editor_client.post("/clusters/new", data={**data, "name": "New", "sector_id": ""}, headers=HX)
    assert response.status_code == 200 and 'id="sector_id-error"' in _html(response)


def test_delete_refused_while_tasks_use_it(editor_client, tenant):
    factories.make_task(tenant.cluster)
    db.session.commit()
    response = editor_client.post(f"/clusters/{tenant.cluster.id}/delete", follow_redirects=True)
    assert "is used by 1 task" in _html(response)
    assert db.session.get(Cluster, tenant.cluster.id) is not None


def test_viewer_reads_only(client, tenant, login):
    login(tenant.viewer)
    body = _html(client.get("/clusters/"))
    assert "New cluster" not in body and "/edit" not in body
    assert client.get("/clusters/new").status_code == 403
    assert client.post("/clusters/new", data={"name": "X"}).status_code == 403
    assert client.get(f"/clusters/{tenant.cluster.id}/edit").status_code == 403
    assert client.post(f"/clusters/{tenant.cluster.id}/edit", data={"name": "X"}).status_code == 403
    assert client.post(f"/clusters/{tenant.cluster.id}/delete").status_code == 403
    assert db.session.get(Cluster, tenant.cluster.id).name != "X"


def test_other_accounts_clusters_are_404(editor_client, other_tenant):
    cid = other_tenant.cluster.id
    assert editor_client.get(f"/clusters/{cid}/edit").status_code == 404
    assert editor_client.post(f"/clusters/{cid}/edit", data={"name": "Mine"}).status_code == 404
    assert editor_client.post(f"/clusters/{cid}/delete").status_code == 404
    assert other_tenant.cluster.name not in _html(editor_client.get("/clusters/?site_id=all"))
