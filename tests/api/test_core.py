"""What every endpoint shares: token auth, the error shape, body parsing, 405, throttling, the
OpenAPI document and the docs page, job status."""

from __future__ import annotations

import pytest
from flask import Flask
from openapi_spec_validator import validate

from tests.api.conftest import error_fields, token_for
from tests.support import factories
from writer_app.api.openapi import openapi_path
from writer_app.models import Job, JobStatus, Role, db
from writer_app.services.identity import accounts, tokens

TASKS = "/writer/tasks/"


def test_missing_malformed_and_unknown_tokens_are_401(api):
    for headers in ({}, {"Authorization": "Token abc"}, {"Authorization": "Bearer wrt_unknown"}):
        response = api.client.get("/api/v1" + TASKS, headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "unauthorized"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(api, tenant):
    raw = api.token(Role.EDITOR)
    assert api.get(TASKS, token=raw).status_code == 200
    [record] = tokens.list_tokens(tenant.scope(Role.EDITOR))
    tokens.revoke_token(tenant.scope(Role.EDITOR), record.id)
    db.session.commit()
    assert api.get(TASKS, token=raw).status_code == 401


def test_inactive_user_is_401(api, tenant):
    raw = api.token(Role.EDITOR)
    accounts.set_user_active(tenant.editor.email, False)
    db.session.commit()
    assert api.get(TASKS, token=raw).status_code == 401


def test_token_use_is_recorded(api, tenant):
    _record, raw = tokens.create_token(tenant.viewer, tenant.account.id, "fresh")
    db.session.commit()
    assert api.get(TASKS, token=raw).status_code == 200
    db.session.expire_all()
    [record] = tokens.list_tokens(tenant.scope(Role.VIEWER))
    assert record.last_used_at is not None


def test_body_must_be_json(api, tenant):
    response = api.post(TASKS, data="title=x", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and response.get_json()["error"]["code"] == "unsupported_media_type"
    response = api.post(TASKS, data="{not json", content_type="application/json")
    assert response.status_code == 400 and "body" in error_fields(response)
    response = api.post(TASKS, json=[1, 2])
    assert response.status_code == 400 and "body" in error_fields(response)


def test_oversized_body_is_413(app: Flask, api):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    try:
        response = api.post(TASKS, data='{"title": "' + "x" * 2000 + '"}', content_type="application/json")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "payload_too_large"


def test_unstorable_text_is_a_field_error(api, tenant):
    body = {
        "title": "bad\u0000title",
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
    }
    response = api.post(TASKS, json=body)
    assert response.status_code == 400 and "title" in error_fields(response)


def test_unknown_method_is_405_json_with_allow(api):
    response = api.request("PUT", TASKS)
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_unknown_paths_and_huge_ids_are_json_404(api):
    assert api.get("/writer/nothing/").get_json()["error"]["code"] == "not_found"
    assert api.get(f"{TASKS}{2**40}/").status_code == 404
    assert api.get("/jobs/a%00b/").status_code == 404


def test_throttling_per_token_with_retry_after(app: Flask, api, tenant):
    app.config["API_RATE_LIMIT"] = "2 per minute"
    try:
        viewer, editor = api.token(Role.VIEWER), api.token(Role.EDITOR)
        assert api.get(TASKS, token=viewer).status_code == 200
        assert api.get(TASKS, token=viewer).status_code == 200
        limited = api.get(TASKS, token=viewer)
        assert limited.status_code == 429
        assert limited.get_json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["Retry-After"]) <= 61
        assert api.get(TASKS, token=editor).status_code == 200  # another token has its own budget
    finally:
        app.config["API_RATE_LIMIT"] = "120 per minute"


def test_other_users_token_sees_only_their_account(api, other_api, tenant, other_tenant):
    factories.make_task(other_tenant.cluster, "Theirs")
    factories.make_task(tenant.cluster, "Ours")
    db.session.commit()
    assert [t["title"] for t in api.get(TASKS).get_json()["results"]] == ["Ours"]
    assert [t["title"] for t in other_api.get(TASKS).get_json()["results"]] == ["Theirs"]


def test_openapi_document_is_valid_31_and_documents_every_route(app: Flask, client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.get_json()
    assert document["openapi"].startswith("3.1")
    validate(document)  # openapi-spec-validator: raises on any violation of OpenAPI 3.1
    documented = {(path, method) for path, ops in document["paths"].items() for method in ops}
    routes = {
        (openapi_path(rule.rule.removeprefix("/api/v1")), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes and routes == documented
    create = document["paths"]["/api/v1/writer/tasks/"]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/TaskCreate")
    assert {"201", "400", "401", "403", "415", "429"} <= set(create["responses"])
    assert document["components"]["schemas"]["TaskCreate"]["required"] == [
        "title",
        "cluster_id",
        "content_type",
        "content_structure",
        "site_id",
        "sector_id",
    ]
    for path, ops in document["paths"].items():
        for method, op in ops.items():
            if "202" in op["responses"]:  # job actions also answer 200 when they ran inline
                assert "200" in op["responses"], (path, method)
    statuses = document["paths"]["/api/v1/writer/tasks/"]["get"]["parameters"]
    assert {"page", "page_size", "status", "ordering"} <= {p["name"] for p in statuses}


def test_docs_page_renders_the_same_document(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert "/api/v1/writer/tasks/{task_id}/" in page and "TaskCreate" in page
    assert "<script>" not in page and "cdn" not in page.lower()


def _job(tenant, **values) -> Job:
    job = Job(id=values.pop("id", "job-1"), account_id=tenant.account.id, kind="generate_content", **values)
    db.session.add(job)
    db.session.commit()
    return job


def test_job_status(api, tenant, other_tenant):
    _job(tenant, status=JobStatus.STARTED, progress_done=1, progress_total=3)
    _job(other_tenant, id="theirs")
    response = api.get("/jobs/job-1/", role=Role.VIEWER)
    assert response.status_code == 200
    assert response.get_json() == {
        "id": "job-1",
        "kind": "generate_content",
        "status": "started",
        "progress": {"done": 1, "total": 3},
        "result": None,
        "error": "",
        "ran_inline": False,
    }
    assert api.get("/jobs/theirs/").status_code == 404
    assert api.get("/jobs/nothing/").status_code == 404


def test_failed_job_reports_its_error(api, tenant):
    _job(tenant, status=JobStatus.FAILED, error="The AI provider timed out.", result={"done": []})
    body = api.get("/jobs/job-1/").get_json()
    assert body["status"] == "failed" and body["error"] == "The AI provider timed out."
    assert body["result"] == {
        "kind": "generate_content",
        "tasks": [],
        "completed": [],
        "failed": [],
        "credits": None,
        "fix_rounds": None,
    }


@pytest.mark.parametrize("role", list(Role))
def test_every_role_can_read(api, role):
    assert api.get(TASKS, role=role).status_code == 200


def test_token_of_a_user_who_left_the_account_is_401(api, tenant):
    raw = token_for(tenant.viewer, tenant.account.id)
    membership = accounts.membership_for(tenant.viewer, tenant.account.id)
    db.session.delete(membership)
    db.session.commit()
    assert api.get(TASKS, token=raw).status_code == 401


def _generation_job(tenant):
    from writer_app.services import generation

    factories.add_credits(tenant.account, 100, "tests")
    task = factories.make_task(tenant.cluster, "Heat pumps explained")
    return generation.start(tenant.scope(Role.EDITOR), [task.id]), task


def test_job_response_inline_answers_200_with_the_finished_job(app: Flask, tenant):
    from writer_app.api.core import job_response

    job, task = _generation_job(tenant)
    with app.test_request_context("/api/v1/writer/tasks/auto_generate_content/", method="POST"):
        response = job_response(job, "writer_app.jobs.ai.generate_content")
    assert response.status_code == 200
    body = response.get_json()
    assert body["id"] == job.id and body["status"] == "finished"
    assert body["progress"] == {"done": 1, "total": 1}
    db.session.expire_all()
    assert db.session.get(type(task), task.id).status == "completed"  # the work really ran


def test_job_response_queued_answers_202_with_the_status_url(app: Flask, api, tenant, redis_url):
    from writer_app.api.core import job_response

    job, _task = _generation_job(tenant)
    with app.test_request_context("/api/v1/writer/tasks/auto_generate_content/", method="POST"):
        response = job_response(job, "writer_app.jobs.ai.generate_content")
    assert response.status_code == 202
    body = response.get_json()
    assert body == {"task_id": job.id, "status_url": f"/api/v1/jobs/{job.id}/"}
    status = api.get(body["status_url"], role=Role.VIEWER).get_json()
    assert status["status"] == "queued" and status["progress"] == {"done": 0, "total": 1}
