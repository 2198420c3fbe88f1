"""The media library in the browser: the upload page, the editor's pick/upload endpoints, the featured
image chooser, delete only when unused, and alt texts kept equal on the image row and in the body."""

from __future__ import annotations

import io

from tests.support import image_files
from tests.support.factories import make_content, make_sector, make_site
from writer_app.models import Content, Image, ImageSource, Role, db
from writer_app.services import content
from writer_app.services.media import body_images, images
from writer_app.services.media import files as media
from writer_app.services.media import library as media_library
from writer_app.services.media.content_images import content_images


def library_image(tenant, alt: str = "Solar panels at dusk", name: str = "dusk.png", site=None) -> Image:
    image = media_library.upload_image(
        tenant.scope(Role.EDITOR),
        data=image_files.encoded(),
        filename=name,
        site_id=(site or tenant.site).id,
        alt_text=alt,
    )
    db.session.commit()
    return image


def test_the_upload_page_stores_a_library_image_and_the_gallery_finds_it(client, login, tenant):
    login(tenant.editor)
    page = client.get("/images/upload")
    assert page.status_code == 200 and "PNG, JPEG, WebP or GIF; at most 10 MB" in page.get_data(as_text=True)
    data = {"file": (io.BytesIO(image_files.encoded("JPEG")), "Roof at dusk.jpg"), "site_id": str(tenant.site.id),
            "alt_text": "A roof at dusk"}  # fmt: skip
    response = client.post("/images/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 303, response.get_data(as_text=True)
    image = db.session.query(Image).one()
    assert image.source == ImageSource.UPLOAD and image.content_id is None and image.task_id is None
    assert image.original_filename == "Roof at dusk.jpg" and image.site_id == tenant.site.id
    gallery = client.get("/images/?q=roof+at&site_id=all").get_data(as_text=True)
    assert "Media library" in gallery and f"/images/{image.id}" in gallery
    assert f"/images/{image.id}" not in client.get("/images/?q=nothing-like-it&site_id=all").get_data(
        as_text=True
    )


def test_a_bad_file_on_the_upload_page_is_a_field_error(client, login, tenant):
    login(tenant.editor)
    data = {"file": (io.BytesIO(b"not an image at all" * 10), "fake.png"), "site_id": str(tenant.site.id)}
    response = client.post("/images/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and "not a complete PNG, JPEG, WebP or GIF image" in page
    assert db.session.query(Image).count() == 0


def test_viewers_cannot_upload(client, login, tenant):
    login(tenant.viewer)
    assert client.get("/images/upload").status_code == 403


def test_the_editor_picks_from_the_content_and_its_sites_library_only(client, login, tenant):
    item = make_content(tenant.cluster, "Guide")
    db.session.commit()
    mine = media_library.upload_image(
        tenant.scope(Role.EDITOR), data=image_files.encoded(), content_id=item.id
    )
    shared = library_image(tenant)
    other_site = make_site(tenant.account, "Other site")
    make_sector(other_site, "Other sector")
    db.session.commit()
    elsewhere = library_image(tenant, site=other_site)
    login(tenant.editor)
    picked = client.get(f"/content/{item.id}/images/pick").get_json()["images"]
    assert [i["id"] for i in picked] == [mine.id, shared.id]
    assert picked[1]["src"] == f"/images/{shared.id}/file" and picked[1]["alt"] == "Solar panels at dusk"
    assert elsewhere.id not in [i["id"] for i in picked]
    assert [i["id"] for i in client.get(f"/content/{item.id}/images/pick?q=DUSK").get_json()["images"]] == [
        shared.id
    ]


def test_the_editor_uploads_as_json_with_field_errors(client, login, tenant):
    item = make_content(tenant.cluster, "Guide")
    db.session.commit()
    login(tenant.editor)
    url = f"/content/{item.id}/images/upload"
    bad = client.post(url, data={"file": (io.BytesIO(image_files.truncated_png()), "x.png")},
                      content_type="multipart/form-data")  # fmt: skip
    assert bad.status_code == 400 and "not a complete" in bad.get_json()["error"]["fields"]["file"][0]
    good = client.post(url, data={"file": (io.BytesIO(image_files.encoded("GIF")), "x.gif"), "alt_text": "A gif"},
                       content_type="multipart/form-data")  # fmt: skip
    assert good.status_code == 201
    assert (
        good.get_json()["alt"] == "A gif"
        and db.session.get(Image, good.get_json()["id"]).content_id == item.id
    )


def test_the_featured_image_is_chosen_from_the_library(client, login, tenant):
    item = make_content(tenant.cluster, "Guide")
    db.session.commit()
    chosen = library_image(tenant)
    login(tenant.editor)
    page = client.get(f"/content/{item.id}/featured-image").get_data(as_text=True)
    assert f'value="{chosen.id}"' in page
    response = client.post(f"/content/{item.id}/featured-image", data={"image_id": str(chosen.id)})
    assert response.status_code == 303
    assert content_images(tenant.scope(), item.id).featured.id == chosen.id
    review = client.get(f"/content/{item.id}").get_data(as_text=True)
    assert f"/images/{chosen.id}/file" in review
    # and it is in use now: it cannot be deleted
    response = client.post(f"/images/{chosen.id}/delete", follow_redirects=True)
    assert "is in use (featured image of “Guide”)" in response.get_data(as_text=True)
    assert db.session.get(Image, chosen.id).deleted_at is None


def test_an_image_shown_in_a_body_is_not_deleted_an_unused_one_is(client, login, tenant):
    shown, unused = library_image(tenant), library_image(tenant, alt="Unused")
    make_content(tenant.cluster, "Guide", html="<p>x</p>" + body_images.figure_html(shown.id, shown.alt_text))
    db.session.commit()
    login(tenant.editor)
    page = client.post(f"/images/{shown.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "is in use (shown in “Guide”)" in page
    client.post(f"/images/{unused.id}/delete")
    db.session.expire_all()
    assert (
        db.session.get(Image, shown.id).deleted_at is None
        and db.session.get(Image, unused.id).deleted_at is not None
    )


def test_alt_texts_stay_equal_on_the_row_and_in_the_body(tenant):
    scope = tenant.scope(Role.EDITOR)
    image = library_image(tenant, alt="Old words")
    item = make_content(
        tenant.cluster, "Guide", html="<p>x</p>" + body_images.figure_html(image.id, "Old words")
    )
    db.session.commit()
    # the editor's alt dialog changes the body; saving copies it to the row
    body = body_images.set_alt(item.html, image.id, "Words from the editor")
    content.update_content(scope, item.id, html=body)
    db.session.commit()
    assert db.session.get(Image, image.id).alt_text == "Words from the editor"
    # the detail page (or API) changes the row; the bodies that show it follow, as a revision
    images.update_image(scope, image.id, alt_text="Words from the detail page")
    db.session.commit()
    db.session.expire_all()
    assert body_images.alts_in_body(db.session.get(Content, item.id).html) == {
        image.id: "Words from the detail page"
    }


def test_the_review_page_loads_the_insert_image_script_before_the_editor(client, login, tenant):
    item = make_content(tenant.cluster, "Guide")
    db.session.commit()
    login(tenant.editor)
    page = client.get(f"/content/{item.id}").get_data(as_text=True)
    assert page.index("js/insert-image.js") < page.index("js/editor.js")
    assert f'data-pick-url="/content/{item.id}/images/pick"' in page
    assert media.upload_limits().max_bytes == 10 * 1024 * 1024
