"""Fix with AI on the content page: the cost first, then a job, then the proposal as a word-level
diff whose changes the editor accepts or rejects one by one."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from writer_app.forms.ai_fixes import FixApplyForm, FixConfirmForm
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import enqueue
from writer_app.models import Role, db
from writer_app.services import content as content_service
from writer_app.services.ai_fixes import proposals
from writer_app.services.ai_fixes.fixers import FIXABLE
from writer_app.services.errors import Conflict, InsufficientCredits, ValidationError
from writer_app.services.validation import CHECKS
from writer_app.views.common import current_scope, render, role_required

bp = Blueprint("ai_fixes", __name__, url_prefix="/content")


@bp.app_context_processor
def _fixable() -> dict[str, Any]:
    return {"ai_fixable": FIXABLE}


def _review(content_id: int) -> Any:
    return redirect(url_for("content.review_page", content_id=content_id), 303)


@bp.get("/<int:content_id>/ai-fix")
@role_required(Role.EDITOR)
def confirm(content_id: int) -> Any:
    """What the fix costs, before anything runs."""
    scope = current_scope()
    checks = request.args.getlist("checks")
    try:
        cost = proposals.quote(scope, content_id, checks)
    except ValidationError as error:
        flash(error.message, "error")
        return _review(content_id)
    form = FixConfirmForm(formdata=None, checks=",".join(cost["checks"]))
    return render(
        "content/ai_fix_confirm.html",
        content=content_service.get_content(scope, content_id),
        cost=cost,
        labels=[CHECKS[k].label for k in cost["checks"]],
        form=form,
    )


@bp.post("/<int:content_id>/ai-fix")
@role_required(Role.EDITOR)
def start(content_id: int) -> Any:
    form = FixConfirmForm()
    if not form.validate_on_submit():
        flash("The form expired; ask for the fix again.", "error")
        return _review(content_id)
    checks = [k for k in (form.checks.data or "").split(",") if k]
    try:
        job = proposals.start(current_scope(), content_id, checks)
    except (ValidationError, InsufficientCredits) as error:
        db.session.rollback()
        flash(error.message, "error")
        return _review(content_id)
    fix_id = job.result["fix_id"]
    db.session.commit()
    enqueue(job, job_entry.fix_content)
    return redirect(url_for(".proposal", content_id=content_id, fix_id=fix_id), 303)


@bp.get("/<int:content_id>/ai-fix/<int:fix_id>")
@role_required(Role.EDITOR)
def proposal(content_id: int, fix_id: int) -> Any:
    scope = current_scope()
    fix = proposals.get_fix(scope, content_id, fix_id)
    shown = proposals.proposal(fix)
    form = FixApplyForm(formdata=None, change_ids=[c["id"] for c in shown["changes"]])
    form.change_ids.choices = [(c["id"], c["id"]) for c in shown["changes"]]
    return render(
        "content/ai_fix.html",
        content=content_service.get_content(scope, content_id),
        fix=shown,
        form=form,
    )


@bp.post("/<int:content_id>/ai-fix/<int:fix_id>/apply")
@role_required(Role.EDITOR)
def apply(content_id: int, fix_id: int) -> Any:
    form = FixApplyForm()
    if not form.validate_on_submit():
        flash("The form could not be read (it may have expired); reload the proposal and try again.", "error")
        return redirect(url_for(".proposal", content_id=content_id, fix_id=fix_id), 303)
    try:
        proposals.apply(current_scope(), content_id, fix_id, form.change_ids.data or [])
    except (Conflict, ValidationError) as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for(".proposal", content_id=content_id, fix_id=fix_id), 303)
    db.session.commit()
    flash("The accepted changes were saved as a new revision.", "success")
    return _review(content_id)
