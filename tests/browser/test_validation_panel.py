"""The checks side panel in a real headless Chromium: loads, re-checks while the editor types (nothing is
saved), and its links take the user to the field or paragraph a check is about."""

from __future__ import annotations

import pytest

from tests.support import factories
from writer_app.models import Content, Role, db
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser
# Wider than the 600 px of a search result (Arial 20 px): the SEO title check is red.
TOO_WIDE = "Heat pumps explained: what they cost, what they save and how to choose a good installer"


def _content(tenant: factories.Tenant) -> Content:
    long_paragraph = " ".join(["Heat pumps move heat from outside air into the house."] * 20)
    content = factories.make_content(
        tenant.cluster,
        "Heat pumps explained",
        html=f"<p>Heat pumps move heat instead of making it.</p><p>{long_paragraph}</p>",
        primary_keyword="heat pumps",
        meta_title=TOO_WIDE,
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()
    return content


def test_panel_updates_while_typing_and_links_to_fields(page, tenant, web_login, screenshot):
    content = _content(tenant)
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    panel = page.locator("#validation-panel")
    panel.get_by_text("Checked the saved version.").wait_for()
    title_check = panel.locator("#check-seo_title_length")
    assert "Problem" in title_check.inner_text()
    assert "Publishing is blocked" in panel.inner_text()
    screenshot("saved")

    # Typing a shorter SEO title re-checks the unsaved form after a pause.
    page.locator("#meta_title").fill("Heat pumps explained: costs, savings and installers")
    panel.get_by_text("Checked your unsaved changes.").wait_for()
    assert "Good" in panel.locator("#check-seo_title_length").inner_text()

    # Typing in the rich-text editor sends the editor's current HTML.
    editor = page.locator(".rich-editor .ql-editor")
    editor.click()
    page.keyboard.press("Control+Home")
    page.keyboard.type("Extra words. ")
    page.wait_for_function(
        "document.querySelector('#check-text_length') && "
        "document.querySelector('#validation-panel').innerText.includes('unsaved')"
    )
    screenshot("live")

    # Nothing was saved.
    db.session.expire_all()
    assert db.session.get(Content, content.id).meta_title == TOO_WIDE

    # A paragraph link highlights the paragraph; a field link focuses the field.
    panel.locator("#check-paragraph_length a.check-link").click()
    page.wait_for_selector(".validation-highlight")
    page.locator("#check-keyphrase_length a.check-link").click()
    assert page.evaluate("document.activeElement.id") == "primary_keyword"
    screenshot("linked")


def test_viewer_sees_the_saved_checks_only(page, tenant, web_login):
    content = _content(tenant)
    web_login(tenant.viewer)
    page.goto(f"/content/{content.id}")
    panel = page.locator("#validation-panel")
    panel.get_by_text("Checked the saved version.").wait_for()
    assert panel.get_attribute("hx-post") is None


def test_admin_changes_a_level_and_the_preview_shows_the_payload(page, tenant, web_login, screenshot):
    content = _content(tenant)
    web_login(tenant.admin)
    page.goto("/settings/sites")
    page.locator(f"#site-{tenant.site.id}").get_by_role("link", name="Checks").click()
    page.get_by_label("Text length").select_option("required")
    page.get_by_label("SEO plugin on this site").select_option("rankmath")
    page.get_by_role("button", name="Save checks").click()
    page.get_by_text("saved.").wait_for()
    screenshot("levels")
    page.goto(f"/content/{content.id}")
    page.locator("#validation-panel").get_by_role("link", name="What WordPress will receive").click()
    page.get_by_role("heading", name="What WordPress will receive").wait_for()
    assert page.get_by_text("rank_math_title", exact=True).is_visible()
    assert "Text length" in page.locator(".gate-blocked").inner_text()
    screenshot("preview")
