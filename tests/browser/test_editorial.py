"""The editorial loop in a real headless Chromium: the inbox bell after a submit, the review queue,
rescheduling on the calendar."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.integration.test_publishing_fake import fake_wordpress  # noqa: F401 - the fixture
from tests.integration.wp_helpers import publishable, reload
from tests.support import factories
from writer_app.models import Content, Role, db
from writer_app.services import secrets
from writer_app.services.publishing import actions as publishing
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser


def _draft(tenant: factories.Tenant, title: str) -> Content:
    content = factories.make_content(
        tenant.cluster, title, last_edited_by_id=tenant.editor.id, **factories.PUBLISHABLE
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()
    return content


def test_a_submit_lights_the_reviewer_s_bell_and_the_review_queue(page, tenant, web_login, screenshot):
    content = _draft(tenant, "Heat pumps explained")

    web_login(tenant.editor)
    page.goto(f"/content/{content.id}")
    page.get_by_label("Note for the reviewer (optional)").fill("Ready for you, @" + tenant.reviewer.email)
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review.").wait_for()
    assert page.get_by_test_id("inbox-count").count() == 0  # the submitter is not told of their own submit

    page.context.clear_cookies()
    web_login(tenant.reviewer)
    bell = page.get_by_role("link", name="Inbox, 1 unread")
    assert bell.get_by_test_id("inbox-count").inner_text() == "1"
    assert page.get_by_test_id("review-count").inner_text() == "1"
    screenshot("bell")

    page.get_by_role("link", name="Review (1)").click()
    page.wait_for_url("**/review")
    row = page.get_by_role("row", name="Heat pumps explained")
    assert tenant.editor.display_name in row.inner_text()
    screenshot("review-queue")

    bell.click()
    page.wait_for_url("**/inbox")
    item = page.get_by_role(
        "button", name=f"Unread: {tenant.editor.display_name} submitted “Heat pumps explained”"
    )
    screenshot("inbox")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("inbox-mobile")
    page.set_viewport_size({"width": 1440, "height": 900})
    item.click()
    page.wait_for_url(f"**/content/{content.id}")
    assert page.get_by_role("link", name="Inbox, 0 unread").is_visible()


def test_a_reviewer_reschedules_on_the_calendar(page, tenant, web_login, screenshot, fake_wordpress):  # noqa: F811
    fake, url = fake_wordpress
    fake.fail_creates = 0
    site = tenant.site
    site.wp_url, site.wp_username, site.wp_app_password_encrypted = url, "admin", secrets.encrypt("pw")
    content = publishable(tenant, "calendar-post", "Spring planting guide")
    db.session.commit()
    when = (datetime.now(UTC) + timedelta(days=3)).replace(
        tzinfo=None, hour=9, minute=30, second=0, microsecond=0
    )
    job = publishing.schedule(tenant.scope(Role.ADMIN), content.id, when)
    db.session.commit()
    publishing.dispatch(job)

    web_login(tenant.reviewer)
    page.goto(f"/calendar?year={when.year}&month={when.month}&site_id=all")
    cell = page.locator(f'td[data-date="{when.date().isoformat()}"]')
    entry = cell.locator(f'[data-content-id="{content.id}"]')
    assert "09:30" in entry.inner_text() and "scheduled" in entry.inner_text()
    screenshot("calendar")

    new_when = when + timedelta(days=1, hours=2)
    entry.get_by_text("Reschedule", exact=True).first.click()
    entry.get_by_label("New date and time (site time)").fill(new_when.strftime("%Y-%m-%dT%H:%M"))
    entry.get_by_role("button", name="Reschedule").click()
    page.get_by_text(f"Rescheduled to {new_when:%Y-%m-%d %H:%M} (site time).").wait_for()
    moved = page.locator(f'td[data-date="{new_when.date().isoformat()}"] [data-content-id="{content.id}"]')
    if (new_when.year, new_when.month) == (when.year, when.month):
        assert "11:30" in moved.inner_text()
    screenshot("rescheduled")
    db.session.expire_all()
    assert reload(content.id).scheduled_at.replace(tzinfo=None) == new_when

    page.set_viewport_size({"width": 390, "height": 844})
    assert page.locator(".cal-list").is_visible() and not page.locator(".cal-grid").is_visible()
    screenshot("calendar-mobile")
