"""/api/v1/writer/tasks/: CRUD, filters, ordering, paging, bulk actions, roles and tenancy."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_fields
from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Role, Task, TaskStatus, db

URL = "/writer/tasks/"


def _create_body(tenant, **overrides):
    body = {
        "title": "Solar panel buyer's guide",
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "keywords": ["solar panels", "Solar Panels", "inverters"],
    }
    body.update(overrides)
    return body


def test_create_answers_201_with_the_task_and_names(api, tenant):
    response = api.post(URL, json=_create_body(tenant))
    assert response.status_code == 201, response.get_json()
    task = response.get_json()
    assert task["title"] == "Solar panel buyer's guide"
    assert task["cluster_id"] == tenant.cluster.id and task["cluster_name"] == tenant.cluster.name
    assert task["sector_name"] == tenant.sector.name and task["site_id"] == tenant.site.id
    assert task["status"] == "queued" and task["error"] == ""
    assert task["keywords"] == "solar panels, inverters"
    assert db.session.get(Task, task["id"]).title == "Solar panel buyer's guide"


@pytest.mark.parametrize("missing", ["title", "cluster_id", "content_type", "site_id", "sector_id"])
def test_create_requires_the_explicit_fields(api, tenant, missing):
    body = _create_body(tenant)
    del body[missing]
    response = api.post(URL, json=body)
    assert response.status_code == 400
    assert missing in error_fields(response)


def test_create_rejects_values_the_service_refuses_naming_the_field(api, tenant):
    other_sector = factories.make_sector(tenant.site)
    db.session.commit()
    response = api.post(URL, json=_create_body(tenant, sector_id=other_sector.id))
    assert response.status_code == 400
    assert "cluster_id" in error_fields(response)  # the cluster is in another sector
    response = api.post(URL, json=_create_body(tenant, content_type="poem", word_count=5))
    assert {"content_type", "word_count"} <= set(error_fields(response))
    response = api.post(URL, json=_create_body(tenant, cluster_id="12"))  # strict JSON types
    assert "cluster_id" in error_fields(response)


def test_create_with_another_accounts_site_or_cluster_is_refused(api, tenant, other_tenant):
    response = api.post(URL, json=_create_body(tenant, site_id=other_tenant.site.id))
    assert response.status_code == 400 and "site_id" in error_fields(response)
    response = api.post(URL, json=_create_body(tenant, cluster_id=other_tenant.cluster.id))
    assert response.status_code == 400 and "cluster_id" in error_fields(response)
    assert db.session.query(Task).count() == 0


def test_read_put_patch_delete(api, tenant):
    task = factories.make_task(tenant.cluster, "First title")
    db.session.commit()
    item = f"{URL}{task.id}/"
    assert api.get(item, role=Role.VIEWER).get_json()["title"] == "First title"

    response = api.patch(item, json={"title": "Patched", "status": "canceled"})
    assert response.status_code == 200 and response.get_json()["title"] == "Patched"
    assert response.get_json()["content_type"] == "post"  # unchanged

    response = api.put(item, json={"title": "Only title"})
    assert response.status_code == 400  # PUT needs every required field
    assert {"cluster_id", "site_id", "sector_id"} <= set(error_fields(response))
    response = api.put(item, json=_create_body(tenant, title="Replaced", content_type="page"))
    assert response.status_code == 200
    assert response.get_json()["content_type"] == "page" and response.get_json()["status"] == "canceled"

    response = api.patch(item, json={"title": None})
    assert response.status_code == 400 and "title" in error_fields(response)

    assert api.delete(item).status_code == 204
    assert api.get(item).status_code == 404
    db.session.expire_all()
    assert db.session.get(Task, task.id).deleted_at is not None  # soft


def test_role_matrix(api, tenant):
    task = factories.make_task(tenant.cluster)
    db.session.commit()
    item = f"{URL}{task.id}/"
    for role in Role:
        assert api.get(URL, role=role).status_code == 200
        assert api.get(item, role=role).status_code == 200
    viewer = {"role": Role.VIEWER}
    assert api.post(URL, json=_create_body(tenant), **viewer).status_code == 403
    assert api.patch(item, json={"title": "x"}, **viewer).status_code == 403
    assert api.put(item, json=_create_body(tenant), **viewer).status_code == 403
    assert api.delete(item, **viewer).status_code == 403
    assert api.post(URL + "bulk_delete/", json={"ids": [task.id]}, **viewer).status_code == 403
    assert (
        api.post(URL + "bulk_update/", json={"ids": [task.id], "status": "canceled"}, **viewer).status_code
        == 403
    )
    for role in (Role.EDITOR, Role.REVIEWER, Role.ADMIN):
        assert api.patch(item, json={"title": f"by {role}"}, role=role).status_code == 200


def test_other_accounts_ids_are_404(api, other_tenant):
    foreign = factories.make_task(other_tenant.cluster)
    db.session.commit()
    item = f"{URL}{foreign.id}/"
    assert api.get(item).status_code == 404
    assert api.patch(item, json={"title": "x"}).status_code == 404
    assert api.put(item, json=_create_body(other_tenant)).status_code == 404
    assert api.delete(item).status_code == 404
    assert api.post(URL + "bulk_delete/", json={"ids": [foreign.id]}).status_code == 404
    assert api.post(URL + "bulk_update/", json={"ids": [foreign.id], "status": "canceled"}).status_code == 404
    assert api.get(URL).get_json()["count"] == 0
    db.session.expire_all()
    assert db.session.get(Task, foreign.id).deleted_at is None


def test_filters_search_and_unknown_values(api, tenant):
    second_cluster = factories.make_cluster(tenant.sector)
    factories.make_task(tenant.cluster, "Heat pumps", keywords="heating")
    factories.make_task(second_cluster, "Solar roofs", status=TaskStatus.FAILED, content_type="page")
    db.session.commit()

    def titles(**params):
        response = api.get(URL, query_string=params)
        assert response.status_code == 200, response.get_json()
        return sorted(t["title"] for t in response.get_json()["results"])

    assert titles(search="heating") == ["Heat pumps"]
    assert titles(status="failed") == ["Solar roofs"]
    assert titles(cluster_id=second_cluster.id) == ["Solar roofs"]
    assert titles(content_type="page") == ["Solar roofs"]
    assert titles(site_id=tenant.site.id, sector_id=tenant.sector.id) == ["Heat pumps", "Solar roofs"]
    for name, value in (
        ("status", "bogus"),
        ("content_type", "x"),
        ("cluster_id", "abc"),
        ("ordering", "id"),
    ):
        response = api.get(URL, query_string={name: value})
        assert response.status_code == 400 and name in error_fields(response)


def test_ordering_both_directions(api, tenant):
    for title in ("b", "c", "a"):
        factories.make_task(tenant.cluster, title)
    db.session.commit()
    ascending = [t["title"] for t in api.get(URL, query_string={"ordering": "title"}).get_json()["results"]]
    descending = [t["title"] for t in api.get(URL, query_string={"ordering": "-title"}).get_json()["results"]]
    assert ascending == ["a", "b", "c"] and descending == ["c", "b", "a"]


def test_pagination_bounds_and_links(api, tenant):
    for n in range(5):
        factories.make_task(tenant.cluster, f"t{n}")
    db.session.commit()
    first = api.get(URL, query_string={"page_size": 2, "ordering": "title"}).get_json()
    assert first["count"] == 5 and [t["title"] for t in first["results"]] == ["t0", "t1"]
    assert first["previous"] is None and "page=2" in first["next"] and "ordering=title" in first["next"]
    last = api.get(first["next"].replace("page=2", "page=3")).get_json()
    assert [t["title"] for t in last["results"]] == ["t4"] and last["next"] is None
    assert "page=2" in last["previous"]
    for size in (0, 101, "x"):
        response = api.get(URL, query_string={"page_size": size})
        assert response.status_code == 400 and "page_size" in error_fields(response)
    assert api.get(URL, query_string={"page": 0}).status_code == 400
    beyond = api.get(URL, query_string={"page": 4, "page_size": 2})
    assert beyond.status_code == 404  # documented: a page after the last one is a 404


def test_an_empty_list_has_a_first_page(api):
    response = api.get(URL, query_string={"page": 1})
    assert response.status_code == 200
    assert response.get_json() == {
        "count": 0,
        "count_is_exact": True,
        "next": None,
        "previous": None,
        "results": [],
    }
    assert api.get(URL, query_string={"page": 2}).status_code == 404


def test_bulk_delete_and_update(api, tenant):
    tasks = [factories.make_task(tenant.cluster) for _ in range(3)]
    db.session.commit()
    ids = [t.id for t in tasks]
    refused = api.post(URL + "bulk_update/", json={"ids": ids[:2], "status": "completed"})
    assert refused.status_code == 400 and "status" in error_fields(refused)  # tasks without content
    response = api.post(URL + "bulk_update/", json={"ids": ids[:2], "status": "canceled"})
    assert response.status_code == 200 and response.get_json() == {"count": 2}
    assert api.get(URL, query_string={"status": "canceled"}).get_json()["count"] == 2
    for system_state in ("in_progress", "failed"):  # set by generation, never by hand
        response = api.post(URL + "bulk_update/", json={"ids": ids, "status": system_state})
        assert response.status_code == 400 and "status" in error_fields(response)
        response = api.patch(f"{URL}{ids[2]}/", json={"status": system_state})
        assert response.status_code == 400 and "status" in error_fields(response)
    assert api.get(f"{URL}{ids[2]}/").get_json()["status"] == "queued"
    response = api.post(URL + "bulk_update/", json={"ids": ids, "status": "nope"})
    assert response.status_code == 400 and "status" in error_fields(response)
    response = api.post(URL + "bulk_delete/", json={"ids": []})
    assert response.status_code == 400 and "ids" in error_fields(response)
    response = api.post(URL + "bulk_delete/", json={"ids": list(range(1, 102))})
    assert response.status_code == 400 and "ids" in error_fields(response)
    response = api.post(URL + "bulk_delete/", json={"ids": ids})
    assert response.get_json() == {"count": 3}
    assert api.get(URL).get_json()["count"] == 0


def test_list_runs_a_fixed_number_of_queries(api, tenant):
    token = api.token(Role.VIEWER)

    def count_for(rows: int) -> int:
        existing = db.session.query(Task).count()
        for _ in range(rows - existing):
            factories.make_task(tenant.cluster)
        db.session.commit()
        with count_queries() as q:
            response = api.get(URL, token=token, query_string={"page_size": 100})
        assert response.status_code == 200 and len(response.get_json()["results"]) == min(rows, 100)
        return q.count

    assert count_for(10) == count_for(500)


def test_a_system_state_may_be_sent_back_unchanged(api, tenant):
    running = factories.make_task(tenant.cluster, status=TaskStatus.IN_PROGRESS)
    db.session.commit()
    response = api.patch(f"{URL}{running.id}/", json={"status": "in_progress", "title": "Renamed"})
    assert response.status_code == 200 and response.get_json()["status"] == "in_progress"
    response = api.patch(f"{URL}{running.id}/", json={"status": "failed"})
    assert response.status_code == 400 and "set by generation" in error_fields(response)["status"][0]
