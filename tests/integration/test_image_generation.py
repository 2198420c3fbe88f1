"""Image prompts and images through the real job path against the local OpenAI-compatible server."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from tests.integration.jobs_support import ai_app, fund  # noqa: F401
from tests.support.factories import Tenant, make_content, make_task
from tests.support.openai_server import FakeOpenAIServer
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import Content, Image, ImageStatus, ImageType, Job, JobStatus, Role, db
from writer_app.services import content_checks, credits
from writer_app.services.errors import ValidationError
from writer_app.services.media import body_images
from writer_app.services.media import generation as image_generation

pytestmark = pytest.mark.usefixtures("ai_app")
LONG_HTML = "<h2>Solar panels</h2>" + "<p>Solar panels on a small roof make power for the home.</p>" * 100


def run(job: Job, entry) -> Job:
    db.session.commit()
    enqueue(job, entry)
    db.session.expire_all()
    return db.session.get(Job, job.id)


def live_images(content_id: int) -> list[Image]:
    stmt = (
        select(Image)
        .where(Image.content_id == content_id, Image.deleted_at.is_(None))
        .order_by(Image.image_type, Image.position)
    )
    return list(db.session.scalars(stmt))


def test_prompts_create_pending_featured_and_in_article_images(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 10)
    content = make_content(tenant.cluster, "Roof solar", html=LONG_HTML, primary_keyword="solar panels")
    db.session.commit()

    job = run(
        image_generation.start_prompts(tenant.scope(Role.EDITOR), [content.id]),
        job_entry.generate_image_prompts,
    )

    assert job.status == JobStatus.FINISHED
    images = live_images(content.id)
    featured = [i for i in images if i.image_type == ImageType.FEATURED]
    in_article = [i for i in images if i.image_type == ImageType.IN_ARTICLE]
    assert len(featured) == 1 and featured[0].position == 0
    assert [i.position for i in in_article] == [1, 2]  # 1,000 words → 2
    assert all(i.status == ImageStatus.PENDING and "solar panels" in i.alt_text for i in images)
    [request] = openai_server.requests
    assert request.body["response_format"]["json_schema"]["name"] == "image_prompts"
    assert credits.balance(tenant.account.id) == 10 - 1


def test_auto_images_for_tasks_create_prompts_images_and_variants(
    app: Flask, tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Roof solar task")
    content = make_content(tenant.cluster, "Roof solar", html=LONG_HTML, task_id=task.id)
    db.session.commit()

    job = run(
        image_generation.start_images(tenant.scope(Role.EDITOR), task_ids=[task.id]),
        job_entry.generate_images,
    )

    assert job.status == JobStatus.FINISHED, job.error
    images = live_images(content.id)
    assert sorted(i.image_type.value for i in images) == [
        "desktop",
        "featured",
        "in_article",
        "in_article",
        "mobile",
    ]
    assert {i.status for i in images} == {ImageStatus.GENERATED}
    root = Path(app.config["MEDIA_ROOT"])
    assert all((root / i.image_path).is_file() and (root / i.thumbnail_path).is_file() for i in images)
    featured = next(i for i in images if i.image_type == ImageType.FEATURED)
    assert (featured.width, featured.height) == (1536, 1024)
    paths = [r.path for r in openai_server.requests]
    assert paths.count("/v1/chat/completions") == 1 and paths.count("/v1/images/generations") == 3
    assert credits.balance(tenant.account.id) == 100 - 1 - 3 * 3


def test_a_bad_image_fails_alone_and_is_not_charged(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    content = make_content(tenant.cluster, "Roof solar", html=LONG_HTML)
    db.session.commit()
    run(
        image_generation.start_prompts(tenant.scope(Role.EDITOR), [content.id]),
        job_entry.generate_image_prompts,
    )
    openai_server.push("bad_image")

    job = run(
        image_generation.start_images(tenant.scope(Role.EDITOR), content_ids=[content.id]),
        job_entry.generate_images,
    )

    assert job.status == JobStatus.FINISHED
    failed = [i for i in live_images(content.id) if i.status == ImageStatus.FAILED]
    assert len(failed) == 1 and "not a readable image" in failed[0].error
    assert failed[0].image_path == ""
    generated = [i for i in live_images(content.id) if i.status == ImageStatus.GENERATED]
    assert len([i for i in generated if i.image_type in (ImageType.FEATURED, ImageType.IN_ARTICLE)]) == 2
    assert credits.balance(tenant.account.id) == 100 - 1 - 2 * 3

    # Asking again retries only the failed one.
    again = run(
        image_generation.start_images(tenant.scope(Role.EDITOR), content_ids=[content.id]),
        job_entry.generate_images,
    )
    assert again.status == JobStatus.FINISHED and again.progress_total == 1
    assert {i.status for i in live_images(content.id)} == {ImageStatus.GENERATED}


def test_tasks_without_content_and_too_many_ids_are_refused(tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Nothing written yet")
    db.session.commit()
    with pytest.raises(ValidationError) as error:
        image_generation.start_images(tenant.scope(Role.EDITOR), task_ids=[task.id])
    assert "Nothing written yet" in error.value.message
    with pytest.raises(ValidationError) as error:
        image_generation.start_images(tenant.scope(Role.EDITOR), content_ids=list(range(1, 12)))
    assert "At most 10" in error.value.message


SECTIONED_HTML = "".join(
    f"<h2>Section {n}</h2>" + "<p>Solar panels on a small roof make power for the home.</p>" * 25
    for n in range(1, 5)
)


def test_generated_in_article_images_go_into_the_body_and_the_images_check_passes(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    content = make_content(tenant.cluster, "Roof solar", html=SECTIONED_HTML, primary_keyword="solar panels")
    db.session.commit()
    scope = tenant.scope(Role.EDITOR)
    assert content_checks.check_content(scope, content.id).check("images").status != "good"

    job = run(image_generation.start_images(scope, content_ids=[content.id]), job_entry.generate_images)

    assert job.status == JobStatus.FINISHED, job.error
    db.session.expire_all()
    body = db.session.get(Content, content.id).html
    in_article = [i for i in live_images(content.id) if i.image_type == ImageType.IN_ARTICLE]
    assert len(in_article) == 2  # 1,000 words → 2
    # The rule: image N of k after the first paragraph of H2 section ⌊(N−1)·s/k⌋+1 (s = 4): 1 and 3.
    sections = body.split("<h2>")[1:]
    for image, section in zip(in_article, (sections[0], sections[2]), strict=True):
        figure = f'<figure><img src="/images/{image.id}/file" alt="{image.alt_text}"></figure>'
        assert section.count(figure) == 1
        assert section.index(figure) == section.index("</p>") + len("</p>")  # after its first paragraph
    assert "<img" not in sections[1] + sections[3]
    assert body_images.ids_in_body(body) == [i.id for i in in_article]
    analysis = content_checks.check_content(scope, content.id)
    assert analysis.check("images").status == "good"
    assert analysis.check("image_alt_attributes").status == "good"

    # Generating again (nothing new) does not place the images twice.
    for image in in_article:
        image.status = ImageStatus.FAILED
    db.session.commit()
    run(image_generation.start_images(scope, content_ids=[content.id]), job_entry.generate_images)
    db.session.expire_all()
    assert db.session.get(Content, content.id).html.count("<figure>") == 2
