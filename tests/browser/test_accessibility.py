"""axe-core on every main page, as each role sees it, at desktop and phone sizes: no serious or critical
violations. Plus the keyboard basics axe cannot judge: visible focus rings and the focus after a form
error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support import factories
from tests.support.axe import axe_violations, describe
from tests.support.browser import wait_for_idle_server
from tests.support.factories import PASSWORD
from writer_app.models import ContentStatus, Role, db
from writer_app.services.clusters import cluster_map
from writer_app.services.review.revisions import snapshot

pytestmark = pytest.mark.browser

SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser, live_server):
    context = browser.new_context(base_url=live_server, viewport=SIZES[request.param])
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()
    wait_for_idle_server()


def _login(page, user) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def _world(tenant: factories.Tenant):
    task = factories.make_task(tenant.cluster, "Write about heat pumps")
    draft = factories.make_content(
        tenant.cluster,
        "Heat pumps explained",
        html="<p>Heat pumps move heat instead of making it.</p><h2>Costs</h2><p>They pay back.</p>",
        **{**factories.PUBLISHABLE, "primary_keyword": "heat pumps"},
    )
    review = factories.make_content(
        tenant.cluster, "Solar in review", html="<p>Solar panels.</p>", status=ContentStatus.REVIEW
    )
    for content in (draft, review):
        snapshot(tenant.scope(Role.EDITOR), content, "Created")
        cluster_map.track_content(tenant.scope(Role.EDITOR), content)  # as create_content does
    db.session.commit()
    return task, draft, review


def _check(page, path: str, failures: list[str]) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")
    violations = axe_violations(page)
    if violations:
        failures.append(f"{path}:\n{describe(violations)}")


def test_main_pages_have_no_serious_axe_violations(sized, tenant):
    page = sized
    task, draft, review = _world(tenant)
    failures: list[str] = []
    _check(page, "/login", failures)
    _login(page, tenant.admin)
    for path in (
        "/",
        "/tasks/",
        "/tasks/new",
        "/content/",
        f"/content/{draft.id}",
        f"/content/{review.id}",
        "/images/",
        "/taxonomies/",
        "/clusters/",
        f"/clusters/{tenant.cluster.id}",
        "/jobs/",
        "/settings/members",
        "/settings/sites",
        "/settings/tokens",
        "/settings/credits",
        f"/settings/sites/{tenant.site.id}/voice",
        f"/settings/sites/{tenant.site.id}/ai-drafting",
        f"/tasks/{task.id}/edit",
        f"/content/{review.id}/ai-fix?checks=meta_description_length",
    ):
        _check(page, path, failures)
    page.context.clear_cookies()
    _login(page, tenant.viewer)
    _check(page, f"/content/{draft.id}", failures)
    assert not failures, "\n\n".join(failures)


def test_focus_rings_are_solid_and_thick(page, tenant, web_login):
    web_login(tenant.editor)
    page.goto("/tasks/")
    for _ in range(3):
        page.keyboard.press("Tab")
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor]; })()"
    )
    assert style[0] == "solid" and style[1] >= 2, style
    assert style[2] == "rgb(29, 78, 216)", style  # #1d4ed8: 6.7:1 on white


def test_after_a_form_error_the_first_wrong_field_has_the_focus(page, tenant, web_login):
    _, draft, _ = _world(tenant)
    web_login(tenant.editor)
    page.goto(f"/content/{draft.id}")
    page.locator(".rich-editor .ql-editor").wait_for()
    # The server's checks, not the browser's (required, maxlength), find the errors here.
    page.evaluate("document.getElementById('editor').noValidate = true")
    page.locator("#title").fill("")
    page.evaluate("document.getElementById('slug').removeAttribute('maxlength')")
    page.locator("#slug").fill("x" * 300)
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert summary.get_by_role("link", name="Title").is_visible()
    expect(page.locator("#title")).to_be_focused()  # polls without eval (the CSP forbids it)
    summary.get_by_role("link", name="Slug").click()
    assert page.evaluate("document.activeElement.id") == "slug"
