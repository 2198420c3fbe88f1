"""Sign-up, login/logout, password change, account switching."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from writer_app.extensions import limiter
from writer_app.forms.auth import LoginForm, PasswordForm, SignupForm
from writer_app.forms.settings import EmptyForm
from writer_app.models import db
from writer_app.services.identity import accounts, sessions
from writer_app.views.common import form_errors_status, render, saving
from writer_app.views.redirects import safe_next
from writer_app.web import SESSION_TOKEN_KEY

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes to the dashboard."""
    return safe_next(target, url_for("dashboard.index"))


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _password_limit_key() -> str:
    return f"password-change:{current_user.get_id()}"  # per user: guessing from many addresses counts too


def _start_session(user: Any) -> None:
    """Log `user` in with a new server-side session and commit the request's work with it."""
    session.clear()
    token = sessions.start(user, user_agent=request.user_agent.string, ip_address=request.remote_addr or "")
    login_user(user)
    session[SESSION_TOKEN_KEY] = token
    membership = accounts.membership_for(user, user.current_account_id)
    session["account_id"] = membership.account_id if membership else None
    db.session.commit()


def _end_session() -> None:
    logout_user()
    session.clear()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Any:
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.email.data, form.password.data)
        except accounts.LoginRefused as refused:
            form.form_errors.append(str(refused))
        else:
            if user is None:
                form.form_errors.append("The email or password is not right.")
            else:
                _start_session(user)
                return redirect(_safe_next(request.args.get("next")))
    status = 200 if request.method == "GET" else form_errors_status()
    return render("auth/login.html", form=form, status=status)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def signup() -> Any:
    mode = current_app.config["SIGNUP"]
    if mode != "open":  # closed or invite: no self-service accounts; invitation links still work
        return render("auth/signup_closed.html", mode=mode, status=200 if request.method == "GET" else 403)
    form = SignupForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            user, account = accounts.sign_up(
                form.email.data,
                form.password.data,
                form.account_name.data,
                form.name.data or "",
                starting_credits=current_app.config["SIGNUP_CREDITS"],
            )
        if saved.ok:
            _start_session(user)
            db.session.commit()
            flash(
                f"Welcome to Writer. “{account.name}” is ready: add a site in Settings to start.", "success"
            )
            return redirect(url_for("dashboard.index"))
    status = 200 if request.method == "GET" else form_errors_status()
    return render("auth/signup.html", form=form, status=status)


@bp.post("/logout")
@login_required
def logout() -> Any:
    if EmptyForm().validate_on_submit():
        sessions.revoke(session.get(SESSION_TOKEN_KEY))  # a copy of this cookie stops working too
        db.session.commit()
        _end_session()
        flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
@limiter.limit(_login_limit, methods=["POST"], key_func=_password_limit_key)
def password() -> Any:
    form = PasswordForm()
    if form.validate_on_submit():
        with saving(form) as saved:
            accounts.change_password(
                current_user,
                form.current_password.data,
                form.new_password.data,
                keep_session_id=g.user_session.id,
            )
        if saved.ok:
            flash("Your password is changed. Your other sessions are logged out.", "success")
            return redirect(url_for("dashboard.index"))
    status = 200 if request.method == "GET" else form_errors_status()
    return render(
        "auth/password.html",
        form=form,
        status=status,
        user_sessions=sessions.list_live(current_user.id),
        current_session_id=g.user_session.id,
        end_form=EmptyForm(),
    )


@bp.post("/account/sessions/end-all")
@login_required
def end_all_sessions() -> Any:
    """Log out everywhere, this browser included."""
    if not EmptyForm().validate_on_submit():
        flash("The form expired; reload the page and try again.", "error")
        return redirect(url_for("auth.password"))
    sessions.revoke_all(current_user.id)
    db.session.commit()
    _end_session()
    flash("You are logged out everywhere.", "info")
    return redirect(url_for("auth.login"))


@bp.post("/account/sessions/<int:session_id>/end")
@login_required
def end_session(session_id: int) -> Any:
    """Log out one of the user's sessions (a lost laptop); their own current one logs them out here."""
    if not EmptyForm().validate_on_submit():
        flash("The form expired; reload the page and try again.", "error")
        return redirect(url_for("auth.password"))
    sessions.revoke_one(current_user.id, session_id)
    db.session.commit()
    if session_id == g.user_session.id:
        _end_session()
        flash("You are logged out.", "info")
        return redirect(url_for("auth.login"))
    flash("That session is logged out.", "info")
    return redirect(url_for("auth.password"))


@bp.post("/account/switch")
@login_required
def switch_account() -> Any:
    form = EmptyForm()
    if form.validate_on_submit():
        membership = accounts.switch_account(current_user, request.form.get("account_id", type=int) or 0)
        session["account_id"] = membership.account_id
        db.session.commit()
        flash(f"Now working in “{membership.account.name}”.", "info")
    return redirect(url_for("dashboard.index"))
