"""Writing to the checks and Fix with AI against the local OpenAI server's scripted model: a draft
that fails given checks, correct fixes when asked, credits per call."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from bench import fix_rounds
from tests.integration.jobs_support import ai_app, fund  # noqa: F401
from tests.support.factories import Tenant, make_task
from tests.support.openai_payloads_fixes import failing_article, failing_content, linkable_site
from tests.support.openai_server import Behaviour, FakeOpenAIServer
from writer_app.integrations.ai import AIInvalidOutputError, get_provider
from writer_app.integrations.ai_fixes import FixBlock, FixRequest
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import AiFix, Content, CreditTransaction, Job, JobStatus, Revision, Role, db
from writer_app.models.base import utcnow
from writer_app.services import credits, generation, jobs
from writer_app.services.ai_fixes import proposals
from writer_app.services.errors import Conflict, InsufficientCredits, PermissionDenied, ValidationError

pytestmark = pytest.mark.usefixtures("ai_app")
FOUR = {"meta_description_length", "keyphrase_in_slug", "keyphrase_in_introduction", "paragraph_length"}


@pytest.fixture
def rounds_on(app: Flask) -> Any:
    app.config["AI_FIX_ROUNDS"] = 2
    yield
    app.config["AI_FIX_ROUNDS"] = 0


def _run(job: Job, entry: Any) -> Job:
    db.session.commit()
    assert enqueue(job, entry).inline
    db.session.expire_all()
    return db.session.get(Job, job.id)


def _failing_content(tenant: Tenant, fails: set[str]) -> Content:
    return failing_content(tenant, fails)


@pytest.mark.usefixtures("rounds_on")
def test_a_draft_failing_four_checks_ends_with_none_failing_after_the_loop(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    linkable_site(tenant)
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Meal prep for busy weeks", keywords="meal prep")
    db.session.commit()
    openai_server.push(Behaviour("ok", fields=failing_article("meal prep", FOUR)))

    job = _run(generation.start(tenant.scope(Role.EDITOR), [task.id]), job_entry.generate_content)

    assert job.status == JobStatus.FINISHED
    item = job.result["items"][str(task.id)]
    assert set(item["checks"]["failed_before"]) == FOUR
    assert item["checks"]["failed_after"] == []
    assert item["checks"]["fix_rounds"] == 1 and item["checks"]["fix_calls"] == 4
    assert job.result["first_draft_pass_rate"] == 0.0  # meta description length is Required
    assert job.result["fixed_pass_rate"] == 1.0
    assert job.result["fix_calls"] == 4 and job.result["fix_credits"] == 4
    content = db.session.get(Content, item["content_id"])
    assert content.slug == "meal-prep" and "meal prep" in content.html.split("</p>")[0]
    latest = db.session.scalars(
        select(Revision).where(Revision.content_id == content.id).order_by(Revision.number.desc())
    ).first()
    assert latest.number == 2 and latest.note.startswith("AI fix: ") and "(fake-gpt)" in latest.note
    record = db.session.scalars(select(AiFix).where(AiFix.content_id == content.id)).one()
    assert record.kind == "rounds" and set(record.failed_before) == FOUR and record.failed_after == []
    # Only the affected blocks went to the model, never the whole article.
    fix_bodies = [r.body for r in openai_server.requests[1:]]
    assert all(content.html not in str(body) for body in fix_bodies)
    # 10 for the draft, 1 per fix call.
    assert credits.balance(tenant.account.id) == 100 - 10 - 4


@pytest.mark.usefixtures("rounds_on")
def test_the_drafts_of_a_job_are_fixed_together(
    app: Flask, tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    since = utcnow()
    linkable_site(tenant)
    fund(tenant, 100)
    tasks = [make_task(tenant.cluster, f"Meal prep {n}", keywords="meal prep") for n in (1, 2)]
    db.session.commit()
    openai_server.push(*(Behaviour("ok", fields=failing_article("meal prep", FOUR)) for _ in tasks))
    openai_server.latency = 0.5

    job = _run(generation.start(tenant.scope(Role.EDITOR), [t.id for t in tasks]), job_entry.generate_content)

    assert all(job.result["items"][str(t.id)]["checks"]["failed_after"] == [] for t in tasks)
    fixes = [r for r in openai_server.requests if "content_fix" in str(r.body)]
    assert len(fixes) == 8
    # AI_CONCURRENCY (5) calls of both drafts are in flight at once: a round, not a draft at a time.
    first = fixes[:5]
    assert max(r.started for r in first) < min(r.finished for r in first)
    assert 0 < job.result["fix_seconds"] < 8 * 0.5
    assert credits.balance(tenant.account.id) == 100 - 2 * 10 - 8
    # What `make bench` reports: 8 calls at 5 at a time are 2 batches of AI latency in one job.
    assert fix_rounds.ideal_extra(app, since, 1, 5, 2.0) == 4.0
    [_, line] = fix_rounds.lines(app, since)
    assert "(2 drafts): first-draft pass rate 0% → 100% after fix rounds (8 fix calls)" in line


def test_a_proposal_applies_only_the_accepted_changes(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug", "meta_description_length"})
    fund(tenant, 10)
    scope = tenant.scope(Role.EDITOR)
    assert (
        proposals.quote(scope, content.id, ["keyphrase_in_slug", "meta_description_length"])["credits"] == 2
    )

    job = _run(
        proposals.start(scope, content.id, ["keyphrase_in_slug", "meta_description_length"]),
        job_entry.fix_content,
    )

    assert job.status == JobStatus.FINISHED, job.error
    result = job.result
    assert result["status"] == "proposed" and len(result["changes"]) == 2
    slug_change = next(c for c in result["changes"] if c["field"] == "slug")
    assert slug_change["new"] == "meal-prep" and any(
        s["kind"] == "insert" for line in slug_change["diff"] for s in line["segments"]
    )
    meta_before = content.meta_description
    updated = proposals.apply(scope, content.id, result["fix_id"], [slug_change["id"]])
    db.session.commit()
    assert updated.slug == "meal-prep" and updated.meta_description == meta_before
    revision = db.session.scalars(
        select(Revision).where(Revision.content_id == content.id).order_by(Revision.number.desc())
    ).first()
    assert revision.note == "AI fix: Keyphrase in slug (fake-gpt)"
    with pytest.raises(Conflict):  # used once
        proposals.apply(scope, content.id, result["fix_id"], [slug_change["id"]])


def test_fix_calls_are_charged_per_call_and_refunded_on_failure(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug", "meta_description_length"})
    fund(tenant, 10)
    openai_server.push("bad_request")  # one of the two calls fails (not retryable)

    job = _run(
        proposals.start(
            tenant.scope(Role.EDITOR), content.id, ["keyphrase_in_slug", "meta_description_length"]
        ),
        job_entry.fix_content,
    )

    assert job.status == JobStatus.FINISHED and len(job.result["changes"]) == 1
    assert credits.balance(tenant.account.id) == 9
    kinds = [
        t.operation
        for t in db.session.scalars(select(CreditTransaction).where(CreditTransaction.job_id == job.id))
    ]
    assert sorted(kinds) == ["refund", "reserve", "reserve", "settle"]


def test_a_fix_that_fails_entirely_costs_nothing(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug"})
    fund(tenant, 10)
    openai_server.push("bad_request")

    job = _run(
        proposals.start(tenant.scope(Role.EDITOR), content.id, ["keyphrase_in_slug"]), job_entry.fix_content
    )

    assert job.status == JobStatus.FAILED and "rejected the request" in job.error
    assert job.result["status"] == "failed"
    assert credits.balance(tenant.account.id) == 10


def test_a_stale_proposal_is_refused(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug"})
    fund(tenant, 10)
    scope = tenant.scope(Role.EDITOR)
    job = _run(proposals.start(scope, content.id, ["keyphrase_in_slug"]), job_entry.fix_content)
    from writer_app.services.content import update_content

    update_content(scope, content.id, title="Meal prep, edited by hand")
    db.session.commit()

    with pytest.raises(Conflict, match="changed since this fix was proposed"):
        proposals.apply(scope, content.id, job.result["fix_id"], ["c1"])
    assert db.session.get(Content, content.id).slug == "weekly-guide"
    assert proposals.proposal(proposals.get_fix(scope, content.id, job.result["fix_id"]))["status"] == "stale"


def test_viewers_cannot_fix_and_bad_checks_are_named(tenant: Tenant) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug"})
    fund(tenant, 10)
    with pytest.raises(PermissionDenied):
        proposals.start(tenant.scope(Role.VIEWER), content.id, ["keyphrase_in_slug"])
    for checks, message in (
        (["nope"], "Unknown checks"),
        (["single_h1"], "no AI fix"),
        (["keyphrase_in_introduction"], "do not fail"),
        ([], "1 to"),
    ):
        with pytest.raises(ValidationError, match=message) as error:
            proposals.start(tenant.scope(Role.EDITOR), content.id, checks)
        assert "checks" in error.value.fields


def test_the_cost_is_checked_before_anything_runs(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug"})
    with pytest.raises(InsufficientCredits):
        proposals.start(tenant.scope(Role.EDITOR), content.id, ["keyphrase_in_slug"])
    assert openai_server.requests == []


def test_an_expired_proposal_is_refused(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug"})
    fund(tenant, 10)
    scope = tenant.scope(Role.EDITOR)
    job = _run(proposals.start(scope, content.id, ["keyphrase_in_slug"]), job_entry.fix_content)
    fix = db.session.get(AiFix, job.result["fix_id"])
    fix.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    assert proposals.proposal(fix)["status"] == "expired"
    with pytest.raises(Conflict, match="expired"):
        proposals.apply(scope, content.id, fix.id, ["c1"])


def test_a_lost_fix_job_fails_its_proposal(tenant: Tenant) -> None:
    content = _failing_content(tenant, {"keyphrase_in_slug"})
    fund(tenant, 10)
    job = proposals.start(tenant.scope(Role.EDITOR), content.id, ["keyphrase_in_slug"])
    db.session.commit()

    jobs.fail_job(job, jobs.WORKER_LOST)
    db.session.commit()

    fix = db.session.scalars(select(AiFix).where(AiFix.job_id == job.id)).one()
    assert fix.status == "failed" and fix.error == jobs.WORKER_LOST
    assert credits.balance(tenant.account.id) == 10


def test_the_openai_provider_asks_for_a_fix_and_keeps_only_the_blocks_it_sent(
    openai_server: FakeOpenAIServer, openai_config: dict[str, Any]
) -> None:
    provider = get_provider(openai_config)
    request = FixRequest(
        check="keyphrase_in_introduction",
        goal="the first paragraph holds the keyphrase",
        target="body",
        keyphrase="meal prep",
        title="Weekly guide",
        blocks=(FixBlock("b0", "<p>An intro.</p>"),),
    )
    answer_blocks = [
        {"id": "b0", "html": "<p>Meal prep, an intro.<script>alert(1)</script></p>"},
        {"id": "b7", "html": "<p>A block it was never sent.</p>"},
    ]
    openai_server.push(Behaviour("ok", content=json.dumps({"value": "", "blocks": answer_blocks})))

    answer = provider.fix_content(request)

    assert answer.blocks == {"b0": "<p>Meal prep, an intro.</p>"} and answer.model == "fake-gpt"
    sent = openai_server.requests[0].body
    assert sent["response_format"]["json_schema"]["name"] == "content_fix"
    assert "An intro." in sent["messages"][1]["content"]
    # The scripted model answers a field fix correctly by default; without a value it is refused.
    slug = FixRequest(check="keyphrase_in_slug", goal="", target="slug", keyphrase="meal prep", title="T")
    assert provider.fix_content(slug).value == "meal-prep"
    openai_server.push("missing_fields")
    with pytest.raises(AIInvalidOutputError):
        provider.fix_content(slug)
    provider.close()


def test_links_a_fix_invents_are_removed_and_reported(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    content = _failing_content(tenant, {"keyphrase_in_introduction"})
    fund(tenant, 10)
    scope = tenant.scope(Role.EDITOR)
    invented = "https://invented.example/meal-prep-study"
    block = f'<p>Meal prep saves time, as <a href="{invented}">a study</a> shows.</p>'
    openai_server.push(
        Behaviour("ok", content=json.dumps({"value": "", "blocks": [{"id": "b0", "html": block}]}))
    )

    job = _run(proposals.start(scope, content.id, ["keyphrase_in_introduction"]), job_entry.fix_content)

    assert job.status == JobStatus.FINISHED, job.error
    [change] = job.result["changes"]
    assert "Meal prep saves time, as a study shows." in change["new"] and invented not in change["new"]
    fix = db.session.scalar(select(AiFix).where(AiFix.job_id == job.id))
    assert [link["url"] for link in fix.details["removed_links"]] == [invented]
