"""Content generation through the real job path (inline: no Redis) against the local OpenAI server."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.integration.jobs_support import ai_app, fund  # noqa: F401
from tests.support.factories import Tenant, make_task
from tests.support.openai_server import Behaviour, FakeOpenAIServer
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import (
    Content,
    ContentClusterMap,
    ContentSource,
    ContentStatus,
    CreditTransaction,
    Job,
    JobStatus,
    Revision,
    Role,
    Task,
    TaskStatus,
    db,
)
from writer_app.services import credits, generation, jobs
from writer_app.services.errors import Conflict, InsufficientCredits, ValidationError

pytestmark = pytest.mark.usefixtures("ai_app")
PRICE = 10  # DEFAULT_PRICES["content_generation"]


def generate(tenant: Tenant, tasks: list[Task], role: Role = Role.EDITOR) -> Job:
    job = generation.start(tenant.scope(role), [t.id for t in tasks])
    db.session.commit()
    dispatch = enqueue(job, job_entry.generate_content)
    assert dispatch.inline and "REDIS_URL is not set" in dispatch.reason
    db.session.expire_all()
    return db.session.get(Job, job.id)


def contents_of(task: Task) -> list[Content]:
    return list(db.session.scalars(select(Content).where(Content.task_id == task.id)))


def ledger_sum(account_id: int) -> int:
    return db.session.scalar(
        select(func.coalesce(func.sum(CreditTransaction.amount), 0)).where(
            CreditTransaction.account_id == account_id
        )
    )


def test_success_creates_a_draft_with_cluster_map_and_revision_and_charges(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Solar panels for small roofs", keywords="solar panels, roof")
    db.session.commit()

    job = generate(tenant, [task])

    assert job.status == JobStatus.FINISHED and job.ran_inline
    assert job.progress_done == job.progress_total == 1
    [content] = contents_of(task)
    assert content.title == "Solar panels for small roofs"
    assert content.status == ContentStatus.DRAFT and content.source == ContentSource.IGNY8
    assert content.ai_model == "fake-gpt" and content.prompt_version == 1
    assert content.cluster_id == task.cluster_id and content.word_count > 100
    assert content.primary_keyword == "solar panels"
    assert db.session.get(Task, task.id).status == TaskStatus.COMPLETED
    entry = db.session.scalars(
        select(ContentClusterMap).where(ContentClusterMap.content_id == content.id)
    ).one()
    assert (entry.source, entry.role, entry.task_id) == ("blueprint", "supporting", task.id)
    assert entry.keywords[0] == "solar panels" and entry.slug == content.slug
    assert db.session.scalar(select(func.count()).where(Revision.content_id == content.id)) == 1
    # The provider was asked with a strict JSON schema, over real HTTP.
    [request] = openai_server.requests
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert "Title: Solar panels for small roofs" in request.body["messages"][1]["content"]
    assert credits.balance(tenant.account.id) == 100 - PRICE
    assert ledger_sum(tenant.account.id) == 100 - PRICE
    settle = db.session.scalars(
        select(CreditTransaction).where(CreditTransaction.operation == "settle")
    ).one()
    assert settle.job_id == job.id and settle.tokens_used > 0 and settle.object_ids == [task.id]


def test_json_inside_a_markdown_fence_is_read(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Fenced answer")
    db.session.commit()
    openai_server.push("fenced")

    generate(tenant, [task])

    [content] = contents_of(task)
    assert content.title == "Fenced answer" and "<h2>" in content.html


def test_hostile_html_is_stripped(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Hostile answer")
    db.session.commit()
    openai_server.push("hostile")

    generate(tenant, [task])

    [content] = contents_of(task)
    html = content.html.lower()
    for bad in ("<script", "onerror", "javascript:", "<iframe", "<style", "onclick"):
        assert bad not in html
    assert "visible text stays." in html


def test_an_answer_that_does_not_fit_the_columns_is_cleaned_not_a_database_error(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    # A model may answer with NUL bytes (PostgreSQL refuses them) and fields longer than the columns.
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Oversized answer")
    db.session.commit()
    openai_server.push("oversized")

    generate(tenant, [task])

    [content] = contents_of(task)
    assert task.status == TaskStatus.COMPLETED
    for value in (content.title, content.meta_title, content.primary_keyword, content.slug):
        assert "\x00" not in value and 0 < len(value) <= 255
    assert content.title.startswith("Oversized answer long")
    assert all("\x00" not in k for k in content.secondary_keywords)


def test_a_500_then_success_is_retried(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Flaky server")
    db.session.commit()
    openai_server.push("error_500")

    job = generate(tenant, [task])

    assert job.status == JobStatus.FINISHED
    assert [r.behaviour for r in openai_server.requests] == ["error_500", "ok"]
    assert len(contents_of(task)) == 1
    assert credits.balance(tenant.account.id) == 100 - PRICE


def test_persistent_failure_fails_the_task_without_content_or_charge(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Broken server")
    db.session.commit()
    openai_server.push("error_500", "error_500", "error_500")

    job = generate(tenant, [task])

    failed = db.session.get(Task, task.id)
    assert failed.status == TaskStatus.FAILED
    assert "kept answering 500" in failed.error
    assert contents_of(task) == []
    assert job.status == JobStatus.FAILED and "No task could be generated" in job.error
    assert credits.balance(tenant.account.id) == 100
    assert ledger_sum(tenant.account.id) == 100


def test_429_is_retried_then_succeeds(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Rate limited once")
    db.session.commit()
    openai_server.push("rate_limit")

    job = generate(tenant, [task])

    assert job.status == JobStatus.FINISHED
    assert [r.behaviour for r in openai_server.requests] == ["rate_limit", "ok"]


def test_persistent_429_fails_with_a_readable_error(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Always rate limited")
    db.session.commit()
    openai_server.push("rate_limit", "rate_limit", "rate_limit")

    generate(tenant, [task])

    failed = db.session.get(Task, task.id)
    assert failed.status == TaskStatus.FAILED and "429" in failed.error
    assert credits.balance(tenant.account.id) == 100


def test_truncated_output_is_a_failure_not_a_short_article(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Too long")
    db.session.commit()
    openai_server.push("truncated")

    generate(tenant, [task])

    failed = db.session.get(Task, task.id)
    assert failed.status == TaskStatus.FAILED and "length limit" in failed.error
    assert contents_of(task) == []
    assert credits.balance(tenant.account.id) == 100


def test_mixed_outcomes_charge_only_the_saved_drafts(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    good = make_task(tenant.cluster, "Good one")
    bad = make_task(tenant.cluster, "Bad one")
    db.session.commit()
    openai_server.latency = 0.05
    # Requests are concurrent; the bad one is whichever gets the invalid answer.
    openai_server.push(Behaviour("missing_fields"))

    job = generate(tenant, [good, bad])

    statuses = sorted(db.session.get(Task, t.id).status.value for t in (good, bad))
    assert statuses == ["completed", "failed"]
    assert job.status == JobStatus.FINISHED
    assert sorted(job.result["completed"] + job.result["failed"]) == sorted([good.id, bad.id])
    assert credits.balance(tenant.account.id) == 100 - PRICE
    assert ledger_sum(tenant.account.id) == credits.balance(tenant.account.id)


def test_ten_tasks_run_concurrently(
    app: Flask, tenant: Tenant, openai_server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import openai  # noqa: F401 - imported before the clock starts: the timing measures the job only

    fund(tenant, 1000)
    tasks = [make_task(tenant.cluster, f"Parallel {i}") for i in range(10)]
    db.session.commit()
    openai_server.latency = 1.0
    monkeypatch.setitem(app.config, "AI_CONCURRENCY", 10)  # put back as it was, not removed
    started = time.monotonic()
    job = generate(tenant, tasks)
    elapsed = time.monotonic() - started

    assert job.status == JobStatus.FINISHED and len(job.result["completed"]) == 10
    # One after another would take 10 s; concurrently about as long as the slowest call.
    assert elapsed < 5, f"10 tasks took {elapsed:.1f}s: not concurrent"


def test_more_than_ten_ids_is_refused(tenant: Tenant) -> None:
    fund(tenant, 1000)
    tasks = [make_task(tenant.cluster) for _ in range(11)]
    db.session.commit()
    with pytest.raises(ValidationError) as error:
        generation.start(tenant.scope(Role.EDITOR), [t.id for t in tasks])
    assert error.value.status == 400 and "At most 10" in error.value.message


def test_insufficient_credits_refuses_before_any_ai_call(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    fund(tenant, PRICE)
    tasks = [make_task(tenant.cluster) for _ in range(2)]
    db.session.commit()
    with pytest.raises(InsufficientCredits) as error:
        generation.start(tenant.scope(Role.EDITOR), [t.id for t in tasks])
    db.session.rollback()
    assert error.value.status == 402 and "needs 20" in error.value.message
    assert openai_server.requests == []
    assert {db.session.get(Task, t.id).status for t in tasks} == {TaskStatus.QUEUED}
    assert credits.balance(tenant.account.id) == PRICE


def test_a_task_in_progress_cannot_be_queued_twice(tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    with pytest.raises(Conflict):
        generation.start(tenant.scope(Role.EDITOR), [task.id])


def test_other_accounts_tasks_are_not_found(tenant: Tenant, other_tenant: Tenant) -> None:
    fund(tenant, 100)
    foreign = make_task(other_tenant.cluster)
    db.session.commit()
    from writer_app.services.errors import NotFound

    with pytest.raises(NotFound):
        generation.start(tenant.scope(Role.EDITOR), [foreign.id])


def test_transient_errors_leave_the_task_for_the_next_attempt(
    tenant: Tenant, openai_server: FakeOpenAIServer
) -> None:
    """A non-final RQ attempt keeps transient failures in progress; the retry finishes them."""
    fund(tenant, 100)
    task = make_task(tenant.cluster, "Retry me")
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    openai_server.push("error_500", "error_500", "error_500")

    with pytest.raises(jobs.RetryLater):
        generation.run(job.id, final_attempt=False)
    db.session.expire_all()
    waiting = db.session.get(Task, task.id)
    assert waiting.status == TaskStatus.IN_PROGRESS and "Retrying" in waiting.error
    db.session.get(Job, job.id).status = JobStatus.QUEUED  # what the failure callback does
    db.session.commit()

    generation.run(job.id, final_attempt=True)

    db.session.expire_all()
    assert db.session.get(Task, task.id).status == TaskStatus.COMPLETED
    assert len(contents_of(task)) == 1
    assert credits.balance(tenant.account.id) == 100 - PRICE


def test_cancel_returns_credits_and_cancels_tasks(tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()

    jobs.cancel_job(tenant.scope(Role.EDITOR), job.id)
    db.session.commit()

    assert db.session.get(Task, task.id).status == TaskStatus.CANCELED
    assert db.session.get(Job, job.id).status == JobStatus.CANCELED
    assert credits.balance(tenant.account.id) == 100
    # Running the (still queued in RQ) job afterwards does nothing.
    assert generation.run(job.id) == {"skipped": True}
    assert contents_of(task) == []


def test_prompt_template_versions_are_recorded(tenant: Tenant, openai_server: FakeOpenAIServer) -> None:
    fund(tenant, 100)
    version = generation.save_prompt_template(
        tenant.scope(Role.ADMIN), "Title: {title}\nPrimary keyword: {primary_keyword}\nBe brief."
    )
    task = make_task(tenant.cluster, "Templated")
    db.session.commit()

    generate(tenant, [task])

    [content] = contents_of(task)
    assert version == 2 and content.prompt_version == 2
    prompt = openai_server.requests[0].body["messages"][1]["content"]
    # The template, then the blocks every prompt ends with (here: which links are allowed).
    assert prompt.startswith("Title: Templated\nPrimary keyword: solar panels\nBe brief.\n\nLinks:")
    with pytest.raises(ValidationError) as error:
        generation.save_prompt_template(tenant.scope(Role.ADMIN), "Hello {nope}")
    assert "Unknown placeholder {nope}" in error.value.message
    with pytest.raises(ValidationError) as error:
        generation.save_prompt_template(tenant.scope(Role.ADMIN), "Hello {title:>200000000}")
    assert "written plainly" in error.value.fields["prompt_template"][0]


def test_enqueue_refuses_uncommitted_work(tenant: Tenant) -> None:
    fund(tenant, 100)
    task = make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])  # not committed
    with pytest.raises(RuntimeError, match="Commit the job"):
        enqueue(job, job_entry.generate_content)
