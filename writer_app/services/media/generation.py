"""AI images for content: prompts (featured + in-article, with alt texts), then the images themselves.

`start_prompts` / `start_images` run in the request (ids checked, ≤ 10; credits reserved, 402 before
any AI call); `run_prompts` / `run_images` are the job bodies. Provider calls run in a bounded thread
pool; the job's own session saves each result as it arrives. The featured image also gets a desktop
(landscape) and a mobile (square) variant, cropped from it with Pillow (no extra AI call, no charge).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from flask import current_app
from PIL import Image as PILImage
from PIL import ImageOps
from sqlalchemy import select

from writer_app.integrations.ai import AIError, ImagePromptBrief, get_provider
from writer_app.models import Content, Image, ImageStatus, ImageType, Job, JobStatus, Role, Task, db
from writer_app.models.base import utcnow
from writer_app.services import audit, jobs
from writer_app.services.errors import Conflict, NotFound, ValidationError
from writer_app.services.generation import check_ids, get_account
from writer_app.services.links import ai_context
from writer_app.services.media import body_images, images
from writer_app.services.media import files as media
from writer_app.services.scope import Scope, get_many, scoped
from writer_app.text.html import html_to_text

log = logging.getLogger("writer.images")

KIND_PROMPTS = "generate_image_prompts"
KIND_IMAGES = "generate_images"
PROMPTS_OPERATION = "image_prompts"
IMAGES_OPERATION = "image_generation"
AI_TYPES = (ImageType.FEATURED, ImageType.IN_ARTICLE)
SIZES = {ImageType.FEATURED: (1536, 1024), ImageType.IN_ARTICLE: (1024, 768)}
VARIANTS = {ImageType.DESKTOP: (1200, 628), ImageType.MOBILE: (1080, 1080)}
Report = Callable[[int, int, str], None]


def in_article_count(content: Content, setting: Any = None) -> int:
    """The account's setting (0-6) when set, else one image per ~400 words, between 1 and 4."""
    if setting not in (None, ""):
        return max(0, min(6, int(setting)))
    return max(1, min(4, (content.word_count or 0) // 400))


def _ai_images(content_ids: list[int]) -> dict[int, list[Image]]:
    stmt = select(Image).where(
        Image.content_id.in_(content_ids), Image.image_type.in_(AI_TYPES), Image.deleted_at.is_(None)
    )
    found: dict[int, list[Image]] = {cid: [] for cid in content_ids}
    for image in db.session.scalars(stmt.order_by(Image.position, Image.id)):
        found[image.content_id].append(image)  # type: ignore[index]
    return found


# --- starting (in the request) ----------------------------------------------------------------------


def start_prompts(scope: Scope, content_ids: Any) -> Job:
    scope.require(Role.EDITOR)
    ids = check_ids(content_ids, "ids", "content items")
    get_many(scope, Content, ids)
    job = jobs.create_job(scope, KIND_PROMPTS, object_type="content", object_ids=ids, total=len(ids))
    jobs.hold_credits(scope, job, {PROMPTS_OPERATION: len(ids)})
    return job


def _contents_of_tasks(scope: Scope, task_ids: list[int]) -> list[Content]:
    tasks = get_many(scope, Task, task_ids)
    latest: dict[int, Content] = {}
    stmt = scoped(scope, Content).where(Content.task_id.in_(task_ids)).order_by(Content.id)
    for content in db.session.scalars(stmt):
        latest[content.task_id] = content  # type: ignore[index]
    missing = [t.title for t in tasks if t.id not in latest]
    if missing:
        raise ValidationError.field(
            "task_ids", f"Generate content first; these tasks have none yet: {', '.join(missing)}."
        )
    return [latest[t.id] for t in tasks]


def start_images(scope: Scope, *, task_ids: Any = None, content_ids: Any = None) -> Job:
    """Queue image generation for ≤ 10 tasks (their latest content) or content items."""
    scope.require(Role.EDITOR)
    if (task_ids is None) == (content_ids is None):
        raise ValidationError.field("task_ids", "Send either task_ids or content_ids.")
    if task_ids is not None:
        contents = _contents_of_tasks(scope, check_ids(task_ids, "task_ids", "tasks"))
    else:
        contents = get_many(scope, Content, check_ids(content_ids, "content_ids", "content items"))
    ids = [c.id for c in contents]
    existing = _ai_images(ids)
    setting = get_account(scope).setting("in_article_images")
    need_prompts = [c.id for c in contents if not existing[c.id]]
    units = sum(1 + in_article_count(c, setting) for c in contents if c.id in need_prompts)
    for content in contents:
        for image in existing[content.id]:
            if image.status == ImageStatus.FAILED:  # try failed ones again
                image.status, image.error = ImageStatus.PENDING, ""
            if image.status == ImageStatus.PENDING:
                units += 1
    if units == 0:
        raise ValidationError.field("ids", "Every image of this content is already generated.")
    job = jobs.create_job(scope, KIND_IMAGES, object_type="content", object_ids=ids, total=units)
    jobs.hold_credits(scope, job, {IMAGES_OPERATION: units, PROMPTS_OPERATION: len(need_prompts)})
    return job


# --- shared job plumbing ----------------------------------------------------------------------------


def _parallel(items: dict[Any, Callable[[], Any]]) -> Iterator[tuple[Any, Any, BaseException | None]]:
    """Run provider calls a few at a time (each thread its own app context); yield as they finish."""
    if not items:
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    workers = max(1, min(int(app.config.get("AI_CONCURRENCY", 5)), len(items)))

    def call(fn: Callable[[], Any]) -> Any:
        with app.app_context():
            return fn()

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="img")
    try:
        futures = {pool.submit(call, fn): key for key, fn in items.items()}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], (None if error else future.result()), error
    finally:  # calls not started yet are not made when the caller stops early (cancel, crash)
        pool.shutdown(wait=True, cancel_futures=True)


def _still_running(job_id: str) -> Job | None:
    job = db.session.get(Job, job_id, populate_existing=True, with_for_update=True)
    return None if job is None or JobStatus(job.status).done else job


def _bump(job: Job, key: str, value: Any, status: str) -> None:
    counts = dict((job.result or {}).get(key) or {})
    counts[str(value)] = status
    jobs.update_result(job, **{key: counts})


def _count(job: Job, key: str, status: str) -> int:
    return sum(1 for v in ((job.result or {}).get(key) or {}).values() if v == status)


def _begin(job_id: str) -> tuple[Job, Scope] | None:
    job = jobs.load(job_id)
    if job is None or not jobs.mark_started(job):
        return None
    db.session.commit()
    return job, jobs.actor_scope(job)


def _make_prompts(job: Job, scope: Scope, provider: Any, contents: list[Content], final: bool) -> list[str]:
    """Create pending images with prompts for `contents`; returns transient errors worth a retry."""
    setting = get_account(scope).setting("in_article_images")
    calls = {}
    for content in contents:
        brief = ImagePromptBrief(
            title=content.title,
            primary_keyword=content.primary_keyword or content.title.lower(),
            excerpt=html_to_text(content.html)[:6000],
            in_article_count=in_article_count(content, setting),
        )
        brief = ai_context.image_brief_with_site(content.site, brief)  # the site's brand voice
        calls[content.id] = lambda brief=brief: provider.generate_image_prompts(brief)
    retrying: list[str] = []
    for content_id, prompts, error in _parallel(calls):
        current = _still_running(job.id)
        if current is None:
            break
        if error is not None:
            message = (
                error.message if isinstance(error, AIError) else f"Unexpected error: {type(error).__name__}"
            )
            if isinstance(error, AIError) and error.retryable and not final:
                retrying.append(message)
            else:
                _bump(current, "prompts", content_id, "failed")
                jobs.update_result(
                    current, errors={**(current.result.get("errors") or {}), str(content_id): message}
                )
            db.session.commit()
            continue
        for prompt in prompts:
            images.create_image(
                scope,
                image_type=prompt.image_type,
                content_id=content_id,
                prompt=prompt.prompt,
                alt_text=prompt.alt_text[:500],
                position=prompt.position,
            )
        _bump(current, "prompts", content_id, "done")
        if current.kind == KIND_PROMPTS:
            jobs.advance(current, _count(current, "prompts", "done") + _count(current, "prompts", "failed"))
        audit.record(
            scope, "content.image_prompts", object_type="content", object_id=content_id, count=len(prompts)
        )
        db.session.commit()
    return retrying


def run_prompts(job_id: str, *, final_attempt: bool = True, report: Report | None = None) -> dict[str, Any]:
    """Image prompts for each content: replaces its pending/failed prompt images, keeps generated ones."""
    begun = _begin(job_id)
    if begun is None:
        return {"skipped": True}
    job, scope = begun
    done = {k for k, v in ((job.result or {}).get("prompts") or {}).items() if v == "done"}
    contents = [
        c
        for c in db.session.scalars(scoped(scope, Content).where(Content.id.in_(job.object_ids)))
        if str(c.id) not in done
    ]
    for found in _ai_images([c.id for c in contents]).values():
        for image in found:
            if image.status != ImageStatus.GENERATED:
                image.deleted_at = utcnow()
    db.session.commit()
    provider = get_provider(current_app.config)
    try:
        retrying = _make_prompts(job, scope, provider, contents, final_attempt)
    finally:
        _close(provider)
    if retrying:
        raise jobs.RetryLater(f"Temporary AI error ({retrying[0]}); retrying.")
    return _finish(job_id, PROMPTS_OPERATION)


def _variants(scope: Scope, featured: Image, png: bytes) -> None:
    """Desktop (landscape) and mobile (square) crops of the featured image, replacing older ones."""
    old = select(Image).where(
        Image.content_id == featured.content_id,
        Image.image_type.in_(tuple(VARIANTS)),
        Image.deleted_at.is_(None),
    )
    for image in db.session.scalars(old):
        image.deleted_at = utcnow()
    with PILImage.open(io.BytesIO(png)) as source:
        source.load()
        for image_type, size in VARIANTS.items():
            out = io.BytesIO()
            ImageOps.fit(source, size, method=PILImage.Resampling.LANCZOS).save(out, format="PNG")
            stored = media.store_image(
                featured.account_id, featured.site_id, f"{image_type}-{featured.content_id}", out.getvalue()
            )
            images.create_image(
                scope,
                image_type=image_type,
                content_id=featured.content_id,
                prompt=featured.prompt,
                alt_text=featured.alt_text,
                status=ImageStatus.GENERATED,
                position=0,
                image_path=stored.path,
                thumbnail_path=stored.thumbnail_path,
                width=stored.width,
                height=stored.height,
            )


def _draw(job: Job, scope: Scope, provider: Any, final: bool, report: Report) -> list[str]:
    pending = [
        image
        for found in _ai_images(job.object_ids).values()
        for image in found
        if image.status == ImageStatus.PENDING and image.prompt
    ]
    calls = {}
    for image in pending:
        width, height = SIZES[ImageType(image.image_type)]
        calls[image.id] = lambda p=image.prompt, w=width, h=height: provider.generate_image(p, w, h)
    retrying: list[str] = []
    for image_id, generated, error in _parallel(calls):
        current = _still_running(job.id)
        if current is None:
            break
        image = db.session.get(Image, image_id, populate_existing=True)
        if image is None or image.deleted_at is not None or image.status != ImageStatus.PENDING:
            continue
        if error is None:
            try:
                stored = media.store_image(
                    image.account_id, image.site_id, f"{image.image_type}-{image.content_id}", generated.data
                )
                if image.image_type == ImageType.FEATURED:
                    _variants(scope, image, generated.data)
            except (ValidationError, OSError) as exc:
                error = exc
        if error is None:
            image.image_path, image.thumbnail_path = stored.path, stored.thumbnail_path
            image.width, image.height = stored.width, stored.height
            image.status, image.error = ImageStatus.GENERATED, ""
            _bump(current, "images", image_id, "generated")
            audit.record(scope, "image.generate", image, model=generated.model, job_id=job.id)
        elif isinstance(error, AIError) and error.retryable and not final:
            image.error = f"{error.message} Retrying automatically."
            retrying.append(error.message)
        else:
            image.status = ImageStatus.FAILED
            image.error = (
                error.message if isinstance(error, AIError) else f"Could not store the image: {error}"
            )[:2000]
            _bump(current, "images", image_id, "failed")
        jobs.advance(current, _count(current, "images", "generated") + _count(current, "images", "failed"))
        db.session.commit()
        report(current.progress_done, current.progress_total, f"Image {image_id} done")
    return retrying


def run_images(job_id: str, *, final_attempt: bool = True, report: Report | None = None) -> dict[str, Any]:
    """Prompts where the content has none, then every pending featured/in-article image."""
    report = report or (lambda *_: None)
    begun = _begin(job_id)
    if begun is None:
        return {"skipped": True}
    job, scope = begun
    contents = list(db.session.scalars(scoped(scope, Content).where(Content.id.in_(job.object_ids))))
    existing = _ai_images([c.id for c in contents])
    provider = get_provider(current_app.config)
    try:
        retrying = _make_prompts(
            job, scope, provider, [c for c in contents if not existing[c.id]], final_attempt
        )
        if _still_running(job_id) is not None:
            retrying += _draw(job, scope, provider, final_attempt, report)
    finally:
        _close(provider)
    _place_in_bodies(job, scope)
    if retrying:
        raise jobs.RetryLater(f"{len(retrying)} image(s) hit a temporary AI error ({retrying[0]}); retrying.")
    return _finish(job_id, IMAGES_OPERATION)


def _place_in_bodies(job: Job, scope: Scope) -> None:
    """Generated in-article images go into the text (services/media/body_images.py states where); each
    content on its own, so one that was deleted or saved at that very moment does not stop the others."""
    for content_id in job.object_ids:
        try:
            placed = body_images.place_generated(scope, int(content_id))
            db.session.commit()
        except (NotFound, Conflict):
            db.session.rollback()
            continue
        if placed:
            log.info("placed %s generated image(s) in the text of content %s", placed, content_id)


def _close(provider: Any) -> None:
    close = getattr(provider, "close", None)
    if close is not None:
        close()


def _used(job: Job) -> dict[str, int]:
    return {
        PROMPTS_OPERATION: _count(job, "prompts", "done"),
        IMAGES_OPERATION: _count(job, "images", "generated"),
    }


def _finish(job_id: str, main_operation: str) -> dict[str, Any]:
    job = _still_running(job_id)
    if job is None:
        db.session.rollback()
        return {"skipped": True}
    used = _used(job)
    jobs.settle_credits(job, used=used, tokens_used=0, paid_ids=job.object_ids)
    failed = _count(job, "images", "failed") + _count(job, "prompts", "failed")
    error = ""
    if used[main_operation] == 0 and failed:
        errors = list(((job.result or {}).get("errors") or {}).values())
        error = "Nothing could be generated." + (
            f" {errors[0]}" if errors else " See the failed images for why."
        )
    jobs.update_result(job, generated=used[IMAGES_OPERATION])
    jobs.finish(job, error=error)
    db.session.commit()
    return {"used": used, "failed": failed}


def abandon(job: Job, reason: str) -> None:
    """Ended from outside: pending images of an image job fail with the reason; pay for what was made."""
    if job.kind == KIND_IMAGES and reason != "canceled":  # canceled images stay pending, to redo
        for found in _ai_images(job.object_ids).values():
            for image in found:
                if image.status == ImageStatus.PENDING:
                    image.status, image.error = ImageStatus.FAILED, reason[:2000]
    jobs.settle_credits(job, used=_used(job), tokens_used=0, paid_ids=job.object_ids)
