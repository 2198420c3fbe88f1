"""A double submit creates one task: the button is disabled while the form is sent, and the server
refuses the same form twice even when two requests do get through."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from writer_app.models import Task, db

pytestmark = pytest.mark.browser


def _tasks() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Task))


def _fill(page, tenant, title: str) -> None:
    page.goto("/tasks/new")
    page.get_by_label("Title").fill(title)
    page.get_by_label("Site", exact=True).select_option(str(tenant.site.id))
    page.locator("#sector_id").select_option(str(tenant.sector.id))
    page.locator("#cluster_id").select_option(str(tenant.cluster.id))
    page.get_by_label("Keywords").fill("heat pump")


@pytest.mark.parametrize("viewport", [{"width": 1440, "height": 900}, {"width": 390, "height": 844}])
def test_double_click_on_create_task_makes_one_task(page, tenant, web_login, screenshot, viewport):
    page.set_viewport_size(viewport)
    web_login(tenant.editor)
    _fill(page, tenant, "Heat pump costs")
    page.get_by_role("button", name="Create task").dblclick()
    page.wait_for_url(re.compile(r"/tasks/(\?.*)?$"))
    expect(page.get_by_text("Saved “Heat pump costs”")).to_be_visible()
    screenshot(f"after-double-click-{viewport['width']}")
    assert _tasks() == 1


def test_two_requests_with_the_same_form_make_one_task(page, tenant, web_login, screenshot):
    web_login(tenant.editor)
    _fill(page, tenant, "Battery sizing")
    statuses = page.evaluate(
        """async () => {
            const form = document.querySelector('form[method="post"][data-dependent-selects]');
            const send = () => fetch(form.action || location.href, {method: 'POST', body: new FormData(form), redirect: 'manual'});
            const answers = await Promise.all([send(), send()]);
            return answers.map(a => a.type);
        }"""
    )
    assert len(statuses) == 2
    assert _tasks() == 1
    page.goto("/tasks/")
    # One row. (The list may also show "Saved “Battery sizing”": which of the two answers' session
    # cookies the browser kept last decides whether that message is still waiting.)
    expect(page.locator("#task-results tbody tr", has_text="Battery sizing")).to_have_count(1)
    screenshot("one-task")
