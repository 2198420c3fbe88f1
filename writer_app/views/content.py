"""Content pages: the filtered list (htmx, state in the URL), the review page (preview, rich-text edit
form with optimistic concurrency, terms, images, review decisions, timeline, revisions and diffs),
and the admin's review settings."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, jsonify, redirect, request, url_for

from writer_app.forms.content import ContentForm, DecisionForm, RestoreForm, ReviewSettingsForm, TermsForm
from writer_app.models import (
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentType,
    Role,
    SyncStatus,
    db,
)
from writer_app.services import clusters as cluster_service
from writer_app.services import content as content_service
from writer_app.services import content_terms, csv_export
from writer_app.services.editing import autosave, locks
from writer_app.services.errors import Conflict, DomainError, NotFound, ValidationError
from writer_app.services.media.content_images import content_images
from writer_app.services.pagination import PAGE_SIZES, page_params
from writer_app.services.publishing import actions as publishing
from writer_app.services.review import decisions as review
from writer_app.services.review import revisions
from writer_app.text.html import sanitize_html
from writer_app.views.common import (
    apply_domain_error,
    cached_page,
    csv_response,
    current_scope,
    form_errors_status,
    is_fragment_request,
    render,
    role_required,
    site_menu,
)

bp = Blueprint("content", __name__, url_prefix="/content")

LIST_ARGS = (
    "search",
    "status",
    "cluster_id",
    "content_type",
    "content_structure",
    "source",
    "site_id",
    "sector_id",
    "ordering",
    "page_size",
)
ORDERINGS = [
    ("-updated_at", "Recently updated"),
    ("updated_at", "Least recently updated"),
    ("-created_at", "Newest"),
    ("created_at", "Oldest"),
    ("title", "Title A–Z"),
    ("-title", "Title Z–A"),
    ("status", "Status"),
    ("-status", "Status (reverse)"),
]


@bp.get("/")
@role_required()
@cached_page
def index() -> Any:
    scope = current_scope()
    args = request.args
    filters = content_service.ContentFilters.from_args(args)
    page, error, status = None, None, 200
    try:
        number, size = page_params(args.get("page"), args.get("page_size"))
        page = content_service.list_content(scope, filters, number, size)
    except ValidationError as exc:
        error, status = exc, (200 if is_fragment_request() else 400)
    state = {k: args[k] for k in LIST_ARGS if args.get(k)}
    return render(
        "content/index.html",
        block="results",
        status=status,
        page=page,
        filters=filters,
        filter_error=error,
        state=state,
        sites=site_menu(),
        cluster_choices=[
            (c.id, f"{c.name} ({c.sector_name})") for c in cluster_service.clusters_for_choices(scope)
        ],
        statuses=list(ContentStatus),
        types=list(ContentType),
        structures=list(ContentStructure),
        sources=list(ContentSource),
        orderings=ORDERINGS,
        page_sizes=PAGE_SIZES,
    )


@bp.get("/export.csv")
@role_required()
def export() -> Any:
    """The list's filters, every matching row (no paging) as CSV."""
    scope = current_scope()
    filters = content_service.ContentFilters.from_args(request.args)
    rows = csv_export.content_export_rows(scope, filters)  # bad filters raise here, before the download
    return csv_response("content.csv", csv_export.CONTENT_EXPORT_HEADER, rows)


def _review_context(content_id: int, **overrides: Any) -> dict[str, Any]:
    """Everything the review page shows; forms given in `overrides` keep what the user typed."""
    scope = current_scope()
    content = content_service.get_content(scope, content_id)
    attached = {t.id for t in content.taxonomy_terms}
    history = revisions.list_revisions(scope, content.id)
    context: dict[str, Any] = {
        "content": content,
        "preview_html": sanitize_html(content.html),
        "images": content_images(scope, content.id, content=content),
        "events": review.timeline(scope, content.id),
        "revisions": history,
        "actions": review.available_actions(scope, content),
        "pending": revisions.pending_change(scope, content),
        "goes_to_wordpress": publishing.goes_to_wordpress(content),
        "not_published_reason": review.why_not_published(content),
        "can_edit": scope.can(Role.EDITOR),
        "term_choices": content_terms.term_choices(scope, content.site_id, attached)
        if scope.can(Role.EDITOR)
        else {},
        "form": ContentForm.for_content(content, history[0].number if history else None),
        "autosave": autosave.pending(scope, content),
        "lock": locks.current(scope, content) if scope.can(Role.EDITOR) else None,
        "restored": False,
        "decision_form": DecisionForm(formdata=None),
        "terms_form": TermsForm(formdata=None),
        "restore_form": RestoreForm(formdata=None),
        "conflict": None,
        "terms_error": None,
        "publish_blocked": None,
    }
    context.update(overrides)
    return context


@bp.get("/<int:content_id>")
@role_required()
def review_page(content_id: int) -> Any:
    context = _review_context(content_id)
    slot = context["autosave"]
    if slot is not None and request.args.get("autosave") == "restore":
        # The unsaved fields go back into the form, on the version they started from (a stale save is
        # refused with the text kept, as any other).
        form = ContentForm.from_autosave(context["content"], slot)
        context.update(form=form, restored=sorted(slot.fields), autosave=None)
    return render("content/review.html", block="review", **context)


@bp.post("/<int:content_id>")
@role_required(Role.EDITOR)
def save(content_id: int) -> Any:
    """Save the edit form. A newer save by someone else is refused; the user's text stays in the form."""
    scope = current_scope()
    form = ContentForm()
    conflict = None
    if form.validate_on_submit():
        # "Save mine over theirs" names the version the user has now seen in the conflict message.
        expected = request.form.get("take_over", type=int) or form.expected_version()
        try:
            content = content_service.update_content(
                scope, content_id, expected, base_revision=form.base_revision(), **form.changes()
            )
            autosave.discard(scope, content_id)  # the slot is saved for real now
        except Conflict as error:
            db.session.rollback()
            conflict = error.message
        except ValidationError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        else:
            db.session.commit()
            if _wants_json():
                return _saved_json(content)
            flash(SAVED_MESSAGE, "success")
            return redirect(url_for(".review_page", content_id=content_id))
    status = 409 if conflict else form_errors_status()
    if _wants_json():
        # editor.js then submits the form natively, so the page shows the conflict or the field errors.
        return jsonify({"error": {"code": "conflict" if conflict else "validation_error"}}), status
    context = _review_context(content_id, form=form, conflict=conflict)
    return render("content/review.html", status=status, page_url=_page(content_id), **context)


SAVED_MESSAGE = "Saved. A new revision was stored."


def _wants_json() -> bool:
    """editor.js saves with fetch and stays on the page; a plain form post gets the page."""
    return request.accept_mimetypes.best == "application/json"


def _saved_json(content: Any) -> Any:
    latest = content_service.latest_revision(content.id)
    return jsonify(
        {"message": SAVED_MESSAGE, "version": content.version, "revision": latest.number if latest else None}
    )


@bp.post("/<int:content_id>/terms")
@role_required(Role.EDITOR)
def terms(content_id: int) -> Any:
    """Add or remove one term in place (htmx swaps the terms block; without JS: back to the page)."""
    form = TermsForm()
    error = None
    if not form.validate_on_submit():
        error = "Choose a category or tag."
    else:
        try:
            content_terms.set_taxonomy_terms(
                current_scope(),
                content_id,
                add=[form.add.data] if form.add.data else [],
                remove=[form.remove.data] if form.remove.data else [],
            )
        except ValidationError as exc:
            db.session.rollback()
            error = " ".join(m for ms in exc.fields.values() for m in ms) or exc.message
        else:
            db.session.commit()
    if is_fragment_request():
        return render("content/review.html", block="terms", **_review_context(content_id, terms_error=error))
    flash(error or "Terms updated.", "error" if error else "success")
    return redirect(url_for(".review_page", content_id=content_id) + "#terms")


def _page(content_id: int) -> str:
    return url_for(".review_page", content_id=content_id)


def _decide(content_id: int, action: Any, done: Any) -> Any:
    """Run a review decision: redirect to the page with a message, or show the comment error. The
    page shown after an error keeps the comment and the "Publish anyway" tick, at the page's URL."""
    form = DecisionForm()
    override = request.form.get("override_checks") in ("y", "on", "1")
    blocked = None
    if form.validate_on_submit():  # invalid: the comment is too long; its error shows on the page
        try:
            action(current_scope(), content_id, form.comment.data or "", form.expected_version())
        except ValidationError as error:
            db.session.rollback()
            apply_domain_error(form, error)
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, NotFound):
                raise
            if error.code != "publish_blocked":  # invalid transition, or approving one's own edit
                flash(error.message, "error")
                return redirect(_page(content_id), code=303)
            blocked = error.message  # required checks fail: offer the override here
        else:
            db.session.commit()
            flash(done() if callable(done) else done, "success")
            return redirect(_page(content_id), code=303)
    if override and blocked is None:  # e.g. the override's comment is missing: keep offering it
        blocked = "Required checks fail; publishing anyway needs a comment that says why."
    context = _review_context(
        content_id, decision_form=form, publish_blocked=blocked, override_checked=override
    )
    status = 409 if blocked and not form.errors and not form.form_errors else form_errors_status()
    return render("content/review.html", status=status, page_url=_page(content_id), **context)


@bp.post("/<int:content_id>/submit")
@role_required(Role.EDITOR)
def submit(content_id: int) -> Any:
    return _decide(
        content_id,
        lambda scope, cid, comment, version: review.submit_for_review(
            scope, cid, comment, expected_version=version
        ),
        "Submitted for review.",
    )


@bp.post("/<int:content_id>/approve")
@role_required(Role.REVIEWER)
def approve(content_id: int) -> Any:
    override = request.form.get("override_checks") in ("y", "on", "1")
    publish = request.form.get("publish", "1") != "0"  # "Approve, publish later" sends 0
    return _decide(
        content_id,
        lambda scope, cid, comment, version: review.approve(
            scope, cid, comment, override_checks=override, publish=publish, expected_version=version
        ),
        lambda: _approved_message(content_id),
    )


def _approved_message(content_id: int) -> str:
    content = content_service.get_content(current_scope(), content_id)
    if content.sync_status == SyncStatus.PENDING:
        return "Approved; publishing to WordPress has started."
    reason = review.why_not_published(content)
    return f"Approved. {reason}" if reason else "Approved."


@bp.post("/<int:content_id>/request-changes")
@role_required(Role.REVIEWER)
def request_changes(content_id: int) -> Any:
    return _decide(
        content_id,
        lambda scope, cid, comment, version: review.request_changes(
            scope, cid, comment, expected_version=version
        ),
        lambda: _changes_message(content_id),
    )


def _changes_message(content_id: int) -> str:
    content = content_service.get_content(current_scope(), content_id)
    if content.status == ContentStatus.DRAFT:
        return "Changes requested; the content is a draft again."
    return "Changes requested; the approved text stays as it is until the changes are approved."


@bp.get("/<int:content_id>/diff")
@role_required()
def diff(content_id: int) -> Any:
    """Readable differences between revisions a and b (defaults: the previous and the latest)."""
    scope = current_scope()
    listed = revisions.list_revisions(scope, content_id)
    if not listed:
        abort(404)
    b = request.args.get("b") or listed[0].number
    a = request.args.get("a") or (listed[1].number if len(listed) > 1 else listed[0].number)
    result = revisions.diff(scope, content_id, a, b)
    return render(
        "content/diff.html",
        block="diff",
        content=content_service.get_content(scope, content_id),
        result=result,
        revisions=listed,
        restore_form=RestoreForm(formdata=None),
        can_edit=scope.can(Role.EDITOR),
    )


@bp.post("/<int:content_id>/revisions/<int:number>/restore")
@role_required(Role.EDITOR)
def restore(content_id: int, number: int) -> Any:
    form = RestoreForm()
    if form.validate_on_submit():
        version = int(form.version.data) if (form.version.data or "").isdigit() else None
        try:
            revisions.restore(current_scope(), content_id, number, version)
        except (Conflict, ValidationError) as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"Restored revision {number} (stored as a new revision).", "success")
    return redirect(url_for(".review_page", content_id=content_id))


@bp.post("/<int:content_id>/delete")
@role_required(Role.EDITOR)
def delete(content_id: int) -> Any:
    if not DecisionForm().validate_on_submit():
        abort(400, description="The form expired; reload the page and try again.")
    content = content_service.delete_content(current_scope(), content_id)
    db.session.commit()
    flash(f"“{content.title}” was deleted.", "success")
    return redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def settings() -> Any:
    scope = current_scope()
    form = ReviewSettingsForm()
    if form.validate_on_submit():
        review.set_self_approval(scope, form.allow_self_approval.data)
        db.session.commit()
        flash("Review settings saved.", "success")
        return redirect(url_for(".settings"))
    if request.method == "GET":
        form.allow_self_approval.data = review.self_approval_allowed(scope)
    return render("content/settings.html", form=form)
