"""The WordPress settings page and the review page's publish controls in a real headless Chromium,
publishing to the real local WordPress."""

from __future__ import annotations

import pytest

from tests.integration.wp_helpers import publishable, reload
from writer_app.models import ContentStatus, SyncStatus, db

pytestmark = [pytest.mark.browser, pytest.mark.wordpress]


@pytest.fixture(autouse=True)
def _settle(page):
    yield
    page.wait_for_load_state("networkidle")


def test_connect_test_and_publish_in_the_browser(
    page,
    web_login,
    screenshot,
    tenant,
    wordpress_credentials,
    wp_client,
    wp_created,
    wp_unique,
    app,
    monkeypatch,
) -> None:
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())
    content = publishable(tenant, wp_unique("post"), status=ContentStatus.REVIEW)
    db.session.commit()
    content_id = content.id

    web_login(tenant.admin)
    page.goto("/settings/sites")
    page.get_by_role("link", name="WordPress").first.click()
    page.get_by_label("WordPress address").fill(wordpress_credentials.url)
    page.get_by_label("WordPress user name").fill(wordpress_credentials.username)
    page.get_by_label("Application password").fill(wordpress_credentials.app_password)
    page.get_by_role("button", name="Save connection").click()
    page.get_by_text("Connection saved").wait_for()
    assert wordpress_credentials.app_password not in page.content()
    page.get_by_role("button", name="Test connection").click()
    page.get_by_text("Connected.").wait_for()  # swapped in by htmx
    assert page.get_by_text("Upload media: yes").is_visible()
    screenshot("site-settings")

    page.goto(f"/content/{content_id}")
    panel = page.locator("#publish")
    assert panel.get_by_text("Not in WordPress yet.").is_visible()
    panel.get_by_role("button", name="Publish to WordPress").click()
    page.get_by_text("Published to WordPress.").wait_for()
    screenshot("published")
    content = reload(content_id)
    assert content.sync_status == SyncStatus.SYNCED
    assert page.locator("#publish").get_by_text(f"as post #{content.external_id}").is_visible()
    page.locator("#publish").get_by_role("link", name="Check the post in WordPress").click()
    page.get_by_text("unchanged since Writer last sent it").wait_for()
    screenshot("status")
