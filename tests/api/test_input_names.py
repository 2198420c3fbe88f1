"""What a client may name: the seed's filter names as aliases, and every unknown query parameter or
body field refused by name (a wrong name must not mean unfiltered data or a save that changed nothing)."""

from __future__ import annotations

import io

from flask import Flask

from tests.api.conftest import error_fields
from tests.support import factories
from writer_app.api.openapi import build
from writer_app.models import Role, db

TASKS = "/writer/tasks/"
CONTENT = "/writer/content/"


def _titles(api, url: str, **params) -> list[str]:
    response = api.get(url, query_string=params)
    assert response.status_code == 200, response.get_json()
    return sorted(item["title"] for item in response.get_json()["results"])


def test_content_list_filters_by_site_and_sector(api, tenant):
    factories.make_content(tenant.cluster, "Here")
    other_sector = factories.make_sector(tenant.site)
    factories.make_content(factories.make_cluster(other_sector), "Other sector")
    other_site = factories.make_site(tenant.account)
    factories.make_content(factories.make_cluster(factories.make_sector(other_site)), "Other site")
    db.session.commit()
    assert _titles(api, CONTENT) == ["Here", "Other sector", "Other site"]
    assert _titles(api, CONTENT, site_id=tenant.site.id) == ["Here", "Other sector"]
    assert _titles(api, CONTENT, site_id=tenant.site.id, sector_id=tenant.sector.id) == ["Here"]
    assert _titles(api, CONTENT, sector_id=other_sector.id) == ["Other sector"]
    assert _titles(api, CONTENT, site_id=other_site.id) == ["Other site"]


def test_the_seeds_filter_names_are_aliases(api, tenant):
    other = factories.make_cluster(tenant.sector, "Other")
    factories.make_task(tenant.cluster, "Guide", content_structure="guide")
    factories.make_task(other, "Review", content_structure="review")
    factories.make_content(tenant.cluster, "Guide", content_structure="guide")
    factories.make_content(other, "Review", content_structure="review")
    db.session.commit()
    for url in (TASKS, CONTENT):
        assert _titles(api, url, cluster=other.id) == ["Review"]
        assert _titles(api, url, cluster_id=other.id) == ["Review"]
        assert _titles(api, url, structure="guide") == ["Guide"]
        both = api.get(url, query_string={"cluster": other.id, "cluster_id": other.id})
        assert both.status_code == 400 and "cluster" in error_fields(both)
        bad = api.get(url, query_string={"structure": "poem"})
        assert bad.status_code == 400 and "structure" in error_fields(bad)


def test_unknown_query_parameters_are_refused_by_name(api, tenant):
    task = factories.make_task(tenant.cluster)
    db.session.commit()
    response = api.get(TASKS, query_string={"clusterid": 1})
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "validation_error"
    message = error_fields(response)["clusterid"][0]
    assert "Unknown query parameter" in message and "cluster_id" in message and "cluster," in message
    response = api.get(f"{TASKS}{task.id}/", query_string={"expand": "cluster"})
    assert response.status_code == 400 and "expand" in error_fields(response)
    # Paging parameters are accepted everywhere, also where nothing pages.
    assert api.get(f"{TASKS}{task.id}/", query_string={"page": 1, "page_size": 10}).status_code == 200
    assert api.get("/writer/images/content_images/", query_string={"page": 2}).status_code == 200


def test_unknown_body_fields_are_refused_by_name(api, tenant):
    content = factories.make_content(tenant.cluster, "Solar")
    db.session.commit()
    response = api.patch(f"{CONTENT}{content.id}/", json={"title": "New", "taxonomy_terms": [1]})
    assert response.status_code == 400
    assert "taxonomy_terms/" in error_fields(response)["taxonomy_terms"][0]  # says where terms change
    db.session.expire_all()
    assert db.session.get(type(content), content.id).title == "Solar"  # nothing changed

    body = {
        "title": "A task",
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
    }
    response = api.post(TASKS, json={**body, "status": "completed"})
    assert response.status_code == 400 and "queued" in error_fields(response)["status"][0]
    response = api.post(TASKS, json={**body, "titel": "typo"})
    assert response.status_code == 400 and "Unknown field" in error_fields(response)["titel"][0]
    assert api.post(TASKS, json=body).status_code == 201

    # A multipart upload names an unknown form field too, before anything is stored.
    form = {"site_id": str(tenant.site.id), "caption": "x", "file": (io.BytesIO(b"not read"), "a.png")}
    response = api.post("/writer/images/upload/", data=form, content_type="multipart/form-data")
    assert response.status_code == 400 and set(error_fields(response)) == {"caption"}

    # An action without a body takes none: fields sent to it are named too.
    response = api.post(f"{CONTENT}{content.id}/unpublish/", json={"force": True}, role=Role.REVIEWER)
    assert response.status_code == 400 and "force" in error_fields(response)


def test_the_document_refuses_extra_keys_and_lists_aliases_and_405(app: Flask):
    with app.test_request_context():
        document = build(app)
    schemas = document["components"]["schemas"]

    def resolve(schema: dict) -> dict:
        ref = schema.get("$ref", "")
        return schemas[ref.rsplit("/", 1)[-1]] if ref else schema

    bodies = 0
    for path, item in document["paths"].items():
        for method, op in item.items():
            assert "405" in op["responses"], (method, path)
            for media in op.get("requestBody", {}).get("content", {}).values():
                assert resolve(media["schema"]).get("additionalProperties") is False, (method, path)
                bodies += 1
    assert bodies > 20
    for name in ("TaskQuery", "ContentQuery", "ImageQuery", "TaxonomyQuery", "ClusterQuery"):
        assert schemas[name]["additionalProperties"] is False
    for path in ("/api/v1/writer/tasks/", "/api/v1/writer/content/"):
        names = [p["name"] for p in document["paths"][path]["get"]["parameters"]]
        assert {"cluster", "structure", "cluster_id", "content_structure"} <= set(names)
    file_types = document["paths"]["/api/v1/writer/images/{image_id}/file/"]["get"]["responses"]["200"]
    assert {"image/png", "image/jpeg", "image/webp"} <= set(file_types["content"])


def test_a_method_the_path_does_not_have_is_a_json_405(api):
    response = api.request("PUT", TASKS)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
