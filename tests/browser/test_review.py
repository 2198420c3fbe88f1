"""The review workflow and the rich-text editor in a real headless Chromium."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests.support import factories
from writer_app.models import Content, ContentStatus, ReviewEvent, Role, db
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser


def _content(tenant: factories.Tenant, **kwargs) -> Content:
    content = factories.make_content(
        tenant.cluster,
        kwargs.pop("title", "Heat pumps explained"),
        html="<p>Heat pumps move heat instead of making it.</p><h2>Costs</h2><p>They pay back in years.</p>",
        last_edited_by_id=tenant.editor.id,
        **{**factories.PUBLISHABLE, "primary_keyword": "heat pumps", **kwargs},
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()
    return content


def _db_content(content_id: int) -> Content:
    db.session.expire_all()
    return db.session.get(Content, content_id)


def _switch_user(page, web_login, user) -> None:
    page.context.clear_cookies()
    web_login(user)


def test_submit_request_changes_and_approve(page, tenant, web_login, screenshot):
    content = _content(tenant)
    url = f"/content/{content.id}"

    web_login(tenant.editor)
    page.goto(url)
    page.get_by_label("Note for the reviewer (optional)").fill("First draft, please check the costs.")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()
    assert page.get_by_role("heading", name="Waiting for review").is_visible()
    screenshot("submitted")

    _switch_user(page, web_login, tenant.reviewer)
    page.goto(url)
    # Requesting changes without saying what to change is refused, with the reason on the field.
    page.get_by_role("button", name="Request changes").click()
    page.get_by_text("a comment is required").wait_for()
    screenshot("comment-required")
    assert _db_content(content.id).status == ContentStatus.REVIEW
    page.get_by_label(re.compile("Comment")).fill("Add a table comparing running costs.")
    page.get_by_role("button", name="Request changes").click()
    page.get_by_text("Changes requested; the content is a draft again.").wait_for()
    timeline = page.locator("#timeline")
    assert timeline.get_by_text("Requested changes").is_visible()
    assert timeline.get_by_text("Add a table comparing running costs.").is_visible()
    screenshot("changes-requested")
    assert _db_content(content.id).status == ContentStatus.DRAFT

    _switch_user(page, web_login, tenant.editor)
    page.goto(url)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()

    _switch_user(page, web_login, tenant.reviewer)
    page.goto(url)
    screenshot("ready-to-approve")
    # The site has no WordPress connection: approving says so, and nothing claims it is published.
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Approved. Not published:").first.wait_for()
    assert page.get_by_role("heading", name="Approved", exact=True).is_visible()
    assert page.locator(".badge-approved").is_visible() and page.locator(".badge-published").count() == 0
    assert (
        page.locator(".attr-approved").inner_text().startswith(f"approved by {tenant.reviewer.display_name}")
    )
    assert tenant.editor.display_name in page.locator(".attr-edited").inner_text()
    screenshot("approved")
    assert _db_content(content.id).status == ContentStatus.APPROVED
    decisions = db.session.scalars(
        select(ReviewEvent.decision).where(ReviewEvent.content_id == content.id).order_by(ReviewEvent.id)
    ).all()
    assert [d.value for d in decisions] == ["submitted", "changes_requested", "submitted", "approved"]


def test_edit_the_body_in_the_rich_text_editor(page, tenant, web_login, screenshot):
    content = _content(tenant)
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    editor = page.locator(".rich-editor .ql-editor")
    editor.wait_for()
    # Quill replaced the textarea: the plain field is hidden, the toolbar is there.
    assert page.locator("textarea[name=html]").is_hidden()
    assert page.locator(".ql-toolbar").is_visible()
    editor.locator("p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" It works in ")
    page.keyboard.press("Control+b")
    page.keyboard.type("cold winters")
    page.keyboard.press("Control+b")
    page.keyboard.type(" too.")
    screenshot("editing")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved. A new revision was stored.").wait_for()
    page.get_by_text("Preview of the saved version").click()
    preview = page.locator(".preview-body")
    preview.locator("strong", has_text="cold winters").wait_for(state="visible")  # the section opens
    screenshot("saved")
    saved = _db_content(content.id)
    assert "<strong>cold winters</strong>" in saved.html
    assert "It works in" in saved.html and "<h2>Costs</h2>" in saved.html
    assert saved.version == 2

    # The revisions list compares the two versions in place (htmx).
    page.get_by_role("button", name="Compare selected revisions").click()
    diff = page.locator(".diff")
    diff.wait_for()
    assert diff.locator("ins", has_text="cold winters").is_visible()
    page.locator("#revisions").screenshot(
        path=str(screenshot("diff").with_name("test_edit_the_body_in_the_rich_text_editor-diff-panel.png"))
    )


def test_changing_only_the_title_keeps_the_body_untouched(page, tenant, web_login):
    """Quill normalises HTML; an untouched body must not be rewritten (no spurious body change)."""
    content = _content(tenant)
    original = content.html
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    page.locator(".rich-editor .ql-editor").wait_for()
    page.locator("input#title").fill("Heat pumps, explained simply")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Saved. A new revision was stored.").wait_for()
    saved = _db_content(content.id)
    assert saved.title == "Heat pumps, explained simply" and saved.html == original


def test_filtering_the_list_updates_in_place_and_the_url(page, tenant, web_login, screenshot):
    _content(tenant, title="Draft about wind")
    _content(tenant, title="Review about solar", status=ContentStatus.REVIEW)
    web_login(tenant.viewer)
    page.goto("/content/")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_label("Status").select_option("review")
    page.wait_for_url(re.compile(r"status=review"))
    results = page.locator("#results")
    results.get_by_text("Review about solar").wait_for()
    assert results.get_by_text("Draft about wind").count() == 0
    assert page.evaluate("window.__marker") == "same page"  # no full reload
    screenshot("filtered")


def test_saving_over_a_newer_version_keeps_my_text(page, tenant, web_login, screenshot):
    from writer_app.services import content as content_service

    content = _content(tenant)
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    editor = page.locator(".rich-editor .ql-editor")
    editor.locator("p").first.click()
    page.keyboard.press("End")
    page.keyboard.type(" My unsaved sentence.")
    # Meanwhile the reviewer saves a new version.
    content_service.update_content(tenant.scope(Role.REVIEWER), content.id, 1, title="Reviewer's title")
    db.session.commit()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("Not saved: someone else saved first").wait_for()
    assert page.get_by_text(f"{tenant.reviewer.display_name} saved a newer version at").is_visible()
    # The editor still holds my text, mounted again in Quill.
    assert "My unsaved sentence." in page.locator(".rich-editor .ql-editor").inner_text()
    screenshot("conflict")
    assert _db_content(content.id).title == "Reviewer's title"
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Save mine over theirs").click()
    page.get_by_text("Saved. A new revision was stored.").wait_for()
    saved = _db_content(content.id)
    assert "My unsaved sentence." in saved.html and saved.title == "Heat pumps explained"


def test_terms_are_added_and_removed_in_place(page, tenant, web_login, screenshot):
    from writer_app.models import ContentTaxonomy, TaxonomyType

    content = _content(tenant)
    for name, kind in (("Energy", TaxonomyType.CATEGORY), ("heat pumps", TaxonomyType.TAG)):
        db.session.add(
            ContentTaxonomy(
                account_id=tenant.account.id,
                site_id=tenant.site.id,
                name=name,
                slug=name.replace(" ", "-").lower(),
                taxonomy_type=kind,
            )
        )
    db.session.commit()
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    page.evaluate("window.__marker = 'same page'")
    terms = page.locator("#terms")
    terms.get_by_label("Add a category or tag").select_option(label="Energy")
    terms.get_by_role("button", name="Add").click()
    terms.get_by_role("button", name="Remove Energy").wait_for()
    terms.get_by_label("Add a category or tag").select_option(label="heat pumps")
    page.locator("#terms").get_by_role("button", name="Add").click()
    page.locator("#terms").get_by_role("button", name="Remove heat pumps").wait_for()
    screenshot("terms")
    page.locator("#terms").get_by_role("button", name="Remove Energy").click()
    page.locator("#terms").get_by_role("button", name="Remove Energy").wait_for(state="detached")
    assert page.evaluate("window.__marker") == "same page"
    assert [t.name for t in _db_content(content.id).taxonomy_terms] == ["heat pumps"]
