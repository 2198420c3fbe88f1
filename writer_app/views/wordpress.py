"""WordPress pages: a site's connection settings (admin: connect, test, sync terms, import posts) and
the review page's publish controls (publish, update, schedule, unpublish, status).

The review page includes templates/wordpress/_publish_controls.html, which asks `wordpress_panel(content)`
(a template global registered here) for what to show. Publish jobs created by other code paths
(review.approve) are enqueued after the request committed (`jobs.queue.enqueue_deferred`).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, flash, redirect, request, session, url_for

from writer_app.forms.settings import EmptyForm
from writer_app.forms.wordpress import ConnectionForm, ImportForm, PublishForm, ScheduleForm, UnpublishForm
from writer_app.models import Content, ContentStatus, Role, Site, SyncStatus, db
from writer_app.services import clusters as cluster_service
from writer_app.services import content as content_service
from writer_app.services import sites as site_service
from writer_app.services.errors import DomainError, NotFound, ValidationError
from writer_app.services.publishing import actions as publishing
from writer_app.services.review.rules import needs_approval, self_approval_reason
from writer_app.services.wordpress import import_posts as wordpress_import
from writer_app.services.wordpress import sites as wordpress_sites
from writer_app.services.wordpress import taxonomies as wordpress_taxonomies
from writer_app.views.common import (
    apply_domain_error,
    current_scope,
    form_errors_status,
    render,
    role_required,
)

log = logging.getLogger("writer.publishing")
bp = Blueprint("wordpress", __name__)


# --- the site's connection -------------------------------------------------------------------------


def _site_context(site_id: int, **overrides: Any) -> dict[str, Any]:
    scope = current_scope()
    site = site_service.get_site(scope, site_id)
    form = ConnectionForm(formdata=None, url=site.wp_url, username=site.wp_username)
    context: dict[str, Any] = {
        "site": site,
        "info": wordpress_sites.connection_info(site),
        "form": form,
        "import_form": ImportForm(formdata=None),
        "button_form": EmptyForm(formdata=None),
        "report": None,
        "duplicates": wordpress_taxonomies.near_duplicate_terms(scope, site.id),
    }
    context.update(overrides)
    context["import_form"].cluster_id.choices = _cluster_choices(site)
    return context


def _cluster_choices(site: Site) -> list[tuple[int, str]]:
    clusters = cluster_service.clusters_for_choices(current_scope())
    return [(c.id, c.name) for c in clusters if c.site_id == site.id]


@bp.route("/settings/sites/<int:site_id>/wordpress", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def site(site_id: int) -> Any:
    if request.method == "GET":
        return render("wordpress/site.html", **_site_context(site_id))
    form = ConnectionForm()
    if form.validate_on_submit():
        try:
            wordpress_sites.save_connection(
                current_scope(),
                site_id,
                url=form.url.data or "",
                username=form.username.data or "",
                app_password=form.app_password.data or "",
            )
        except ValidationError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            flash("Connection saved. Run “Test connection” to check it.", "success")
            return redirect(url_for(".site", site_id=site_id))
    return render("wordpress/site.html", status=form_errors_status(), **_site_context(site_id, form=form))


@bp.post("/settings/sites/<int:site_id>/wordpress/test")
@role_required(Role.ADMIN)
def test(site_id: int) -> Any:
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".site", site_id=site_id))
    try:
        report = wordpress_sites.test_site_connection(current_scope(), site_id)
    except ValidationError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".site", site_id=site_id))
    db.session.commit()
    return render("wordpress/site.html", block="test_report", **_site_context(site_id, report=report))


def _start_site_job(site_id: int, start: Any, entry: str, done: str) -> Any:
    from writer_app.jobs.queue import enqueue

    try:
        job = start()
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(error.message, "error")
        return redirect(url_for(".site", site_id=site_id))
    db.session.commit()
    job_id = job.id
    dispatch = enqueue(job, entry, timeout=30 * 60, retry_intervals=[30, 120])
    job = db.session.get(type(job), job_id, populate_existing=True)
    if dispatch.inline and job is not None:
        summary = (job.result or {}).get("summary") or job.error
        flash(f"{done}: {summary}", "error" if job.error else "success")
    else:
        flash(f"{done}: queued; the job page shows its progress.", "success")
    return redirect(url_for(".site", site_id=site_id))


@bp.post("/settings/sites/<int:site_id>/wordpress/sync")
@role_required(Role.ADMIN)
def sync(site_id: int) -> Any:
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".site", site_id=site_id))
    return _start_site_job(
        site_id,
        lambda: wordpress_taxonomies.start_sync(current_scope(), site_id),
        "writer_app.jobs.publish.sync_taxonomies",
        "Categories and tags synced",
    )


@bp.post("/settings/sites/<int:site_id>/wordpress/import")
@role_required(Role.ADMIN)
def import_posts(site_id: int) -> Any:
    form = ImportForm()
    form.cluster_id.choices = _cluster_choices(site_service.get_site(current_scope(), site_id))
    if not form.validate_on_submit():
        return render(
            "wordpress/site.html", status=form_errors_status(), **_site_context(site_id, import_form=form)
        )
    return _start_site_job(
        site_id,
        lambda: wordpress_import.start_import(current_scope(), site_id, form.cluster_id.data),
        "writer_app.jobs.publish.import_posts",
        "Posts imported",
    )


# --- the review page's publish controls --------------------------------------------------------------


@bp.app_template_global("wordpress_panel")
def wordpress_panel(content: Content) -> dict[str, Any]:
    """What the publish controls show for `content` (no WordPress call: status is a separate GET)."""
    scope = current_scope()
    status = ContentStatus(content.status)
    published = status == ContentStatus.PUBLISHED
    publishable = status in (ContentStatus.REVIEW, ContentStatus.APPROVED)
    reviewer = scope.can(Role.REVIEWER)
    # The buttons follow review_rules.ensure_may_publish, which the routes apply anyway: the last
    # editor may not approve (publishing content in review or a pending change) nor update.
    checked = reviewer and (published or needs_approval(content))
    blocked = self_approval_reason(scope, content) if checked else None
    state = publishing.publish_state(content)
    return {
        "connected": content.site.wp_connected,
        "site": content.site,
        "timezone": wordpress_sites.connection_info(content.site)["timezone"] or "UTC",
        "can_publish": reviewer and publishable and not blocked,
        "can_update": reviewer and published and not blocked,
        "blocked_reason": blocked,
        "needs_review": status == ContentStatus.DRAFT,
        "can_unpublish": reviewer
        and (status in (ContentStatus.APPROVED, ContentStatus.PUBLISHED) or bool(content.external_id)),
        "can_override": scope.can(Role.REVIEWER),
        "pending": SyncStatus(content.sync_status) == SyncStatus.PENDING,
        "failed": SyncStatus(content.sync_status) == SyncStatus.FAILED,
        "error": state.get("error", ""),
        "job_id": state.get("job_id"),
        "publish_form": PublishForm(formdata=None, override_comment=_kept_comment(content.id)),
        "unpublish_form": UnpublishForm(formdata=None),
        "schedule_form": ScheduleForm(formdata=None),
        "scheduled": (content.external_metadata or {}).get("wp_status") == "future",
    }


# After a refused publish the page is shown again by a redirect; the override comment the reviewer
# typed travels in the session (once) so the form still holds it.
KEPT_COMMENT_KEY = "kept_publish_comment"


def _keep_comment(content_id: int, form: Any) -> None:
    comment = getattr(getattr(form, "override_comment", None), "data", None)
    if comment:
        session[KEPT_COMMENT_KEY] = {"content_id": content_id, "comment": comment[:5000]}


def _kept_comment(content_id: int) -> str | None:
    kept = session.get(KEPT_COMMENT_KEY)
    if not kept or kept.get("content_id") != content_id:
        return None
    session.pop(KEPT_COMMENT_KEY, None)
    return kept.get("comment")


def _back(content_id: int) -> Any:
    return redirect(url_for("content.review_page", content_id=content_id) + "#publish", code=303)


def _publish_action(content_id: int, form: Any, action: Any, done: str) -> Any:
    if not form.validate_on_submit():
        flash(" ".join(e for errors in form.errors.values() for e in errors) or "Try again.", "error")
        _keep_comment(content_id, form)
        return _back(content_id)
    try:
        job = action()
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(error.message + " " + " ".join(m for ms in error.fields.values() for m in ms), "error")
        _keep_comment(content_id, form)
        return _back(content_id)
    db.session.commit()
    job_id = job.id
    dispatch = publishing.dispatch(job)
    if dispatch.inline:
        content = db.session.get(Content, content_id, populate_existing=True)
        error = publishing.publish_state(content).get("error") if content is not None else ""
        flash(error or done, "error" if error else "success")
    else:
        flash(f"Publishing queued (job {job_id[:8]}); this page shows the outcome when it ends.", "success")
    return _back(content_id)


@bp.post("/content/<int:content_id>/wordpress/publish")
@role_required(Role.REVIEWER)
def publish(content_id: int) -> Any:
    form = PublishForm()
    return _publish_action(
        content_id,
        form,
        lambda: publishing.publish(
            current_scope(), content_id, form.override_comment.data or None, require_wordpress=True
        ),
        "Published to WordPress.",
    )


@bp.post("/content/<int:content_id>/wordpress/update")
@role_required(Role.REVIEWER)
def republish(content_id: int) -> Any:
    form = PublishForm()
    return _publish_action(
        content_id,
        form,
        lambda: publishing.republish(current_scope(), content_id, form.override_comment.data or None),
        "The WordPress post was updated.",
    )


@bp.post("/content/<int:content_id>/wordpress/schedule")
@role_required(Role.REVIEWER)
def schedule(content_id: int) -> Any:
    form = ScheduleForm()
    return _publish_action(
        content_id,
        form,
        lambda: publishing.schedule(current_scope(), content_id, form.when.data),
        "Scheduled in WordPress.",
    )


@bp.post("/content/<int:content_id>/wordpress/unpublish")
@role_required(Role.REVIEWER)
def unpublish(content_id: int) -> Any:
    form = UnpublishForm()
    if form.validate_on_submit():
        try:
            content = content_service.get_content(current_scope(), content_id)
            had_post = bool(content.external_id)
            publishing.unpublish(current_scope(), content_id, trash=bool(form.trash.data))
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, NotFound):
                raise
            flash(error.message, "error")
        else:
            db.session.commit()
            if not had_post:
                flash("Back to draft: the approval was withdrawn.", "success")
            else:
                trashed = " and moved the post to the WordPress trash" if form.trash.data else ""
                flash(f"Unpublished{trashed}; the content is a draft again.", "success")
    return _back(content_id)


@bp.get("/content/<int:content_id>/wordpress/status")
@role_required()
def status(content_id: int) -> Any:
    """Ask WordPress now (read only): remote status, link, drift, missing."""
    scope = current_scope()
    result = publishing.wordpress_status(scope, content_id)
    content = content_service.get_content(scope, content_id)
    return render("wordpress/status.html", block="status", wp_status=result, content=content)
