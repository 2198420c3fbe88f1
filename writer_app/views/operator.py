"""The operators' page: mint (or remove) credits for any account. 404 for everyone else."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_login import current_user

from writer_app.forms.operator import OperatorCreditsForm
from writer_app.models import Role
from writer_app.services import credits
from writer_app.services.errors import ValidationError
from writer_app.services.identity import accounts
from writer_app.services.scope import Scope
from writer_app.views.common import form_errors_status, render, saving
from writer_app.views.single_submit import single_submit

bp = Blueprint("operator", __name__, url_prefix="/operator")

F = TypeVar("F", bound=Callable[..., Any])


def operator_required(view: F) -> F:
    """Not an operator (or not logged in): the page does not exist."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not (current_user.is_authenticated and current_user.is_operator):
            abort(404)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _grant(form: OperatorCreditsForm) -> Any:
    account = accounts.find_account(form.account.data or "")
    if account is None:
        raise ValidationError.field("account", "No account with this name or slug.")
    # The operator acts in the target account without being a member: the ledger and the account's
    # audit log name them; credits.grant checks that they are an operator.
    scope = Scope(account.id, Role.ADMIN, current_user.id)
    return account, credits.grant(scope, form.amount.data, form.note.data or "")


@bp.route("/credits", methods=["GET", "POST"])
@operator_required
@single_submit
def credits_page() -> Any:
    form = OperatorCreditsForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            account, entry = _grant(form)
        if saved.ok:
            flash(f"“{account.name}”: {entry.amount:+d} credits, balance {entry.balance_after}.", "success")
            return redirect(url_for(".credits_page"))
    status = 200 if request.method == "GET" else form_errors_status()
    return render("operator/credits.html", form=form, grants=credits.recent_grants(), status=status)
