"""The generate buttons, the job progress component and Settings → AI, through the HTML routes.

The test app has no REDIS_URL and the offline provider: jobs run inline through the real entry points.
"""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from tests.support import factories
from tests.support.factories import Tenant, make_content, make_task
from writer_app.models import (
    Content,
    Image,
    ImageStatus,
    ImageType,
    Job,
    JobStatus,
    Role,
    Task,
    TaskStatus,
    db,
)
from writer_app.services import credits, generation

HX = {"HX-Request": "true"}


def fund(tenant: Tenant, amount: int) -> None:
    factories.add_credits(tenant.account, amount, "test")
    db.session.commit()


def test_generate_runs_inline_and_redirects_to_the_finished_job(tenant: Tenant, login) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Inline offline draft")
    db.session.commit()
    client = login(tenant.editor)

    response = client.post("/tasks/generate", data={"ids": [str(task.id)], "next": "/tasks/"})

    assert response.status_code == 303
    job = db.session.scalars(select(Job)).one()
    assert response.headers["Location"].startswith(f"/jobs/{job.id}")
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "finished" in text and "Inline offline draft" in text
    assert "Ran in the web process" in text
    assert 'hx-trigger="every 1s"' not in text  # done: no more polling
    content = db.session.scalars(select(Content).where(Content.task_id == task.id)).one()
    assert content.ai_model == "offline"
    assert f"/content/{content.id}" in text
    assert db.session.get(Task, task.id).status == TaskStatus.COMPLETED


def test_htmx_generate_answers_with_the_progress_component(tenant: Tenant, login) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Fragment draft")
    db.session.commit()
    client = login(tenant.editor)

    response = client.post("/tasks/generate", data={"ids": [str(task.id)]}, headers=HX)

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert text.lstrip().startswith("<article") and "<html" not in text
    assert 'data-job-status="finished"' in text
    event = json.loads(response.headers["HX-Trigger"])["writer:job-done"]
    assert event["status"] == "finished" and event["ids"] == [task.id]


def test_a_running_job_polls_itself_every_second(tenant: Tenant, login) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])  # queued, no worker has it yet
    db.session.commit()
    client = login(tenant.viewer)

    fragment = client.get(f"/jobs/{job.id}", headers=HX)

    text = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in text
    assert 'hx-trigger="every 1s"' in text and f'hx-get="/jobs/{job.id}' in text
    assert "Waiting for a worker" in text
    assert "HX-Trigger" not in fragment.headers
    assert "Cancel job" not in text  # viewers cannot cancel


def test_insufficient_credits_is_a_clear_message_and_nothing_starts(tenant: Tenant, login) -> None:
    fund(tenant, 5)
    task = make_task(tenant.cluster)
    db.session.commit()
    client = login(tenant.editor)

    fragment = client.post("/tasks/generate", data={"ids": [str(task.id)]}, headers=HX)
    assert fragment.status_code == 200
    assert "Not enough AI credits: this needs 10 and the account has 5" in fragment.get_data(as_text=True)

    page = client.post("/tasks/generate", data={"ids": [str(task.id)], "next": "/dashboard"})
    assert page.status_code == 303 and page.headers["Location"] == "/dashboard"
    assert db.session.scalars(select(Job)).all() == []
    assert db.session.get(Task, task.id).status == TaskStatus.QUEUED


def test_more_than_ten_tasks_is_refused_with_a_message(tenant: Tenant, login) -> None:
    fund(tenant, 1000)
    ids = [str(make_task(tenant.cluster).id) for _ in range(11)]
    db.session.commit()
    client = login(tenant.editor)

    response = client.post("/tasks/generate", data={"ids": ids}, headers=HX)

    assert "At most 10 tasks per request; you sent 11" in response.get_data(as_text=True)
    assert db.session.scalars(select(Job)).all() == []


def test_viewers_cannot_generate_and_other_accounts_jobs_are_404(
    tenant: Tenant, other_tenant: Tenant, login
) -> None:
    fund(other_tenant, 100)
    task = make_task(other_tenant.cluster)
    db.session.commit()
    foreign = generation.start(other_tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    client = login(tenant.viewer)

    assert client.post("/tasks/generate", data={"ids": [str(task.id)]}).status_code == 403
    assert client.get(f"/jobs/{foreign.id}").status_code == 404


def test_cancel_a_queued_job_from_its_page(tenant: Tenant, login) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    client = login(tenant.editor)

    response = client.post(f"/jobs/{job.id}/cancel", follow_redirects=True)

    assert "Job canceled" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.CANCELED
    assert db.session.get(Task, task.id).status == TaskStatus.CANCELED
    assert credits.balance(tenant.account.id) == 100


def test_generate_images_for_content_stores_files_and_variants(app: Flask, tenant: Tenant, login) -> None:
    fund(tenant, 100)
    content = make_content(
        tenant.cluster, "Images please", html="<p>" + "Solar words here now. " * 300 + "</p>"
    )
    db.session.commit()
    client = login(tenant.editor)

    response = client.post("/content/generate-images", data={"content_ids": [str(content.id)]}, headers=HX)

    assert 'data-job-status="finished"' in response.get_data(as_text=True)
    images = db.session.scalars(
        select(Image).where(Image.content_id == content.id, Image.deleted_at.is_(None))
    ).all()
    kinds = sorted(i.image_type.value for i in images)
    assert kinds.count("featured") == 1 and kinds.count("desktop") == 1 and kinds.count("mobile") == 1
    assert kinds.count("in_article") == 3  # 1,200 words → one per ~400 words
    assert {i.status for i in images} == {ImageStatus.GENERATED}
    root = Path(app.config["MEDIA_ROOT"])
    for image in images:
        assert (root / image.image_path).is_file() and (root / image.thumbnail_path).is_file()
        assert image.image_path.startswith(f"{tenant.account.id}/{tenant.site.id}/")
    desktop = next(i for i in images if i.image_type == ImageType.DESKTOP)
    mobile = next(i for i in images if i.image_type == ImageType.MOBILE)
    assert (desktop.width, desktop.height) == (1200, 628) and desktop.width > desktop.height
    assert (mobile.width, mobile.height) == (1080, 1080)
    featured = next(i for i in images if i.image_type == ImageType.FEATURED)
    assert featured.alt_text and featured.prompt
    # 1 prompt set + 4 AI images (the crops are free)
    assert credits.balance(tenant.account.id) == 100 - 1 - 4 * 3


def test_settings_ai_saves_a_versioned_template(tenant: Tenant, login) -> None:
    client = login(tenant.admin)
    page = client.get("/settings/ai/")
    assert page.status_code == 200 and "(the default template)" in page.get_data(as_text=True)

    bad = client.post("/settings/ai/", data={"prompt_template": "Write about {planets}"})
    assert bad.status_code == 422 and "Unknown placeholder {planets}" in bad.get_data(as_text=True)

    saved = client.post(
        "/settings/ai/",
        data={"prompt_template": "Write {title} for {primary_keyword}.", "in_article_images": "2"},
    )
    assert saved.status_code == 303
    db.session.expire_all()
    account = tenant.account
    db.session.refresh(account)
    assert account.settings["prompt_version"] == 2 and account.settings["in_article_images"] == 2
    assert "drafts now use prompt version 2" in client.get("/settings/ai/").get_data(as_text=True)


def test_settings_ai_is_for_admins_only(tenant: Tenant, login) -> None:
    client = login(tenant.editor)
    assert client.get("/settings/ai/").status_code == 403


def test_image_buttons_partial_posts_to_the_image_routes(app: Flask, tenant: Tenant) -> None:
    from flask import render_template

    content = make_content(tenant.cluster, "Needs pictures")
    db.session.commit()
    with app.test_request_context("/content/1"):
        html = render_template(
            "jobs/_generate_images_button.html", content=content, scope=tenant.scope(Role.EDITOR), Role=Role
        )
        hidden = render_template(
            "jobs/_generate_images_button.html", content=content, scope=tenant.scope(Role.VIEWER), Role=Role
        )
    assert 'hx-post="/content/generate-images"' in html and 'formaction="/content/image-prompts"' in html
    assert f'name="content_ids" value="{content.id}"' in html and 'name="csrf_token"' in html
    assert f'id="image-job-{content.id}"' in html
    assert hidden.strip() == ""  # viewers get no buttons
