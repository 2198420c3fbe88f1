"""Accepting an invitation link: as the logged-in user it is for, or as a new user who sets a password.

The link works whatever SIGNUP says (closed and invite keep invitations working). Accepting is throttled
like login; looking at the page changes nothing (only the POST uses the invitation up).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, session, url_for
from flask_login import current_user

from writer_app.extensions import limiter
from writer_app.forms.auth import AcceptInvitationForm
from writer_app.forms.settings import EmptyForm
from writer_app.models import db
from writer_app.services.identity import invitations
from writer_app.views.auth import _start_session
from writer_app.views.common import form_errors_status, render, saving

bp = Blueprint("invitations", __name__)


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def accept(token: str) -> Any:
    invitation = invitations.find(token)  # unknown 404, used/withdrawn/expired 410: the error page says which
    if current_user.is_authenticated:
        return _accept_logged_in(invitation)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            user, membership = invitations.accept_with_password(
                invitation, form.name.data or "", form.password.data
            )
        if saved.ok:
            _start_session(user)
            db.session.commit()
            flash(
                f"Welcome to Writer. You are {membership.role.value} in “{invitation.account.name}”.",
                "success",
            )
            return redirect(url_for("dashboard.index"))
    status = 200 if request.method == "GET" else form_errors_status()
    login_url = url_for("auth.login", next=request.path)
    return render(
        "invitations/accept.html", invitation=invitation, form=form, login_url=login_url, status=status
    )


def _accept_logged_in(invitation: Any) -> Any:
    form = EmptyForm()
    if not invitations.is_for(invitation, current_user):
        status = 200 if request.method == "GET" else 403
        return render(
            "invitations/accept.html", invitation=invitation, wrong_user=True, form=form, status=status
        )
    if form.validate_on_submit():
        membership = invitations.accept(invitation, current_user)
        session["account_id"] = membership.account_id
        db.session.commit()
        flash(f"You joined “{invitation.account.name}” as {membership.role.value}.", "success")
        return redirect(url_for("dashboard.index"))
    return render("invitations/accept.html", invitation=invitation, form=form)
