"""Fix with AI in a real headless Chromium: the cost first, the proposal as a diff, accept and save."""

from __future__ import annotations

import pytest

from tests.support import factories
from writer_app.models import Content, Role, db
from writer_app.services import credits
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser
TOO_WIDE = "Heat pumps explained: what they cost, what they save and how to choose a good installer"


def test_fix_with_ai_from_the_checks_panel(page, tenant, web_login, screenshot):
    content = factories.make_content(
        tenant.cluster,
        "Heat pumps explained",
        html="<p>Heat pumps move heat instead of making it.</p><p>They work in cold weather too.</p>",
        primary_keyword="heat pumps",
        meta_title=TOO_WIDE,
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    factories.add_credits(tenant.account, 5, "test")
    db.session.commit()
    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    panel = page.locator("#validation-panel")
    panel.get_by_text("Checked the saved version.").wait_for()

    panel.locator("#check-seo_title_length").get_by_role("link", name="Fix with AI").click()
    page.get_by_text("costs 1 credit").wait_for()
    assert credits.balance(tenant.account.id) == 5
    screenshot("cost")
    page.get_by_role("button", name="Fix with AI for 1 credit").click()

    page.get_by_role("heading", name="AI fix proposal").wait_for()
    change = page.locator(".ai-fix-change").first
    assert change.locator("del").count() and change.locator("ins").count()
    assert change.get_by_role("checkbox").is_checked()
    screenshot("proposal")
    page.get_by_role("button", name="Save the accepted changes").click()

    page.get_by_text("The accepted changes were saved as a new revision.").wait_for()
    db.session.expire_all()
    saved = db.session.get(Content, content.id)
    assert saved.meta_title != TOO_WIDE and saved.meta_title.lower().startswith("heat pumps")
    assert credits.balance(tenant.account.id) == 4
