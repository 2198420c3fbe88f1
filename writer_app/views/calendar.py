"""The editorial calendar (`/calendar`): a month of scheduled and published content, rescheduling
(reviewers) and the check for missed schedules."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, request, url_for

from writer_app.forms.settings import EmptyForm
from writer_app.forms.wordpress import ScheduleForm
from writer_app.models import Role, db
from writer_app.models.base import utcnow
from writer_app.services.editorial import calendar
from writer_app.services.errors import DomainError, NotFound
from writer_app.services.publishing import actions as publishing
from writer_app.views.common import current_scope, render, role_required, site_filter, site_menu

bp = Blueprint("calendar", __name__)


def _month() -> tuple[int, int]:
    today = utcnow()
    try:
        year = int(request.values.get("year", today.year))
        month = int(request.values.get("month", today.month))
    except ValueError:
        return today.year, today.month
    return year, month


def _back() -> Any:
    year, month = _month()
    site_id = request.values.get("site_id") or None
    return redirect(url_for(".index", year=year, month=month, site_id=site_id))


@bp.get("/calendar")
@role_required()
def index() -> Any:
    scope = current_scope()
    year, month = _month()
    site_id = site_filter()
    try:
        view = calendar.month_view(scope, year, month, site_id)
    except DomainError as error:
        flash(error.message + " " + " ".join(m for ms in error.fields.values() for m in ms), "error")
        now = utcnow()
        view = calendar.month_view(scope, now.year, now.month, site_id)
    return render(
        "calendar/index.html",
        view=view,
        sites=site_menu(),
        site_id=site_id,
        can_reschedule=lambda content: calendar.can_reschedule(scope, content),
        schedule_form=ScheduleForm(formdata=None),
        form=EmptyForm(),
        today=utcnow().date(),
    )


@bp.post("/calendar/<int:content_id>/reschedule")
@role_required(Role.REVIEWER)
def reschedule(content_id: int) -> Any:
    form = ScheduleForm()
    if not form.validate_on_submit():
        flash("Pick a date and time to reschedule to.", "error")
        return _back()
    try:
        job = calendar.reschedule(current_scope(), content_id, form.when.data)
    except DomainError as error:
        db.session.rollback()
        if isinstance(error, NotFound):
            raise
        flash(error.message + " " + " ".join(m for ms in error.fields.values() for m in ms), "error")
        return _back()
    db.session.commit()
    dispatch = publishing.dispatch(job)
    when = form.when.data.strftime("%Y-%m-%d %H:%M")
    if dispatch.inline and dispatch.status == "failed":
        flash(f"Rescheduling failed: {job.error or 'see the content page'}", "error")
    else:
        flash(f"Rescheduled to {when} (site time).", "success")
    return _back()


@bp.post("/calendar/check")
@role_required(Role.EDITOR)
def check_overdue() -> Any:
    if EmptyForm().validate_on_submit():
        report = calendar.check_overdue(current_scope(), site_filter())
        db.session.commit()
        flash(
            f"Checked overdue posts in WordPress: {report.missed} missed their schedule, "
            f"{report.went_out} went out, {report.unknown} could not be checked.",
            "info",
        )
    return _back()
