"""The job progress component in a real browser: it polls itself while the job runs, then stops."""

from __future__ import annotations

import pytest

from tests.support import factories
from tests.support.factories import make_task
from writer_app.jobs import ai as job_entry
from writer_app.models import Job, Role, db
from writer_app.services import generation

pytestmark = pytest.mark.browser


def test_progress_component_updates_itself_until_the_job_ends(page, tenant, web_login, screenshot):
    factories.add_credits(tenant.account, 100, "test")
    task = make_task(tenant.cluster, "Watched draft")
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])  # queued: no worker yet
    db.session.commit()
    web_login(tenant.editor)

    page.goto(f"/jobs/{job.id}?next=/")
    component = page.locator(f"#job-{job.id}")
    assert component.get_attribute("data-job-status") == "queued"
    assert page.get_by_text("Waiting for a worker").is_visible()
    screenshot("queued")

    # A worker runs the job now (the same entry point RQ calls); the page notices by polling.
    job_entry.generate_content(job.id)
    page.wait_for_selector(f'#job-{job.id}[data-job-status="finished"]', timeout=10_000)

    assert page.get_by_role("link", name="Watched draft").is_visible()
    assert component.get_attribute("hx-trigger") is None  # polling stopped
    db.session.expire_all()
    assert db.session.get(Job, job.id).progress_done == 1
    screenshot("finished")


def test_ai_settings_page(page, tenant, web_login, screenshot):
    web_login(tenant.admin)
    page.goto("/settings/ai/")
    page.get_by_label("Article prompt template").fill("Write {title} about {primary_keyword}.")
    page.get_by_role("button", name="Save AI settings").click()
    page.get_by_text("drafts now use prompt version 2").wait_for()  # after the POST and its redirect
    screenshot("saved")
