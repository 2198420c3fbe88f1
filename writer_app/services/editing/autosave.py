"""Autosave slots: one per user and content, holding the editor's unsaved fields as typed.

An autosave never touches the content or its revisions; it is offered back ("restore / discard") when the
user returns, and removed by an explicit save or a discard. Restoring keeps the version the edits started
from, so saving restored text over a newer save is still refused (and the text kept) as any stale save.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, delete

from writer_app.models import Content, ContentAutosave, Role, db
from writer_app.models.base import as_utc, utcnow
from writer_app.services.errors import ValidationError
from writer_app.services.scope import Scope, get, scope_params, scoped_once

# The edit form's fields and their longest accepted value (the form's own limits; the body is bounded by
# the request size limit).
FIELD_LIMITS: dict[str, int | None] = {
    "title": 255,
    "html": None,
    "meta_title": 255,
    "meta_description": 2000,
    "primary_keyword": 255,
    "secondary_keywords": 2000,
    "slug": 255,
}


def _content(scope: Scope, content_id: Any) -> Content:
    scope.require(Role.EDITOR)
    return get(scope, Content, content_id)


def _clean(fields: Any) -> dict[str, str]:
    if not isinstance(fields, dict):
        raise ValidationError.field("fields", "Send the form's fields as an object.")
    unknown = sorted(set(fields) - set(FIELD_LIMITS))
    if unknown:
        raise ValidationError(f"These fields cannot be autosaved: {', '.join(map(str, unknown))}.")
    cleaned: dict[str, str] = {}
    for name, value in fields.items():
        if not isinstance(value, str):
            raise ValidationError.field(name, "Must be text.")
        limit = FIELD_LIMITS[name]
        if limit is not None and len(value) > limit:
            raise ValidationError.field(name, f"At most {limit} characters.")
        cleaned[name] = value
    return cleaned


def save(
    scope: Scope, content_id: Any, fields: Any, *, base_version: Any, base_revision: Any = None
) -> ContentAutosave:
    """Write (or overwrite) the user's slot for this content with the form's current fields."""
    content = _content(scope, content_id)
    cleaned = _clean(fields)
    try:
        version = int(base_version)
        revision = None if base_revision in (None, "") else int(base_revision)
    except (TypeError, ValueError):
        raise ValidationError.field("version", "The version the edits started from is missing.") from None
    slot = _slot(scope, content.id)
    if slot is None:
        slot = ContentAutosave(account_id=scope.account_id, content_id=content.id, user_id=scope.user_id)
        db.session.add(slot)
    slot.base_version, slot.base_revision, slot.fields = version, revision, cleaned
    slot.updated_at = utcnow()
    db.session.flush()
    return slot


def _slot(scope: Scope, content_id: int) -> ContentAutosave | None:
    return db.session.scalar(_user_slot(), scope_params(scope, content_id=content_id, user_id=scope.user_id))


@cache
def _user_slot() -> Select[tuple[ContentAutosave]]:
    # On every review page an editor opens: built once, run with the scope, content and user.
    return scoped_once(ContentAutosave).where(
        ContentAutosave.content_id == bindparam("content_id"), ContentAutosave.user_id == bindparam("user_id")
    )


def pending(scope: Scope, content: Content) -> ContentAutosave | None:
    """The user's slot when it holds something the content does not (an identical slot is no news)."""
    if not scope.can(Role.EDITOR) or scope.user_id is None:
        return None
    slot = _slot(scope, content.id)
    if slot is None or _matches(slot.fields, content):
        return None
    slot.updated_at = as_utc(slot.updated_at)
    return slot


def _matches(fields: dict[str, Any], content: Content) -> bool:
    current = {
        "title": content.title,
        "html": content.html,
        "meta_title": content.meta_title,
        "meta_description": content.meta_description,
        "primary_keyword": content.primary_keyword,
        "secondary_keywords": ", ".join(content.secondary_keywords or []),
        "slug": content.slug,
    }
    return all(current.get(name) == value for name, value in fields.items())


def discard(scope: Scope, content_id: Any) -> None:
    """Remove the user's slot (after an explicit save, or when the user discards it)."""
    content = _content(scope, content_id)
    db.session.execute(
        delete(ContentAutosave).where(
            ContentAutosave.content_id == content.id, ContentAutosave.user_id == scope.user_id
        )
    )
