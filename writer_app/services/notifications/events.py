"""Who hears about what: one Notification per recipient and event, never for the person who acted.

The hooks are called by the services where things happen (a few call lines each):

    review_decided(scope, content, decision, comment)   review_rules.record_decision
    publish_ended(job, content_id, error)               publishing_finish.succeed / fail / abandon
    job_ended(job)                                      services.jobs.finish / fail_job

Recipients are always current, active members of the content's or job's account.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import select

from writer_app.models import (
    Content,
    Job,
    JobStatus,
    Membership,
    Notification,
    ReviewDecision,
    Role,
    User,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services.notifications import mail
from writer_app.services.notifications.kinds import NOTIFIED_JOB_KINDS, EventKind
from writer_app.services.scope import Scope

REVIEWER_ROLES = (Role.REVIEWER, Role.ADMIN)


def _members(account_id: int, roles: Iterable[Role] | None = None) -> list[tuple[int, str, str]]:
    """(user id, name, email) of the account's active members, optionally of some roles only."""
    stmt = (
        select(User.id, User.name, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.account_id == account_id, User.active.is_(True))
    )
    if roles is not None:
        stmt = stmt.where(Membership.role.in_(list(roles)))
    return [(row[0], row[1], row[2]) for row in db.session.execute(stmt)]


def notify(
    kind: EventKind,
    *,
    account_id: int,
    recipients: Iterable[int | None],
    actor_id: int | None,
    title: str,
    body: str = "",
    content_id: int | None = None,
    job_id: str | None = None,
) -> list[Notification]:
    """Inbox rows for `recipients` (members only, the actor left out), and their email job. Flushes."""
    wanted = {r for r in recipients if r is not None and r != actor_id}
    if not wanted:
        return []
    members = {user_id for user_id, _, _ in _members(account_id)}
    rows = [
        Notification(
            account_id=account_id,
            user_id=user_id,
            actor_id=actor_id,
            kind=kind.value,
            title=title[:300],
            body=body[:4000],
            content_id=content_id,
            job_id=job_id,
            email_status="none",
            email_error="",
            created_at=utcnow(),
        )
        for user_id in sorted(wanted & members)
    ]
    if not rows:
        return []
    db.session.add_all(rows)
    db.session.flush()
    mail.queue_notifications(account_id, actor_id, rows)
    return rows


def _name(user_id: int | None) -> str:
    user = db.session.get(User, user_id) if user_id is not None else None
    return user.display_name if user is not None else "Writer"


def mentioned_ids(account_id: int, text: str) -> set[int]:
    """Members named as @name in `text`: by their name, their email, or its part before the @."""
    if "@" not in text:
        return set()
    lowered = text.lower()
    found = set()
    for user_id, name, email in _members(account_id):
        handles = {h for h in (name.strip().lower(), email.lower(), email.lower().split("@")[0]) if h}
        for handle in handles:
            if re.search(r"(?<![\w@.])@" + re.escape(handle) + r"(?![\w-])", lowered):
                found.add(user_id)
                break
    return found


def review_decided(scope: Scope, content: Content, decision: ReviewDecision, comment: str) -> None:
    """A review decision: reviewers hear of a submission, the submitter of requested changes, the
    submitter and the last editor of an approval; anyone @mentioned in the comment."""
    actor, title = scope.user_id, content.title
    who = _name(actor)
    told: set[int] = set()
    common = {"account_id": scope.account_id, "actor_id": actor, "content_id": content.id}
    if decision == ReviewDecision.SUBMITTED:
        reviewers = [user_id for user_id, _, _ in _members(scope.account_id, REVIEWER_ROLES)]
        rows = notify(
            EventKind.REVIEW_SUBMITTED,
            recipients=reviewers,
            title=f"{who} submitted “{title}” for review",
            body=comment,
            **common,
        )
    elif decision == ReviewDecision.CHANGES_REQUESTED:
        rows = notify(
            EventKind.CHANGES_REQUESTED,
            recipients=[content.submitted_by_id],
            title=f"{who} requested changes to “{title}”",
            body=comment,
            **common,
        )
    elif decision == ReviewDecision.APPROVED:
        rows = notify(
            EventKind.APPROVED,
            recipients=[content.submitted_by_id, content.last_edited_by_id],
            title=f"{who} approved “{title}”",
            body=comment,
            **common,
        )
    else:
        rows = []
    told.update(n.user_id for n in rows)
    mentioned = mentioned_ids(scope.account_id, comment) - told
    if mentioned:
        notify(
            EventKind.MENTIONED,
            recipients=mentioned,
            title=f"{who} mentioned you on “{title}”",
            body=comment,
            **common,
        )


def publish_ended(job: Job, content_id: int, error: str = "") -> None:
    """Published or failed: the submitter and the last editor hear of it (the reviewer who started the
    job hears of it through job_ended)."""
    content = db.session.get(Content, content_id)
    if content is None:
        return
    recipients = [content.submitted_by_id, content.last_edited_by_id]
    scheduled = (content.external_metadata or {}).get("wp_status") == "future"
    if error:
        kind, title = EventKind.PUBLISH_FAILED, f"Publishing “{content.title}” failed"
    elif scheduled:
        kind, title = EventKind.PUBLISHED, f"“{content.title}” is scheduled on WordPress"
    else:
        kind, title = EventKind.PUBLISHED, f"“{content.title}” is published"
    notify(
        kind,
        account_id=job.account_id,
        recipients=recipients,
        actor_id=job.user_id,
        title=title,
        body=error,
        content_id=content.id,
        job_id=job.id,
    )


def job_ended(job: Job) -> None:
    """An AI or publish job finished or failed: whoever started it hears of it."""
    if job.kind not in NOTIFIED_JOB_KINDS or job.user_id is None:
        return
    status = JobStatus(job.status)
    if status not in (JobStatus.FINISHED, JobStatus.FAILED):
        return
    from writer_app.services.jobs import KIND_LABELS

    label = KIND_LABELS.get(job.kind, job.kind.replace("_", " "))
    content_id = None
    if job.kind.startswith("wordpress_") and len(job.object_ids or []) == 1:
        content = db.session.get(Content, int(job.object_ids[0]))
        if content is not None:
            content_id = content.id
            label = f"{label}: “{content.title}”"
    failed = status == JobStatus.FAILED
    done = f"{job.progress_done} of {job.progress_total} done." if job.progress_total else ""
    notify(
        EventKind.JOB_FAILED if failed else EventKind.JOB_FINISHED,
        account_id=job.account_id,
        recipients=[job.user_id],
        actor_id=None,  # the job acted; its starter is told even though they asked for it
        title=f"{label} {'failed' if failed else 'finished'}",
        body=job.error if failed else done,
        content_id=content_id,
        job_id=job.id,
    )
