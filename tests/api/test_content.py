"""/api/v1/writer/content/: CRUD with versions, filters, taxonomy terms, grouped images, roles, tenancy."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_fields
from tests.support import factories
from writer_app.models import Content, ImageStatus, ImageType, Role, TaxonomyType, db
from writer_app.services import taxonomies
from writer_app.services.media import images

URL = "/writer/content/"


def _body(tenant, **overrides):
    body = {
        "title": "Solar panels: the complete guide",
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "html": "<p>Panels <script>alert(1)</script>turn light into power.</p>",
        "meta_title": "Solar guide",
        "primary_keyword": "solar panels",
        "secondary_keywords": "inverters, batteries",
    }
    body.update(overrides)
    return body


def _term(tenant, name, kind=TaxonomyType.CATEGORY, site=None):
    return taxonomies.create_taxonomy(
        tenant.scope(), site_id=(site or tenant.site).id, name=name, taxonomy_type=kind
    )


def test_create_defaults_sanitizes_and_answers_names(api, tenant):
    response = api.post(URL, json=_body(tenant))
    assert response.status_code == 201, response.get_json()
    content = response.get_json()
    assert content["status"] == "draft" and content["source"] == "igny8"
    assert "<script>" not in content["html"] and content["word_count"] > 0
    assert content["secondary_keywords"] == ["inverters", "batteries"]
    assert content["cluster_name"] == tenant.cluster.name and content["sector_name"] == tenant.sector.name
    assert content["slug"] == "solar-panels-the-complete-guide"
    assert content["external_id"] is None and content["sync_status"] == "none"
    assert content["has_featured_image"] is False
    assert content["image_status_counts"] == {"pending": 0, "generated": 0, "failed": 0}
    assert content["taxonomy_terms"] == [] and content["version"] == 1


@pytest.mark.parametrize("missing", ["title", "cluster_id", "content_type", "content_structure", "site_id"])
def test_create_requires_fields(api, tenant, missing):
    body = _body(tenant)
    del body[missing]
    response = api.post(URL, json=body)
    assert response.status_code == 400 and missing in error_fields(response)


def test_create_refuses_published_and_foreign_clusters(api, tenant, other_tenant):
    response = api.post(URL, json=_body(tenant, status="published"))
    assert response.status_code == 400 and "status" in error_fields(response)
    response = api.post(URL, json=_body(tenant, cluster_id=other_tenant.cluster.id))
    assert response.status_code == 400 and "cluster_id" in error_fields(response)
    assert db.session.query(Content).count() == 0


def test_read_update_with_versions_and_delete(api, tenant):
    content = factories.make_content(tenant.cluster, "Draft")
    db.session.commit()
    item = f"{URL}{content.id}/"
    assert api.get(item, role=Role.VIEWER).get_json()["title"] == "Draft"

    response = api.patch(item, json={"title": "Second", "version": 1})
    assert response.status_code == 200 and response.get_json()["version"] == 2
    stale = api.patch(item, json={"title": "Lost update", "version": 1})
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"

    response = api.put(item, json={"title": "Only"})
    assert response.status_code == 400 and "content_type" in error_fields(response)
    full = {k: v for k, v in _body(tenant, title="Put").items() if k not in ("site_id", "sector_id")}
    response = api.put(item, json=full)
    assert response.status_code == 200 and response.get_json()["title"] == "Put"
    assert response.get_json()["meta_title"] == "Solar guide"

    assert api.delete(item).status_code == 204
    assert api.get(item).status_code == 404
    db.session.expire_all()
    assert db.session.get(Content, content.id).deleted_at is not None


def test_roles_and_other_accounts(api, tenant, other_tenant):
    ours = factories.make_content(tenant.cluster)
    theirs = factories.make_content(other_tenant.cluster)
    db.session.commit()
    viewer = {"role": Role.VIEWER}
    assert api.post(URL, json=_body(tenant), **viewer).status_code == 403
    assert api.patch(f"{URL}{ours.id}/", json={"title": "x"}, **viewer).status_code == 403
    assert api.delete(f"{URL}{ours.id}/", **viewer).status_code == 403
    assert api.post(f"{URL}{ours.id}/taxonomy_terms/", json={"add": []}, **viewer).status_code == 403
    assert api.get(f"{URL}{ours.id}/images/", **viewer).status_code == 200
    for method, extra in (("GET", {}), ("PATCH", {"json": {"title": "x"}}), ("DELETE", {})):
        assert api.request(method, f"{URL}{theirs.id}/", **extra).status_code == 404
    assert api.post(f"{URL}{theirs.id}/taxonomy_terms/", json={"add": []}).status_code == 404
    assert api.get(f"{URL}{theirs.id}/images/").status_code == 404
    assert [c["id"] for c in api.get(URL).get_json()["results"]] == [ours.id]


def test_filters(api, tenant):
    factories.make_content(tenant.cluster, "Heat pumps")
    factories.make_content(tenant.cluster, "Solar review", content_structure="review", status="review")
    db.session.commit()

    def titles(**params):
        return [c["title"] for c in api.get(URL, query_string=params).get_json()["results"]]

    assert titles(search="heat") == ["Heat pumps"]
    assert titles(status="review") == ["Solar review"]
    assert titles(content_structure="review") == ["Solar review"]
    assert titles(source="wordpress") == []
    assert len(titles(cluster_id=tenant.cluster.id, site_id=tenant.site.id)) == 2
    response = api.get(URL, query_string={"status": "archived"})
    assert response.status_code == 400 and "status" in error_fields(response)


def test_taxonomy_terms_add_and_remove(api, tenant):
    content = factories.make_content(tenant.cluster)
    news = _term(tenant, "News")
    solar = _term(tenant, "solar", TaxonomyType.TAG)
    elsewhere = _term(tenant, "Elsewhere", site=factories.make_site(tenant.account))
    db.session.commit()
    url = f"{URL}{content.id}/taxonomy_terms/"
    response = api.post(url, json={"add": [news.id, solar.id]})
    assert response.status_code == 200
    body = response.get_json()
    assert [t["name"] for t in body["taxonomy_terms"]] == ["News", "solar"]
    assert body["categories"] == ["News"] and body["tags"] == ["solar"]
    body = api.post(url, json={"remove": [solar.id]}).get_json()
    assert body["tags"] == [] and body["categories"] == ["News"]
    response = api.post(url, json={"add": [elsewhere.id]})
    assert response.status_code == 400 and "add" in error_fields(response)
    response = api.post(url, json={"add": ["one"]})
    assert response.status_code == 400 and "add.0" in error_fields(response)


def test_images_grouped_and_image_stats(api, tenant):
    content = factories.make_content(tenant.cluster)
    scope = tenant.scope()
    featured = images.create_image(
        scope, image_type=ImageType.FEATURED, content_id=content.id, status="generated"
    )
    second = images.create_image(scope, image_type=ImageType.IN_ARTICLE, content_id=content.id, position=2)
    first = images.create_image(scope, image_type=ImageType.IN_ARTICLE, content_id=content.id, position=1)
    db.session.commit()
    grouped = api.get(f"{URL}{content.id}/images/").get_json()
    assert grouped["content_id"] == content.id and grouped["content_title"] == content.title
    assert grouped["featured_image"]["id"] == featured.id
    assert [i["id"] for i in grouped["in_article_images"]] == [first.id, second.id]
    read = api.get(f"{URL}{content.id}/").get_json()
    assert read["has_featured_image"] is True and read["image_count"] == 3
    assert read["image_status_counts"] == {
        ImageStatus.PENDING: 2,
        ImageStatus.GENERATED: 1,
        ImageStatus.FAILED: 0,
    }
    listed = api.get(URL).get_json()["results"][0]
    assert listed["image_status_counts"] == read["image_status_counts"]


def test_task_id_must_be_a_task_of_the_account(api, tenant, other_tenant):
    ours = factories.make_task(tenant.cluster)
    theirs = factories.make_task(other_tenant.cluster)
    db.session.commit()
    response = api.post(URL, json=_body(tenant, task_id=theirs.id))
    assert response.status_code == 400 and "task_id" in error_fields(response)
    response = api.post(URL, json=_body(tenant, task_id=99999))
    assert response.status_code == 400 and "task_id" in error_fields(response)
    response = api.post(URL, json=_body(tenant, task_id=ours.id))
    assert response.status_code == 201 and response.get_json()["task_id"] == ours.id
