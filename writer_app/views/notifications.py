"""The inbox (`/inbox`), the bell's count, email choices, and Settings → Email for admins.

Mail jobs created by any service in this request are enqueued once the request committed
(`jobs.queue.enqueue_deferred`, after every request), so an email never goes out for an action that was
rolled back, and sending never holds the user's transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for

from writer_app.config import mask_url
from writer_app.forms.settings import EmptyForm
from writer_app.models import Role, db
from writer_app.services.errors import DomainError, NotFound
from writer_app.services.notifications import EventKind, inbox, mail
from writer_app.views.common import current_scope, render, role_required

log = logging.getLogger("writer.mail")
bp = Blueprint("notifications", __name__)


@bp.app_context_processor
def _bell() -> dict[str, Any]:
    """`inbox_unread()` for the header's bell, computed only where a page renders the header."""

    def inbox_unread() -> int:
        # Kept on the request, not on g: an app context may outlive a request (tests, inline jobs).
        if not hasattr(request, "writer_inbox_unread"):
            request.writer_inbox_unread = inbox.unread_count(current_scope())  # type: ignore[attr-defined]
        return int(request.writer_inbox_unread)  # type: ignore[attr-defined]

    return {"inbox_unread": inbox_unread}


def _link(notification: Any) -> str:
    if notification.content_id is not None:
        return url_for("content.review_page", content_id=notification.content_id)
    if notification.job_id:
        return url_for("jobs.show", job_id=notification.job_id)
    return url_for(".inbox")


@bp.get("/inbox")
@role_required()
def inbox_page() -> Any:
    unread_only = request.args.get("unread") == "1"
    try:
        page = max(1, int(request.args.get("page", 1)))
    except ValueError:
        page = 1
    result = inbox.list_notifications(current_scope(), page, unread_only)
    return render(
        "notifications/inbox.html",
        block="list",
        page=result,
        unread_only=unread_only,
        link=_link,
        form=EmptyForm(),
    )


@bp.post("/inbox/<int:notification_id>/open")
@role_required()
def open_notification(notification_id: int) -> Any:
    """Mark it read and go where it points (a POST: reading changes state)."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for(".inbox_page"))
    notification = inbox.mark_read(current_scope(), notification_id)
    target = _link(notification)
    db.session.commit()
    return redirect(target)


@bp.post("/inbox/<int:notification_id>/read")
@role_required()
def mark_read(notification_id: int) -> Any:
    if EmptyForm().validate_on_submit():
        inbox.mark_read(current_scope(), notification_id)
        db.session.commit()
    return redirect(url_for(".inbox_page", **request.args))


@bp.post("/inbox/read-all")
@role_required()
def mark_all_read() -> Any:
    if EmptyForm().validate_on_submit():
        count = inbox.mark_all_read(current_scope())
        db.session.commit()
        flash(f"Marked {count} notification{'s' if count != 1 else ''} read.", "success")
    return redirect(url_for(".inbox_page"))


@bp.get("/inbox/count")
@role_required()
def count() -> Any:
    """The bell alone, for htmx to refresh it."""
    return render("notifications/_bell.html")


@bp.route("/inbox/preferences", methods=["GET", "POST"])
@role_required()
def preferences() -> Any:
    scope = current_scope()
    form = EmptyForm()
    if request.method == "POST" and form.validate_on_submit():
        chosen = {kind.value for kind in EventKind if request.form.get(f"email_{kind.value}")}
        inbox.set_email_choices(scope, chosen)
        db.session.commit()
        flash("Email choices saved.", "success")
        return redirect(url_for(".preferences"))
    return render(
        "notifications/preferences.html",
        kinds=list(EventKind),
        choices=inbox.email_choices(scope),
        mail_enabled=mail.enabled(),
        form=form,
    )


@bp.get("/settings/email")
@role_required(Role.ADMIN)
def email_settings() -> Any:
    scope = current_scope()
    config = current_app.config
    return render(
        "notifications/email_settings.html",
        smtp_url=mask_url(config.get("SMTP_URL") or ""),
        mail_from=config.get("MAIL_FROM") or "",
        public_url=config.get("PUBLIC_URL") or "",
        failed=mail.failed_jobs(scope),
        form=EmptyForm(),
    )


@bp.post("/settings/email/retry")
@role_required(Role.ADMIN)
def retry_failed() -> Any:
    if EmptyForm().validate_on_submit():
        try:
            count = mail.retry_failed(current_scope())
        except DomainError as error:
            db.session.rollback()
            if isinstance(error, NotFound):
                raise
            flash(error.message, "error")
        else:
            db.session.commit()
            flash(f"Sending {count} failed email{'s' if count != 1 else ''} again.", "success")
    return redirect(url_for(".email_settings"))
