"""The layout in a real browser: the header on one row at 1280 px, a menu button at 390 px, and no
page that scrolls sideways on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import factories
from writer_app.models import ContentStatus, TaskStatus, db

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1440, "height": 900}


@pytest.fixture
def busy_tenant(tenant):
    """Long titles, keywords and errors: what makes tables wide."""
    for n in range(6):
        factories.make_task(
            tenant.cluster,
            f"A rather long task title about solar roof installation costs number {n}",
            keywords="solar roof, photovoltaic panels, inverter sizing, battery storage",
            status=TaskStatus.FAILED if n == 0 else TaskStatus.QUEUED,
            error="The AI server timed out after 120 seconds while writing the second section"
            if n == 0
            else "",
        )
    tenant.task = factories.make_task(tenant.cluster, "Plan the outline of a long guide")
    tenant.content = factories.make_content(
        tenant.cluster, "Solar panels for flat roofs: a complete guide", status=ContentStatus.REVIEW
    )
    db.session.commit()
    return tenant


def _main_pages(tenant) -> list[str]:
    return [
        "/",
        "/tasks/",
        "/tasks/new",
        "/tasks/import",
        "/content/",
        "/images/",
        "/taxonomies/",
        "/clusters/",
        "/clusters/new",
        "/jobs/",
        "/settings/members",
        "/settings/sites",
        "/settings/tokens",
        "/settings/credits",
        "/settings/ai/",
        "/content/settings",
        "/settings/audit/",
        "/account/password",
        f"/settings/sites/{tenant.site.id}/wordpress",
        f"/settings/sites/{tenant.site.id}/checks",
        f"/settings/sites/{tenant.site.id}/voice",
        f"/settings/sites/{tenant.site.id}/ai-drafting",
        f"/clusters/{tenant.cluster.id}",
        f"/tasks/{tenant.task.id}/edit",
        f"/content/{tenant.content.id}",
        f"/content/{tenant.content.id}/ai-fix?checks=meta_description_length",
        "/no-such-page",
    ]


def _sideways_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


WIDEST = """() => Array.from(document.querySelectorAll('body *'))
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().right))"""


def test_no_main_page_scrolls_sideways_on_a_phone(page, busy_tenant, web_login, screenshot):
    page.set_viewport_size(PHONE)
    web_login(busy_tenant.admin)
    too_wide = {}
    for path in _main_pages(busy_tenant):
        page.goto(path)
        overflow = _sideways_overflow(page)
        if overflow > 0:
            too_wide[path] = (overflow, page.evaluate(WIDEST))
        screenshot("phone" + path.replace("/", "_").rstrip("_"))
    assert too_wide == {}, "\n".join(f"{k}: {v}" for k, v in too_wide.items())


def test_header_fits_one_row_at_1280(page, busy_tenant, web_login, screenshot):
    page.set_viewport_size({"width": 1280, "height": 900})
    web_login(busy_tenant.admin)
    page.goto("/tasks/")
    screenshot("header-1280")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    tops = page.evaluate(
        """() => Array.from(document.querySelectorAll('.topbar-inner .brand, .topbar-inner .site-menu > ul > li'))
              .map(el => Math.round(el.getBoundingClientRect().top + el.getBoundingClientRect().height / 2))"""
    )
    assert len(tops) > 8 and max(tops) - min(tops) <= 6, tops
    assert page.evaluate("document.querySelector('.topbar').getBoundingClientRect().height") < 80
    assert _sideways_overflow(page) == 0


def test_phone_menu_opens_and_closes_with_the_keyboard(page, busy_tenant, web_login, screenshot):
    page.set_viewport_size(PHONE)
    web_login(busy_tenant.editor)
    page.goto("/tasks/")
    menu = page.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="Clusters")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Clusters")).to_be_visible()
    screenshot("menu-open")
    page.keyboard.press("Tab")  # into the menu
    page.keyboard.press("Escape")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_focused()
    assert _sideways_overflow(page) == 0


def test_filters_fold_behind_a_button_on_a_phone(page, busy_tenant, web_login, screenshot):
    page.set_viewport_size(PHONE)
    web_login(busy_tenant.editor)
    page.goto("/tasks/")
    status = page.get_by_label("Status", exact=True)
    expect(status).to_be_hidden()
    page.get_by_role("button", name="Filters").click()
    expect(status).to_be_visible()
    screenshot("filters-open")
    page.set_viewport_size(DESKTOP)  # a wide screen always shows them, without a button
    expect(page.get_by_role("button", name="Filters")).to_be_hidden()


def test_unknown_url_shows_the_layout(page, busy_tenant, web_login, screenshot):
    web_login(busy_tenant.viewer)
    response = page.goto("/no-such-page")
    assert response.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    screenshot("404")
