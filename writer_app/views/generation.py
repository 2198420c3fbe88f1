"""Buttons that start AI jobs: generate content for selected tasks, image prompts and images.

Each POST checks the CSRF token, starts the job through its service (ids checked, credits reserved),
commits, then enqueues. htmx gets the self-polling progress component; plain forms are redirected to
the job page. A refusal (too many ids, not enough credits, ...) is a message, never a half-started job.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from writer_app.forms.settings import EmptyForm
from writer_app.jobs import ai as job_entry
from writer_app.jobs.queue import Dispatch, enqueue
from writer_app.models import Job, Role, db
from writer_app.services import generation
from writer_app.services.errors import DomainError
from writer_app.services.media import generation as image_generation
from writer_app.services.scope import Scope
from writer_app.views.common import current_scope, is_fragment_request, render, role_required
from writer_app.views.redirects import safe_next

bp = Blueprint("generation", __name__)


def _ids(*names: str) -> list[str]:
    for name in names:
        values = [v for v in request.form.getlist(name) if v.strip()]
        if values:
            return values
    return []


def _start(start: Callable[[Scope], Job], entry: Callable[[str], Any], fallback: str) -> Any:
    back = safe_next(request.form.get("next"), fallback)
    if not EmptyForm().validate_on_submit():
        return _refused("The form expired; reload the page and try again.", back)
    try:
        job = start(current_scope())
    except DomainError as error:
        db.session.rollback()
        return _refused(error.message, back)
    db.session.commit()
    dispatch = enqueue(job, entry)
    if is_fragment_request():
        db.session.expire_all()
        from writer_app.views.jobs import progress_response

        return progress_response(job.id, back, dispatch)
    flash(_flash_text(dispatch), "info" if not dispatch.inline or dispatch.status == "finished" else "error")
    return redirect(url_for("jobs.show", job_id=job.id, next=back))


def _flash_text(dispatch: Dispatch) -> str:
    return dispatch.message


def _refused(message: str, back: str) -> Any:
    if is_fragment_request():  # htmx swaps only 2xx: the refusal is a 200 fragment
        return render("jobs/_refused.html", message=message, back=back)
    flash(message, "error")
    return redirect(back)


def _fallback(endpoint: str) -> str:
    from flask import current_app

    return url_for(endpoint) if endpoint in current_app.view_functions else url_for("dashboard.index")


@bp.post("/tasks/generate")
@role_required(Role.EDITOR)
def generate() -> Any:
    """Draft content for the selected tasks (at most 10)."""
    ids = _ids("ids", "task_ids")
    return _start(
        lambda scope: generation.start(scope, ids), job_entry.generate_content, _fallback("tasks.index")
    )


@bp.post("/content/generate-images")
@role_required(Role.EDITOR)
def generate_images() -> Any:
    """Images for selected content (or tasks): prompts first where missing, then the images."""
    task_ids, content_ids = _ids("task_ids"), _ids("content_ids", "ids")
    if task_ids:

        def start(scope: Scope) -> Job:
            return image_generation.start_images(scope, task_ids=task_ids)
    else:

        def start(scope: Scope) -> Job:
            return image_generation.start_images(scope, content_ids=content_ids)

    return _start(start, job_entry.generate_images, _fallback("content.index"))


@bp.post("/content/image-prompts")
@role_required(Role.EDITOR)
def generate_image_prompts() -> Any:
    """(Re)write the image prompts and alt texts of the selected content."""
    ids = _ids("content_ids", "ids")
    return _start(
        lambda scope: image_generation.start_prompts(scope, ids),
        job_entry.generate_image_prompts,
        _fallback("content.index"),
    )
