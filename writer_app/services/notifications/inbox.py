"""The inbox: a user's notifications in their current account, newest first, and their email choices."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import joinedload

from writer_app.models import Notification, NotificationPreference, db
from writer_app.models.base import utcnow
from writer_app.services import plain_reads
from writer_app.services.count_cache import CountKey, cached_count
from writer_app.services.errors import NotFound
from writer_app.services.notifications.kinds import EventKind
from writer_app.services.pagination import Page, paginate
from writer_app.services.scope import Scope, scope_params, scoped_once

PAGE_SIZE = 25


def _mine(scope: Scope) -> Any:
    return select(Notification).where(
        Notification.account_id == scope.account_id, Notification.user_id == scope.user_id
    )


@cache
def _unread_count() -> Any:
    # On every page (the bell): built once, run with the scope's account and user.
    mine = Notification.user_id == bindparam("user_id")
    return (
        scoped_once(Notification).where(mine, Notification.read_at.is_(None)).with_only_columns(func.count())
    )


def unread_count(scope: Scope) -> int:
    """The bell's count, on every page: from the count cache while the account's data is unchanged
    (a new notification or one read is a write to the account, or to every account)."""
    if scope.user_id is None:
        return 0
    params = scope_params(scope, user_id=scope.user_id)
    return cached_count(
        CountKey(scope.account_id, f"inbox unread {scope.user_id}"),
        lambda: int(plain_reads.scalar(_unread_count(), params) or 0),
    )


def list_notifications(scope: Scope, page: int = 1, unread_only: bool = False) -> Page[Notification]:
    stmt = _mine(scope).options(joinedload(Notification.actor))
    if unread_only:
        stmt = stmt.where(Notification.read_at.is_(None))
    stmt = stmt.order_by(Notification.created_at.desc(), Notification.id.desc())
    return paginate(stmt, page, PAGE_SIZE)


def get_notification(scope: Scope, notification_id: Any) -> Notification:
    """One of the user's own notifications; NotFound for anyone else's."""
    try:
        wanted = int(notification_id)
    except (TypeError, ValueError):
        raise NotFound("Notification not found.") from None
    found = db.session.scalar(_mine(scope).where(Notification.id == wanted))
    if found is None:
        raise NotFound("Notification not found.")
    return found


def mark_read(scope: Scope, notification_id: Any) -> Notification:
    notification = get_notification(scope, notification_id)
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.flush()
    return notification


def mark_all_read(scope: Scope) -> int:
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.account_id == scope.account_id,
            Notification.user_id == scope.user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)


def email_choices(scope: Scope) -> dict[str, bool]:
    """{event kind: email on} for the user (every kind on until they turn it off)."""
    prefs = db.session.get(NotificationPreference, scope.user_id) if scope.user_id is not None else None
    off = set(prefs.email_off or []) if prefs is not None else set()
    return {kind.value: kind.value not in off for kind in EventKind}


def set_email_choices(scope: Scope, email_on: set[str]) -> None:
    """Email for the kinds in `email_on`, none for the others (the inbox keeps them all)."""
    if scope.user_id is None:
        raise NotFound("Preferences belong to a user.")
    off = sorted(kind.value for kind in EventKind if kind.value not in email_on)
    prefs = db.session.get(NotificationPreference, scope.user_id)
    if prefs is None:
        prefs = NotificationPreference(user_id=scope.user_id, email_off=off, updated_at=utcnow())
        db.session.add(prefs)
    else:
        prefs.email_off = off
    db.session.flush()
