"""Duplicate creates: a create form's one-time token makes a repeated POST create nothing again."""

from __future__ import annotations

import re
import threading

import pytest
from sqlalchemy import func, select

from tests.support import factories
from writer_app.models import ApiToken, Cluster, Sector, Site, Task, db
from writer_app.views.single_submit import ALREADY_SENT

HX = {"HX-Request": "true"}


def _task_form(tenant, token: str, **overrides):
    data = {
        "title": "Heat pump costs",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "keywords": "heat pump",
        "word_count": "1200",
        "description": "",
        "form_token": token,
    }
    data.update(overrides)
    return data


def _count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def _token_in(html: str) -> str:
    match = re.search(r'name="form_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="form_token"', html
    )
    assert match, "the form has no one-time token"
    return match.group(1)


def test_every_form_page_gets_a_fresh_token(login, tenant):
    client = login(tenant.editor)
    first = _token_in(client.get("/tasks/new").get_data(as_text=True))
    second = _token_in(client.get("/tasks/new").get_data(as_text=True))
    assert first != second and len(first) >= 20


def test_a_repeated_post_creates_one_task_and_goes_to_the_first_result(login, tenant):
    client = login(tenant.editor)
    token = _token_in(client.get("/tasks/new").get_data(as_text=True))
    first = client.post("/tasks/new", data=_task_form(tenant, token))
    assert first.status_code in (302, 303)
    second = client.post("/tasks/new", data=_task_form(tenant, token))
    assert second.status_code == 303
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(Task) == 1
    assert ALREADY_SENT in client.get(second.headers["Location"]).get_data(as_text=True)
    # a new page of the form is a new token: a second task on purpose is fine
    again = _token_in(client.get("/tasks/new").get_data(as_text=True))
    client.post("/tasks/new", data=_task_form(tenant, again, title="Another"))
    assert _count(Task) == 2


def test_a_form_error_does_not_use_up_the_token(login, tenant):
    client = login(tenant.editor)
    response = client.post("/tasks/new", data=_task_form(tenant, "tok-error-then-fix", title=""))
    assert response.status_code == 422
    assert _token_in(response.get_data(as_text=True)) == "tok-error-then-fix"  # the page keeps it
    assert client.post("/tasks/new", data=_task_form(tenant, "tok-error-then-fix")).status_code == 303
    assert _count(Task) == 1


def test_htmx_duplicate_is_a_full_navigation_to_the_result(login, tenant):
    client = login(tenant.editor)
    client.post(
        "/clusters/new",
        data={
            "name": "Heat",
            "site_id": tenant.site.id,
            "sector_id": tenant.sector.id,
            "form_token": "tok-cluster",
        },
        headers=HX,
    )
    response = client.post(
        "/clusters/new",
        data={
            "name": "Heat",
            "site_id": tenant.site.id,
            "sector_id": tenant.sector.id,
            "form_token": "tok-cluster",
        },
        headers=HX,
    )
    assert response.status_code == 204 and response.headers["HX-Redirect"].startswith("/clusters/")
    assert db.session.scalar(select(func.count()).select_from(Cluster).where(Cluster.name == "Heat")) == 1


def test_tokens_sites_and_sectors_are_created_once(login, tenant):
    client = login(tenant.admin)
    for _ in range(2):
        client.post("/settings/tokens", data={"name": "CI", "form_token": "tok-api"})
        client.post("/settings/sites", data={"name": "Second site", "form_token": "tok-site"})
        client.post(
            f"/settings/sites/{tenant.site.id}/sectors",
            data={"sector-name": "Wind", "sector-form_token": "tok-sector"},
        )
    assert db.session.scalar(select(func.count()).select_from(ApiToken).where(ApiToken.name == "CI")) == 1
    assert db.session.scalar(select(func.count()).select_from(Site).where(Site.name == "Second site")) == 1
    assert db.session.scalar(select(func.count()).select_from(Sector).where(Sector.name == "Wind")) == 1
    # the repeated token form answers with the page and says why no second token appeared
    response = client.post(
        "/settings/tokens", data={"name": "CI", "form_token": "tok-api"}, follow_redirects=True
    )
    assert ALREADY_SENT in response.get_data(as_text=True)


def test_a_token_is_per_user(login, client, tenant):
    login(tenant.editor)
    client.post("/tasks/new", data=_task_form(tenant, "shared-token"))
    client.post("/logout")
    login(tenant.admin)
    client.post("/tasks/new", data=_task_form(tenant, "shared-token", title="Admin's task"))
    assert _count(Task) == 2


@pytest.mark.parametrize("twins", [4])
def test_simultaneous_twins_create_one_task(app, tenant, twins):
    """A double click whose two requests arrive together: one creates, the other waits and finds it."""
    clients = []
    for _ in range(twins):
        c = app.test_client()
        assert (
            c.post("/login", data={"email": tenant.editor.email, "password": factories.PASSWORD}).status_code
            == 303
        )
        clients.append(c)
    statuses: list[int] = []
    barrier = threading.Barrier(twins)
    data = _task_form(tenant, "tok-race")

    def send(c):
        barrier.wait()
        statuses.append(c.post("/tasks/new", data=data).status_code)

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert _count(Task) == 1
    assert statuses == [303] * twins  # the first: to its task list; the others: to the same place


@pytest.mark.parametrize("token", ["a\x00b", "x" * 5000, "short"])
def test_a_token_we_never_issued_is_no_token_and_never_a_500(login, tenant, token):
    # A NUL byte reached the token lookup and PostgreSQL refused it (found by the bad-input sweep).
    client = login(tenant.editor)
    response = client.post("/tasks/new", data=_task_form(tenant, token))
    assert response.status_code in (303, 422)
    assert _count(Task) == (1 if response.status_code == 303 else 0)
