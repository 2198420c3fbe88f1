"""Reading the account's audit trail (admins only); `services.audit.record` writes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from writer_app.models import AuditEvent, Membership, Role, User, db
from writer_app.services.errors import ValidationError
from writer_app.services.inputs import day, optional_number
from writer_app.services.pagination import Page, paginate
from writer_app.services.scope import Scope


@dataclass
class AuditFilters:
    """action: prefix ("task." or "task.create"); date_from/date_to: inclusive days (UTC)."""

    action: str = ""
    user_id: int | str | None = None
    object_type: str = ""
    date_from: date | str | None = None
    date_to: date | str | None = None


def _day(value: Any, name: str) -> date | None:
    return day(value.date() if isinstance(value, datetime) else value, name)


def _like_prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def list_events(scope: Scope, filters: AuditFilters, page: int = 1, page_size: int = 50) -> Page[AuditEvent]:
    """The account's events, newest first, with their user loaded (2 queries). Admin only."""
    scope.require(Role.ADMIN)
    stmt = (
        select(AuditEvent)
        .where(AuditEvent.account_id == scope.account_id)
        .options(joinedload(AuditEvent.user))
    )
    action = (filters.action or "").strip()
    if action:
        stmt = stmt.where(AuditEvent.action.like(_like_prefix(action), escape="\\"))
    object_type = (filters.object_type or "").strip()
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    user_id = optional_number(filters.user_id, "user_id")
    if user_id is not None:
        stmt = stmt.where(AuditEvent.user_id == user_id)
    start, end = _day(filters.date_from, "date_from"), _day(filters.date_to, "date_to")
    if start and end and start > end:
        raise ValidationError.field("date_to", "The end date is before the start date.")
    if start:
        stmt = stmt.where(AuditEvent.created_at >= datetime.combine(start, time.min, UTC))
    if end:
        stmt = stmt.where(AuditEvent.created_at < datetime.combine(end + timedelta(days=1), time.min, UTC))
    stmt = stmt.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    return paginate(stmt, page, page_size)


def object_types(scope: Scope) -> list[str]:
    """The object types that occur in the account's trail (for a filter menu)."""
    scope.require(Role.ADMIN)
    stmt = (
        select(AuditEvent.object_type)
        .where(AuditEvent.account_id == scope.account_id, AuditEvent.object_type != "")
        .distinct()
        .order_by(AuditEvent.object_type)
    )
    return list(db.session.scalars(stmt))


def actors(scope: Scope) -> list[User]:
    """Current members of the account, by name (for a filter menu)."""
    scope.require(Role.ADMIN)
    stmt = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.account_id == scope.account_id)
        .order_by(User.name, User.email)
    )
    return list(db.session.scalars(stmt))
