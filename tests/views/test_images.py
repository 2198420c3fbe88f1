"""Images pages: gallery (full page and htmx fragment), detail/edit, delete, bulk status, the file route."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image as PILImage

from tests.support.factories import PASSWORD, make_content, make_task
from tests.support.queries import count_queries
from writer_app.models import Image, ImageStatus, ImageType, Role, db
from writer_app.services import content as content_service
from writer_app.services.errors import Conflict
from writer_app.services.media import files as media
from writer_app.services.media import images

HX = {"HX-Request": "true"}


def png(width: int = 960, height: int = 540) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), "steelblue").save(out, format="PNG")
    return out.getvalue()


def stored_image(tenant, content, **fields) -> Image:
    stored = media.store_image(tenant.account.id, content.site_id, "hero", png())
    fields.setdefault("image_type", "featured")
    fields.setdefault("status", "generated")
    return images.create_image(
        tenant.scope(Role.EDITOR),
        content_id=content.id,
        image_path=stored.path,
        thumbnail_path=stored.thumbnail_path,
        width=stored.width,
        height=stored.height,
        **fields,
    )


@pytest.fixture
def gallery(tenant):
    """Two content items: one with a stored featured image and two in-article prompts, one with a failure."""
    solar = make_content(tenant.cluster, "Solar roofs explained")
    wind = make_content(tenant.cluster, "Wind at home")
    scope = tenant.scope(Role.EDITOR)
    featured = stored_image(tenant, solar, prompt="A sunny roof", alt_text="Panels on a roof")
    later = images.create_image(scope, content_id=solar.id, image_type="in_article", position=2)
    early = images.create_image(scope, content_id=solar.id, image_type="in_article", position=1)
    failed = images.create_image(scope, content_id=wind.id, image_type="featured", status="failed")
    failed.error = "The AI server refused the prompt."
    db.session.commit()
    return {
        "solar": solar,
        "wind": wind,
        "featured": featured,
        "early": early,
        "later": later,
        "failed": failed,
    }


# ---------------------------------------------------------------- gallery


@pytest.mark.parametrize("role", list(Role))
def test_every_member_sees_the_gallery_grouped_by_content(client, login, tenant, gallery, role):
    login(tenant.users[role])
    response = client.get("/images/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Solar roofs explained" in page and "Wind at home" in page
    # Featured first, then in-article by position.
    solar_part = page[page.index("Solar roofs explained") :]
    featured_at = solar_part.index(f"/images/{gallery['featured'].id}/file?thumb=1")
    assert featured_at < solar_part.index(f'/images/{gallery["early"].id}"')
    assert solar_part.index(f'/images/{gallery["early"].id}"') < solar_part.index(
        f'/images/{gallery["later"].id}"'
    )
    can_edit = role != Role.VIEWER
    assert ('name="ids"' in page) is can_edit
    assert ("Apply to selected" in page) is can_edit


def test_gallery_fragment_for_htmx_is_only_the_results(client, login, tenant, gallery):
    login(tenant.viewer)
    response = client.get("/images/?status=failed", headers=HX)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "HX-Request" in response.headers["Vary"]
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body
    assert "Wind at home" in body and "Solar roofs explained" not in body


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("image_type=in_article", "Solar roofs explained", "Wind at home"),
        ("status=failed", "Wind at home", "Solar roofs explained"),
        ("ordering=id", "Solar roofs explained", None),
    ],
)
def test_gallery_filters_and_ordering(client, login, tenant, gallery, query, shown, hidden):
    login(tenant.editor)
    page = client.get(f"/images/?{query}").get_data(as_text=True)
    assert shown in page
    if hidden:
        assert hidden not in page


def test_gallery_ordering_changes_group_order(client, login, tenant, gallery):
    login(tenant.editor)
    newest = client.get("/images/?ordering=-id").get_data(as_text=True)
    oldest = client.get("/images/?ordering=id").get_data(as_text=True)
    assert newest.index("Wind at home") < newest.index("Solar roofs explained")
    assert oldest.index("Solar roofs explained") < oldest.index("Wind at home")


def test_gallery_content_and_task_filters_show_a_removable_chip(client, login, tenant, gallery):
    task = make_task(tenant.cluster, "Planned piece")
    images.create_image(tenant.scope(Role.EDITOR), task_id=task.id, image_type="featured")
    db.session.commit()
    login(tenant.editor)
    page = client.get(f"/images/?content_id={gallery['wind'].id}").get_data(as_text=True)
    assert "Content: Wind at home" in page and "Solar roofs explained</" not in page
    task_page = client.get(f"/images/?task_id={task.id}").get_data(as_text=True)
    assert "Task: Planned piece" in task_page and "no content yet" in task_page


@pytest.mark.parametrize("query", ["ordering=title", "image_type=poster", "content_id=abc", "page=0"])
def test_bad_filters_are_messages_not_errors(client, login, tenant, gallery, query):
    login(tenant.editor)
    full = client.get(f"/images/?{query}")
    assert full.status_code == 422
    assert 'class="form-errors"' in full.get_data(as_text=True)
    fragment = client.get(f"/images/?{query}", headers=HX)
    assert fragment.status_code == 200 and 'class="form-errors"' in fragment.get_data(as_text=True)


def test_gallery_hides_other_accounts_images(client, login, tenant, other_tenant, gallery):
    theirs = make_content(other_tenant.cluster, "Their secret piece")
    images.create_image(other_tenant.scope(Role.EDITOR), content_id=theirs.id, image_type="featured")
    db.session.commit()
    login(tenant.admin)
    page = client.get("/images/?site_id=all").get_data(as_text=True)
    assert "Their secret piece" not in page
    assert client.get(f"/images/?content_id={theirs.id}").status_code == 200  # just an empty result


def _bulk_images(tenant, contents: int, per_content: int) -> None:
    for n in range(contents):
        content = make_content(tenant.cluster, f"Piece {n}")
        for position in range(per_content):
            db.session.add(
                Image(
                    account_id=tenant.account.id,
                    site_id=tenant.site.id,
                    sector_id=tenant.sector.id,
                    content_id=content.id,
                    image_type=ImageType.FEATURED if position == 0 else ImageType.IN_ARTICLE,
                    position=position,
                    image_path=f"{tenant.account.id}/{tenant.site.id}/x{n}-{position}.png",
                )
            )
    db.session.commit()


def test_gallery_query_count_does_not_grow_with_rows(client, login, tenant):
    login(tenant.editor)
    _bulk_images(tenant, contents=5, per_content=2)  # 10 images
    # Requests share the test's session: start both measurements from the same (expired) state.
    db.session.expire_all()
    with count_queries() as few:
        assert client.get("/images/?page_size=100").status_code == 200
    _bulk_images(tenant, contents=98, per_content=5)  # 500 more images
    db.session.expire_all()
    with count_queries() as many:
        response = client.get("/images/?page_size=100")
    assert response.get_data(as_text=True).count('class="thumb-frame"') >= 480
    assert few.count == many.count, many.statements


# ---------------------------------------------------------------- detail and edit


def test_detail_shows_prompt_alt_text_status_and_error(client, login, tenant, gallery):
    login(tenant.viewer)
    page = client.get(f"/images/{gallery['featured'].id}").get_data(as_text=True)
    assert "A sunny roof" in page and "Panels on a roof" in page and "generated" in page
    assert "960 × 540" in page
    assert "Save image" not in page and "Delete image" not in page
    failed = client.get(f"/images/{gallery['failed'].id}").get_data(as_text=True)
    assert "The AI server refused the prompt." in failed and "Generation failed" in failed


def test_detail_of_other_account_or_missing_or_deleted_is_404(client, login, tenant, other_tenant, gallery):
    theirs = images.create_image(
        other_tenant.scope(Role.EDITOR),
        content_id=make_content(other_tenant.cluster).id,
        image_type="featured",
    )
    images.delete_image(tenant.scope(Role.EDITOR), gallery["later"].id)
    db.session.commit()
    login(tenant.admin)
    for image_id in (theirs.id, 999_999, gallery["later"].id):
        assert client.get(f"/images/{image_id}").status_code == 404
        assert client.post(f"/images/{image_id}", data={"position": 1}).status_code == 404
        assert client.post(f"/images/{image_id}/delete").status_code == 404


def test_editor_edits_an_image(client, login, tenant, gallery):
    login(tenant.editor)
    image = gallery["early"]
    response = client.post(
        f"/images/{image.id}",
        data={
            "image_type": "in_article",
            "status": "failed",
            "position": "5",
            "alt_text": "New alt",
            "prompt": "p",
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    assert (image.status, image.position, image.alt_text) == (ImageStatus.FAILED, 5, "New alt")
    assert "Image saved." in client.get(response.location).get_data(as_text=True)


def test_edit_through_htmx_redirects_the_page(client, login, tenant, gallery):
    login(tenant.editor)
    image = gallery["early"]
    data = {"image_type": "in_article", "status": "pending", "position": "3", "alt_text": "", "prompt": ""}
    response = client.post(f"/images/{image.id}", data=data, headers=HX)
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == f"/images/{image.id}"


def test_edit_errors_are_field_errors(client, login, tenant, gallery):
    login(tenant.editor)
    data = {"image_type": "in_article", "status": "pending", "position": "-1"}
    full = client.post(f"/images/{gallery['early'].id}", data=data)
    assert full.status_code == 422
    assert "Number must be at least 0" in full.get_data(as_text=True)
    fragment = client.post(f"/images/{gallery['early'].id}", data={**data, "status": "lost"}, headers=HX)
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and body.lstrip().startswith('<section id="image-form"')
    assert "Not a valid choice" in body
    db.session.expire_all()
    assert gallery["early"].position == 1


def test_editor_deletes_an_image_softly(client, login, tenant, gallery):
    login(tenant.editor)
    response = client.post(f"/images/{gallery['later'].id}/delete")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Image, gallery["later"].id).deleted_at is not None


@pytest.mark.parametrize(
    ("role", "allowed"),
    [(Role.VIEWER, False), (Role.EDITOR, True), (Role.REVIEWER, True), (Role.ADMIN, True)],
)
def test_role_matrix_for_changes(client, login, tenant, gallery, role, allowed):
    login(tenant.users[role])
    expected = 303 if allowed else 403
    image = gallery["early"]
    edit = {"image_type": "in_article", "status": "generated", "position": "1"}
    assert client.post(f"/images/{image.id}", data=edit).status_code == expected
    bulk = {"status": "failed", "ids": [str(image.id)], "next": "/images/"}
    assert client.post("/images/bulk-status", data=bulk).status_code == expected
    assert client.post(f"/images/{gallery['later'].id}/delete").status_code == expected
    db.session.expire_all()
    assert (gallery["later"].deleted_at is not None) is allowed
    for url in ("/images/", f"/images/{image.id}", f"/images/{gallery['featured'].id}/file"):
        assert client.get(url).status_code == 200


def test_anonymous_users_are_sent_to_login(client, gallery):
    for url in ("/images/", f"/images/{gallery['featured'].id}", f"/images/{gallery['featured'].id}/file"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location


def test_posts_need_the_csrf_token(client, tenant, gallery, csrf_enabled):
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    logged_in = client.post(
        "/login", data={"email": tenant.editor.email, "password": PASSWORD, "csrf_token": token}
    )
    assert logged_in.status_code == 303
    response = client.post("/images/bulk-status", data={"status": "failed", "ids": [gallery["early"].id]})
    assert response.status_code == 400
    db.session.expire_all()
    assert gallery["early"].status == ImageStatus.PENDING


# ---------------------------------------------------------------- bulk status


def test_bulk_status_by_selected_ids(client, login, tenant, gallery):
    login(tenant.editor)
    ids = [gallery["early"].id, gallery["later"].id]
    response = client.post(
        "/images/bulk-status", data={"status": "generated", "ids": ids, "next": "/images/?status=pending"}
    )
    assert response.status_code == 303 and response.location == "/images/?status=pending"
    assert "2 images set to generated." in client.get(response.location).get_data(as_text=True)
    db.session.expire_all()
    assert {gallery["early"].status, gallery["later"].status} == {ImageStatus.GENERATED}
    assert gallery["failed"].status == ImageStatus.FAILED


def test_bulk_status_by_content(client, login, tenant, gallery):
    login(tenant.editor)
    response = client.post(
        "/images/bulk-status", data={"status": "failed", "content_id": gallery["solar"].id}
    )
    assert response.status_code == 303
    db.session.expire_all()
    solar = [gallery[k].status for k in ("featured", "early", "later")]
    assert solar == [ImageStatus.FAILED] * 3


def test_bulk_status_without_selection_or_with_bad_status_says_so(client, login, tenant, gallery):
    login(tenant.editor)
    nothing = client.post("/images/bulk-status", data={"status": "failed"}, follow_redirects=True)
    assert "Select at least one image first." in nothing.get_data(as_text=True)
    bad = client.post("/images/bulk-status", data={"status": "lost", "ids": [1]}, follow_redirects=True)
    assert "Choose a valid status." in bad.get_data(as_text=True)
    too_many = client.post(
        "/images/bulk-status", data={"status": "failed", "ids": list(range(1, 120))}, follow_redirects=True
    )
    assert "at most 100" in too_many.get_data(as_text=True)


def test_bulk_status_on_other_accounts_images_is_404(client, login, tenant, other_tenant, gallery):
    theirs = images.create_image(
        other_tenant.scope(Role.EDITOR),
        content_id=make_content(other_tenant.cluster).id,
        image_type="featured",
    )
    db.session.commit()
    login(tenant.admin)
    assert (
        client.post("/images/bulk-status", data={"status": "failed", "ids": [theirs.id]}).status_code == 404
    )
    by_content = client.post(
        "/images/bulk-status", data={"status": "failed", "content_id": theirs.content_id}
    )
    assert by_content.status_code == 404
    mixed = client.post(
        "/images/bulk-status", data={"status": "failed", "ids": [gallery["early"].id, theirs.id]}
    )
    assert mixed.status_code == 404
    db.session.expire_all()
    assert theirs.status == ImageStatus.PENDING and gallery["early"].status == ImageStatus.PENDING


def test_bulk_status_never_redirects_off_site(client, login, tenant, gallery):
    login(tenant.editor)
    for target in ("https://evil.example/", "//evil.example/images", "/settings/members"):
        response = client.post(
            "/images/bulk-status", data={"status": "failed", "ids": [gallery["early"].id], "next": target}
        )
        assert response.location == "/images/"


# ---------------------------------------------------------------- the file route


def test_file_is_served_to_members_with_mimetype_and_private_caching(client, login, tenant, gallery):
    login(tenant.viewer)
    response = client.get(f"/images/{gallery['featured'].id}/file")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert response.data == png()
    cache = response.headers["Cache-Control"]
    assert "private" in cache and "public" not in cache and "max-age=86400" in cache
    assert response.headers.get("ETag")
    again = client.get(
        f"/images/{gallery['featured'].id}/file", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


def test_thumbnail_is_a_320px_png(client, login, tenant, gallery):
    login(tenant.viewer)
    response = client.get(f"/images/{gallery['featured'].id}/file?thumb=1")
    assert response.status_code == 200 and response.mimetype == "image/png"
    with PILImage.open(io.BytesIO(response.data)) as thumb:
        assert thumb.size == (320, 180)


def test_file_of_another_account_is_404_even_for_its_admin(client, login, tenant, other_tenant, gallery):
    login(other_tenant.admin)
    assert client.get(f"/images/{gallery['featured'].id}/file").status_code == 404
    assert client.get(f"/images/{gallery['featured'].id}/file?thumb=1").status_code == 404


def test_file_is_404_without_a_file_or_after_delete(client, login, tenant, gallery):
    login(tenant.editor)
    assert client.get(f"/images/{gallery['early'].id}/file").status_code == 404
    with pytest.raises(Conflict):  # the featured image of live content is in use
        images.delete_image(tenant.scope(Role.EDITOR), gallery["featured"].id)
    content_service.delete_content(tenant.scope(Role.EDITOR), gallery["featured"].content_id)
    images.delete_image(tenant.scope(Role.EDITOR), gallery["featured"].id)
    db.session.commit()
    assert client.get(f"/images/{gallery['featured'].id}/file").status_code == 404


def test_file_route_cannot_be_turned_into_path_traversal(client, login, tenant, gallery, app, tmp_path):
    secret = media.media_root().parent / "writer-secret.txt"
    secret.write_text("do not serve")
    image = gallery["early"]
    login(tenant.admin)
    for bad in ("../writer-secret.txt", f"{tenant.account.id}/../../writer-secret.txt", str(secret)):
        image.image_path = bad
        db.session.commit()
        response = client.get(f"/images/{image.id}/file")
        assert response.status_code == 404 and b"do not serve" not in response.data
    # Traversal in the URL itself never reaches the view with a path.
    assert client.get("/images/..%2F..%2Fetc%2Fpasswd/file").status_code == 404
    assert client.get(f"/images/{image.id}/file/../../etc/passwd").status_code == 404


def test_filter_form_keeps_a_site_chosen_by_link(client, login, tenant, gallery):
    login(tenant.viewer)
    page = client.get("/images/?site_id=all&status=pending").get_data(as_text=True)
    assert '<input type="hidden" name="site_id" value="all">' in page
    assert 'name="sector_id"' not in page.split('aria-label="Filter images"')[1].split("</form>")[0]


def test_detail_fragment_has_no_edit_form_for_viewers(client, login, tenant, gallery):
    login(tenant.viewer)
    response = client.get(f"/images/{gallery['early'].id}", headers=HX)
    assert response.status_code == 200 and "<form" not in response.get_data(as_text=True)
