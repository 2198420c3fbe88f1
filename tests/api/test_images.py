"""/api/v1/writer/images/: CRUD, the file, bulk status, grouped images, roles, tenancy."""

from __future__ import annotations

import io

from PIL import Image as PILImage

from tests.api.conftest import error_fields
from tests.support import factories
from writer_app.models import Image, ImageType, Role, db
from writer_app.services.media import files as media
from writer_app.services.media import images

URL = "/writer/images/"


def _png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (40, 30), (200, 120, 0)).save(out, format="PNG")
    return out.getvalue()


def test_create_on_content_inherits_its_site_and_answers_titles(api, tenant):
    content = factories.make_content(tenant.cluster, "Guide")
    db.session.commit()
    response = api.post(URL, json={"image_type": "featured", "content_id": content.id, "prompt": "A roof"})
    assert response.status_code == 201, response.get_json()
    image = response.get_json()
    assert image["content_title"] == "Guide" and image["site_id"] == tenant.site.id
    assert image["status"] == "pending" and image["file_url"] is None


def test_create_validation_names_fields(api, tenant, other_tenant):
    response = api.post(URL, json={"image_type": "banner"})
    assert response.status_code == 400 and "image_type" in error_fields(response)
    # The seed's rule: an image belongs to content or a task (even with a site and sector given).
    place = {"site_id": tenant.site.id, "sector_id": tenant.sector.id}
    for body in ({"image_type": "featured"}, {"image_type": "featured", **place}):
        response = api.post(URL, json=body)
        assert response.status_code == 400 and "content_id" in error_fields(response)
    foreign = factories.make_content(other_tenant.cluster)
    db.session.commit()
    response = api.post(URL, json={"image_type": "featured", "content_id": foreign.id})
    assert response.status_code == 400 and "content_id" in error_fields(response)
    response = api.post(URL, json={"image_type": "featured", "image_url": "ftp://x", "content_id": 1})
    assert response.status_code == 400


def test_read_put_patch_delete_and_roles(api, tenant):
    content = factories.make_content(tenant.cluster)
    image = images.create_image(tenant.scope(), image_type=ImageType.IN_ARTICLE, content_id=content.id)
    db.session.commit()
    item = f"{URL}{image.id}/"
    assert api.get(item, role=Role.VIEWER).get_json()["image_type"] == "in_article"
    assert api.patch(item, json={"alt_text": "x"}, role=Role.VIEWER).status_code == 403
    assert api.delete(item, role=Role.VIEWER).status_code == 403
    response = api.patch(item, json={"alt_text": "Panels on a roof", "position": 3})
    assert response.status_code == 200 and response.get_json()["position"] == 3
    response = api.put(item, json={"prompt": "no type"})
    assert response.status_code == 400 and "image_type" in error_fields(response)
    response = api.put(item, json={"image_type": "featured", "status": "failed", "error": "Timed out"})
    assert response.get_json()["status"] == "failed" and response.get_json()["error"] == "Timed out"
    assert response.get_json()["alt_text"] == "Panels on a roof"  # left out: unchanged
    response = api.patch(item, json={"position": -1})
    assert response.status_code == 400 and "position" in error_fields(response)
    refused = api.delete(item)  # the content's featured image is in use
    assert refused.status_code == 409 and "featured image of" in refused.get_json()["error"]["message"]
    assert api.patch(item, json={"image_type": "in_article"}).status_code == 200
    assert api.delete(item).status_code == 204
    assert api.get(item).status_code == 404
    db.session.expire_all()
    assert db.session.get(Image, image.id).deleted_at is not None


def test_other_accounts_images_are_404(api, other_tenant):
    foreign = factories.make_content(other_tenant.cluster)
    image = images.create_image(other_tenant.scope(), image_type=ImageType.FEATURED, content_id=foreign.id)
    db.session.commit()
    item = f"{URL}{image.id}/"
    for method in ("GET", "DELETE"):
        assert api.request(method, item).status_code == 404
    assert api.patch(item, json={"alt_text": "x"}).status_code == 404
    assert api.get(item + "file/").status_code == 404
    assert api.post(URL + "bulk_update/", json={"ids": [image.id], "status": "failed"}).status_code == 404
    assert (
        api.post(URL + "bulk_update/", json={"content_id": foreign.id, "status": "failed"}).status_code == 404
    )
    assert api.get(URL + "content_images/").get_json() == []


def test_file_is_served_with_its_type(api, tenant):
    content = factories.make_content(tenant.cluster)
    png = _png()
    stored = media.store_image(tenant.account.id, tenant.site.id, "roof", png)
    image = images.create_image(
        tenant.scope(),
        image_type=ImageType.FEATURED,
        content_id=content.id,
        image_path=stored.path,
        thumbnail_path=stored.thumbnail_path,
        status="generated",
    )
    bare = images.create_image(tenant.scope(), image_type=ImageType.FEATURED, content_id=content.id)
    db.session.commit()
    read = api.get(f"{URL}{image.id}/", role=Role.VIEWER).get_json()
    assert read["file_url"] == f"/api/v1/writer/images/{image.id}/file/"
    response = api.get(read["file_url"], role=Role.VIEWER)
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert response.data == png
    # Like the HTML route: private to the account, never kept by a shared cache.
    assert response.cache_control.private and not response.cache_control.public
    assert "Authorization" in response.vary
    thumb = api.get(read["file_url"], query_string={"thumbnail": "true"})
    assert thumb.status_code == 200 and thumb.mimetype == "image/png"
    assert api.get(f"{URL}{bare.id}/file/").status_code == 404


def test_bulk_update_by_content_or_ids(api, tenant):
    content = factories.make_content(tenant.cluster)
    other = factories.make_content(tenant.cluster)
    scope = tenant.scope()
    mine = [images.create_image(scope, image_type="in_article", content_id=content.id) for _ in range(2)]
    theirs = images.create_image(scope, image_type="featured", content_id=other.id)
    db.session.commit()
    response = api.post(URL + "bulk_update/", json={"content_id": content.id, "status": "generated"})
    assert response.status_code == 200 and response.get_json() == {"count": 2}
    response = api.post(URL + "bulk_update/", json={"ids": [theirs.id], "status": "failed"})
    assert response.get_json() == {"count": 1}
    statuses = {i["id"]: i["status"] for i in api.get(URL).get_json()["results"]}
    assert statuses == {mine[0].id: "generated", mine[1].id: "generated", theirs.id: "failed"}
    response = api.post(URL + "bulk_update/", json={"status": "failed"})
    assert response.status_code == 400 and "ids" in error_fields(response)
    response = api.post(URL + "bulk_update/", json={"ids": [theirs.id], "status": "done"})
    assert response.status_code == 400 and "status" in error_fields(response)
    assert (
        api.post(
            URL + "bulk_update/", json={"ids": [theirs.id], "status": "failed"}, role=Role.VIEWER
        ).status_code
        == 403
    )


def test_content_images_groups(api, tenant):
    first = factories.make_content(tenant.cluster, "First")
    second = factories.make_content(tenant.cluster, "Second")
    scope = tenant.scope()
    featured = images.create_image(scope, image_type="featured", content_id=first.id)
    inline = images.create_image(scope, image_type="in_article", content_id=first.id, position=1)
    images.create_image(scope, image_type="featured", content_id=second.id, status="failed")
    db.session.commit()
    groups = api.get(URL + "content_images/", role=Role.VIEWER).get_json()
    assert [g["content_title"] for g in groups] == ["Second", "First"]  # newest content first
    group = groups[1]
    assert group["featured_image"]["id"] == featured.id
    assert [i["id"] for i in group["in_article_images"]] == [inline.id] and group["image_count"] == 2
    only = api.get(URL + "content_images/", query_string={"content_id": first.id}).get_json()
    assert [g["content_id"] for g in only] == [first.id]
    failed = api.get(URL + "content_images/", query_string={"status": "failed"}).get_json()
    assert [g["content_id"] for g in failed] == [second.id]
    response = api.get(URL + "content_images/", query_string={"image_type": "banner"})
    assert response.status_code == 400 and "image_type" in error_fields(response)


def test_filters(api, tenant):
    content = factories.make_content(tenant.cluster)
    task = factories.make_task(tenant.cluster)
    scope = tenant.scope()
    on_content = images.create_image(scope, image_type="featured", content_id=content.id)
    on_task = images.create_image(scope, image_type="desktop", task_id=task.id, status="failed")
    db.session.commit()

    def ids(**params):
        return [i["id"] for i in api.get(URL, query_string=params).get_json()["results"]]

    assert ids(content_id=content.id) == [on_content.id]
    assert ids(task_id=task.id) == [on_task.id]
    assert ids(image_type="desktop") == [on_task.id]
    assert ids(status="failed") == [on_task.id]
    assert api.get(URL, query_string={"task_id": "x"}).status_code == 400


def test_content_images_runs_a_fixed_number_of_queries(api, tenant):
    from tests.support.queries import count_queries

    token = api.token(Role.VIEWER)
    scope = tenant.scope()

    def queries_with(groups: int) -> int:
        for _ in range(groups):
            content = factories.make_content(tenant.cluster)
            images.create_image(scope, image_type="featured", content_id=content.id)
            images.create_image(scope, image_type="in_article", content_id=content.id, position=1)
        db.session.commit()
        db.session.expire_all()
        with count_queries() as counter:
            response = api.get(URL + "content_images/", token=token)
        assert response.status_code == 200
        return counter.count

    assert queries_with(10) == queries_with(240)


def test_content_and_task_given_together_must_belong_together(api, tenant):
    task, other_task = factories.make_task(tenant.cluster), factories.make_task(tenant.cluster)
    content = factories.make_content(tenant.cluster, task_id=task.id)
    other_site = factories.make_site(tenant.account)
    db.session.commit()
    body = {"image_type": "featured", "content_id": content.id}
    response = api.post(URL, json={**body, "task_id": other_task.id})
    assert response.status_code == 400 and f"task {task.id}" in error_fields(response)["task_id"][0]
    response = api.post(URL, json={**body, "site_id": other_site.id})  # not the content's site
    assert response.status_code == 400 and "site_id" in error_fields(response)
    # A site without a sector is checked against the owner's, no fallback needed.
    response = api.post(URL, json={**body, "task_id": task.id, "site_id": tenant.site.id})
    assert response.status_code == 201 and response.get_json()["task_id"] == task.id
    assert response.get_json()["sector_id"] == tenant.sector.id
    response = api.post(URL, json={"image_type": "featured", "task_id": other_task.id})
    assert response.status_code == 201 and response.get_json()["content_id"] is None
