"""`JobOut.result` is typed per job kind: real jobs' answers validate against the document's JobOut
(a oneOf told apart by `kind`), and say what a client needs (the new content id, image ids, counts)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from openapi_schema_validator import OAS31Validator
from sqlalchemy import select

from tests.api.conftest import Api
from tests.support import factories
from tests.support.factories import Tenant
from writer_app.api.openapi import build
from writer_app.models import Content, Image, Job, JobStatus, db
from writer_app.services import jobs


def _validator(app: Flask) -> OAS31Validator:
    with app.test_request_context():
        document = build(app)
    return OAS31Validator({"$ref": "#/components/schemas/JobOut", "components": document["components"]})


def _checked(app: Flask, api: Api, job_id: str) -> dict[str, Any]:
    body = api.get(f"/jobs/{job_id}/").get_json()
    errors = [e.message for e in _validator(app).iter_errors(body)]
    assert errors == [], (errors, body)
    return body


def test_generation_and_image_jobs_answer_their_typed_results(app: Flask, api: Api, tenant: Tenant) -> None:
    factories.add_credits(tenant.account, 100)
    task = factories.make_task(tenant.cluster)
    db.session.commit()
    started = api.post("/writer/tasks/auto_generate_content/", json={"ids": [task.id]}).get_json()
    result = _checked(app, api, started["id"])["result"]
    content_id = db.session.scalars(select(Content.id).where(Content.task_id == task.id)).one()
    assert result["kind"] == "generate_content" and result["completed"] == [task.id]
    assert result["tasks"] == [
        {
            "task_id": task.id,
            "status": "completed",
            "content_id": content_id,
            "error": "",
            "checks_failed_before": [],
            "checks_failed_after": [],
            "removed_links": [],
        }
    ]
    assert result["fix_rounds"] is None  # the suite runs without fix rounds (AI_FIX_ROUNDS 0)
    assert result["credits"]["settled"] is True and result["credits"]["charged"] >= 0

    prompts = api.post("/writer/content/generate_image_prompts/", json={"ids": [content_id]}).get_json()
    result = _checked(app, api, prompts["id"])["result"]
    assert result["kind"] == "generate_image_prompts" and result["prompts_done"] == [content_id]
    made = api.post("/writer/images/auto_generate_images/", json={"task_ids": [task.id]}).get_json()
    result = _checked(app, api, made["id"])["result"]
    image_ids = sorted(db.session.scalars(select(Image.id).where(Image.status == "generated")))
    assert result["kind"] == "generate_images" and result["images_generated"]
    assert set(result["images_generated"]) <= set(image_ids)
    assert result["counts"]["images_generated"] == len(result["images_generated"])


def _job(tenant: Tenant, kind: str, **result: Any) -> Job:
    """A job of `kind` with the result its service records (the same keys, through jobs.update_result)."""
    job = Job(
        id=f"job-{kind}",
        account_id=tenant.account.id,
        kind=kind,
        status=JobStatus.FINISHED,
        object_type="content",
        object_ids=[1],
        result={},
    )
    db.session.add(job)
    jobs.update_result(job, **result)
    db.session.commit()
    return job


def test_publishing_wordpress_and_mail_results_match_the_document(
    app: Flask, api: Api, tenant: Tenant
) -> None:
    # publishing/actions.py and publishing/finish.py
    _job(
        tenant,
        "wordpress_publish",
        site_id=1,
        content_id=2,
        post_id=77,
        link="https://x/p/",
        wp_status="publish",
    )
    result = _checked(app, api, "job-wordpress_publish")["result"]
    assert (
        result["external_id"] == "77" and result["external_url"] == "https://x/p/" and result["post_id"] == 77
    )
    # wordpress/import_posts.py and wordpress/taxonomies.py (run_site_job)
    report = {"created": 2, "updated": 1, "unchanged": 0, "skipped": ["Mine"]}
    _job(tenant, "wordpress_import", site_id=1, cluster_id=3, report=report, summary="2 imported")
    assert _checked(app, api, "job-wordpress_import")["result"]["report"] == report
    sync = {"created": 1, "updated": 0, "pushed": 2, "near_duplicates": []}
    _job(tenant, "wordpress_sync_taxonomies", site_id=1, report=sync, summary="1 new")
    assert _checked(app, api, "job-wordpress_sync_taxonomies")["result"]["report"] == sync
    # notifications/mail.py: the encrypted invitation link never shows
    _job(
        tenant,
        "send_mail",
        link="secret",
        sent=["a@example.com"],
        failed=[{"to": "b", "subject": "s", "error": "e"}],
    )
    result = _checked(app, api, "job-send_mail")["result"]
    assert "link" not in result and result["sent"] == ["a@example.com"]
    # A job that recorded nothing yet has no result.
    _job(tenant, "wordpress_update")
    assert _checked(app, api, "job-wordpress_update")["result"] is None
