"""Tasks page in a real headless Chromium: htmx filtering with URL state, form errors, bulk status."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.support import factories
from writer_app.models import Task, TaskStatus, db

pytestmark = pytest.mark.browser


@pytest.fixture
def tasks_data(tenant):
    factories.make_task(tenant.cluster, "Solar roof guide", keywords="solar roof, panels")
    factories.make_task(
        tenant.cluster, "Battery sizing", status=TaskStatus.FAILED, error="The AI server timed out"
    )
    factories.make_task(tenant.cluster, "Inverter comparison", status=TaskStatus.COMPLETED)
    db.session.commit()
    return tenant


@pytest.fixture(params=["computed", "cached"])
def list_answers(request: pytest.FixtureRequest) -> str:
    """Run a test with list pages computed every time, and again answered from the response cache."""
    if request.param == "cached":
        request.getfixturevalue("redis_url")
    return request.param


def test_filtering_by_status_updates_table_and_url_without_reload(
    page, tasks_data, web_login, screenshot, list_answers
):
    web_login(tasks_data.editor)
    page.goto("/tasks/")
    rows = page.locator("#task-results tbody tr")
    assert rows.count() == 3
    page.evaluate("window.__noReload = 'still here'")  # a full page load would wipe this

    page.get_by_label("Status", exact=True).select_option("failed")
    page.wait_for_url(re.compile(r"/tasks/\?status=failed$"))
    expect(page.locator("#task-results tbody tr")).to_have_count(1)
    assert page.locator("#task-results").get_by_text("Battery sizing").is_visible()
    assert page.get_by_text("The AI server timed out").is_visible()
    assert page.evaluate("window.__noReload") == "still here"
    screenshot("filtered")

    # the back button brings the unfiltered list back
    page.go_back()
    page.wait_for_url(re.compile(r"/tasks/$"))
    expect(page.locator("#task-results tbody tr")).to_have_count(3)
    page.go_forward()
    page.wait_for_url(re.compile(r"/tasks/\?status=failed$"))
    expect(page.locator("#task-results tbody tr")).to_have_count(1)
    expect(page.get_by_label("Status", exact=True)).to_have_value("failed")

    # typing in the search box filters too, and sorting by a header keeps the other filters
    page.get_by_label("Status", exact=True).select_option("")
    page.get_by_label("Search").fill("roof")
    page.wait_for_url(re.compile(r"search=roof"))
    expect(page.locator("#task-results tbody tr")).to_have_count(1)
    page.get_by_label("Search").fill("")
    expect(page.locator("#task-results tbody tr")).to_have_count(3)
    page.locator("#task-results").get_by_role("link", name="Title").click()
    page.wait_for_url(re.compile(r"ordering=title"))
    expect(page.locator("#task-results tbody tr td.col-title a").first).to_have_text("Battery sizing")
    assert page.get_by_label("Sort").input_value() == "title"  # the form follows the header click
    assert page.evaluate("window.__noReload") == "still here"

    # reload keeps the state the URL holds
    page.goto("/tasks/?status=completed")
    again = page.goto("/tasks/?status=completed")
    assert rows.count() == 1 and page.get_by_label("Status", exact=True).input_value() == "completed"
    assert again.headers.get("x-writer-cache") == ("hit" if list_answers == "cached" else None)
    screenshot(f"reloaded-{list_answers}")


def test_create_task_with_a_field_error_then_fix_it(page, tasks_data, web_login, screenshot):
    tenant = tasks_data
    web_login(tenant.editor)
    page.goto("/tasks/")
    page.get_by_role("button", name="New task").click()
    page.get_by_label("Title").fill("Heat pump running costs")
    page.get_by_label("Site", exact=True).select_option(str(tenant.site.id))
    page.locator("#sector_id").select_option(str(tenant.sector.id))
    page.get_by_label("Word count").fill("50")
    page.get_by_role("button", name="Create task").click()

    expect(page.get_by_text("Choose a cluster.")).to_be_visible()
    expect(page.get_by_text("Word count must be between 100 and 10,000.")).to_be_visible()
    assert page.get_by_label("Title").input_value() == "Heat pump running costs"  # input kept
    screenshot("errors")

    page.locator("#cluster_id").select_option(str(tenant.cluster.id))
    page.get_by_label("Word count").fill("1200")
    page.get_by_role("button", name="Create task").click()
    page.wait_for_url(re.compile(r"/tasks/$"))
    expect(page.get_by_text("Saved “Heat pump running costs”.")).to_be_visible()
    assert page.locator("#task-results").get_by_text("Heat pump running costs").is_visible()
    screenshot("created")
    task = db.session.scalars(select(Task).where(Task.title == "Heat pump running costs")).one()
    assert (task.word_count, task.cluster_id) == (1200, tenant.cluster.id)


def test_bulk_status_change(page, tasks_data, web_login, screenshot, list_answers):
    web_login(tasks_data.editor)
    page.goto("/tasks/?status=queued")
    page.evaluate("window.__noReload = 'still here'")
    page.get_by_label("Select all tasks on this page").check()
    assert page.get_by_text("1 selected").is_visible()
    # Only the states people set are offered; in progress and failed belong to generation.
    offered = page.get_by_label("New status").locator("option").evaluate_all("els => els.map(e => e.value)")
    assert offered == ["queued", "completed", "canceled"]
    page.get_by_label("New status").select_option("canceled")
    page.get_by_role("button", name="Set status").click()
    page.get_by_text("Set 1 task to “canceled”.").wait_for()
    assert page.locator("#task-results tbody tr").count() == 0  # still filtered on queued
    assert page.evaluate("window.__noReload") == "still here"

    page.get_by_label("Status", exact=True).select_option("")
    expect(page.locator("#task-results tbody tr")).to_have_count(3)
    for title in ("Solar roof guide", "Battery sizing"):
        page.get_by_label(f"Select “{title}”").check()
    # Completed needs content, which these tasks have not: another status shows the bulk change.
    page.get_by_label("New status").select_option("queued")
    page.get_by_role("button", name="Set status").click()
    page.get_by_text("Set 2 tasks to “queued”.").wait_for()
    screenshot(f"bulk-status-{list_answers}")
    page.reload()  # a full page again: what it shows reflects the change
    expect(page.locator("#task-results tbody tr[data-status=queued]")).to_have_count(2)
    db.session.expire_all()
    statuses = {t.title: t.status for t in db.session.scalars(select(Task))}
    assert statuses == {
        "Solar roof guide": TaskStatus.QUEUED,
        "Battery sizing": TaskStatus.QUEUED,
        "Inverter comparison": TaskStatus.COMPLETED,
    }
