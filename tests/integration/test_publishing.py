"""Publishing against the real local WordPress: publish with terms and images, readback, update,
schedule, status with drift and missing, unpublish with and without trash."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.wp_helpers import add_image, add_term, connect, publishable, reload, run_publish
from tests.support.wordpress import CreatedObjects
from writer_app.integrations.wordpress import WordPressClient, WordPressCredentials, WordPressNotFound
from writer_app.models import (
    ContentStatus,
    ContentTaxonomy,
    Image,
    JobStatus,
    Role,
    SyncStatus,
    TaxonomyType,
    db,
)
from writer_app.models.enums import ImageType
from writer_app.services.errors import Conflict
from writer_app.services.publishing import actions as publishing

pytestmark = pytest.mark.wordpress


@pytest.fixture(autouse=True)
def _no_inline_retry_delays(app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())


def test_publish_with_terms_and_images_reads_back(
    tenant,
    wordpress_credentials: WordPressCredentials,
    wp_client: WordPressClient,
    wp_created: CreatedObjects,
    wp_unique: Callable[[str], str],
) -> None:
    connect(tenant, wordpress_credentials)
    slug = wp_unique("post")
    content = publishable(
        tenant,
        slug,
        html='<p>Solar panels intro.</p><p><img src="/images/0/file" alt="x"></p><p>More solar panels.</p>',
    )
    existing_cat = wp_client.create_term("categories", wp_unique("Existing cat"), wp_unique("existing-cat"))
    cat_old = add_term(content, existing_cat["name"], existing_cat["slug"], TaxonomyType.CATEGORY)
    cat_new = add_term(content, "New " + slug, slug + "-cat", TaxonomyType.CATEGORY)
    tag = add_term(content, "Tag " + slug, slug + "-tag", TaxonomyType.TAG)
    featured = add_image(content, ImageType.FEATURED, "Solar panels on a roof")
    inline = add_image(content, ImageType.IN_ARTICLE, "An inverter on a wall", position=1, color="orange")
    content.html = content.html.replace("/images/0/file", f"/images/{inline.id}/file")
    db.session.commit()
    content_id = content.id

    job = run_publish(tenant, content_id)

    assert job.status == JobStatus.FINISHED, job.error
    content = reload(content_id)
    assert content.status == ContentStatus.PUBLISHED
    assert content.sync_status == SyncStatus.SYNCED
    post = wp_client.get_post(int(content.external_id))
    assert content.external_url == post["link"]
    assert post["status"] == "publish" and post["slug"] == slug
    assert post["title"]["raw"] == content.title
    terms = {t.id: t for t in db.session.query(ContentTaxonomy).all()}
    assert terms[cat_old.id].external_id == existing_cat["id"]  # reused, not duplicated
    assert sorted(post["categories"]) == sorted([existing_cat["id"], terms[cat_new.id].external_id])
    assert post["tags"] == [terms[tag.id].external_id]
    assert terms[tag.id].external_taxonomy == "post_tag" and terms[cat_new.id].external_taxonomy == "category"
    images = {i.id: i for i in db.session.query(Image).all()}
    assert post["featured_media"] == images[featured.id].external_id
    media_item = wp_client.get_media(images[featured.id].external_id)
    assert media_item["alt_text"] == "Solar panels on a roof"
    inline_media = wp_client.get_media(images[inline.id].external_id)
    assert f'src="{inline_media["source_url"]}"' in post["content"]["raw"]
    assert "/images/" not in post["content"]["raw"].replace(inline_media["source_url"], "")
    assert sorted(wp_created.media) == sorted(
        [images[featured.id].external_id, images[inline.id].external_id]
    )
    steps = content.external_metadata["publish_steps"]
    assert {"terms", "media", "post", "verify"} <= set(steps) and steps["resumable"] is False
    assert content.external_metadata["modified_gmt"] == post["modified_gmt"]

    with pytest.raises(Conflict, match="published already"):
        publishing.publish(tenant.scope(Role.REVIEWER), content_id)


def test_republish_updates_the_same_post(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created: CreatedObjects, wp_unique
) -> None:
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    content_id = content.id
    assert run_publish(tenant, content_id).status == JobStatus.FINISHED
    post_id = int(reload(content_id).external_id)

    content = reload(content_id)
    content.title = content.title + " (updated)"
    content.html = "<p>Solar panels, revised text.</p>"
    db.session.commit()
    job = run_publish(tenant, content_id, update=True)

    assert job.status == JobStatus.FINISHED, job.error
    assert int(reload(content_id).external_id) == post_id
    post = wp_client.get_post(post_id)
    assert post["title"]["raw"].endswith("(updated)")
    assert "revised text" in post["content"]["raw"]
    assert wp_created.posts == [post_id]
    rows = publishing.describe_job(tenant.scope(Role.VIEWER), job)
    assert rows == [
        {"id": content_id, "title": content.title, "status": "synced", "error": "", "content_id": content_id}
    ]
    assert publishing.KIND_LABELS[job.kind] == "Update in WordPress"


def test_scheduled_post_is_future_with_date_gmt(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique, client, login
) -> None:
    connect(tenant, wordpress_credentials)
    when = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0, second=0)
    content = publishable(tenant, wp_unique("post"), scheduled_at=when)
    db.session.commit()
    content_id = content.id

    job = run_publish(tenant, content_id)

    assert job.status == JobStatus.FINISHED, job.error
    content = reload(content_id)
    post = wp_client.get_post(int(content.external_id))
    assert post["status"] == "future"
    assert post["date_gmt"] == when.strftime("%Y-%m-%dT%H:%M:%S")
    assert content.external_metadata["wp_status"] == "future"
    login(tenant.viewer)
    page = client.get("/content/?status=published").get_data(as_text=True)
    assert when.strftime("%Y-%m-%d %H:%M") in page


def test_status_reports_drift_then_missing(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    content_id = content.id
    run_publish(tenant, content_id)
    scope = tenant.scope(Role.VIEWER)

    status = publishing.wordpress_status(scope, content_id)
    assert status.remote_status == "publish" and not status.drift and not status.missing
    assert status.link == reload(content_id).external_url

    post_id = int(reload(content_id).external_id)
    import time

    time.sleep(1.1)  # WordPress keeps modified_gmt to the second
    wp_client.update_post(post_id, {"title": "Edited in WordPress"})
    status = publishing.wordpress_status(scope, content_id)
    assert status.drift and not status.missing
    assert "edited in WordPress" in status.message

    wp_client.trash_post(post_id)
    assert publishing.wordpress_status(scope, content_id).missing
    wp_client.delete_post(post_id)
    status = publishing.wordpress_status(scope, content_id)
    assert status.missing and "no longer exists" in status.message


def test_unpublish_keeps_the_post_unless_trash_is_asked(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    connect(tenant, wordpress_credentials)
    kept = publishable(tenant, wp_unique("post"))
    trashed = publishable(tenant, wp_unique("post"))
    db.session.commit()
    kept_id, trashed_id = kept.id, trashed.id
    run_publish(tenant, kept_id)
    run_publish(tenant, trashed_id)
    kept_post, trashed_post = int(reload(kept_id).external_id), int(reload(trashed_id).external_id)
    scope = tenant.scope(Role.REVIEWER)  # unpublishing is for reviewers

    publishing.unpublish(scope, kept_id)
    publishing.unpublish(scope, trashed_id, trash=True)
    db.session.commit()

    for content_id in (kept_id, trashed_id):
        content = reload(content_id)
        assert content.status == ContentStatus.DRAFT
        assert content.external_id is None and content.external_url == ""
    assert wp_client.get_post(kept_post)["status"] == "publish"
    assert wp_client.get_post(trashed_post)["status"] == "trash"
    with pytest.raises(Conflict):
        publishing.unpublish(scope, kept_id)


def test_republish_of_a_post_deleted_in_wordpress_creates_it_again(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"))
    db.session.commit()
    content_id = content.id
    run_publish(tenant, content_id)
    old = int(reload(content_id).external_id)
    wp_client.delete_post(old)

    job = run_publish(tenant, content_id, update=True)

    assert job.status == JobStatus.FINISHED, job.error
    new = int(reload(content_id).external_id)
    assert new != old
    with pytest.raises(WordPressNotFound):
        wp_client.get_post(old)
    assert wp_client.get_post(new)["status"] == "publish"


def test_republish_after_the_featured_image_was_removed_clears_it(
    tenant, wordpress_credentials, wp_client: WordPressClient, wp_created, wp_unique
) -> None:
    from writer_app.models.base import utcnow

    connect(tenant, wordpress_credentials)
    content = publishable(tenant, wp_unique("post"))
    image = add_image(content, ImageType.FEATURED, "Solar panels on a roof")
    db.session.commit()
    content_id, image_id = content.id, image.id
    run_publish(tenant, content_id)
    post_id = int(reload(content_id).external_id)
    assert wp_client.get_post(post_id)["featured_media"] > 0

    db.session.get(Image, image_id).deleted_at = utcnow()
    db.session.commit()
    job = run_publish(tenant, content_id, update=True)

    assert job.status == JobStatus.FINISHED, job.error
    assert wp_client.get_post(post_id)["featured_media"] == 0
