"""Outline first through the real job path (inline: no Redis) against the local OpenAI server:
outline → edits → approval → sections in parallel → stitched draft, continuation and retry of one
section alone, credits per call and refunds."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.integration.jobs_support import ai_app, fund  # noqa: F401
from tests.support.factories import Tenant, make_task
from tests.support.openai_server import Behaviour, FakeOpenAIServer
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import (
    Content,
    ContentProvenance,
    ContentStatus,
    Job,
    JobStatus,
    Role,
    Task,
    TaskStatus,
    db,
)
from writer_app.services import credits, generation
from writer_app.services.errors import ValidationError

pytestmark = pytest.mark.usefixtures("ai_app")
OUTLINE_PRICE, SECTION_PRICE = 2, 2  # DEFAULT_PRICES


def run_outline(tenant: Tenant, task: Task) -> Job:
    job = generation.start_outline(tenant.scope(Role.EDITOR), task.id)
    db.session.commit()
    enqueue(job, job_entry.generate_outline)
    db.session.expire_all()
    return db.session.get(Job, job.id)


def run_draft(tenant: Tenant, task: Task) -> Job:
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    enqueue(job, job_entry.generate_content)
    db.session.expire_all()
    return db.session.get(Job, job.id)


def approve(tenant: Tenant, task: Task, edit: Any = None) -> list[dict[str, Any]]:
    sections = generation.get_outline(tenant.scope(), task.id).sections
    sections = edit(list(sections)) if edit else sections
    generation.save_outline(tenant.scope(Role.EDITOR), task.id, sections, approve=True)
    db.session.commit()
    return sections


def section_requests(server: FakeOpenAIServer) -> list[str]:
    return [
        r.body["messages"][1]["content"]
        for r in server.requests
        if r.body and not r.body.get("response_format")
    ]


def test_outline_then_sections_stitched_in_order_with_provenance_and_credits_per_call(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    published = make_task(tenant.cluster, "Published piece")
    db.session.add(
        Content(
            account_id=tenant.account.id,
            site_id=published.site_id,
            sector_id=published.sector_id,
            cluster_id=published.cluster_id,
            title="Solar basics",
            content_type=published.content_type,
            content_structure=published.content_structure,
            external_url="https://site.test/solar-basics",
            status=ContentStatus.PUBLISHED,
        )
    )
    task = make_task(tenant.cluster, "Solar panels for small roofs", keywords="solar panels")
    db.session.commit()

    job = run_outline(tenant, task)

    assert job.status == JobStatus.FINISHED, job.error
    outline = generation.get_outline(tenant.scope(), task.id)
    assert [s["heading"] for s in outline.sections][:2] == [
        "What solar panels is",
        "How to choose solar panels",
    ]
    # Only the offered internal link survives; the invented one is dropped.
    assert outline.sections[0]["links"] == ["https://site.test/solar-basics"]
    assert not outline.approved and outline.model == "fake-gpt"
    assert credits.balance(tenant.account.id) == 100 - OUTLINE_PRICE
    assert "https://site.test/solar-basics" in openai_server.requests[0].body["messages"][1]["content"]

    # The editor reorders, renames and removes before approving: the draft follows the edited outline.
    def edit(sections: list[dict[str, Any]]) -> list[dict[str, Any]]:
        first, second, _third, last = sections
        return [{**second, "heading": "Choosing panels"}, first, last]

    approve(tenant, task, edit)
    assert generation.costs(db.session.get(Task, task.id))["draft"] == 4 * SECTION_PRICE
    openai_server.requests.clear()

    job = run_draft(tenant, task)

    assert job.status == JobStatus.FINISHED, job.error
    [content] = db.session.scalars(select(Content).where(Content.task_id == task.id))
    h2 = re.findall(r"<h2>(.*?)</h2>", content.html)
    assert h2 == ["Choosing panels", "What solar panels is", "Conclusion"]
    assert content.html.startswith("<p>INTRO: solar panels")
    assert content.html.index("SECTION 1") < content.html.index("SECTION 2") < content.html.index("SECTION 3")
    assert len(openai_server.requests) == 4  # the introduction and one call per section
    assert credits.balance(tenant.account.id) == 100 - OUTLINE_PRICE - 4 * SECTION_PRICE
    provenance = db.session.get(ContentProvenance, content.id)
    assert [s["heading"] for s in provenance.outline] == h2
    assert provenance.details["calls"] == 4 and provenance.details["retried"] == []


def test_sections_run_in_parallel_within_ai_concurrency(
    tenant: Tenant, openai_server: FakeOpenAIServer, app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Parallel sections", keywords="parallel")
    db.session.commit()
    run_outline(tenant, task)
    approve(tenant, task)
    openai_server.latency = 0.3
    monkeypatch.setitem(app.config, "AI_CONCURRENCY", 2)
    openai_server.requests.clear()

    run_draft(tenant, task)

    spans = sorted((r.started, r.finished) for r in openai_server.requests)
    most = max(sum(1 for s, f in spans if s <= start < f) for start, _ in spans)
    assert len(spans) == 5 and most == 2  # 5 calls, never more than AI_CONCURRENCY at once


def test_a_section_cut_at_the_length_limit_is_continued_alone(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Long article", keywords="long reads")
    db.session.commit()
    run_outline(tenant, task)
    approve(tenant, task)
    openai_server.requests.clear()
    openai_server.push(Behaviour("truncated", when="Write section 2 of"))

    job = run_draft(tenant, task)

    assert job.status == JobStatus.FINISHED, job.error
    [content] = db.session.scalars(select(Content).where(Content.task_id == task.id))
    prompts = section_requests(openai_server)
    assert sum("Write section 2 of" in p for p in prompts) == 2  # cut, then continued
    assert sum("Write section 1 of" in p for p in prompts) == 1  # the others were not redone
    assert "<h2>How to choose long reads</h2><p>SECTION 2 body" in content.html
    assert "SECTION 2 on Second step." in content.html  # the continuation completed it
    provenance = db.session.get(ContentProvenance, content.id)
    assert provenance.details["continued"] == [2]
    assert credits.balance(tenant.account.id) == 100 - OUTLINE_PRICE - 5 * SECTION_PRICE  # not charged twice


def test_a_section_still_cut_after_continuing_is_retried_alone(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Stubborn section", keywords="stubborn")
    db.session.commit()
    run_outline(tenant, task)
    approve(tenant, task)
    openai_server.requests.clear()
    openai_server.push(*[Behaviour("truncated", when="Write section 3 of") for _ in range(3)])

    job = run_draft(tenant, task)

    assert job.status == JobStatus.FINISHED, job.error
    prompts = section_requests(openai_server)
    assert sum("Write section 3 of" in p for p in prompts) == 4  # 1 + 2 continuations, then one retry
    assert sum("Write section 4 of" in p for p in prompts) == 1
    [content] = db.session.scalars(select(Content).where(Content.task_id == task.id))
    assert db.session.get(ContentProvenance, content.id).details["retried"] == [3]


def test_a_failed_section_fails_the_task_and_refunds_every_call(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Failing section", keywords="failure")
    db.session.commit()
    run_outline(tenant, task)
    approve(tenant, task)
    openai_server.push(Behaviour("bad_request", when="Write section 2 of"))

    job = run_draft(tenant, task)

    assert job.status == JobStatus.FAILED
    assert db.session.get(Task, task.id).status == TaskStatus.FAILED
    assert db.session.scalars(select(Content).where(Content.task_id == task.id)).first() is None
    assert credits.balance(tenant.account.id) == 100 - OUTLINE_PRICE


def test_a_failed_outline_is_refunded_and_keeps_the_old_outline(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 10)
    task = make_task(tenant.cluster, "Outline failure", keywords="failure")
    db.session.commit()
    generation.save_outline(tenant.scope(Role.EDITOR), task.id, [{"heading": "Mine"}])
    db.session.commit()
    openai_server.push("bad_request")

    job = run_outline(tenant, task)

    assert job.status == JobStatus.FAILED and "rejected" in job.error
    assert credits.balance(tenant.account.id) == 10
    assert [s["heading"] for s in generation.get_outline(tenant.scope(), task.id).sections] == ["Mine"]


def test_outline_first_refuses_drafting_without_an_approved_outline(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Needs an outline", keywords="outline")
    generation.set_outline_first(tenant.scope(Role.ADMIN), task.site_id, True)
    db.session.commit()

    with pytest.raises(ValidationError) as refused:
        generation.start(tenant.scope(Role.EDITOR), [task.id])
    assert "Outline first" in refused.value.message and "Needs an outline" in refused.value.message
    db.session.rollback()
    assert credits.balance(tenant.account.id) == 100 and not openai_server.requests

    run_outline(tenant, task)
    approve(tenant, task)
    assert run_draft(tenant, task).status == JobStatus.FINISHED


def test_editing_validates_every_field_and_clears_the_approval(tenant: Tenant) -> None:
    task = make_task(tenant.cluster, "Edited outline")
    db.session.commit()
    generation.save_outline(tenant.scope(Role.EDITOR), task.id, [{"heading": "One"}], approve=True)
    assert generation.get_outline(tenant.scope(), task.id).approved

    with pytest.raises(ValidationError) as bad:
        generation.save_outline(
            tenant.scope(Role.EDITOR),
            task.id,
            [
                {"heading": "  ", "words": 10},
                {"heading": "x" * 200, "images": 9, "links": ["not a url"], "keyphrase": "yes"},
            ],
        )
    assert set(bad.value.fields) == {
        "sections.0.heading",
        "sections.0.words",
        "sections.1.heading",
        "sections.1.images",
        "sections.1.links",
        "sections.1.keyphrase",
    }
    with pytest.raises(ValidationError) as empty:
        generation.save_outline(tenant.scope(Role.EDITOR), task.id, [])
    assert set(empty.value.fields) == {"sections"}
    db.session.rollback()

    generation.save_outline(tenant.scope(Role.EDITOR), task.id, [{"heading": "One"}, {"heading": "Two"}])
    assert not generation.get_outline(tenant.scope(), task.id).approved


def test_the_offline_provider_writes_the_same_outline_and_sections_every_time() -> None:
    from writer_app.integrations.ai import ArticleBrief, get_provider
    from writer_app.integrations.ai_outline import LinkTarget, OutlineRequest

    provider = get_provider({"AI_PROVIDER": "offline"})
    brief = ArticleBrief(title="Heat pumps", keywords=["heat pumps"], word_count=900)
    request = OutlineRequest(brief, [LinkTarget("https://site.test/a", "A")], images=2)
    first, again = provider.generate_outline(request), provider.generate_outline(request)
    assert first == again and len(first.sections) >= 3 and first.offline
    assert first.sections[0].links == ("https://site.test/a",)
    assert sum(s.images for s in first.sections) == 2
    texts = [provider.write_section(brief, first.sections, n).html for n in range(len(first.sections))]
    assert texts == [
        provider.write_section(brief, first.sections, n).html for n in range(len(first.sections))
    ]
    assert all(t.startswith(f"<h2>{s.heading}</h2>") for t, s in zip(texts, first.sections, strict=True))
    assert provider.write_intro(brief, first.sections) == provider.write_intro(brief, first.sections)
