"""Publishing faults against the real local WordPress: wrong password, the server stopping in the
middle of a publish (then restarted and retried: exactly one post), a lost answer to the create call,
and the connection test's plain words."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.integration.wp_helpers import add_image, add_term, connect, publishable, reload, run_publish
from tests.support.wordpress import CreatedObjects, WordPressServer
from writer_app.integrations.wordpress import WordPressClient, WordPressUnavailable
from writer_app.models import ContentStatus, JobStatus, Role, SyncStatus, TaxonomyType, db
from writer_app.models.enums import ImageType
from writer_app.services.wordpress import sites as wordpress_sites

pytestmark = pytest.mark.wordpress


@pytest.fixture(autouse=True)
def _no_inline_retry_delays(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())


@pytest.fixture
def server(wordpress_server: WordPressServer) -> Iterator[WordPressServer]:
    """The WordPress server, running again after the test whatever the test did to it."""
    yield wordpress_server
    if not wordpress_server.running():
        wordpress_server.start()


def test_connection_test_explains_and_stores_the_timezone(tenant, wordpress_credentials, wp_client) -> None:
    connect(tenant, wordpress_credentials)
    report = wordpress_sites.test_site_connection(tenant.scope(Role.ADMIN), tenant.site.id)
    db.session.commit()
    assert report.ok, report.problems
    info = wordpress_sites.connection_info(reload_site(tenant))
    assert info["ok"] is True and info["timezone"] == wp_client.index()["timezone_string"]
    assert info["has_password"]
    assert wordpress_credentials.app_password not in str(info)  # never rendered back

    connect(tenant, wordpress_credentials, password="abcd efgh ijkl mnop qrst uvwx")
    report = wordpress_sites.test_site_connection(tenant.scope(Role.ADMIN), tenant.site.id)
    assert not report.ok
    assert "did not accept the login for admin" in report.summary()
    assert wordpress_sites.connection_info(reload_site(tenant))["ok"] is False


def reload_site(tenant):
    from writer_app.models import Site

    return db.session.get(Site, tenant.site.id, populate_existing=True)


def test_wrong_password_fails_readably_and_keeps_the_content(
    tenant, wordpress_credentials, wp_created: CreatedObjects, wp_unique
) -> None:
    connect(tenant, wordpress_credentials, password="abcd efgh ijkl mnop qrst uvwx")
    content = publishable(tenant, wp_unique("post"), status=ContentStatus.REVIEW)
    db.session.commit()
    content_id, html, title = content.id, content.html, content.title

    job = run_publish(tenant, content_id)

    assert job.status == JobStatus.FAILED
    assert "WordPress refused the request" in job.error and "Test connection" in job.error
    content = reload(content_id)
    assert content.sync_status == SyncStatus.FAILED
    assert content.status == ContentStatus.APPROVED  # approved by the publish, not on WordPress
    assert content.external_id is None
    assert (content.html, content.title) == (html, title)
    assert content.external_metadata["publish"]["error"] == job.error
    assert wp_created.posts == []


def test_server_stopped_after_media_upload_then_retried_makes_one_post(
    tenant,
    wordpress_credentials,
    wp_client: WordPressClient,
    wp_created: CreatedObjects,
    wp_unique,
    server: WordPressServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connect(tenant, wordpress_credentials)
    slug = wp_unique("post")
    content = publishable(tenant, slug)
    add_term(content, "Cat " + slug, slug + "-cat", TaxonomyType.CATEGORY)
    add_image(content, ImageType.FEATURED, "Solar panels on a roof")
    db.session.commit()
    content_id = content.id
    original_upload = WordPressClient.upload_media

    def upload_then_stop(self: WordPressClient, *args: Any, **kwargs: Any) -> dict[str, Any]:
        result = original_upload(self, *args, **kwargs)
        server.stop()  # WordPress goes away between the media step and the post step
        return result

    monkeypatch.setattr(WordPressClient, "upload_media", upload_then_stop)
    job = run_publish(tenant, content_id)

    assert job.status == JobStatus.FAILED
    assert "could not be reached" in job.error
    content = reload(content_id)
    assert content.sync_status == SyncStatus.FAILED and content.status == ContentStatus.APPROVED
    steps = content.external_metadata["publish_steps"]
    assert "media" in steps and "post" not in steps and steps["resumable"] is True

    monkeypatch.setattr(WordPressClient, "upload_media", original_upload)
    server.start()
    job = run_publish(tenant, content_id)

    assert job.status == JobStatus.FINISHED, job.error
    content = reload(content_id)
    assert content.sync_status == SyncStatus.SYNCED and content.status == ContentStatus.PUBLISHED
    posts = wp_client.find_posts(slug)
    assert [p["id"] for p in posts] == [int(content.external_id)]
    assert len(wp_created.media) == 1  # the retry reused the uploaded image
    assert posts[0]["featured_media"] == wp_created.media[0]


def test_lost_answer_to_create_is_found_by_its_slug_on_retry(
    tenant,
    wordpress_credentials,
    wp_client: WordPressClient,
    wp_created: CreatedObjects,
    wp_unique,
    server: WordPressServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    connect(tenant, wordpress_credentials)
    slug = wp_unique("post")
    content = publishable(tenant, slug)
    db.session.commit()
    content_id = content.id
    original_create = WordPressClient.create_post

    def create_then_lose_answer(self: WordPressClient, fields: Any) -> dict[str, Any]:
        original_create(self, fields)  # WordPress creates the post ...
        server.stop()  # ... and goes away before we hear its answer
        raise WordPressUnavailable("connection to WordPress reset", code="unreachable")

    monkeypatch.setattr(WordPressClient, "create_post", create_then_lose_answer)
    job = run_publish(tenant, content_id)
    assert job.status == JobStatus.FAILED
    assert reload(content_id).external_id is None  # we never learnt the id

    monkeypatch.setattr(WordPressClient, "create_post", original_create)
    server.start()
    job = run_publish(tenant, content_id)

    assert job.status == JobStatus.FINISHED, job.error
    posts = wp_client.find_posts(slug)
    assert len(posts) == 1 and len(wp_created.posts) == 1
    assert int(reload(content_id).external_id) == posts[0]["id"]
    assert (
        reload(content_id).external_metadata["publish_steps"]["post"]["action"] == "found by slug and updated"
    )


def test_slug_taken_by_another_post_is_not_reused(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    connect(tenant, wordpress_credentials)
    slug = wp_unique("post")
    theirs = wp_client.create_post({"title": "Someone else's", "slug": slug, "status": "publish"})
    content = publishable(tenant, slug)
    db.session.commit()
    content_id = content.id

    job = run_publish(tenant, content_id)

    assert job.status == JobStatus.FINISHED, job.error
    ours = int(reload(content_id).external_id)
    assert ours != theirs["id"]
    assert wp_client.get_post(theirs["id"])["title"]["raw"] == "Someone else's"
    assert wp_client.get_post(ours)["slug"] == f"{slug}-{content_id}"
