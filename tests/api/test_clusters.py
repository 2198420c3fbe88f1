"""/api/v1/planner/clusters/: what tasks need before they can be created through the API."""

from __future__ import annotations

from tests.api.conftest import error_fields
from tests.support import factories
from writer_app.models import Cluster, Role, db

URL = "/planner/clusters/"


def test_create_then_use_it_for_a_task(api, tenant):
    body = {
        "name": "Heat pumps",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "keywords": ["heat pump", "Heat Pump", "COP"],
        "description": "Everything on heat pumps",
    }
    response = api.post(URL, json=body)
    assert response.status_code == 201, response.get_json()
    cluster = response.get_json()
    assert cluster["keywords"] == ["heat pump", "COP"] and cluster["sector_name"] == tenant.sector.name
    assert cluster["tasks_count"] == 0
    task = {
        "title": "What is a COP?",
        "cluster_id": cluster["id"],
        "content_type": "post",
        "content_structure": "article",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
    }
    assert api.post("/writer/tasks/", json=task).status_code == 201
    assert api.get(f"{URL}{cluster['id']}/").get_json()["tasks_count"] == 1


def test_validation(api, tenant):
    response = api.post(URL, json={"name": "No sector", "site_id": tenant.site.id})
    assert response.status_code == 400 and "sector_id" in error_fields(response)
    body = {"name": tenant.cluster.name, "site_id": tenant.site.id, "sector_id": tenant.sector.id}
    response = api.post(URL, json=body)
    assert response.status_code == 400 and "name" in error_fields(response)  # unique per sector
    response = api.post(URL, json={**body, "name": ""})
    assert response.status_code == 400 and "name" in error_fields(response)


def test_update_delete_and_conflict_when_used(api, tenant):
    free = factories.make_cluster(tenant.sector, "Free")
    db.session.commit()
    item = f"{URL}{free.id}/"
    response = api.patch(item, json={"description": "now described"})
    assert response.status_code == 200 and response.get_json()["name"] == "Free"
    response = api.put(item, json={"keywords": "a, b"})
    assert response.status_code == 400 and "name" in error_fields(response)
    response = api.put(item, json={"name": "Renamed", "keywords": "a, b"})
    assert response.get_json()["keywords"] == ["a", "b"]
    assert api.delete(item).status_code == 204
    assert db.session.get(Cluster, free.id) is None
    factories.make_task(tenant.cluster)
    db.session.commit()
    used = api.delete(f"{URL}{tenant.cluster.id}/")
    assert used.status_code == 409 and used.get_json()["error"]["code"] == "conflict"


def test_roles_and_other_accounts(api, tenant, other_tenant):
    item = f"{URL}{tenant.cluster.id}/"
    viewer = {"role": Role.VIEWER}
    assert api.get(item, **viewer).status_code == 200
    body = {"name": "X", "site_id": tenant.site.id, "sector_id": tenant.sector.id}
    assert api.post(URL, json=body, **viewer).status_code == 403
    assert api.patch(item, json={"name": "Y"}, **viewer).status_code == 403
    assert api.delete(item, **viewer).status_code == 403
    theirs = f"{URL}{other_tenant.cluster.id}/"
    assert api.get(theirs).status_code == 404
    assert api.patch(theirs, json={"name": "Y"}).status_code == 404
    assert api.delete(theirs).status_code == 404
    assert [c["id"] for c in api.get(URL).get_json()["results"]] == [tenant.cluster.id]


def test_filters(api, tenant):
    factories.make_cluster(tenant.sector, "Heat pumps", keywords="cop, heating")
    other_sector = factories.make_sector(tenant.site)
    factories.make_cluster(other_sector, "Batteries")
    db.session.commit()

    def names(**params):
        return sorted(c["name"] for c in api.get(URL, query_string=params).get_json()["results"])

    assert names(search="heating") == ["Heat pumps"]
    assert names(sector_id=other_sector.id) == ["Batteries"]
    assert len(names(site_id=tenant.site.id)) == 3
