"""/api/v1/writer/content/<id>/validate/ (GET saved, POST unsaved) and /metadata/: roles, tenancy, shapes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from tests.api.conftest import error_fields
from tests.support import factories
from writer_app.models import Content, Revision, Role, db
from writer_app.services import content as cs
from writer_app.services import site_checks

GOOD_TITLE = "Solar panels for beginners: costs and savings"
# Wider than the 600 px a search result shows (Arial 20 px): the SEO title check fails ("problem").
TOO_WIDE = "W" * 40


def saved(tenant: factories.Tenant, **values) -> Content:
    content = cs.create_content(
        tenant.scope(Role.EDITOR),
        title="Solar basics",
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html="<p>Solar panels turn light into power.</p>",
        primary_keyword="solar panels",
        **values,
    )
    db.session.commit()
    return content


def url(content: Content, what: str = "validate") -> str:
    return f"/writer/content/{content.id}/{what}/"


def by_key(body: dict) -> dict[str, dict]:
    return {c["key"]: c for c in body["checks"]}


def test_get_checks_of_the_saved_content(api, tenant):
    content = saved(tenant, meta_title=TOO_WIDE)
    response = api.get(url(content), role=Role.VIEWER)
    assert response.status_code == 200
    body = response.get_json()
    assert body["content_id"] == content.id and body["live"] is False
    assert 0 <= body["seo_score"] <= 100 and 0 <= body["readability_score"] <= 100
    checks = by_key(body)
    assert (
        checks["seo_title_length"]["status"] == "problem"
        and checks["seo_title_length"]["level"] == "required"
    )
    assert checks["seo_title_length"]["anchor"] == "meta_title"
    assert "seo_title_length" in body["failing_required"]
    assert checks["text_length"]["level"] == "recommended"


def test_post_checks_unsaved_values_and_saves_nothing(api, tenant):
    content = saved(tenant, meta_title=TOO_WIDE)
    revisions = db.session.scalar(select(func.count()).select_from(Revision))
    response = api.post(url(content), json={"meta_title": GOOD_TITLE, "slug": "Solar Panels!"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["live"] is True
    assert by_key(body)["seo_title_length"]["status"] == "good"
    assert by_key(body)["keyphrase_in_slug"]["status"] == "good"
    assert "seo_title_length" not in body["failing_required"]
    db.session.expire_all()
    assert db.session.get(Content, content.id).meta_title == TOO_WIDE
    assert db.session.scalar(select(func.count()).select_from(Revision)) == revisions


def test_off_checks_are_left_out(api, tenant):
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, {"flesch_reading_ease": "off"})
    db.session.commit()
    content = saved(tenant)
    assert "flesch_reading_ease" not in by_key(api.get(url(content)).get_json())


def test_invalid_body_is_a_field_error(api, tenant):
    content = saved(tenant)
    response = api.post(url(content), json={"meta_title": 5})
    assert response.status_code == 400 and "meta_title" in error_fields(response)
    assert api.post(url(content), data="x", content_type="text/plain").status_code == 415


@pytest.mark.parametrize(("role", "status"), [(Role.VIEWER, 403), (Role.EDITOR, 200), (Role.ADMIN, 200)])
def test_post_needs_an_editor(api, tenant, role, status):
    content = saved(tenant)
    assert api.post(url(content), json={}, role=role).status_code == status


def test_other_accounts_content_is_404_and_no_token_401(api, other_tenant):
    content = saved(other_tenant)
    assert api.get(url(content)).status_code == 404
    assert api.post(url(content), json={}).status_code == 404
    assert api.get(url(content, "metadata")).status_code == 404
    assert api.get(url(content), role=None).status_code == 401


def test_metadata_is_the_publish_preview(api, tenant):
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, plugin="rankmath")
    db.session.commit()
    content = saved(tenant, meta_title=GOOD_TITLE, meta_description="What solar panels cost.")
    response = api.get(url(content, "metadata"), role=Role.VIEWER)
    assert response.status_code == 200
    body = response.get_json()
    assert body["seo_plugin"] == "rankmath" and body["rest_base"] == "posts"
    assert body["meta"]["rank_math_title"] == GOOD_TITLE
    assert body["body"]["slug"] == "solar-basics" and body["body"]["excerpt"] == "What solar panels cost."
    assert body["body"]["meta"] == body["meta"]


def test_history_lists_stored_analyses(api, tenant):
    from writer_app.services import content_checks

    content = saved(tenant)
    revision = db.session.scalars(select(Revision).where(Revision.content_id == content.id)).one()
    content_checks.after_content_saved(tenant.scope(Role.EDITOR), content, revision)
    db.session.commit()
    history = api.get(url(content)).get_json()["history"]
    assert [h["number"] for h in history] == [1]
    assert history[0]["created_at"].endswith(("Z", "+00:00"))  # UTC, with an offset


def test_operations_are_in_the_openapi_document(api):
    paths = api.get("/openapi.json", role=None).get_json()["paths"]
    item = "/api/v1/writer/content/{content_id}/validate/"
    assert {"get", "post"} <= set(paths[item])
    assert "get" in paths["/api/v1/writer/content/{content_id}/metadata/"]
