"""The AI job endpoints of the JSON API: 202 + status_url on Redis, 200 + result inline, 400, 402."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.api.conftest import Api, error_fields
from tests.support import factories
from tests.support.factories import Tenant, make_content, make_task
from writer_app.models import Content, Image, Job, JobStatus, Role, db


def fund(tenant: Tenant, amount: int) -> None:
    factories.add_credits(tenant.account, amount, "test")
    db.session.commit()


def test_auto_generate_content_inline_answers_200_with_the_result(api: Api, tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "API draft")
    db.session.commit()

    response = api.post("/writer/tasks/auto_generate_content/", json={"ids": [task.id]})

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "finished" and body["kind"] == "generate_content"
    assert body["result"]["completed"] == [task.id]
    status = api.get(f"/jobs/{body['id']}/", role=Role.VIEWER).get_json()
    assert status["status"] == "finished" and status["progress"] == {"done": 1, "total": 1}
    assert db.session.scalars(select(Content).where(Content.task_id == task.id)).one().ai_model == "offline"


@pytest.mark.redis
def test_auto_generate_content_queued_answers_202_with_a_status_url(
    api: Api, tenant: Tenant, redis_url: str
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()

    response = api.post("/writer/tasks/auto_generate_content/", json={"ids": [task.id]})

    assert response.status_code == 202
    body = response.get_json()
    assert body["status_url"] == f"/api/v1/jobs/{body['task_id']}/"
    assert api.get(body["status_url"]).get_json()["status"] == "queued"
    from redis import Redis
    from rq import Queue

    assert Queue("ai", connection=Redis.from_url(redis_url)).job_ids == [body["task_id"]]


def test_more_than_ten_ids_is_400(api: Api, tenant: Tenant) -> None:
    fund(tenant, 1000)
    response = api.post("/writer/tasks/auto_generate_content/", json={"ids": list(range(1, 12))})
    assert response.status_code == 400
    assert "ids" in error_fields(response)
    assert db.session.scalars(select(Job)).all() == []


def test_insufficient_credits_is_402_before_any_work(api: Api, tenant: Tenant) -> None:
    task = make_task(tenant.cluster)
    db.session.commit()

    response = api.post("/writer/tasks/auto_generate_content/", json={"ids": [task.id]})

    assert response.status_code == 402
    assert response.get_json()["error"]["code"] == "insufficient_credits"
    assert db.session.scalars(select(Job)).all() == []


def test_viewers_cannot_start_jobs_and_other_accounts_ids_are_404(
    api: Api, tenant: Tenant, other_tenant: Tenant
) -> None:
    fund(tenant, 100)
    foreign = make_task(other_tenant.cluster)
    db.session.commit()
    assert (
        api.post(
            "/writer/tasks/auto_generate_content/", json={"ids": [foreign.id]}, role=Role.VIEWER
        ).status_code
        == 403
    )
    assert api.post("/writer/tasks/auto_generate_content/", json={"ids": [foreign.id]}).status_code == 404


def test_generate_image_prompts_and_auto_generate_images(api: Api, tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    content = make_content(tenant.cluster, task_id=task.id)
    db.session.commit()

    prompts = api.post("/writer/content/generate_image_prompts/", json={"ids": [content.id]})
    assert prompts.status_code == 200 and prompts.get_json()["status"] == "finished"
    pending = db.session.scalars(select(Image).where(Image.content_id == content.id)).all()
    assert pending and all(i.status.value == "pending" for i in pending)

    made = api.post("/writer/images/auto_generate_images/", json={"task_ids": [task.id]})
    assert made.status_code == 200 and made.get_json()["status"] == "finished"
    db.session.expire_all()
    assert {
        i.status.value for i in db.session.scalars(select(Image).where(Image.content_id == content.id))
    } == {"generated"}
    job = db.session.get(Job, made.get_json()["id"])
    assert job.status == JobStatus.FINISHED
