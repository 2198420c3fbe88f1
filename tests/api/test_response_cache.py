"""API lists come from Redis while the account's data is unchanged, and never outlive a commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import ApiToken, Role, db
from writer_app.models.base import utcnow
from writer_app.response_cache import HIT_HEADER


@pytest.fixture
def listed(api, tenant, redis_url):
    factories.make_task(tenant.cluster, "Solar roofs for farms")
    factories.make_content(tenant.cluster, "Heat pumps explained")
    db.session.commit()
    return api


@pytest.mark.parametrize("path", ["/writer/tasks/?search=solar", "/writer/content/?page_size=50"])
def test_a_repeated_list_is_answered_from_the_cache(listed, path):
    first = listed.get(path)
    with count_queries() as queries:
        second = listed.get(path)
    assert (first.headers[HIT_HEADER], second.headers[HIT_HEADER]) == ("miss", "hit")
    assert second.get_json() == first.get_json()
    assert second.get_json()["count"] == 1
    assert len(queries.statements) == 1, queries.statements  # the token, checked on every request


def test_a_write_through_the_api_shows_on_the_next_list(listed, tenant):
    listed.get("/writer/tasks/")
    created = listed.post(
        "/writer/tasks/",
        json={
            "title": "Wind turbines at sea",
            "site_id": tenant.site.id,
            "sector_id": tenant.sector.id,
            "cluster_id": tenant.cluster.id,
            "content_type": "post",
            "content_structure": "article",
        },
    )
    assert created.status_code == 201, created.get_json()
    titles = [t["title"] for t in listed.get("/writer/tasks/").get_json()["results"]]
    assert "Wind turbines at sea" in titles


def test_each_account_and_role_has_its_own_answers(listed, other_api, other_tenant):
    factories.make_task(other_tenant.cluster, "Other account's task")
    db.session.commit()
    listed.get("/writer/tasks/")
    assert listed.get("/writer/tasks/", role=Role.VIEWER).headers[HIT_HEADER] == "miss"
    other = other_api.get("/writer/tasks/")
    assert [t["title"] for t in other.get_json()["results"]] == ["Other account's task"]


def test_invalid_queries_and_missing_pages_are_not_cached(listed):
    for path in ("/writer/tasks/?status=unknown", "/writer/tasks/?page=9"):
        listed.get(path)
        response = listed.get(path)
        assert response.status_code in (400, 404)
        assert HIT_HEADER not in response.headers


def test_a_cached_answer_still_records_the_tokens_use(listed, tenant):
    listed.get("/writer/tasks/")
    hour_ago = utcnow() - timedelta(hours=1)
    # An hour passes: the token's last use is old, and nothing the account shows has changed.
    with db.engine.begin() as connection:
        connection.execute(update(ApiToken).values(last_used_at=hour_ago))
    db.session.expire_all()
    assert listed.get("/writer/tasks/").headers[HIT_HEADER] == "hit"
    db.session.expire_all()
    used = db.session.scalars(select(ApiToken.last_used_at).filter_by(user_id=tenant.editor.id)).one()
    assert used.replace(tzinfo=None) > hour_ago.replace(tzinfo=None) + timedelta(minutes=59)
