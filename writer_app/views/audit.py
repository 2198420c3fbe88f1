"""Settings › Audit log: the account's recorded changes, filterable (admins only)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from wtforms import DateField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import Length, Optional

from writer_app.forms.base import FlaskForm
from writer_app.models import Role
from writer_app.services import audit_log
from writer_app.services.errors import ValidationError
from writer_app.services.pagination import Page, page_params
from writer_app.views.common import (
    apply_domain_error,
    current_scope,
    form_errors_status,
    render,
    role_required,
)

bp = Blueprint("audit", __name__, url_prefix="/settings/audit")


class AuditFilterForm(FlaskForm):
    """Filters read from the query string (no CSRF: a GET changes nothing)."""

    class Meta:
        csrf = False

    action = StringField("Action starts with", validators=[Optional(), Length(max=100)])
    user_id = SelectField("User", choices=[], validate_choice=False)
    object_type = SelectField("Object", choices=[], validate_choice=False)
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To", validators=[Optional()])


@bp.get("/")
@role_required(Role.ADMIN)
def index() -> Any:
    scope = current_scope()
    form = AuditFilterForm(formdata=request.args)
    form.user_id.choices = [SelectChoice("", "Anyone")] + [
        SelectChoice(str(u.id), u.display_name) for u in audit_log.actors(scope)
    ]
    form.object_type.choices = [SelectChoice("", "Any object")] + [
        SelectChoice(t, t) for t in audit_log.object_types(scope)
    ]
    filters = audit_log.AuditFilters(
        action=request.args.get("action", ""),
        user_id=request.args.get("user_id") or None,
        object_type=request.args.get("object_type", ""),
        date_from=request.args.get("date_from") or None,
        date_to=request.args.get("date_to") or None,
    )
    status = 200
    try:
        page, page_size = page_params(request.args.get("page"), request.args.get("page_size"), 50)
        result = audit_log.list_events(scope, filters, page, page_size)
    except ValidationError as error:
        apply_domain_error(form, error)
        result, status = Page([], 0, 1, 50), form_errors_status()
    return render("audit/index.html", block="results", status=status, form=form, result=result)
