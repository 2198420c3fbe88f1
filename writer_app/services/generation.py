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
    ARTICLE_PROMPT_PLACEHOLDERS,
    DEFAULT_ARTICLE_PROMPT,
    AIError,
    ArticleBrief,
    ArticleDraft,
    get_provider,
    render_article_prompt,
    validate_prompt_template,
)
from writer_app.models import (
    Account,
    ClusterMapSource,
    ClusterRole,
    ContentClusterMap,
    ContentStructure,
    Job,
    JobStatus,
    Role,
    Task,
    TaskStatus,
    db,
)
from writer_app.services import audit, job_recovery, jobs
from writer_app.services.ai_fixes.after_generation import fix_generated
from writer_app.services.content import create_content
from writer_app.services.errors import Conflict, ValidationError
from writer_app.services.scope import Scope, get_many, scoped

KIND = "generate_content"
OPERATION = "content_generation"
MAX_IDS = 10
DEFAULT_PROMPT_VERSION = 1
Report = Callable[[int, int, str], None]


# --- the account's prompt template ------------------------------------------------------------------


# What the AI settings page shows: the placeholders a template may use and the built-in template.
PROMPT_PLACEHOLDERS = ARTICLE_PROMPT_PLACEHOLDERS
DEFAULT_PROMPT = DEFAULT_ARTICLE_PROMPT


def prompt_template(account: Account) -> tuple[str, int]:
    """The template drafts are written with, and its version (the shipped default is version 1)."""
    custom = (account.setting("prompt_template") or "").strip()
    version = int(account.setting("prompt_version") or DEFAULT_PROMPT_VERSION)
    return (custom or DEFAULT_ARTICLE_PROMPT), version


def save_prompt_template(scope: Scope, template: str) -> int:
    """Admins replace the template (blank = back to the default); every change is a new version."""
    scope.require(Role.ADMIN)
    text = (template or "").replace("\r\n", "\n").strip()
    if text:
        try:
            validate_prompt_template(text)
        except ValueError as error:
            raise ValidationError.field("prompt_template", str(error)) from None
    account = get_account(scope)
    current, version = prompt_template(account)
    if (text or DEFAULT_ARTICLE_PROMPT).strip() == current.strip():
        return version
    version += 1
    account.settings = {**(account.settings or {}), "prompt_template": text, "prompt_version": version}
    audit.record(scope, "settings.prompt_template", account, version=version, reset=not text)
    return version


def save_ai_settings(scope: Scope, template: str, in_article_images: int | None) -> int:
    """The settings page: prompt template (versioned) and in-article images per article (None = by
    length). Returns the template version now in use."""
    scope.require(Role.ADMIN)
    if in_article_images is not None and not 0 <= in_article_images <= 6:
        raise ValidationError.field("in_article_images", "Choose 0 to 6 images, or leave it blank.")
    version = save_prompt_template(scope, template)
    account = get_account(scope)
    if account.setting("in_article_images") != in_article_images:
        account.settings = {**(account.settings or {}), "in_article_images": in_article_images}
        audit.record(scope, "settings.in_article_images", account, value=in_article_images)
    return version


def get_account(scope: Scope) -> Account:
    account = db.session.get(Account, scope.account_id)
    if account is None:  # a scope always names an existing account
        raise ValidationError("This account no longer exists.")
    return account


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
    job = jobs.create_job(scope, KIND, object_type="task", object_ids=ids, total=len(ids))
    jobs.hold_credits(scope, job, {OPERATION: len(ids)})
    for task in tasks:
        task.status = TaskStatus.IN_PROGRESS
        task.error = ""
    return job


# --- the job body (in the worker, or inline) --------------------------------------------------------


def brief_for(task: Task) -> ArticleBrief:
    cluster, idea = task.cluster, task.idea
    return ArticleBrief(
        title=task.title,
        description=task.description or "",
        keywords=task.keyword_list,
        content_type=str(task.content_type),
        content_structure=str(task.content_structure),
        word_count=task.word_count,
        cluster_name=cluster.name if cluster else "",
        cluster_keywords=cluster.keyword_list if cluster else [],
        idea_title=idea.title if idea else "",
        idea_description=idea.description if idea else "",
    )


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
        brief = brief_for(task)
        try:
            prompts[task.id] = (brief, render_article_prompt(template, brief))
        except ValueError as error:
            _fail_task(job, task, f"The account's prompt template is broken: {error}")
    db.session.commit()
    retrying = _draft_all(job, scope, prompts, version, final_attempt, report)
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
    version: int,
    final_attempt: bool,
    report: Report,
) -> list[str]:
    """Draft every prompt concurrently; save each as it arrives. Returns transient errors to retry."""
    if not prompts:
        return []
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    provider = get_provider(app.config)
    workers = max(1, min(int(app.config.get("AI_CONCURRENCY", 5)), len(prompts)))

    def draft(brief: ArticleBrief, prompt: str) -> ArticleDraft:
        with app.app_context():  # each thread its own context; it does not touch the database
            return provider.generate_article(brief, prompt)

    retrying: list[str] = []
    waiting = list(prompts)
    in_flight: dict[Future[ArticleDraft], int] = {}
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"gen-{job.id[:8]}")

    def ask_next() -> None:
        # A draft is asked for only when one before it is saved: while saving is stuck (the database
        # is away) no new draft is bought that this attempt might not be able to keep.
        if waiting:
            task_id = waiting.pop(0)
            in_flight[pool.submit(draft, *prompts[task_id])] = task_id

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
        draft: ArticleDraft = future.result()
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
    content = _save_draft(scope, task, draft, version, job.id)
    _record(
        job, task_id, status="completed", content_id=content.id, tokens=draft.tokens_used, model=draft.model
    )
    return ""


def _save_draft(scope: Scope, task: Task, draft: ArticleDraft, version: int, job_id: str) -> Any:
    content = create_content(
        scope,
        title=draft.title[:255],
        cluster_id=task.cluster_id,
        content_type=task.content_type,
        content_structure=task.content_structure,
        site_id=task.site_id,
        sector_id=task.sector_id,
        html=draft.html,
        meta_title=draft.meta_title[:255],
        meta_description=draft.meta_description,
        primary_keyword=draft.primary_keyword[:255],
        secondary_keywords=[keyword[:255] for keyword in draft.secondary_keywords],
        slug=draft.slug[:255],
        task_id=task.id,
        ai_model=draft.model[:100],
        prompt_version=version,
    )
    structure = ContentStructure(task.content_structure)
    db.session.add(
        ContentClusterMap(
            account_id=content.account_id,
            site_id=content.site_id,
            sector_id=content.sector_id,
            content_id=content.id,
            task_id=task.id,
            cluster_id=task.cluster_id,
            role=ClusterRole.HUB if structure == ContentStructure.CLUSTER_HUB else ClusterRole.SUPPORTING,
            source=ClusterMapSource.BLUEPRINT if task.idea_id else ClusterMapSource.MANUAL,
            keywords=[draft.primary_keyword, *draft.secondary_keywords][:20],
            slug=content.slug,
        )
    )
    task.status = TaskStatus.COMPLETED
    task.error = ""
    audit.record(
        scope,
        "content.generate",
        content,
        task_id=task.id,
        model=draft.model,
        tokens=draft.tokens_used,
        job_id=job_id,
    )
    return content


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
    jobs.settle_credits(job, used={OPERATION: len(completed)}, tokens_used=tokens, paid_ids=completed)
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
    jobs.settle_credits(job, used={OPERATION: len(completed)}, tokens_used=tokens, paid_ids=completed)
