"""List pages come from Redis while the account's data is unchanged: for the same person, session and
URL only, never stale after a commit, never hiding a flash message."""

from __future__ import annotations

import pytest

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Role, db
from writer_app.response_cache import HIT_HEADER


@pytest.fixture
def tasks_page(client, tenant, login, redis_url):
    factories.make_task(tenant.cluster, "Solar roofs for farms")
    db.session.commit()
    login(tenant.editor)
    client.get("/tasks/")  # the session gets its CSRF token: the first render changes the session
    return client


def test_a_repeated_list_page_is_answered_from_the_cache(tasks_page):
    first = tasks_page.get("/tasks/?search=solar")
    with count_queries() as queries:
        second = tasks_page.get("/tasks/?search=solar")
    assert first.headers[HIT_HEADER] == "miss"
    assert second.headers[HIT_HEADER] == "hit"
    assert second.get_data() == first.get_data()
    assert "Solar roofs for farms" in second.get_data(as_text=True)
    assert not [s for s in queries.statements if "writer_tasks" in s or "sites" in s]
    assert second.headers["Content-Type"] == first.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "HX-Request" in second.headers["Vary"]  # the view's own headers are kept with the body
    assert second.headers["Content-Security-Policy"]  # and the usual ones still apply


def test_a_commit_to_the_account_shows_on_the_next_request(tasks_page, tenant):
    tasks_page.get("/tasks/")
    factories.make_task(tenant.cluster, "Wind turbines at sea")
    db.session.commit()
    response = tasks_page.get("/tasks/")
    assert response.headers[HIT_HEADER] == "miss"
    assert "Wind turbines at sea" in response.get_data(as_text=True)


def test_another_accounts_writes_keep_this_page_cached(tasks_page, other_tenant):
    tasks_page.get("/tasks/")
    factories.make_task(other_tenant.cluster, "Elsewhere")
    db.session.commit()
    assert tasks_page.get("/tasks/").headers[HIT_HEADER] == "hit"


def test_each_person_gets_their_own_page(app, tasks_page, tenant, login):
    assert "New task" in tasks_page.get("/tasks/").get_data(as_text=True)
    viewer = app.test_client()
    viewer.post("/login", data={"email": tenant.viewer.email, "password": factories.PASSWORD})
    viewer.get("/tasks/")
    page = viewer.get("/tasks/")
    assert "Solar roofs for farms" in page.get_data(as_text=True)
    assert "New task" not in page.get_data(as_text=True)


def test_fragment_and_full_page_are_cached_apart(tasks_page):
    tasks_page.get("/tasks/")
    fragment = tasks_page.get("/tasks/", headers={"HX-Request": "true"})
    assert fragment.headers[HIT_HEADER] == "miss"
    assert "<html" not in fragment.get_data(as_text=True)
    assert "<html" in tasks_page.get("/tasks/").get_data(as_text=True)


def test_a_flash_message_is_shown_although_the_page_was_cached(tasks_page, tenant):
    tasks_page.get("/tasks/")
    task = factories.make_task(tenant.cluster, "To be trashed")
    db.session.commit()
    tasks_page.get("/tasks/")  # cached again after the commit
    response = tasks_page.post("/tasks/bulk/delete", data={"ids": [task.id]}, follow_redirects=True)
    assert "Moved 1 task to the trash" in response.get_data(as_text=True)
    assert "To be trashed" not in response.get_data(as_text=True)


def test_no_cache_asks_for_a_fresh_page(tasks_page):
    tasks_page.get("/tasks/")
    response = tasks_page.get("/tasks/", headers={"Cache-Control": "no-cache"})
    assert HIT_HEADER not in response.headers


def test_errors_are_not_cached(tasks_page):
    tasks_page.get("/tasks/?status=unknown")
    response = tasks_page.get("/tasks/?status=unknown")
    assert response.status_code == 400
    assert HIT_HEADER not in response.headers


def test_without_redis_pages_are_rendered_every_time(client, tenant, login):
    login(tenant.editor, tenant.account)
    client.get("/content/")
    assert HIT_HEADER not in client.get("/content/").headers


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ADMIN])
def test_the_content_list_is_cached_too(client, tenant, login, redis_url, role):
    factories.make_content(tenant.cluster, "Heat pumps explained")
    db.session.commit()
    login(tenant.users[role])
    client.get("/content/")
    client.get("/content/")
    response = client.get("/content/")
    assert response.headers[HIT_HEADER] == "hit"
    assert "Heat pumps explained" in response.get_data(as_text=True)
