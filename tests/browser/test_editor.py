"""The content editor in a real headless Chromium, at desktop and phone sizes: open for editors, Tab leaves
the body, saving keeps the editor where it was, autosave comes back after a reload, leaving with unsaved
changes warns, and the post lock tells who is editing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support import factories
from tests.support.axe import axe_violations, describe
from tests.support.browser import wait_for_idle_server
from tests.support.factories import PASSWORD
from writer_app.models import Content, ContentAutosave, Role, db
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}
LONG_BODY = "".join(
    f"<h2>Part {n}</h2><p>Heat pumps move heat instead of making it, part {n}. They pay back in years.</p>"
    for n in range(1, 16)
)


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser, live_server):
    """A page at 1440×900 or 390×844 (autosave after 400 ms of quiet, so tests need not wait 10 s)."""
    context = browser.new_context(base_url=live_server, viewport=SIZES[request.param])
    context.set_default_timeout(10_000)
    context.add_init_script("window.writerAutosaveDelay = 400;")
    page = context.new_page()
    page.size_name = request.param
    yield page
    context.close()
    wait_for_idle_server()


def _login(page, user) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def _shot(page, request, step: str) -> None:
    from tests.support.browser import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{step}.png"), full_page=False)


def _content(tenant: factories.Tenant, html: str = LONG_BODY) -> Content:
    content = factories.make_content(
        tenant.cluster,
        "Heat pumps explained",
        html=html,
        **{**factories.PUBLISHABLE, "primary_keyword": "heat pumps"},
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()
    return content


def _fresh(content_id: int) -> Content:
    db.session.expire_all()
    return db.session.get(Content, content_id)


def _type_at_end_of_first_paragraph(page, text: str) -> None:
    page.locator(".rich-editor .ql-editor p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(text)


def test_editor_is_open_with_seo_fields_and_tab_leaves_the_body(sized, tenant, request):
    page = sized
    content = _content(tenant)
    _login(page, tenant.editor)
    page.goto(f"/content/{content.id}")
    editor = page.locator(".rich-editor .ql-editor")
    editor.wait_for()
    assert page.locator("input#title").is_visible()
    for label in ("Focus keyphrase", "SEO title", "Meta description", "Slug"):
        assert page.get_by_label(label, exact=True).is_visible(), label
    assert page.get_by_role("textbox", name="Body").is_visible()
    _shot(page, request, "open")

    # Tab leaves the body for the next control; Shift+Tab goes back to it and leaves it backwards.
    _type_at_end_of_first_paragraph(page, " Tabbing")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('ql-editor')") is False
    assert "\t" not in editor.inner_text()
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("document.activeElement.classList.contains('ql-editor')") is True
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label') || document.activeElement.id")
    assert focused and focused != "html"
    assert page.evaluate("document.activeElement.closest('.ql-toolbar') !== null")

    # The toolbar stays in view while the body scrolls.
    page.locator(".rich-editor .ql-editor h2").last.scroll_into_view_if_needed()
    box = page.locator(".ql-toolbar").bounding_box()
    assert box is not None and 0 <= box["y"] < 5
    save = page.get_by_role("button", name="Save", exact=True)
    assert save.is_visible() and save.bounding_box()["y"] < SIZES[page.size_name]["height"]
    _shot(page, request, "scrolled")
    assert not (violations := axe_violations(page)), describe(violations)


def test_save_keeps_the_editor_open_where_it_was(sized, tenant, request):
    page = sized
    content = _content(tenant)
    _login(page, tenant.editor)
    page.goto(f"/content/{content.id}")
    page.evaluate("window.__marker = 'same page'")
    last = page.locator(".rich-editor .ql-editor p").last
    last.click()
    page.keyboard.press("End")
    page.keyboard.type(" Saved without leaving.")
    y_before = last.bounding_box()["y"]  # where the edited paragraph is on screen
    page.keyboard.press("Control+s")
    page.locator("[data-save-status]").get_by_text("Saved. A new revision was stored.").wait_for()
    page.locator("#revisions").get_by_text("Edited body").wait_for()  # the page around was refreshed
    assert page.evaluate("window.__marker") == "same page"  # no reload
    page.wait_for_timeout(100)  # a frame for the scroll correction
    assert abs(last.bounding_box()["y"] - y_before) < 5  # still there, although the header changed
    assert page.evaluate("document.activeElement.classList.contains('ql-editor')") is True
    saved = _fresh(content.id)
    assert "Saved without leaving." in saved.html and saved.version == 2
    # A second save is not a conflict (the version moved on).
    page.keyboard.type(" Twice.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("[data-save-status]").get_by_text("Saved. A new revision was stored.").wait_for()
    page.wait_for_function("() => !document.querySelector('form[data-dirty]')")
    assert "Twice." in _fresh(content.id).html and _fresh(content.id).version == 3
    _shot(page, request, "saved")


def test_autosave_is_offered_back_after_a_reload(sized, tenant, request):
    page = sized
    content = _content(tenant)
    _login(page, tenant.editor)
    page.goto(f"/content/{content.id}")
    _type_at_end_of_first_paragraph(page, " Typed but never saved.")
    page.get_by_label("SEO title", exact=True).fill("A changed SEO title")
    page.locator("[data-save-status]").get_by_text("autosaved at").wait_for()
    slot = db.session.scalar(select(ContentAutosave).where(ContentAutosave.content_id == content.id))
    assert slot is not None and "Typed but never saved." in slot.fields["html"]
    assert _fresh(content.id).version == 1  # an autosave is not a save

    page.once("dialog", lambda dialog: dialog.accept())  # the unsaved-changes warning of the reload
    page.reload()
    notice = page.locator("[data-autosave-notice]")
    notice.get_by_text("You have unsaved changes from").wait_for()
    _shot(page, request, "offered")
    assert not (violations := axe_violations(page)), describe(violations)
    assert "Typed but never saved." not in page.locator(".rich-editor .ql-editor").inner_text()
    notice.get_by_role("button", name="Restore").click()
    page.get_by_text("Your unsaved changes are back in the editor").wait_for()
    assert "Typed but never saved." in page.locator(".rich-editor .ql-editor").inner_text()
    assert page.get_by_label("SEO title", exact=True).input_value() == "A changed SEO title"
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("[data-save-status]").get_by_text("Saved. A new revision was stored.").wait_for()
    saved = _fresh(content.id)
    assert "Typed but never saved." in saved.html and saved.meta_title == "A changed SEO title"
    db.session.expire_all()
    assert db.session.scalar(select(ContentAutosave).where(ContentAutosave.content_id == content.id)) is None


def test_discarding_the_autosave(page, tenant, web_login):
    content = _content(tenant, html="<p>Saved text.</p>")
    db.session.add(
        ContentAutosave(
            account_id=tenant.account.id,
            content_id=content.id,
            user_id=tenant.editor.id,
            base_version=1,
            fields={"html": "<p>Old unsaved text.</p>"},
        )
    )
    db.session.commit()
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    page.locator("[data-autosave-notice]").get_by_role("button", name="Discard").click()
    page.get_by_text("Your unsaved changes were discarded.").wait_for()
    assert page.locator("[data-autosave-notice]").count() == 0
    db.session.expire_all()
    assert db.session.scalar(select(ContentAutosave)) is None


def test_leaving_with_unsaved_changes_warns(page, tenant, web_login):
    content = _content(tenant, html="<p>Saved text.</p>")
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    page.locator(".rich-editor .ql-editor").wait_for()
    # Untouched: leaving is silent.
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.goto("/content/")
    assert dialogs == []
    page.goto(f"/content/{content.id}")
    _type_at_end_of_first_paragraph(page, " Not saved yet.")
    page.get_by_role("link", name="Content", exact=True).first.click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert page.url.endswith(f"/content/{content.id}")  # dismissed: still here, text still there
    assert "Not saved yet." in page.locator(".rich-editor .ql-editor").inner_text()


def test_the_post_lock_shows_who_edits_and_can_be_taken_over(browser, live_server, tenant, request):
    content = _content(tenant, html="<p>Saved text.</p>")
    pages = []
    for user in (tenant.editor, tenant.reviewer):
        context = browser.new_context(base_url=live_server, viewport=SIZES["desktop"])
        context.set_default_timeout(10_000)
        context.add_init_script("window.writerHeartbeatMs = 300;")  # instead of every 30 s
        page = context.new_page()
        _login(page, user)
        pages.append(page)
    first, second = pages
    try:
        with first.expect_response(lambda r: r.url.endswith("/lock")):
            first.goto(f"/content/{content.id}")
        second.goto(f"/content/{content.id}")
        lock = second.locator("[data-lock-notice]")
        lock.get_by_text(f"{tenant.editor.display_name} is editing this content").wait_for()
        second.wait_for_function("document.querySelector('fieldset[data-editor-fields]').disabled")
        _shot(second, request, "held")
        assert not (violations := axe_violations(second)), describe(violations)
        lock.get_by_role("button", name="Take over").click()
        lock.wait_for(state="hidden")
        assert second.locator("fieldset[data-editor-fields]").is_enabled()
        # The first editor learns it at their next heartbeat, without reloading.
        first.locator("[data-lock-notice]").get_by_text(
            f"{tenant.reviewer.display_name} took over editing"
        ).wait_for()
        first.wait_for_function("document.querySelector('fieldset[data-editor-fields]').disabled")
        _shot(first, request, "taken-over")
    finally:
        for page in pages:
            page.context.close()
        wait_for_idle_server()
