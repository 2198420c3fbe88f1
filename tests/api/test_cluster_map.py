"""/api/v1/writer/cluster_map/: entries made with content, filters, roles (one hub), tenancy, counts."""

from __future__ import annotations

from tests.api.conftest import error_fields
from tests.support import factories
from writer_app.models import Role, db

URL = "/writer/cluster_map/"


def _content(api, tenant, title, structure="article", **overrides):
    body = {
        "title": title,
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": structure,
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "primary_keyword": "solar panels",
        "secondary_keywords": ["inverters"],
        **overrides,
    }
    response = api.post("/writer/content/", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _entry_of(api, content_id, role=Role.VIEWER):
    found = api.get(f"{URL}?content_id={content_id}", role=role).get_json()
    assert found["count"] == 1, found
    return found["results"][0]


def test_created_content_gets_an_entry_that_follows_it(api, tenant):
    hub = _content(api, tenant, "Solar: the hub", structure="cluster_hub")
    entry = _entry_of(api, hub["id"])
    assert (entry["role"], entry["source"], entry["cluster_id"]) == ("hub", "manual", tenant.cluster.id)
    assert entry["keywords"] == ["solar panels", "inverters"] and entry["slug"] == hub["slug"]
    # A second cluster hub finds the hub taken: it becomes supporting.
    second = _entry_of(api, _content(api, tenant, "Another hub", structure="cluster_hub")["id"])
    assert second["role"] == "supporting"

    other = factories.make_cluster(tenant.sector, "Batteries")
    db.session.commit()
    patch = {"version": hub["version"], "slug": "solar-hub", "primary_keyword": "pv", "cluster_id": other.id}
    assert api.patch(f"/writer/content/{hub['id']}/", json=patch).status_code == 200
    moved = api.get(f"{URL}{entry['id']}/").get_json()
    assert (moved["slug"], moved["keywords"], moved["cluster_id"]) == (
        "solar-hub",
        ["pv", "inverters"],
        other.id,
    )


def test_list_filters_and_paging(api, tenant):
    for n in range(3):
        _content(api, tenant, f"Piece {n}")
    task = factories.make_task(tenant.cluster, "Planned piece", keywords="roof, tiles")
    db.session.commit()
    created = api.post(URL, json={"task_id": task.id, "role": "attribute"})
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["content_id"], body["keywords"], body["source"]) == (None, ["roof", "tiles"], "manual")

    page = api.get(f"{URL}?cluster_id={tenant.cluster.id}&page_size=2", role=Role.VIEWER).get_json()
    assert page["count"] == 4 and len(page["results"]) == 2 and page["next"]
    assert api.get(f"{URL}?role=attribute").get_json()["count"] == 1
    assert api.get(f"{URL}?task_id={task.id}").get_json()["results"][0]["id"] == body["id"]
    assert api.get(f"{URL}?source=import").get_json()["count"] == 0
    assert api.get(f"{URL}?source=manual").get_json()["count"] == 4
    for bad in ("role=owner", "source=ai", "cluster_id=x", "content_id=0"):
        response = api.get(f"{URL}?{bad}")
        assert response.status_code == 400 and bad.split("=")[0] in error_fields(response), bad


def test_one_hub_per_cluster_and_site(api, tenant):
    first = _entry_of(api, _content(api, tenant, "First")["id"])
    second = _entry_of(api, _content(api, tenant, "Second")["id"])
    response = api.patch(f"{URL}{first['id']}/", json={"role": "hub"})
    assert response.status_code == 200 and response.get_json()["role"] == "hub"
    response = api.patch(f"{URL}{second['id']}/", json={"role": "hub"})
    assert response.status_code == 400
    assert (
        "already has a hub" in error_fields(response)["role"][0]
        and "“First”" in response.get_json()["error"]["message"]
    )
    assert api.patch(f"{URL}{first['id']}/", json={"role": "supporting"}).status_code == 200
    assert api.patch(f"{URL}{second['id']}/", json={"role": "hub"}).get_json()["role"] == "hub"
    # The cluster answers its counts per role.
    cluster = api.get(f"/planner/clusters/{tenant.cluster.id}/").get_json()
    assert cluster["role_counts"] == {"hub": 1, "supporting": 1, "attribute": 0}


def test_bad_input_names_the_field(api, tenant):
    piece = _content(api, tenant, "Mapped")
    entry = _entry_of(api, piece["id"])
    task = factories.make_task(tenant.cluster)
    other = factories.make_cluster(tenant.sector, "Elsewhere")
    db.session.commit()
    cases = [
        ({}, "content_id"),
        ({"content_id": piece["id"]}, "content_id"),  # already mapped
        ({"task_id": task.id, "cluster_id": other.id}, "cluster_id"),
        ({"task_id": 999_999}, "task_id"),
        ({"task_id": task.id, "role": "owner"}, "role"),
        ({"task_id": task.id, "colour": "red"}, "colour"),  # unknown fields are refused
        ({"task_id": "1"}, "task_id"),
    ]
    for body, name in cases:
        response = api.post(URL, json=body)
        assert response.status_code == 400 and name in error_fields(response), (body, response.get_json())
    for body, name in (({}, "role"), ({"role": "hub", "source": "import"}, "source")):
        response = api.patch(f"{URL}{entry['id']}/", json=body)
        assert response.status_code == 400 and name in error_fields(response), body


def test_delete_task_entries_only(api, tenant):
    task = factories.make_task(tenant.cluster)
    db.session.commit()
    task_entry = api.post(URL, json={"task_id": task.id}).get_json()
    assert api.post(URL, json={"task_id": task.id}).status_code == 400  # one entry per task
    content_entry = _entry_of(api, _content(api, tenant, "Kept")["id"])
    assert api.delete(f"{URL}{content_entry['id']}/").status_code == 409
    assert api.delete(f"{URL}{task_entry['id']}/").status_code == 204
    assert api.get(f"{URL}{task_entry['id']}/").status_code == 404


def test_content_made_from_a_task_takes_its_entry_over(api, tenant):
    task = factories.make_task(tenant.cluster)
    db.session.commit()
    entry = api.post(URL, json={"task_id": task.id, "role": "attribute"}).get_json()
    piece = _content(api, tenant, "From the task", task_id=task.id)
    taken = _entry_of(api, piece["id"])
    assert (taken["id"], taken["role"], taken["task_id"]) == (entry["id"], "attribute", task.id)


def test_roles_and_tenancy(api, other_api, tenant):
    entry = _entry_of(api, _content(api, tenant, "Ours")["id"])
    item = f"{URL}{entry['id']}/"
    assert api.get(item, role=Role.VIEWER).status_code == 200
    assert api.patch(item, json={"role": "attribute"}, role=Role.VIEWER).status_code == 403
    assert api.post(URL, json={"content_id": 1}, role=Role.VIEWER).status_code == 403
    assert api.delete(item, role=Role.VIEWER).status_code == 403
    assert other_api.get(item).status_code == 404
    assert other_api.patch(item, json={"role": "hub"}).status_code == 404
    assert other_api.get(URL).get_json()["count"] == 0
    response = other_api.post(URL, json={"content_id": entry["content_id"]})
    assert response.status_code == 400 and "content_id" in error_fields(response)


def test_documented_with_closed_request_bodies(api):
    document = api.get("/openapi.json", role=None).get_json()
    paths = document["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/writer/cluster_map/"])
    assert {"get", "patch", "delete"} <= set(paths["/api/v1/writer/cluster_map/{entry_id}/"])
    schemas = document["components"]["schemas"]
    assert schemas["ClusterMapCreate"]["additionalProperties"] is False
    assert schemas["ClusterMapPatch"]["additionalProperties"] is False
    assert "role_counts" in schemas["ClusterOut"]["properties"]
