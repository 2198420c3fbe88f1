"""Email for notifications and invitations: one `send_mail` job per event, sent after the caller's commit.

A mail job is a Job row (queue `mail`, no credits, not in the audit log) whose RQ entry point sends each
message through integrations/mail.py. Without Redis it runs inline once the request committed (the same
code path); it never runs inside the user's transaction and its failure never undoes the user's action.
An SMTP server that is down is tried again with backoff (MAIL_RETRY_INTERVALS) by RQ; after the last
attempt the message is recorded as failed (Settings → Email shows failed mail to admins, who can send it
again). Invitation links are bearer secrets: the job keeps the link encrypted and erases it once sent.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from writer_app.integrations import mail as smtp
from writer_app.jobs import queue as job_queue
from writer_app.models import Invitation, Job, JobStatus, Notification, NotificationPreference, Role, db
from writer_app.models.base import utcnow
from writer_app.services import jobs, secrets
from writer_app.services.jobs import RetryLater
from writer_app.services.notifications.kinds import EventKind
from writer_app.services.scope import Scope

log = logging.getLogger("writer.mail")

KIND = "send_mail"
QUEUE = "mail"
ENTRY = "writer_app.jobs.mail.send_mail"


def enabled() -> bool:
    return bool(current_app.config.get("SMTP_URL"))


def email_off(user_id: int) -> set[str]:
    prefs = db.session.get(NotificationPreference, user_id)
    return set(prefs.email_off or []) if prefs is not None else set()


def _create_job(account_id: int, user_id: int | None, object_type: str, ids: Sequence[Any]) -> Job:
    job = Job(
        id=str(uuid.uuid4()),
        account_id=account_id,
        user_id=user_id,
        kind=KIND,
        queue=QUEUE,
        status=JobStatus.QUEUED,
        object_type=object_type,
        object_ids=list(ids),
        progress_done=0,
        progress_total=len(ids),
        result={},
        error="",
        ran_inline=False,
        created_at=utcnow(),
    )
    db.session.add(job)
    job_queue.enqueue_after_commit(job, ENTRY, timeout=5 * 60, retry_intervals=_intervals())
    return job


def queue_notifications(account_id: int, actor_id: int | None, rows: Sequence[Notification]) -> Job | None:
    """Mark the rows whose recipients want email as pending and create the job that sends them."""
    if not enabled() or not rows:
        return None
    wanted = [n for n in rows if n.kind not in email_off(n.user_id)]
    if not wanted:
        return None
    job = _create_job(account_id, actor_id, "notification", [n.id for n in wanted])
    for notification in wanted:
        notification.email_status = "pending"
        notification.mail_job_id = job.id
    db.session.flush()
    return job


def queue_invitation(scope: Scope, invitation: Invitation, link: str) -> Job | None:
    """Email an invitation's link (admins; the link is also shown to them once)."""
    scope.require(Role.ADMIN)
    if not enabled():
        return None
    job = _create_job(scope.account_id, scope.user_id, "invitation", [invitation.id])
    job.result = {"link": secrets.encrypt(link).decode()}
    db.session.flush()
    return job


def _intervals() -> list[int]:
    return list(current_app.config.get("MAIL_RETRY_INTERVALS") or [])


# --- the job ----------------------------------------------------------------------------------------


def link_builder() -> Callable[..., str]:
    """url_for for emails: absolute URLs on PUBLIC_URL, with no request to take the host from."""
    parts = urlsplit(str(current_app.config.get("PUBLIC_URL") or "http://127.0.0.1:5000"))
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )

    def build(endpoint: str, **values: Any) -> str:
        return adapter.build(endpoint, values, force_external=True)

    return build


def notification_link(notification: Notification, build: Callable[..., str]) -> str:
    if notification.content_id is not None:
        return build("content.review_page", content_id=notification.content_id)
    if notification.job_id:
        return build("jobs.show", job_id=notification.job_id)
    return build("notifications.inbox_page")


def _notification_message(notification: Notification, build: Callable[..., str]) -> Any:
    user = notification.user
    text = "\n\n".join(
        part
        for part in (
            notification.title,
            notification.body,
            f"Open it in Writer: {notification_link(notification, build)}",
            "You get this email for “"
            + EventKind(notification.kind).label
            + f"”. Choose which emails you get: {build('notifications.preferences')}",
        )
        if part
    )
    return smtp.build_message(
        sender=current_app.config["MAIL_FROM"],
        to=smtp.address(user.name, user.email),
        subject=notification.title,
        text=text,
    )


def _invitation_message(job: Job) -> Any:
    invitation = db.session.get(Invitation, int(job.object_ids[0]))
    link = secrets.decrypt(str((job.result or {}).get("link") or "").encode())
    if invitation is None or not link or invitation.accepted_at or invitation.revoked_at:
        return None  # withdrawn or used meanwhile: nothing to send
    inviter = invitation.invited_by.display_name if invitation.invited_by else "An admin"
    text = (
        f"{inviter} invited you to work in {invitation.account.name} on Writer as {invitation.role.value}.\n\n"
        f"Accept the invitation: {link}\n\n"
        f"The link works once, until {invitation.expires_at:%Y-%m-%d}. If you did not expect it, ignore this email."
    )
    return smtp.build_message(
        sender=current_app.config["MAIL_FROM"],
        to=invitation.email,
        subject=f"Invitation to {invitation.account.name} on Writer",
        text=text,
    )


def _messages(job: Job) -> list[tuple[Notification | None, Any]]:
    if job.object_type == "invitation":
        message = _invitation_message(job)
        return [(None, message)] if message is not None else []
    build = link_builder()
    rows = db.session.scalars(
        select(Notification).where(
            Notification.mail_job_id == job.id,
            Notification.email_status == "pending",
            Notification.id.in_([int(i) for i in job.object_ids]),
        )
    )
    return [(n, _notification_message(n, build)) for n in rows]


def run(job_id: str, *, final_attempt: bool, report: Any = None) -> dict[str, Any]:
    """Send the job's messages; those that fail on a transient error are tried again while RQ has
    retries left (RetryLater), then recorded as failed."""
    job = jobs.load(job_id)
    if job is None or not jobs.mark_started(job):
        return {}
    db.session.commit()
    if not enabled():
        _finish(job, [], [("", "", "SMTP_URL is not set any more.")])
        return {"sent": 0}
    settings = smtp.parse_smtp_url(current_app.config["SMTP_URL"])
    sent: list[str] = list((job.result or {}).get("sent") or [])
    failed: list[tuple[str, str, str]] = []
    retry = False
    for notification, message in _messages(job):
        try:
            smtp.send(settings, message)
        except smtp.MailError as exc:
            if exc.transient and not final_attempt:
                retry = True
                if notification is not None:
                    notification.email_error = str(exc)
                continue
            failed.append((message["To"], message["Subject"], str(exc)))
            if notification is not None:
                notification.email_status, notification.email_error = "failed", str(exc)
        else:
            sent.append(message["To"])
            if notification is not None:
                notification.email_status, notification.email_error = "sent", ""
        jobs.advance(job, len(sent) + len(failed))
        db.session.commit()  # each message's outcome is kept, so a retry sends only what is left
    if retry:
        jobs.update_result(job, sent=sent)
        db.session.commit()
        raise RetryLater("The SMTP server could not be reached; the email is sent again later.")
    _finish(job, sent, failed)
    return {"sent": len(sent), "failed": len(failed)}


def _finish(job: Job, sent: list[str], failed: list[tuple[str, str, str]]) -> None:
    result = {k: v for k, v in (job.result or {}).items() if k != "link"}  # the secret goes
    result.update(sent=sent, failed=[{"to": t, "subject": s, "error": e} for t, s, e in failed])
    job.result = result
    jobs.finish(job, error=failed[0][2] if failed else "")
    db.session.commit()


def abandon(job: Job, reason: str) -> None:
    """For services.jobs._abandon: the job ended from outside (timeout, worker lost, a failed last
    attempt): what was still pending failed. Does not commit."""
    result = {k: v for k, v in (job.result or {}).items() if k != "link"}
    failed = list(result.get("failed") or [])
    for notification in db.session.scalars(
        select(Notification).where(Notification.mail_job_id == job.id, Notification.email_status == "pending")
    ):
        notification.email_status, notification.email_error = "failed", reason[:2000]
        failed.append({"to": notification.user.email, "subject": notification.title, "error": reason[:500]})
    if job.object_type == "invitation" and not result.get("sent"):
        failed.append({"to": _invitation_email(job), "subject": "Invitation", "error": reason[:500]})
    job.result = {**result, "failed": failed}


def _invitation_email(job: Job) -> str:
    invitation = db.session.get(Invitation, int(job.object_ids[0])) if job.object_ids else None
    return invitation.email if invitation is not None else ""


# --- what admins see --------------------------------------------------------------------------------


def failed_jobs(scope: Scope, limit: int = 20) -> list[Job]:
    """The account's mail jobs that ended with failed messages, newest first (admins)."""
    scope.require(Role.ADMIN)
    stmt = (
        select(Job)
        .where(Job.account_id == scope.account_id, Job.kind == KIND, Job.status == JobStatus.FAILED)
        .order_by(Job.created_at.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def retry_failed(scope: Scope) -> int:
    """Queue the account's failed notification emails again (admins); returns how many."""
    scope.require(Role.ADMIN)
    if not enabled():
        return 0
    rows = list(
        db.session.scalars(
            select(Notification).where(
                Notification.account_id == scope.account_id, Notification.email_status == "failed"
            )
        )
    )
    if not rows:
        return 0
    job = _create_job(scope.account_id, scope.user_id, "notification", [n.id for n in rows])
    for notification in rows:
        notification.email_status, notification.email_error = "pending", ""
        notification.mail_job_id = job.id
    db.session.flush()
    return len(rows)
