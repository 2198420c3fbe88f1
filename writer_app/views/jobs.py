"""Job pages: the self-polling progress component (GET /jobs/<id>), recent jobs, cancel."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, flash, redirect, request, url_for

from writer_app.forms.settings import EmptyForm
from writer_app.jobs.queue import Dispatch
from writer_app.models import Role, db
from writer_app.services import jobs
from writer_app.services.errors import DomainError, NotFound
from writer_app.views.common import current_scope, render, role_required
from writer_app.views.redirects import safe_next

bp = Blueprint("jobs", __name__, url_prefix="/jobs")


def _context(job_id: str, back: str, dispatch: Dispatch | None = None) -> dict[str, Any]:
    scope = current_scope()
    job = jobs.get_job(scope, job_id)
    return {
        "job": job,
        "rows": jobs.describe(scope, job),
        "label": jobs.KIND_LABELS.get(job.kind, job.kind.replace("_", " ")),
        "back": back,
        "dispatch": dispatch,
        "cancel_form": EmptyForm(),
        "can_cancel": scope.can(Role.EDITOR),
    }


def _done_trigger(response: Response, context: dict[str, Any]) -> Response:
    """When the job has ended, tell the page (htmx event) so lists can refresh the affected rows."""
    job = context["job"]
    if job.status.done:
        event = {"job_id": job.id, "kind": job.kind, "status": job.status.value, "ids": job.object_ids}
        response.headers["HX-Trigger"] = json.dumps({"writer:job-done": event})
    return response


def progress_response(job_id: str, back: str, dispatch: Dispatch | None = None) -> Response:
    """The progress component alone (what the generate buttons answer htmx with)."""
    context = _context(job_id, back, dispatch)
    return _done_trigger(render("jobs/show.html", block="progress", **context), context)


@bp.get("/")
@role_required()
def index() -> Any:
    return render("jobs/index.html", jobs_list=jobs.recent_jobs(current_scope(), 50))


@bp.get("/<job_id>")
@role_required()
def show(job_id: str) -> Any:
    back = safe_next(request.args.get("next"), url_for("jobs.index"))
    context = _context(job_id, back)
    return _done_trigger(render("jobs/show.html", block="progress", **context), context)


@bp.post("/<job_id>/cancel")
@role_required(Role.EDITOR)
def cancel(job_id: str) -> Any:
    back = safe_next(request.form.get("next"), url_for("jobs.index"))
    if EmptyForm().validate_on_submit():
        try:
            jobs.cancel_job(current_scope(), job_id)
        except NotFound:
            raise  # a malformed id or another account's job: 404 like the job page
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "error")
        else:
            db.session.commit()
            flash("Job canceled; unfinished items were released and their credits returned.", "success")
    return redirect(url_for("jobs.show", job_id=job_id, next=back))
