"""The content page's Links panel in a real headless Chromium: htmx loads it under the CSP, and one
click inserts a suggested internal link."""

from __future__ import annotations

import pytest

from tests.support import factories
from writer_app.models import Content, ContentStatus, Role, db
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser


def test_insert_a_suggested_link_with_one_click(page, tenant, web_login, screenshot):
    tenant.site.wp_url = "https://blog.example.com"
    factories.make_content(
        tenant.cluster,
        "Heat pump sizing guide",
        status=ContentStatus.PUBLISHED,
        external_url="https://blog.example.com/heat-pump-sizing/",
        primary_keyword="heat pump sizing",
    )
    content = factories.make_content(
        tenant.cluster, "Heat pumps explained", html="<p>Good heat pump sizing saves money.</p>"
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()

    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    panel = page.locator("#links")
    panel.get_by_text("Suggested links").wait_for()
    screenshot("links-panel")
    panel.get_by_role("button", name="Insert link to Heat pump sizing guide").click()
    page.get_by_text("A new revision was stored.").wait_for()

    db.session.expire_all()
    html = db.session.get(Content, content.id).html
    assert 'href="https://blog.example.com/heat-pump-sizing/"' in html and ">heat pump sizing</a>" in html
