"""AI content generation for up to 10 tasks per request, as one background job.

`start` runs in the request: checks the ids, reserves the credits (402 before any AI call), marks the
tasks in progress and creates the job. `run` is the job body (see jobs/ai.py): it drafts the tasks
concurrently (bounded thread pool; threads only call the provider, the job's own session saves each
draft as it arrives), creates draft Content + cluster map + first revision per task, and finally
charges only for the drafts that were saved. A failed task keeps no content and costs nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from writer_app.integrations.ai import (
    AIError,
    ArticleBrief,
    ArticleDraft,
    get_provider,
    render_article_prompt,
)
from writer_app.integrations.ai_outline import OutlineSection
from writer_app.models import Job, JobStatus, Role, Task, TaskStatus, db
from writer_app.services import job_recovery, jobs
from writer_app.services.ai_fixes.after_generation import fix_generated
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.generation import drafting, outline
from writer_app.services.generation.sections import Calls, SectionalDraft, draft_from_outline
from writer_app.services.generation.settings import get_account, prompt_template
from writer_app.services.links import ai_context
from writer_app.services.links.inventory import Subject
from writer_app.services.scope import Scope, get_many, scoped

KIND = "generate_content"
OPERATION = "content_generation"
MAX_IDS = 10
Report = Callable[[int, int, str], None]


# --- starting a job (in the request) ---------------------------------------------------------------


def check_ids(ids: Any, name: str = "ids", what: str = "tasks") -> list[int]:
    """1..10 distinct whole numbers, else a ValidationError on `name` (400 in the API)."""
    if isinstance(ids, str | bytes) or not isinstance(ids, Iterable):
        raise ValidationError.field(name, f"{name} must be a list of {what} ids.")
    try:
        keys = list(dict.fromkeys(int(i) for i in ids))
    except (TypeError, ValueError):
        raise ValidationError.field(name, f"{name} must be a list of whole numbers.") from None
    if not keys:
        raise ValidationError.field(name, f"Select at least one of the {what}.")
    if len(keys) > MAX_IDS:
        raise ValidationError.field(
            name, f"At most {MAX_IDS} {what} per request; you sent {len(keys)}. Split them into batches."
        )
    return keys


def start(scope: Scope, task_ids: Any) -> Job:
    """Queue content generation for the tasks: job + credit reservation; tasks become in progress."""
    scope.require(Role.EDITOR)
    ids = check_ids(task_ids)
    tasks = get_many(scope, Task, ids)
    busy = [t.title for t in tasks if t.status == TaskStatus.IN_PROGRESS]
    if busy:
        raise Conflict(f"Already being generated: {', '.join(busy)}.")
    done = [t.title for t in tasks if t.status == TaskStatus.COMPLETED]
    if done:
        raise ValidationError.field(
            "ids",
            f"These tasks already have content: {', '.join(done)}. Set them back to queued to redo them.",
        )
    # Tasks with an approved outline are written section by section from it (frozen here, so the
    # price quoted is the one charged); a site set to "outline first" drafts nothing without one.
    approved = {t.id: outline.approved_sections(t.id) for t in tasks}
    blocked = [t.title for t in tasks if approved[t.id] is None and outline.outline_first(t.site)]
    if blocked:
        raise ValidationError.field(
            "ids",
            f"Outline first is on for this site: generate and approve an outline before drafting "
            f"{', '.join(blocked)} (on the task page).",
        )
    sectional = {str(k): [s.as_dict() for s in v] for k, v in approved.items() if v}
    job = jobs.create_job(scope, KIND, object_type="task", object_ids=ids, total=len(ids))
    units = {
        OPERATION: len(ids) - len(sectional),
        outline.SECTION_OPERATION: sum(len(v) + 1 for v in sectional.values()),
    }
    # Only what is used: the ledger row is labelled with the first operation held.
    jobs.hold_credits(scope, job, {k: v for k, v in units.items() if v})
    if sectional:
        jobs.update_result(job, outlines=sectional)
    for task in tasks:
        task.status = TaskStatus.IN_PROGRESS
        task.error = ""
    return job


# --- the job body (in the worker, or inline) --------------------------------------------------------


def _items(job: Job) -> dict[str, dict[str, Any]]:
    return {k: dict(v) for k, v in ((job.result or {}).get("items") or {}).items()}


def _record(job: Job, task_id: int, **item: Any) -> None:
    items = _items(job)
    items[str(task_id)] = item
    jobs.update_result(job, items=items)
    jobs.advance(job, sum(1 for i in items.values() if i["status"] in ("completed", "failed", "canceled")))


def _locked_job(job_id: str) -> Job | None:
    """Re-read the job row (locked on PostgreSQL) so a concurrent cancel is seen, not overwritten."""
    return db.session.get(Job, job_id, populate_existing=True, with_for_update=True)


def run(job_id: str, *, final_attempt: bool = True, report: Report | None = None) -> dict[str, Any]:
    """One attempt of a content generation job; idempotent (finished tasks are not redone)."""
    report = report or (lambda *_: None)
    job = jobs.load(job_id)
    if job is None or not jobs.mark_started(job):
        return {"skipped": True}
    db.session.commit()
    scope = jobs.actor_scope(job)
    template, version = prompt_template(get_account(scope))
    tasks = list(
        db.session.scalars(
            scoped(scope, Task)
            .where(Task.id.in_(job.object_ids))
            .options(joinedload(Task.cluster), joinedload(Task.idea))
        )
    )
    found = {t.id for t in tasks}
    for missing in (i for i in job.object_ids if i not in found and str(i) not in _items(job)):
        _record(job, missing, status="failed", error="The task was deleted before it was generated.")
    settled = {k for k, v in _items(job).items() if v["status"] != "retrying"}
    todo = [t for t in tasks if t.status == TaskStatus.IN_PROGRESS and str(t.id) not in settled]
    prompts: dict[int, tuple[ArticleBrief, str]] = {}
    for task in todo:
        brief = ai_context.brief_with_site(scope, task.site, drafting.brief_for(task), Subject.for_task(task))
        try:
            prompts[task.id] = (brief, render_article_prompt(template, brief))
        except ValueError as error:
            _fail_task(job, task, f"The account's prompt template is broken: {error}")
    db.session.commit()
    frozen = (job.result or {}).get("outlines") or {}
    outlines = {int(k): [OutlineSection.from_dict(d) for d in v] for k, v in frozen.items()}
    retrying = _draft_all(job, scope, prompts, outlines, version, final_attempt, report)
    if retrying:
        raise jobs.RetryLater(
            f"{len(retrying)} task(s) hit a temporary AI error ({retrying[0]}); they will be retried."
        )
    fix_generated(job_id)  # write to the checks: fix rounds on the saved drafts
    return _finish(job_id)


def _draft_all(
    job: Job,
    scope: Scope,
    prompts: dict[int, tuple[ArticleBrief, str]],
    outlines: dict[int, list[OutlineSection]],
    version: int,
    final_attempt: bool,
    report: Report,
) -> list[str]:
    """Draft every prompt concurrently (from its frozen outline, section by section, where it has
    one); save each as it arrives. Returns transient errors to retry."""
    if not prompts:
        return []
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    provider = get_provider(app.config)
    concurrency = max(1, int(app.config.get("AI_CONCURRENCY", 5)))
    workers = min(concurrency, len(prompts))
    calls = Calls(app, provider, concurrency)  # every provider call of the job, at most AI_CONCURRENCY

    def draft(task_id: int, brief: ArticleBrief, prompt: str) -> ArticleDraft | SectionalDraft:
        # Threads only call the provider (each in its own app context); they never touch the database.
        if task_id in outlines:
            return draft_from_outline(calls, brief, outlines[task_id])
        return calls.call(provider.generate_article, brief, prompt)

    retrying: list[str] = []
    waiting = list(prompts)
    in_flight: dict[Future[ArticleDraft | SectionalDraft], int] = {}
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"gen-{job.id[:8]}")

    def ask_next() -> None:
        # A draft is asked for only when one before it is saved: while saving is stuck (the database
        # is away) no new draft is bought that this attempt might not be able to keep.
        if waiting:
            task_id = waiting.pop(0)
            in_flight[pool.submit(draft, task_id, *prompts[task_id])] = task_id

    try:
        for _ in range(workers):
            ask_next()
        while in_flight:
            arrived, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            for future in arrived:
                task_id = in_flight.pop(future)
                # Saved and committed on its own, through a dropped database connection: a draft the
                # provider was paid for is not asked for again by a retry.
                saved = job_recovery.with_db_retries(
                    lambda task_id=task_id, future=future: _save_arrival(
                        job.id, scope, task_id, future, version, final_attempt, report
                    )
                )
                if saved is None:  # canceled or failed meanwhile
                    return retrying
                if saved:
                    retrying.append(saved)
                ask_next()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        calls.shutdown()
        close = getattr(provider, "close", None)
        if close is not None:
            close()
    return retrying


def _save_arrival(
    job_id: str, scope: Scope, task_id: int, future: Any, version: int, final_attempt: bool, report: Report
) -> str | None:
    """Save one arrived draft (or its failure) and commit; the error text when the task should be
    retried, None when the job ended meanwhile."""
    current = _locked_job(job_id)
    if current is None or JobStatus(current.status).done:
        db.session.rollback()
        return None
    error = _outcome(current, scope, task_id, future, version, final_attempt)
    db.session.commit()
    report(current.progress_done, current.progress_total, f"Task {task_id} done")
    return error


def _outcome(job: Job, scope: Scope, task_id: int, future: Any, version: int, final_attempt: bool) -> str:
    """Save one draft (or its failure); returns the error text when the task should be retried."""
    task = db.session.get(Task, task_id, populate_existing=True, with_for_update=True)
    if task is None or task.status != TaskStatus.IN_PROGRESS:  # canceled or deleted while drafting
        _record(job, task_id, status="canceled", error="The task was canceled; its draft was discarded.")
        return ""
    try:
        result: ArticleDraft | SectionalDraft = future.result()
    except AIError as error:
        if error.retryable and not final_attempt:
            task.error = f"{error.message} Retrying automatically."
            _record(job, task_id, status="retrying", error=error.message)
            return error.message
        _fail_task(job, task, error.message)
        return ""
    except Exception as error:  # a bug or an unexpected library error: fail this task, keep going
        current_app.logger.exception("drafting task %s failed", task_id)
        _fail_task(job, task, f"Unexpected error while drafting: {type(error).__name__}.")
        return ""
    sectional = result if isinstance(result, SectionalDraft) else None
    draft = sectional.draft if sectional else result
    content = drafting.save_draft(scope, task, draft, version, job.id, sectional=sectional)
    extra = {"units": sectional.units, **sectional.details} if sectional else {}
    removed = (content.link_report or {}).get("removed") or []
    _record(
        job,
        task_id,
        status="completed",
        content_id=content.id,
        tokens=draft.tokens_used,
        model=draft.model,
        removed_links=removed,
        **extra,
    )
    return ""


def _used(items: dict[str, dict[str, Any]]) -> dict[str, int]:
    """What the saved drafts cost: one whole-article call each, or their section calls."""
    done = [v for v in items.values() if v["status"] == "completed"]
    used = {OPERATION: sum(1 for v in done if "units" not in v)}
    sections = sum(int(v["units"]) for v in done if "units" in v)
    if sections:
        used[outline.SECTION_OPERATION] = sections
    return used


def _fail_task(job: Job, task: Task, message: str) -> None:
    task.status = TaskStatus.FAILED
    task.error = message[:2000]
    _record(job, task.id, status="failed", error=message)


def _finish(job_id: str) -> dict[str, Any]:
    """Charge for the saved drafts, return the rest, and close the job."""
    job = _locked_job(job_id)
    if job is None or JobStatus(job.status).done:
        db.session.rollback()
        return {"skipped": True}
    items = _items(job)
    completed = [int(k) for k, v in items.items() if v["status"] == "completed"]
    failed = [int(k) for k, v in items.items() if v["status"] == "failed"]
    tokens = sum(int(v.get("tokens") or 0) for v in items.values())
    jobs.settle_credits(job, used=_used(items), tokens_used=tokens, paid_ids=completed)
    error = ""
    if not completed and failed:
        first = next(v["error"] for v in items.values() if v["status"] == "failed")
        error = f"No task could be generated. {first}"
    jobs.update_result(job, completed=completed, failed=failed)
    jobs.finish(job, error=error)
    db.session.commit()
    return {"completed": completed, "failed": failed}


def abandon(job: Job, reason: str) -> None:
    """The job ends from outside (worker lost, crash, cancel): unfinished tasks fail (or are
    canceled), saved drafts are still paid for, the rest of the reservation goes back."""
    canceled = reason == "canceled"
    items = _items(job)
    open_ids = [i for i in job.object_ids if items.get(str(i), {}).get("status") in (None, "retrying")]
    if open_ids:
        stmt = select(Task).where(Task.id.in_(open_ids), Task.account_id == job.account_id)
        for task in db.session.scalars(stmt.with_for_update()):
            if task.status != TaskStatus.IN_PROGRESS:
                continue
            if canceled:
                task.status = TaskStatus.CANCELED
                _record(job, task.id, status="canceled", error="Canceled.")
            else:
                _fail_task(job, task, reason)
    items = _items(job)
    completed = [int(k) for k, v in items.items() if v["status"] == "completed"]
    tokens = sum(int(v.get("tokens") or 0) for v in items.values())
    jobs.settle_credits(job, used=_used(items), tokens_used=tokens, paid_ids=completed)
