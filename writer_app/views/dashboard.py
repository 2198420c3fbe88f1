from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from writer_app.forms.settings import EmptyForm
from writer_app.models import ContentStatus, TaskStatus, db
from writer_app.services.dashboard import dashboard
from writer_app.services.identity import accounts
from writer_app.services.inputs import object_id
from writer_app.views.common import current_scope, render, role_required
from writer_app.views.redirects import safe_next

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@role_required()
def index() -> Any:
    data = dashboard(current_scope())
    return render(
        "dashboard/index.html",
        data=data,
        task_statuses=list(TaskStatus),
        content_statuses=list(ContentStatus),
    )


@bp.post("/context")
@role_required()
def set_context() -> Any:
    """The header's site/sector switcher; remembered per user and account."""
    if EmptyForm().validate_on_submit():
        site_part, _, sector_part = request.form.get("context", "").partition(":")
        site_id, sector_id = object_id(site_part), object_id(sector_part)
        accounts.set_working_context(current_scope(), site_id, sector_id)
        db.session.commit()
        flash("Working context updated.", "info")
    return redirect(safe_next(request.form.get("next"), url_for(".index")))
