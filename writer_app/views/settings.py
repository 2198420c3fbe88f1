"""Settings: members and roles, sites and sectors, API tokens, credits."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user

from writer_app.forms.settings import (
    EmptyForm,
    InviteForm,
    RoleForm,
    SectorForm,
    SiteForm,
    TokenForm,
)
from writer_app.models import Role, db
from writer_app.services import credits, sites
from writer_app.services.errors import DomainError
from writer_app.services.identity import accounts, invitations, tokens
from writer_app.services.notifications import mail
from writer_app.views.common import (
    account_sites,
    current_scope,
    form_errors_status,
    render,
    role_required,
    saving,
)
from writer_app.views.single_submit import single_submit

bp = Blueprint("settings", __name__, url_prefix="/settings")


def _saved_or_errors(form: Any, action: Any, message: str, template: str, /, **context: Any) -> Any:
    """Run a service action for a valid form: commit and redirect, or re-render with the errors."""
    if form.validate_on_submit():
        with saving(form) as saved:
            action()
        if saved.ok:
            flash(message, "success")
            return redirect(request.path)
    return render(template, status=form_errors_status() if request.method == "POST" else 200, **context)


def _flash_outcome(action: Any, message: str) -> None:
    """For button POSTs that redirect back: commit and confirm, or roll back and say why not."""
    try:
        action()
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "error")
    else:
        db.session.commit()
        flash(message, "success")


@bp.get("/")
@role_required()
def index() -> Any:
    return redirect(url_for(".tokens_page"))


def _invitation_url(token: str) -> str:
    return url_for("invitations.accept", token=token, _external=True)


@bp.route("/members", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@single_submit
def members() -> Any:
    """Members, pending invitations, and the invite form. A new invitation's link is shown once; the
    answer is the same whether or not the address already has a Writer user."""
    scope = current_scope()
    form = InviteForm()
    created = None
    if form.validate_on_submit():
        with saving(form) as saved:
            created = invitations.create(
                scope, form.email.data, Role(form.role.data), current_app.config["INVITATION_DAYS"]
            )
            # Also emailed when SMTP_URL is set (after the commit); the link is shown once either way.
            mail.queue_invitation(scope, created.invitation, _invitation_url(created.token))
        if saved.ok:
            form = InviteForm(formdata=None)
    status = form_errors_status() if request.method == "POST" and form.errors else 200
    return render(
        "settings/members.html",
        form=form,
        created=created,
        invitation_url=_invitation_url(created.token) if created else None,
        invitation_emailed=mail.enabled(),
        members=accounts.list_members(scope),
        pending=invitations.list_pending(scope),
        role_form=RoleForm(),
        empty=EmptyForm(),
        status=status,
    )


@bp.post("/invitations/<int:invitation_id>/revoke")
@role_required(Role.ADMIN)
def revoke_invitation(invitation_id: int) -> Any:
    if EmptyForm().validate_on_submit():
        _flash_outcome(
            lambda: invitations.revoke(current_scope(), invitation_id),
            "Invitation withdrawn; its link no longer works.",
        )
    return redirect(url_for(".members"))


@bp.post("/members/<int:membership_id>/role")
@role_required(Role.ADMIN)
def member_role(membership_id: int) -> Any:
    form = RoleForm()
    if form.validate_on_submit():
        _flash_outcome(
            lambda: accounts.set_role(current_scope(), membership_id, Role(form.role.data)), "Role changed."
        )
    return redirect(url_for(".members"))


@bp.post("/members/<int:membership_id>/remove")
@role_required(Role.ADMIN)
def member_remove(membership_id: int) -> Any:
    if EmptyForm().validate_on_submit():
        _flash_outcome(lambda: accounts.remove_member(current_scope(), membership_id), "Member removed.")
    return redirect(url_for(".members"))


@bp.route("/sites", methods=["GET", "POST"])
@role_required()
@single_submit
def sites_page() -> Any:
    scope = current_scope()
    form = SiteForm()
    if request.method == "POST":
        scope.require(Role.ADMIN)
    return _saved_or_errors(
        form,
        lambda: sites.create_site(scope, form.name.data, form.domain.data or ""),
        "Site added.",
        "settings/sites.html",
        form=form,
        sector_form=SectorForm(prefix="sector"),
        sites=account_sites(),
        can_manage=scope.can(Role.ADMIN),
    )


@bp.post("/sites/<int:site_id>/sectors")
@role_required(Role.ADMIN)
@single_submit
def add_sector(site_id: int) -> Any:
    scope = current_scope()
    form = SectorForm(prefix="sector")
    if form.validate_on_submit():
        _flash_outcome(
            lambda: sites.create_sector(scope, site_id, form.name.data, form.description.data or ""),
            "Sector added.",
        )
    else:
        flash("Name the sector.", "error")
    return redirect(url_for(".sites_page"))


@bp.route("/tokens", methods=["GET", "POST"])
@role_required()
@single_submit
def tokens_page() -> Any:
    scope = current_scope()
    form = TokenForm()
    new_token = None
    if form.validate_on_submit():
        with saving(form) as saved:
            _, new_token = tokens.create_token(current_user, scope.account_id, form.name.data)
        if saved.ok:
            form = TokenForm(formdata=None)
    status = form_errors_status() if request.method == "POST" and form.errors else 200
    return render(
        "settings/tokens.html",
        form=form,
        new_token=new_token,
        tokens=tokens.list_tokens(scope),
        empty=EmptyForm(),
        status=status,
    )


@bp.post("/tokens/<int:token_id>/revoke")
@role_required()
def revoke_token(token_id: int) -> Any:
    if EmptyForm().validate_on_submit():
        token = tokens.revoke_token(current_scope(), token_id)
        db.session.commit()
        flash(f"Token “{token.name}” revoked; it no longer works.", "success")
    return redirect(url_for(".tokens_page"))


@bp.route("/credits", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def credits_page() -> Any:
    """Balance and ledger. Credits are added by operators (/operator/credits), never from here."""
    if request.method == "POST":
        abort(403, description="Credits are added by the operators of this Writer installation.")
    scope = current_scope()
    return render(
        "settings/credits.html", balance=credits.balance(scope.account_id), ledger=credits.ledger(scope)
    )
