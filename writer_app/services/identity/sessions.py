"""Server-side login sessions: a browser's session cookie carries a random token, this table its SHA-256.

A session is valid while its row is neither revoked nor expired: it expires `SESSION_LIFETIME_DAYS`
after login whatever happens, and earlier when unused for `SESSION_IDLE_DAYS`. Logout revokes its own
row; a password change revokes the user's other rows; "log out everywhere", deactivation and the loss
of the user's last membership revoke them all.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import timedelta
from functools import cache
from typing import Any

from flask import current_app
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import contains_eager

from writer_app.models import Membership, User, UserSession, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services.errors import NotFound

log = logging.getLogger(__name__)

# last_seen_at is written at most this often: not a write on every request.
LAST_SEEN_PRECISION = timedelta(minutes=5)
_MAX_ID = 2**31 - 1  # an integer column's range: larger ids are not looked up


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _lifetime() -> timedelta:
    return timedelta(days=current_app.config["SESSION_LIFETIME_DAYS"])


def _idle() -> timedelta:
    return timedelta(days=current_app.config["SESSION_IDLE_DAYS"])


def start(user: User, *, user_agent: str = "", ip_address: str = "") -> str:
    """A new session for the user; returns the raw token for the cookie (only its hash is kept)."""
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    record = UserSession(
        user_id=user.id,
        token_hash=_hash(raw),
        user_agent=(user_agent or "")[:200],
        ip_address=(ip_address or "")[:45],
        last_seen_at=now,
        expires_at=now + _lifetime(),
    )
    db.session.add(record)
    db.session.flush()
    return raw


def find(user_id: int, raw: str) -> UserSession | None:
    """The live session of this token and user, with the user, their memberships and accounts loaded
    (one query: every page's layout needs them); None when unknown, revoked, expired, idle for too
    long, another user's, or the user is deactivated."""
    if not raw or not 1 <= user_id <= _MAX_ID:
        return None
    now = utcnow()
    params = {"token_hash": _hash(raw), "user_id": user_id, "now": now, "idle_since": now - _idle()}
    # unique(): the joined memberships repeat the row; one_or_none() reads them all (first() would not).
    return db.session.scalars(_live_session(), params).unique().one_or_none()


@cache
def _live_session() -> Any:
    """Built once: it runs on every request, and building it cost as much as running it."""
    return (
        select(UserSession)
        .join(UserSession.user)
        .options(contains_eager(UserSession.user).joinedload(User.memberships).joinedload(Membership.account))
        .where(
            UserSession.token_hash == bindparam("token_hash"),
            UserSession.user_id == bindparam("user_id"),
            UserSession.revoked_at.is_(None),
            UserSession.expires_at > bindparam("now"),
            func.coalesce(UserSession.last_seen_at, UserSession.created_at) > bindparam("idle_since"),
            User.active.is_(True),
        )
    )


def touch(record: UserSession) -> None:
    """Note the session's use, at most every few minutes, in its own short transaction: the request's
    unit of work (often a read that never commits) stays untouched."""
    now = utcnow()
    last = as_utc(record.last_seen_at)
    if last is not None and now - last < LAST_SEEN_PRECISION:
        return
    try:
        with db.engine.begin() as connection:
            connection.execute(
                update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now)
            )
    except SQLAlchemyError:  # a busy database must not cost the user their page
        log.warning("Could not record the use of session %s", record.id, exc_info=True)
        return
    db.session.expire(record, ["last_seen_at"])


def revoke(raw: str | None) -> None:
    """End the session of this token (logout): the cookie stops working even if it was copied."""
    if raw:
        db.session.execute(
            update(UserSession)
            .where(UserSession.token_hash == _hash(raw), UserSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_all(user_id: int, *, keep_id: int | None = None) -> int:
    """End every live session of the user, but `keep_id`'s; returns how many ended."""
    stmt = update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    if keep_id is not None:
        stmt = stmt.where(UserSession.id != keep_id)
    return db.session.execute(stmt.values(revoked_at=utcnow())).rowcount or 0


def revoke_one(user_id: int, session_id: int) -> UserSession:
    """End one of the user's own sessions (the "Your sessions" list); another user's is a 404."""
    record = db.session.get(UserSession, session_id) if 1 <= session_id <= _MAX_ID else None
    if record is None or record.user_id != user_id:
        raise NotFound("Session not found.")
    if record.revoked_at is None:
        record.revoked_at = utcnow()
    return record


def list_live(user_id: int) -> list[UserSession]:
    """The user's sessions that still work, most recently used first."""
    now = utcnow()
    stmt = select(UserSession).where(
        UserSession.user_id == user_id,
        UserSession.revoked_at.is_(None),
        UserSession.expires_at > now,
        func.coalesce(UserSession.last_seen_at, UserSession.created_at) > now - _idle(),
    )
    return list(db.session.scalars(stmt.order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())))
