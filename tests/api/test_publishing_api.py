"""/api/v1/writer/content/{id}/publish|republish|unpublish|wordpress_status/, taxonomy sync and post
import — against the real local WordPress (inline jobs: the tests run without Redis)."""

from __future__ import annotations

import pytest

from tests.integration.wp_helpers import connect, publishable, reload
from writer_app.integrations.wordpress import WordPressClient
from writer_app.models import ContentStatus, Job, JobStatus, Role, SyncStatus, db
from writer_app.services import secrets

pytestmark = pytest.mark.wordpress


@pytest.fixture(autouse=True)
def _no_inline_retry_delays(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())


def url(content_id: int, action: str) -> str:
    return f"/writer/content/{content_id}/{action}/"


def test_publish_status_republish_unpublish(
    api, tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    content_id = content.id

    assert api.post(url(content_id, "publish"), role=Role.EDITOR).status_code == 403
    response = api.post(url(content_id, "publish"), role=Role.REVIEWER)
    assert response.status_code == 200, response.get_json()  # ran inline: the finished job
    job = response.get_json()
    assert job["status"] == "finished" and job["kind"] == "wordpress_publish"
    post_id = job["result"]["post_id"]
    assert reload(content_id).external_id == str(post_id)

    again = api.post(url(content_id, "publish"), role=Role.REVIEWER)
    assert again.status_code == 409 and "published already" in again.get_json()["error"]["message"]

    status = api.get(url(content_id, "wordpress_status"), role=Role.VIEWER).get_json()
    assert status["post_id"] == post_id and status["remote_status"] == "publish"
    assert status["drift"] is False and status["missing"] is False and status["sync_status"] == "synced"

    content = reload(content_id)
    content.title += " v2"
    db.session.commit()
    updated = api.post(url(content_id, "republish"), role=Role.REVIEWER).get_json()
    assert updated["status"] == "finished" and updated["result"]["post_id"] == post_id
    assert wp_client.get_post(post_id)["title"]["raw"].endswith(" v2")

    assert api.post(url(content_id, "unpublish"), role=Role.VIEWER).status_code == 403
    assert api.post(url(content_id, "unpublish"), role=Role.EDITOR).status_code == 403
    response = api.post(url(content_id, "unpublish") + "?trash=true", role=Role.REVIEWER)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft" and body["external_id"] is None
    assert wp_client.get_post(post_id)["status"] == "trash"
    assert api.post(url(content_id, "unpublish"), role=Role.REVIEWER).status_code == 409


def test_failed_publish_is_reported_in_the_job_and_on_the_content(
    api, tenant, wordpress_credentials, wp_created, wp_unique
) -> None:
    connect(tenant, wordpress_credentials, password="abcd efgh ijkl mnop qrst uvwx")
    content = publishable(tenant, wp_unique("post"), status=ContentStatus.REVIEW)
    db.session.commit()
    job = api.post(url(content.id, "publish"), role=Role.REVIEWER).get_json()
    assert job["status"] == "failed" and "WordPress refused the request" in job["error"]
    body = api.get(f"/writer/content/{content.id}/", role=Role.VIEWER).get_json()
    assert body["status"] == "approved" and body["sync_status"] == "failed"


def test_publish_blocked_by_required_checks_and_override(
    api, tenant, wordpress_credentials, wp_created, wp_unique
):
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"), meta_description="Too short.")
    db.session.commit()
    blocked = api.post(url(content.id, "publish"), role=Role.REVIEWER)
    assert blocked.status_code == 409 and "required check" in blocked.get_json()["error"]["message"]
    assert reload(content.id).status == ContentStatus.REVIEW
    response = api.post(url(content.id, "publish") + "?override_comment=Launch+today", role=Role.REVIEWER)
    assert response.get_json()["status"] == "finished"
    assert reload(content.id).sync_status == SyncStatus.SYNCED


def test_status_of_other_accounts_content_is_404(api, other_tenant, tenant) -> None:
    other = publishable(other_tenant, "theirs")
    db.session.commit()
    assert api.get(url(other.id, "wordpress_status"), role=Role.ADMIN).status_code == 404
    assert api.post(url(other.id, "publish"), role=Role.ADMIN).status_code == 404


def test_sync_and_import_jobs(
    api, tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
):
    connect(tenant, wordpress_credentials)
    term = wp_client.create_term("tags", wp_unique("Api tag"), wp_unique("api-tag"))
    post = wp_client.create_post(
        {"title": "From the API import", "slug": wp_unique("imp"), "status": "publish"}
    )
    assert (
        api.post("/writer/taxonomies/sync/", role=Role.REVIEWER, json={"site_id": tenant.site.id}).status_code
        == 403
    )
    sync = api.post("/writer/taxonomies/sync/", role=Role.ADMIN, json={"site_id": tenant.site.id}).get_json()
    assert sync["status"] == "finished" and sync["result"]["report"]["created"] >= 1
    terms = api.get("/writer/taxonomies/?page_size=100", role=Role.VIEWER).get_json()
    assert term["slug"] in {t["slug"] for t in terms["results"]} or terms["next"]

    body = {"site_id": tenant.site.id, "cluster_id": tenant.cluster.id}
    imported = api.post("/writer/content/import_wordpress/", role=Role.ADMIN, json=body).get_json()
    assert imported["status"] == "finished" and imported["result"]["report"]["created"] >= 1
    again = api.post("/writer/content/import_wordpress/", role=Role.ADMIN, json=body).get_json()
    assert again["result"]["report"]["created"] == 0
    assert (
        db.session.query(Job).filter(Job.kind == "wordpress_import", Job.status == JobStatus.FINISHED).count()
        == 2
    )
    contents = api.get("/writer/content/?source=wordpress&page_size=100", role=Role.VIEWER).get_json()
    assert post["id"] in {int(c["external_id"]) for c in contents["results"]} or contents["next"]


def test_publish_refused_for_unconnected_site(api, tenant) -> None:
    content = publishable(tenant, "nowhere")
    tenant.site.wp_app_password_encrypted = None
    db.session.commit()
    response = api.post(url(content.id, "publish"), role=Role.REVIEWER)
    assert response.status_code == 400 and "not connected" in response.get_json()["error"]["message"]
    assert secrets.decrypt(None) == ""
