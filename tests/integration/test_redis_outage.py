"""REDIS_URL set and Redis down: login, pages and the API keep working; limits fail open (counted in
memory, one warning); AI work is refused with a plain 503 message, one-object WordPress work runs
inline and says so; and everything uses Redis again once it is back.

Redis here is either a closed port or a redis-server the test starts and stops itself
(tests/support/redis_server.py); never the machine's.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from redis import Redis
from rq import Queue
from sqlalchemy import func, select

from tests.api.conftest import Api
from tests.integration.wp_helpers import publishable
from tests.support.factories import PASSWORD, Tenant, add_credits, make_content, make_task
from tests.support.redis_server import RedisServer, app_on_redis, closed_port_url
from writer_app import rate_limits
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import QUEUE_DOWN_MESSAGE, QueueUnavailable, enqueue
from writer_app.models import ContentStatus, Job, JobStatus, Role, Task, TaskStatus, db
from writer_app.services import credits, data_version, generation, secrets
from writer_app.services.publishing import actions as publishing

HX = {"HX-Request": "true"}


@pytest.fixture
def dead_redis(app: Flask) -> Iterator[str]:
    """REDIS_URL (jobs, caches, rate limits) points at a port where nothing listens."""
    url = closed_port_url()
    with app_on_redis(app, url):
        yield url


@pytest.fixture
def api(client: FlaskClient, tenant: Tenant) -> Api:
    return Api(client, tenant)


def fund(tenant: Tenant, amount: int) -> None:
    add_credits(tenant.account, amount)
    db.session.commit()


def log_in(client: FlaskClient, email: str) -> int:
    return client.post("/login", data={"email": email, "password": PASSWORD}).status_code


def warnings(caplog: pytest.LogCaptureFixture, text: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING and text in r.getMessage()]


# --- Redis unreachable (a closed port) ---------------------------------------------------------------


def test_login_works_and_its_limit_is_counted_in_memory(
    client: FlaskClient, tenant: Tenant, dead_redis: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    assert log_in(client, tenant.editor.email) == 303
    assert client.get("/tasks/").status_code == 200

    other = client.application.test_client()
    statuses = [log_in(other, "nobody@example.com") for _ in range(10)]
    # The login limit (10 per minute per address) still holds, counted in this process.
    assert 429 not in statuses[:9] and statuses[-1] == 429
    assert len(warnings(caplog, "Rate limit storage unreachable")) == 1


def test_pages_and_api_lists_answer_and_warn_once(
    client: FlaskClient, api: Api, tenant: Tenant, login, dead_redis: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    make_task(tenant.cluster, "Still listed")
    db.session.commit()

    for _ in range(5):
        response = api.get("/writer/tasks/", role=Role.VIEWER)
        assert response.status_code == 200
        assert response.get_json()["results"][0]["title"] == "Still listed"
        assert "X-Writer-Cache" not in response.headers  # computed, nothing cached
    login(tenant.viewer)
    for _ in range(3):
        page = client.get("/tasks/")
        assert page.status_code == 200 and "Still listed" in page.get_data(as_text=True)

    assert len(warnings(caplog, "Redis is unreachable for rate limits")) == 1
    assert len(warnings(caplog, "Redis is unreachable for the list cache")) == 1


def test_api_limit_still_holds_in_memory(api: Api, app: Flask, dead_redis: str) -> None:
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        statuses = [api.get("/writer/tasks/", role=Role.VIEWER).status_code for _ in range(4)]
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"
    assert statuses == [200, 200, 200, 429]


def test_content_generation_is_refused_with_a_plain_503_in_the_api(
    api: Api, tenant: Tenant, dead_redis: str
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()

    response = api.post("/writer/tasks/auto_generate_content/", json={"ids": [task.id]})

    assert response.status_code == 503 and response.headers["Retry-After"] == "60"
    assert response.get_json()["error"] == {
        "code": "queue_unavailable",
        "message": QUEUE_DOWN_MESSAGE,
        "fields": {},
    }
    # Nothing started: no job, no credits held, the task untouched.
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert credits.balance(tenant.account.id) == 100
    assert db.session.get(Task, task.id).status == TaskStatus.QUEUED


def test_image_generation_is_refused_with_a_plain_503_in_the_api(
    api: Api, tenant: Tenant, dead_redis: str
) -> None:
    fund(tenant, 100)
    content = make_content(tenant.cluster)
    db.session.commit()

    response = api.post("/writer/content/generate_image_prompts/", json={"ids": [content.id]})

    assert response.status_code == 503, response.get_json()
    assert response.get_json()["error"]["message"] == QUEUE_DOWN_MESSAGE
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_generate_button_says_the_queue_is_unavailable(
    client: FlaskClient, tenant: Tenant, login, dead_redis: str
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    login(tenant.editor)

    fragment = client.post("/tasks/generate", data={"ids": [task.id]}, headers=HX)
    assert fragment.status_code == 200  # htmx swaps only 2xx: the refusal is a fragment
    assert QUEUE_DOWN_MESSAGE in fragment.get_data(as_text=True)

    plain = client.post("/tasks/generate", data={"ids": [task.id]})
    assert plain.status_code == 303
    assert QUEUE_DOWN_MESSAGE in client.get(plain.headers["Location"]).get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 0
    assert db.session.get(Task, task.id).status == TaskStatus.QUEUED


def test_a_job_that_can_no_longer_be_queued_fails_plainly(app: Flask, tenant: Tenant) -> None:
    """Redis went away between the start (checked) and the enqueue: the job fails with the message,
    its task shows it and the credits come back; nothing runs for minutes inside the request."""
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()

    with app_on_redis(app, closed_port_url()), pytest.raises(QueueUnavailable):
        enqueue(job, job_entry.generate_content)

    db.session.expire_all()
    failed = db.session.get(Job, job.id)
    assert failed.status == JobStatus.FAILED and failed.error == QUEUE_DOWN_MESSAGE
    assert db.session.get(Task, task.id).status == TaskStatus.FAILED
    assert credits.balance(tenant.account.id) == 100


def test_publishing_one_item_runs_inline_and_says_so(tenant: Tenant, dead_redis: str) -> None:
    tenant.site.wp_url, tenant.site.wp_username = "http://127.0.0.1:9", "writer"  # no WordPress there
    tenant.site.wp_app_password_encrypted = secrets.encrypt("abcd efgh ijkl mnop")
    content = publishable(tenant, "redis-down", status=ContentStatus.REVIEW)
    db.session.commit()
    job = publishing.publish(tenant.scope(Role.REVIEWER), content.id, require_wordpress=True)
    db.session.commit()

    dispatch = publishing.dispatch(job)

    assert dispatch.inline and dispatch.reason.startswith("Redis is unreachable")
    assert "Ran right away in the web process" in dispatch.message
    db.session.expire_all()
    ran = db.session.get(Job, job.id)
    assert ran.ran_inline and JobStatus(ran.status).done


# --- a Redis server that goes away mid-session and comes back ---------------------------------------


def test_redis_stopped_mid_session_then_started_again(
    app: Flask, client: FlaskClient, api: Api, tenant: Tenant, login, redis_server: RedisServer
) -> None:
    fund(tenant, 100)
    first, second = make_task(tenant.cluster, "First"), make_task(tenant.cluster, "Second")
    db.session.commit()
    with app_on_redis(app, redis_server.url):
        rate_limits.outage.retry_after = data_version.outage.retry_after = 0  # retry Redis at once
        login(tenant.editor)
        assert api.get("/writer/tasks/").headers["X-Writer-Cache"] == "miss"
        assert api.get("/writer/tasks/").headers["X-Writer-Cache"] == "hit"

        redis_server.stop()
        client.post("/logout")
        assert log_in(client, tenant.editor.email) == 303
        assert client.get("/tasks/").status_code == 200
        listed = api.get("/writer/tasks/")
        assert listed.status_code == 200 and "X-Writer-Cache" not in listed.headers
        refused = api.post("/writer/tasks/auto_generate_content/", json={"ids": [first.id]})
        assert refused.status_code == 503

        redis_server.start()  # empty: nothing was saved
        redis = Redis.from_url(redis_server.url)
        assert api.get("/writer/tasks/").headers["X-Writer-Cache"] == "miss"
        assert api.get("/writer/tasks/").headers["X-Writer-Cache"] == "hit"
        assert any(b"writer" in key for key in redis.keys("LIMITS:*"))  # API limits shared again
        queued = api.post("/writer/tasks/auto_generate_content/", json={"ids": [second.id]})
        assert queued.status_code == 202
        assert Queue("ai", connection=redis).job_ids == [queued.get_json()["task_id"]]
        assert log_in(app.test_client(), tenant.viewer.email) == 303
