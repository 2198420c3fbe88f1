"""The post lock, as WordPress has it: the editor page sends a heartbeat while it is open; whoever holds a
fresh lock is "editing"; others see that and may take over, and the first editor's next heartbeat learns
it was taken over. A lock without a heartbeat for LOCK_TTL is free again (a closed tab, a lost laptop)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.exc import IntegrityError

from writer_app.models import Content, ContentEditLock, Role, User, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services.scope import Scope, get

HEARTBEAT_SECONDS = 30
LOCK_TTL = timedelta(seconds=HEARTBEAT_SECONDS * 3)

State = Literal["mine", "held", "taken_over", "free"]


@dataclass(frozen=True)
class LockState:
    state: State  # mine: you edit; held: someone else edits; taken_over: someone took it from you
    holder: str = ""  # the display name of whoever holds the lock (when not you)
    since: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "state": self.state,
            "holder": self.holder,
            "since": self.since.isoformat() if self.since else None,
            "heartbeat_seconds": HEARTBEAT_SECONDS,
        }


def _fresh(lock: ContentEditLock, now: datetime) -> bool:
    return now - as_utc(lock.heartbeat_at) < LOCK_TTL


def _content(scope: Scope, content_id: Any) -> Content:
    scope.require(Role.EDITOR)
    return get(scope, Content, content_id)


def _holder(lock: ContentEditLock) -> str:
    user = db.session.get(User, lock.user_id)
    return user.display_name if user else "Someone"


def current(scope: Scope, content: Content) -> LockState:
    """Who edits `content` now, as the page shows it on load (changes nothing)."""
    lock = db.session.get(ContentEditLock, content.id)
    if lock is None or not _fresh(lock, utcnow()):
        return LockState("free")
    if lock.user_id == scope.user_id:
        return LockState("mine")
    state: State = "taken_over" if lock.taken_over_from_id == scope.user_id else "held"
    return LockState(state, _holder(lock), as_utc(lock.heartbeat_at))


def heartbeat(scope: Scope, content_id: Any) -> LockState:
    """The editor page is open: keep (or acquire a free) lock, or report who holds it."""
    content = _content(scope, content_id)
    now = utcnow()
    lock = db.session.get(ContentEditLock, content.id)
    if lock is not None and lock.user_id != scope.user_id and _fresh(lock, now):
        state: State = "taken_over" if lock.taken_over_from_id == scope.user_id else "held"
        return LockState(state, _holder(lock), as_utc(lock.heartbeat_at))
    return _acquire(scope, content, lock, now, taken_from=None)


def take_over(scope: Scope, content_id: Any) -> LockState:
    """Take the lock, also from a live editor (who is told at their next heartbeat)."""
    content = _content(scope, content_id)
    now = utcnow()
    lock = db.session.get(ContentEditLock, content.id)
    live_other = lock is not None and lock.user_id != scope.user_id and _fresh(lock, now)
    return _acquire(scope, content, lock, now, taken_from=lock.user_id if live_other and lock else None)


def _acquire(
    scope: Scope, content: Content, lock: ContentEditLock | None, now: datetime, *, taken_from: int | None
) -> LockState:
    if lock is None:
        lock = ContentEditLock(content_id=content.id, account_id=scope.account_id, user_id=scope.user_id)
        try:
            with db.session.begin_nested():
                db.session.add(lock)
                lock.heartbeat_at = now
        except IntegrityError:  # two first heartbeats at once: the other one won, ask again
            winner = db.session.get(ContentEditLock, content.id, populate_existing=True)
            if winner is None or winner.user_id == scope.user_id:
                return LockState("mine")
            return LockState("held", _holder(winner), as_utc(winner.heartbeat_at))
        return LockState("mine")
    if lock.user_id != scope.user_id:
        lock.taken_over_from_id = taken_from
    lock.user_id = scope.user_id  # type: ignore[assignment]
    lock.heartbeat_at = now
    db.session.flush()
    return LockState("mine")


def release(scope: Scope, content_id: Any) -> None:
    """The editor left the page: free the lock if it is still theirs."""
    content = _content(scope, content_id)
    lock = db.session.get(ContentEditLock, content.id)
    if lock is not None and lock.user_id == scope.user_id:
        db.session.delete(lock)
        db.session.flush()
