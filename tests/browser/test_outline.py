"""The outline on the task page in a real Chromium (offline provider, jobs inline): prices shown,
generate, move and rename with plain buttons, a field error marked and focused, approve; no serious
axe violations on the task page with an outline."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import factories
from tests.support.axe import axe_violations, describe
from writer_app.models import db

pytestmark = pytest.mark.browser


def test_generate_edit_and_approve_an_outline(page, tenant, web_login):
    factories.add_credits(tenant.account, 100, "test")
    task = factories.make_task(tenant.cluster, "Rain gardens", keywords="rain gardens")
    db.session.commit()
    web_login(tenant.editor)
    page.goto(f"/tasks/{task.id}/edit")

    page.get_by_role("button", name="Generate outline · 2 credits").click()
    page.wait_for_url("**/jobs/**")
    page.goto(f"/tasks/{task.id}/edit#outline")
    outline = page.locator("#outline")
    expect(outline.get_by_text("Not approved yet")).to_be_visible()
    first = page.locator("#sections-0-heading").input_value()
    second = page.locator("#sections-1-heading").input_value()

    page.locator("#sections-1-heading").fill("Renamed section")
    outline.get_by_role("button", name="Move up section 2").click()
    expect(page.locator("#sections-0-heading")).to_have_value("Renamed section")
    expect(page.locator("#sections-1-heading")).to_have_value(first)
    assert second != "Renamed section"

    page.locator("#sections-1-words").fill("5")
    outline.get_by_role("button", name="Save outline").click()
    expect(page.locator("[data-error-summary]")).to_be_visible()
    expect(page.locator("#sections-1-words")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#sections-1-words-error")).to_contain_text("30 to 3000")
    violations = axe_violations(page)
    assert not violations, describe(violations)

    page.locator("#sections-1-words").fill("150")
    page.locator("#outline").get_by_role("button", name="Save and approve").click()
    expect(page.locator("#outline").get_by_text("Approved")).to_be_visible()
    expect(page.get_by_role("button", name="Generate draft from outline")).to_contain_text("credits")
    violations = axe_violations(page)
    assert not violations, describe(violations)
