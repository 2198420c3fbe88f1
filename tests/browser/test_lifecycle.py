"""Published content edited in Writer: the page says WordPress shows the older version, shows what
changed, and a reviewer sends the change with "Update on WordPress" (against the local fake WordPress,
never the shared one)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete

from tests.api.test_review_rules_api import fake as fake  # a fixture
from tests.integration.test_publishing_fake import FakeWordPress
from tests.integration.test_publishing_fake import fake_wordpress as fake_wordpress  # a fixture
from tests.integration.wp_helpers import publishable, reload
from tests.support import factories
from writer_app.models import ContentEditLock, ContentStatus, Role, SyncStatus, db
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser


def _switch_user(page, web_login, user) -> None:
    """Another person at another time: the previous one's page is long closed and its edit lock gone
    (closing a page releases it by a beacon that a headless browser may not send in time). The page's
    own lock request must have ended first: one still running when the locks are deleted took the lock
    again for the previous user, and the next user's editor stayed disabled."""
    page.wait_for_load_state("networkidle")
    page.goto("about:blank")
    db.session.execute(delete(ContentEditLock))
    db.session.commit()
    page.context.clear_cookies()
    web_login(user)


def test_edit_after_publish_shows_the_banner_and_updates_wordpress(
    page, tenant: factories.Tenant, web_login, screenshot, fake: FakeWordPress
) -> None:
    content = publishable(
        tenant, "heat-pumps", "Solar panels for small homes", last_edited_by_id=tenant.editor.id
    )
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()
    url = f"/content/{content.id}"

    web_login(tenant.reviewer)
    page.goto(url)
    page.get_by_role("button", name="Approve and publish").click()
    page.get_by_text("Approved; publishing to WordPress has started.").wait_for()
    published = reload(content.id)
    assert published.status == ContentStatus.PUBLISHED and published.sync_status == SyncStatus.SYNCED
    assert page.locator("#pending-change").count() == 0

    _switch_user(page, web_login, tenant.editor)
    page.goto(url)
    page.locator("input#title").fill("Solar panels for small homes, revised")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("[data-save-status]").get_by_text("Saved. A new revision was stored.").wait_for()
    banner = page.locator("#pending-change")
    banner.wait_for()  # shown by the save's refresh, without a reload
    assert "Changed since published on" in banner.inner_text()
    assert "WordPress shows the version of" in banner.inner_text()
    assert page.locator(".badge-published").is_visible()  # still true: WordPress has the older text
    banner.get_by_text("What changed").click()
    banner.locator("ins", has_text="revised").wait_for(state="visible")
    screenshot("pending-change")
    # The editor cannot send it out; they submit the change for review.
    assert page.get_by_role("button", name="Update on WordPress").count() == 0
    page.get_by_role("button", name="Submit the changes for review").click()
    page.get_by_text("Submitted for review.").wait_for()

    _switch_user(page, web_login, tenant.reviewer)
    page.goto(url)
    page.get_by_role("button", name="Update on WordPress").click()
    page.get_by_text("The WordPress post was updated.").wait_for()
    assert page.locator("#pending-change").count() == 0
    screenshot("updated")
    updated = reload(content.id)
    assert not updated.has_unpublished_changes and updated.approved_by_id == tenant.reviewer.id
    assert "revised" in str(fake.posts[int(updated.external_id)].get("title"))
