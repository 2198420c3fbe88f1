"""Images in the text and the media library in a real headless Chromium, at desktop and phone size:
generated in-article images land in the body and the images check passes; an editor uploads an image
in the editor's "Insert image" dialog, inserts it, edits its alt text in place and saves."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from tests.support import factories
from writer_app.models import Content, Image, Role, db
from writer_app.services.media import body_images
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser
SIZES = [pytest.param((1440, 900), id="desktop"), pytest.param((390, 844), id="phone")]
BODY = "".join(
    f"<h2>Heat pumps part {n}</h2>" + "<p>Heat pumps move heat from outside air into the home.</p>" * 25
    for n in range(1, 5)
)


def _content(tenant: factories.Tenant, html: str = BODY) -> Content:
    content = factories.make_content(
        tenant.cluster,
        "Heat pumps explained",
        html=html,
        last_edited_by_id=tenant.editor.id,
        **{**factories.PUBLISHABLE, "primary_keyword": "heat pumps"},
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()
    return content


def _fresh(content_id: int) -> Content:
    db.session.expire_all()
    return db.session.get(Content, content_id)


def _open_editor(page) -> None:
    page.locator(".rich-editor .ql-editor").wait_for()  # editors get the page open for editing


def _open_preview(page) -> None:
    """Editors see the preview of the saved version in a collapsed section."""
    panel = page.locator("details#preview-panel")
    if panel.count() and panel.get_attribute("open") is None:
        panel.locator("summary").click()


@pytest.mark.parametrize("size", SIZES)
def test_generated_in_article_images_appear_in_the_body_and_the_images_check_passes(
    page, tenant, web_login, screenshot, size
):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    factories.add_credits(tenant.account, 100)
    content = _content(tenant)
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    assert "check-problem" in page.locator("#check-images").get_attribute("class")

    page.get_by_role("button", name="Generate images").click()  # runs inline: no Redis in tests
    page.get_by_text("Finished", exact=False).first.wait_for(timeout=60_000)
    page.goto(f"/content/{content.id}")

    html = _fresh(content.id).html
    ids = body_images.ids_in_body(html)
    assert len(ids) == 2  # 1,000 words → two in-article images
    _open_preview(page)
    for image_id in ids:
        figure = page.locator(f'.preview figure img[src="/images/{image_id}/file"]')
        figure.wait_for()
        assert figure.get_attribute("alt")
        assert page.evaluate(
            "src => { const i = document.querySelector(`.preview img[src='${src}']`); return i.complete && i.naturalWidth > 0; }",
            f"/images/{image_id}/file",
        )
    assert "check-good" in page.locator("#check-images").get_attribute("class")
    assert "check-good" in page.locator("#check-image_alt_attributes").get_attribute("class")
    page.locator(".preview figure").first.scroll_into_view_if_needed()
    screenshot(f"body-images-{size[0]}")


def _png_file(tmp_path, name: str = "Garden heat pump.png"):
    path = tmp_path / name
    out = io.BytesIO()
    PILImage.new("RGB", (320, 200), "seagreen").save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


@pytest.mark.parametrize("size", SIZES)
def test_upload_insert_and_edit_alt_text_in_the_editor(page, tenant, web_login, screenshot, tmp_path, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    content = _content(
        tenant, html="<p>Heat pumps move heat.</p><h2>Costs</h2><p>They pay back in years.</p>"
    )
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    _open_editor(page)
    page.locator(".rich-editor .ql-editor p").first.click()

    page.get_by_role("button", name="Insert image").click()
    dialog = page.get_by_role("dialog", name="Insert image")
    dialog.wait_for()
    # A text file named .png is refused with the reason, in the dialog.
    fake = tmp_path / "notes.png"
    fake.write_text("not an image")
    dialog.get_by_label("Or upload an image").set_input_files(str(fake))
    dialog.get_by_role("button", name="Upload", exact=True).click()
    dialog.get_by_text("not a complete PNG, JPEG, WebP or GIF image").wait_for()

    dialog.get_by_label("Or upload an image").set_input_files(str(_png_file(tmp_path)))
    dialog.get_by_role("button", name="Upload", exact=True).click()
    dialog.get_by_text("Uploaded.").wait_for()
    dialog.get_by_label("Alt text").fill("A heat pump in a garden")
    box = dialog.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= size[0]  # the dialog fits the screen
    screenshot(f"insert-dialog-{size[0]}")
    dialog.get_by_role("button", name="Insert", exact=True).click()

    editor_img = page.locator(".rich-editor .ql-editor figure img")
    page.locator('.rich-editor .ql-editor figure img[alt="A heat pump in a garden"]').wait_for()

    # Alt text in place: click the image, then "Alt text".
    editor_img.click()
    page.get_by_role("button", name="Alt text").click()
    alt_dialog = page.get_by_role("dialog", name="Alt text")
    alt_dialog.get_by_role("textbox").fill("A heat pump beside a garden wall")
    alt_dialog.get_by_role("button", name="Apply").click()
    page.locator('.rich-editor .ql-editor figure img[alt="A heat pump beside a garden wall"]').wait_for()
    screenshot(f"inserted-{size[0]}")

    page.locator("form[data-editor-form] button[type=submit]", has_text="Save").first.click()
    page.locator("[data-save-status]").get_by_text("Saved. A new revision was stored.").wait_for()
    saved = _fresh(content.id)
    [image_id] = body_images.ids_in_body(saved.html)
    figure = f'<figure><img src="/images/{image_id}/file" alt="A heat pump beside a garden wall"></figure>'
    assert f"<p>Heat pumps move heat.</p>{figure}<h2>Costs</h2>" in saved.html  # after the paragraph
    image = db.session.get(Image, image_id)
    assert image.alt_text == "A heat pump beside a garden wall"  # the row follows the body
    assert image.content_id == content.id and image.original_filename == "Garden heat pump.png"
    _open_preview(page)
    page.locator(f'.preview figure img[src="/images/{image_id}/file"]').wait_for()
    # The editor's tools stay inside the editor at both sizes (the page header is another issue's).
    fits = page.evaluate(
        """() => { const bar = document.querySelector('.ql-toolbar').getBoundingClientRect();
                   const tools = document.querySelector('.writer-image-tools').getBoundingClientRect();
                   return tools.right <= bar.right + 1 && tools.left >= bar.left - 1; }"""
    )
    assert fits
