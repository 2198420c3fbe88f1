"""The account's audit trail; services call `record` for every change they make."""

from __future__ import annotations

from typing import Any

from writer_app.models import AuditEvent, db
from writer_app.services.scope import Scope


def record(
    scope: Scope,
    action: str,
    obj: Any = None,
    *,
    object_type: str | None = None,
    object_id: int | None = None,
    **details: Any,
) -> AuditEvent:
    """Add an audit event (flushed with the caller's unit of work)."""
    if obj is not None:
        object_type = object_type or type(obj).__name__.lower()
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    event = AuditEvent(
        account_id=scope.account_id,
        user_id=scope.user_id,
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        details={k: _plain(v) for k, v in details.items()},
    )
    db.session.add(event)
    return event


def _plain(value: Any) -> Any:
    """JSON-safe details (enums and other objects become strings)."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)
