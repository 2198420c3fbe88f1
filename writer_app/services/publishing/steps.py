"""The publish job, step by step: terms → media → post → verify → store.

Each finished step is committed at once and noted in Content.external_metadata["publish_steps"], and
every WordPress id is stored as soon as WordPress hands it out (term ids on ContentTaxonomy, media ids
on Image, the post id on Content), so a retry resumes where the last attempt stopped. A post is never
created twice: with a stored post id the job updates that post; before creating one it reserves a slug
no post has, stores it, and a retry first looks for a post with that slug.

The job writes Content through plain UPDATE statements, not the ORM: those do not bump
Content.version, so an editor saving meanwhile neither fails nor makes the job fail.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from writer_app.integrations.wordpress import (
    WordPressAuthError,
    WordPressClient,
    WordPressError,
    WordPressNotFound,
    WordPressUnavailable,
)
from writer_app.models import (
    Content,
    ContentTaxonomy,
    Image,
    ImageStatus,
    Job,
    SyncStatus,
    TaxonomyType,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services import jobs
from writer_app.services.errors import DomainError
from writer_app.services.identity.accounts import slugify
from writer_app.services.jobs import RetryLater
from writer_app.services.media import body_images
from writer_app.services.media import files as media
from writer_app.services.publishing.lock import SiteBusy, site_lock
from writer_app.services.scope import Scope, get, scoped
from writer_app.services.wordpress.fields import remote_count, remote_link, remote_text
from writer_app.services.wordpress.fields import remote_id as wp_id
from writer_app.services.wordpress.sites import client_for, remember_url_form

log = logging.getLogger("writer.publishing")

WP_TAXONOMY = {TaxonomyType.CATEGORY: "category", TaxonomyType.TAG: "post_tag"}
REST_TAXONOMY = {TaxonomyType.CATEGORY: "categories", TaxonomyType.TAG: "tags"}
DEFAULT_INLINE_RETRY_DELAYS = (2.0, 5.0)


class PublishRun:
    """One attempt at publishing one content."""

    def __init__(self, job: Job, scope: Scope, content: Content, client: WordPressClient) -> None:
        self.job, self.scope, self.content, self.client = job, scope, content, client
        self.content_id = content.id
        self.steps: dict[str, Any] = dict((content.external_metadata or {}).get("publish_steps") or {})
        if not self.steps.get("resumable"):
            self.steps = {}  # the last run finished: start afresh
        self.steps.update(job_id=job.id, resumable=True)

    # --- bookkeeping ----------------------------------------------------------------------------

    def _save(self, **values: Any) -> None:
        """Write content columns without the ORM's version check, and commit (a step is durable)."""
        db.session.execute(
            update(Content)
            .where(Content.id == self.content_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    def _meta(self, **sections: Any) -> dict[str, Any]:
        current = db.session.scalar(select(Content.external_metadata).where(Content.id == self.content_id))
        return {**(current or {}), **sections}

    def done(self, step: str, number: int, **detail: Any) -> None:
        """Record a finished step and the job's progress, in one commit."""
        self.steps[step] = {"at": utcnow().isoformat(), **detail}
        self.steps["last_step"] = step
        job = db.session.get(Job, self.job.id)
        if job is not None:
            jobs.advance(job, number)
        self._save(external_metadata=self._meta(publish_steps=self.steps))

    # --- step 1: terms --------------------------------------------------------------------------

    def sync_terms(self) -> tuple[list[int], list[int]]:
        ids: dict[TaxonomyType, list[int]] = {TaxonomyType.CATEGORY: [], TaxonomyType.TAG: []}
        for term in self.content.taxonomy_terms:
            kind = TaxonomyType(term.taxonomy_type)
            remote_id = term.external_id
            if remote_id is None:
                remote_id = ensure_remote_term(self.client, term)
                db.session.commit()
            ids[kind].append(int(remote_id))
        categories, tags = ids[TaxonomyType.CATEGORY], ids[TaxonomyType.TAG]
        self.done("terms", 1, categories=categories, tags=tags)
        return categories, tags

    # --- step 2: media --------------------------------------------------------------------------

    def _upload(self, image: Image, title: str) -> dict[str, Any] | None:
        uploaded = (self.steps.get("media") or {}).get(str(image.id))
        if image.external_id and uploaded and uploaded.get("id") == image.external_id:
            return uploaded
        if image.external_id:
            try:
                found = self.client.get_media(image.external_id)
                return {"id": wp_id(found.get("id"), "media"), "url": remote_link(found.get("source_url"))}
            except WordPressNotFound:
                pass  # deleted in WordPress: upload again
        path = media.resolve(image.image_path, prefix=f"{image.account_id}/") if image.image_path else None
        if path is None:
            return None
        alt = (image.alt_text or "").strip() or title
        created = self.client.upload_media(
            path.name, path.read_bytes(), media.mimetype_for(path), alt_text=alt, title=title
        )
        media_id = wp_id(created.get("id"), "media")
        db.session.execute(update(Image).where(Image.id == image.id).values(external_id=media_id))
        entry = {"id": media_id, "url": remote_link(created.get("source_url"))}
        self.steps.setdefault("media", {})[str(image.id)] = entry
        self._save(external_metadata=self._meta(publish_steps=self.steps))
        return entry

    def upload_images(
        self, featured_id: int | None, html: str
    ) -> tuple[int | None, dict[int, str], list[str]]:
        """Upload the featured image and exactly the Writer images the body shows (by their src), and
        return the WordPress media id of the featured one and the media URL of each body image."""
        from writer_app.services.media.content_images import content_images

        skipped: list[str] = []
        featured_media = None
        featured = content_images(self.scope, self.content_id).featured
        if featured is not None and featured_id == featured.id:
            entry = self._upload(featured, self.content.title)
            if entry:
                featured_media = int(entry["id"])
            else:
                skipped.append(f"featured image {featured.id} has no stored file")
        urls: dict[int, str] = {}
        for image in _body_images(self.scope, html):
            if ImageStatus(image.status) != ImageStatus.GENERATED:
                skipped.append(f"image {image.id} in the text is {ImageStatus(image.status).value}")
                continue
            entry = self._upload(image, self.content.title)
            if entry:
                urls[image.id] = str(entry["url"])
            else:
                skipped.append(f"image {image.id} in the text has no stored file")
        self.done("media", 2, featured_media=featured_media, in_article=len(urls), skipped=skipped)
        return featured_media, urls, skipped

    # --- step 3: the post -----------------------------------------------------------------------

    def _reserve_slug(self, wanted: str) -> tuple[str, bool]:
        """The post's slug, and whether it was reserved just now (then no post has it: looked up)."""
        reserved = self.steps.get("reserved_slug")
        if reserved:
            return str(reserved), False
        base = slugify(wanted or self.content.title, 180)
        slug = base
        if self.client.find_posts(slug):
            slug = f"{base}-{self.content_id}"
            if self.client.find_posts(slug):
                slug = f"{base}-{self.content_id}-{int(time.time())}"
        self.steps["reserved_slug"] = slug
        self._save(external_metadata=self._meta(publish_steps=self.steps))
        return slug, True

    def write_post(self, body: dict[str, Any]) -> dict[str, Any]:
        post_id = self.content.external_id
        if post_id:
            try:
                post = self.client.update_post(int(post_id), body)
                self.done("post", 3, id=post["id"], action="updated")
                return post
            except WordPressNotFound:
                log.info(
                    "post %s of content %s is gone from WordPress; creating it again",
                    post_id,
                    self.content_id,
                )
        slug, fresh = self._reserve_slug(body.get("slug") or "")
        body = {**body, "slug": slug}
        # Reserved by an earlier attempt: that attempt may have created the post and lost the answer.
        existing = [] if fresh else self.client.find_posts(slug)
        if existing:
            post = self.client.update_post(int(existing[0]["id"]), body)
            action = "found by slug and updated"
        else:
            post = self.client.create_post(body)
            action = "created"
        post_id = wp_id(post.get("id"))
        # The id first, in its own commit: whatever else the answer holds, the post is never orphaned.
        self._save(external_id=str(post_id), external_type="post")
        self._save(external_url=remote_link(post.get("link")))
        self.done("post", 3, id=post_id, action=action, slug=remote_text(post.get("slug"), 255))
        return post

    # --- step 4: read back and verify -----------------------------------------------------------

    def verify(self, post_id: int, body: dict[str, Any]) -> dict[str, Any]:
        post = self.client.get_post(post_id)
        problems = []
        if (post.get("title") or {}).get("raw") != body["title"]:
            problems.append("title")
        expected_status = body["status"]
        if post.get("status") != expected_status and not (
            expected_status == "future" and post.get("status") == "publish"
        ):
            problems.append(f"status ({post.get('status')} instead of {expected_status})")
        if int(post.get("featured_media") or 0) != int(body.get("featured_media") or 0):
            problems.append("featured image")
        for key in ("categories", "tags"):
            if key in body and body[key] and sorted(post.get(key) or []) != sorted(body[key]):
                problems.append(key)
        if problems:
            raise WordPressError(
                f"WordPress stored the post differently from what was sent: {', '.join(problems)}",
                code="verification_failed",
            )
        self.done("verify", 4, status=post.get("status"))
        return post


def ensure_remote_term(client: WordPressClient, term: ContentTaxonomy) -> int:
    """The WordPress id for a local term: reuse a term with the same slug, else create it (the client
    reuses an existing one on `term_exists`). Stored on the term unless another local term of the site
    holds that id already (a near-duplicate): then the post still gets the WordPress term, and the
    duplicate stays unsynced with a note in its metadata."""
    kind = TaxonomyType(term.taxonomy_type)
    rest = REST_TAXONOMY[kind]
    found = client.find_terms(rest, slug=term.slug)  # type: ignore[arg-type]
    remote = found[0] if found else client.create_term(rest, term.name, term.slug, term.description or "")  # type: ignore[arg-type]
    remote_id = wp_id(remote.get("id"), "term")
    holder = db.session.scalar(
        select(ContentTaxonomy.id).where(
            ContentTaxonomy.site_id == term.site_id,
            ContentTaxonomy.external_id == remote_id,
            ContentTaxonomy.external_taxonomy == WP_TAXONOMY[kind],
            ContentTaxonomy.id != term.id,
        )
    )
    if holder is not None:
        term.metadata_ = {**(term.metadata_ or {}), "same_as_term_id": holder}
    else:
        term.external_id = remote_id
        term.external_taxonomy = WP_TAXONOMY[kind]
        term.sync_status = SyncStatus.SYNCED
        term.count = remote_count(remote.get("count"))
    db.session.flush()
    return remote_id


def _body_images(scope: Scope, html: str) -> list[Image]:
    """The account's live images the body shows, in their order in the text."""
    ids = body_images.ids_in_body(html)
    if not ids:
        return []
    found = {i.id: i for i in db.session.scalars(scoped(scope, Image).where(Image.id.in_(ids)))}
    return [found[i] for i in ids if i in found]


def readable(exc: BaseException) -> str:
    """One sentence for the content page and the job record."""
    if isinstance(exc, WordPressAuthError):
        return (
            f"WordPress refused the request ({exc}): the application password is wrong or revoked, or the "
            "user lacks a capability. An admin runs “Test connection” in the site settings."
        )
    if isinstance(exc, WordPressUnavailable):
        return f"WordPress could not be reached ({exc}). Nothing was lost: publish again to resume."
    if isinstance(exc, SiteBusy):
        return str(exc)
    if isinstance(exc, WordPressError) and exc.code == "address_refused":
        return exc.message  # the outbound policy, not WordPress, said no
    if isinstance(exc, WordPressError):
        return f"WordPress refused the post: {exc}"
    if isinstance(exc, DomainError):
        return exc.message
    return f"Publishing failed unexpectedly ({type(exc).__name__}: {str(exc)[:300]})."


def _inline_delays() -> tuple[float, ...]:
    return tuple(current_app.config.get("WORDPRESS_INLINE_RETRY_DELAYS", DEFAULT_INLINE_RETRY_DELAYS))


def run_publish_job(
    job_id: str, *, final_attempt: bool = True, report: Callable[..., Any] | None = None
) -> dict[str, Any]:
    """The job: run the steps; transient failures retry (RQ with intervals, inline with short delays);
    a final failure puts the content back to the status it had, sync status failed, error stored."""
    with _loaded_across_commits():
        return _run_publish_job(job_id, final_attempt)


@contextmanager
def _loaded_across_commits() -> Iterator[None]:
    """A step commits as soon as it is done, and the job reads back what it wrote through SELECTs, so
    its objects need not be reloaded after every commit (a dozen SELECTs a job less)."""
    session = db.session()
    previous, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = previous


def _run_publish_job(job_id: str, final_attempt: bool) -> dict[str, Any]:
    from writer_app.services.publishing.finish import fail, run_steps, succeed

    job = jobs.load(job_id)
    if job is None or not jobs.mark_started(job):
        return {}
    db.session.commit()
    scope = jobs.actor_scope(job)
    content_id = int(job.object_ids[0])
    delays = list(_inline_delays()) if final_attempt else []
    while True:
        try:
            content = get(scope, Content, content_id)
            with site_lock(content.site_id, job.id), client_for(content.site) as client:
                run = PublishRun(job, scope, content, client)
                post = run_steps(run)
                remember_url_form(content.site, client)
            return succeed(scope, job_id, content_id, post, run.steps)
        except (WordPressUnavailable, SiteBusy) as exc:
            db.session.rollback()
            if delays:
                time.sleep(delays.pop(0))
                # Start again from what is committed: the last step may have committed just before
                # the failure, with no transaction left for the rollback to expire.
                db.session.expire_all()
                continue
            if not final_attempt:
                _note_retry(job_id, content_id, readable(exc))
                raise RetryLater(readable(exc)) from exc
            return fail(scope, job_id, content_id, readable(exc))
        except Exception as exc:  # everything else is final: record it readably
            db.session.rollback()
            if not isinstance(exc, WordPressError | DomainError):
                log.exception("publish job %s failed", job_id)
            return fail(scope, job_id, content_id, readable(exc))


def _note_retry(job_id: str, content_id: int, message: str) -> None:
    current = db.session.scalar(select(Content.external_metadata).where(Content.id == content_id)) or {}
    state = {**(current.get("publish") or {}), "error": f"{message} Retrying automatically."}
    db.session.execute(
        update(Content)
        .where(Content.id == content_id)
        .values(external_metadata={**current, "publish": state})
    )
    db.session.commit()
