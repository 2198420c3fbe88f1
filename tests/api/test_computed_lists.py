"""Computed list answers (issue 18): the same as cached ones and as counting every row, and a total
that stops at the count limit says so ("10,000+" on the pages, count_is_exact in the API)."""

from __future__ import annotations

import pytest

from tests.support import factories
from writer_app.models import TaskStatus, db
from writer_app.models.base import utcnow
from writer_app.response_cache import HIT_HEADER
from writer_app.services import pagination

NO_CACHE = {"Cache-Control": "no-cache"}
LISTS = [
    "/writer/tasks/?page_size=3",
    "/writer/tasks/?search=solar&status=queued&page_size=2&page=2",
    "/writer/tasks/?search=so&ordering=title",  # shorter than a trigram: the LIKE path
    "/writer/content/?page_size=2",
    "/writer/content/?search=heat&status=draft",
]


@pytest.fixture
def rows(tenant):
    for i in range(5):
        factories.make_task(tenant.cluster, f"Solar roof {i}")
    factories.make_task(tenant.cluster, "Wind farm", keywords="wind", status=TaskStatus.COMPLETED)
    factories.make_task(tenant.cluster, "Solar trashed").deleted_at = utcnow()
    for i in range(4):
        factories.make_content(tenant.cluster, f"Heat pumps {i}")
    factories.make_content(tenant.cluster, "Boilers")
    db.session.commit()


@pytest.mark.parametrize("path", LISTS)
def test_computed_cached_and_uncached_answers_are_the_same(api, rows, redis_url, app, path):
    computed = api.get(path, headers=NO_CACHE)
    cached_first, cached_again = api.get(path), api.get(path)
    assert cached_again.headers[HIT_HEADER] == "hit"
    app.config["REDIS_URL"] = ""  # the default set-up: every total counted
    plain = api.get(path)
    bodies = [r.get_json() for r in (computed, cached_first, cached_again, plain)]
    assert computed.status_code == 200, bodies[0]
    assert all(body == bodies[0] for body in bodies)
    assert bodies[0]["count_is_exact"] is True


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/writer/tasks/", 6),  # live tasks only
        ("/writer/tasks/?search=solar", 5),
        ("/writer/tasks/?status=completed", 1),
        ("/writer/content/", 5),
        ("/writer/content/?search=heat", 4),
    ],
)
def test_totals_count_every_matching_row(api, rows, path, expected):
    assert api.get(path).get_json()["count"] == expected


def test_a_total_past_the_count_limit_says_more(api, rows, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 5)
    at_limit = api.get("/writer/tasks/?search=solar&page_size=2").get_json()
    assert (at_limit["count"], at_limit["count_is_exact"]) == (5, True)
    past = api.get("/writer/tasks/?page_size=2").get_json()  # 6 live tasks
    assert (past["count"], past["count_is_exact"]) == (5, False)
    assert past["next"] is not None
    # Page 3 ends at row 6, beyond the limit: counted exactly, and the last page says so.
    last = api.get("/writer/tasks/?page_size=2&page=3").get_json()
    assert (last["count"], last["count_is_exact"], last["next"]) == (6, True, None)
    assert len(last["results"]) == 2


def test_pages_show_a_stopped_count_with_a_plus(client, login, tenant, rows, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 5)
    editor = login(tenant.editor)
    tasks = editor.get("/tasks/?page_size=2").get_data(as_text=True)
    assert "<strong>5+</strong> tasks" in tasks and "Page 1 of 3+" in tasks
    exact = editor.get("/tasks/?search=solar&page_size=2").get_data(as_text=True)
    assert "<strong>5</strong> tasks" in exact and "Page 1 of 3<" in exact
    # A page whose rows reach past the limit counts them all.
    assert "<strong>6</strong> tasks" in editor.get("/tasks/?page_size=25").get_data(as_text=True)
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)
    content = editor.get("/content/?page_size=2").get_data(as_text=True)
    assert "Page 1 of 2+ · 3+ in all" in content


def test_listed_tasks_read_as_the_tasks_themselves(api, rows, tenant):
    """The list reads plain rows (TaskRow), not ORM objects: each answers as the task's own endpoint."""
    listed = api.get("/writer/tasks/?page_size=100&ordering=title").get_json()["results"]
    assert len(listed) == 6
    for item in listed:
        assert api.get(f"/writer/tasks/{item['id']}/").get_json() == item
