"""Revisions: a snapshot of content's editable fields on every save; list, readable diff, restore."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import Select, bindparam, func, select
from sqlalchemy.orm import joinedload

from writer_app.models import Content, Revision, Role, db
from writer_app.services.content_checks import after_content_saved
from writer_app.services.errors import Conflict, NotFound
from writer_app.services.inputs import object_id
from writer_app.services.review.diffing import DiffLine, html_diff, word_diff
from writer_app.services.scope import Scope, get, scope_params, scoped_once

SNAPSHOT_FIELDS = (
    "title",
    "html",
    "meta_title",
    "meta_description",
    "primary_keyword",
    "secondary_keywords",
    "slug",
)


def snapshot(scope: Scope, content: Content, note: str = "") -> Revision:
    """Store the content's current fields as its next revision (content must be flushed), with the
    SEO/readability analysis of exactly that text, so scores can be compared over time."""
    last = db.session.scalar(select(func.max(Revision.number)).where(Revision.content_id == content.id)) or 0
    revision = Revision(
        account_id=content.account_id,
        content_id=content.id,
        user_id=scope.user_id,
        number=last + 1,
        note=note[:255],
        **{name: getattr(content, name) for name in SNAPSHOT_FIELDS},
    )
    db.session.add(revision)
    after_content_saved(scope, content, revision)
    return revision


FIELD_LABELS = {
    "title": "Title",
    "meta_title": "Meta title",
    "meta_description": "Meta description",
    "primary_keyword": "Primary keyword",
    "secondary_keywords": "Secondary keywords",
    "slug": "Slug",
    "html": "Body",
}


@dataclass
class FieldDiff:
    """One field compared between two revisions; `lines` is the readable diff (empty when unchanged)."""

    name: str
    label: str
    changed: bool
    lines: list[DiffLine]


@dataclass
class RevisionDiff:
    old: Revision
    new: Revision
    fields: list[FieldDiff]

    @property
    def changed(self) -> list[FieldDiff]:
        return [f for f in self.fields if f.changed]


def list_revisions(scope: Scope, content_id: Any) -> list[Revision]:
    """The content's revisions, newest first, with their authors loaded."""
    content = get(scope, Content, content_id)
    return list(db.session.scalars(_revisions(), scope_params(scope, content_id=content.id)))


@cache
def _revisions() -> Select[tuple[Revision]]:
    # On every review page: built once, run with the scope's account and the content.
    return (
        scoped_once(Revision)
        .options(joinedload(Revision.user))
        .where(Revision.content_id == bindparam("content_id"))
        .order_by(Revision.number.desc())
    )


def get_revision(scope: Scope, content_id: Any, number: Any) -> Revision:
    content = get(scope, Content, content_id)
    key = object_id(number)
    if key is None:
        raise NotFound("Revision not found.")
    revision = db.session.scalars(
        select(Revision).where(
            Revision.account_id == scope.account_id,
            Revision.content_id == content.id,
            Revision.number == key,
        )
    ).first()
    if revision is None:
        raise NotFound(f"Revision {key} of this content not found.")
    return revision


def _text(revision: Revision, name: str) -> str:
    value = getattr(revision, name)
    return ", ".join(value or []) if name == "secondary_keywords" else str(value or "")


def diff(scope: Scope, content_id: Any, a: Any, b: Any) -> RevisionDiff:
    """Readable differences from revision `a` to revision `b`, field by field (body as block lines
    with word changes marked). Any two revisions can be compared, in either order."""
    old, new = get_revision(scope, content_id, a), get_revision(scope, content_id, b)
    fields = []
    for name, label in FIELD_LABELS.items():
        before, after = _text(old, name), _text(new, name)
        changed = before != after
        if not changed:
            lines: list[DiffLine] = []
        elif name == "html":
            lines = html_diff(before, after)
        else:
            lines = [DiffLine("replace", word_diff(before, after))]
        fields.append(FieldDiff(name, label, changed, lines))
    return RevisionDiff(old, new, fields)


def restore(scope: Scope, content_id: Any, number: Any, expected_version: int | None = None) -> Content:
    """Make revision `number`'s fields current again (editor+); stored as a new revision
    "Restored revision N" so nothing is lost and the restore itself can be undone."""
    from writer_app.services import content as content_service  # content imports snapshot from here

    scope.require(Role.EDITOR)
    revision = get_revision(scope, content_id, number)
    fields = {name: getattr(revision, name) for name in SNAPSHOT_FIELDS}
    content = content_service.get_content(scope, content_id)
    if all(getattr(content, name) == value for name, value in fields.items()):
        raise Conflict(f"The content already matches revision {revision.number}.")
    return content_service.update_content(
        scope, content_id, expected_version, note=f"Restored revision {revision.number}", **fields
    )


@dataclass
class PendingChange:
    """Approved or published content edited since: the approved/published revision and the changes."""

    base: Revision
    latest: Revision
    diff: RevisionDiff


def pending_change(scope: Scope, content: Content) -> PendingChange | None:
    """What changed since the approved or published revision (None without a pending change)."""
    if not content.has_unpublished_changes or content.published_revision is None:
        return None
    listed = list_revisions(scope, content.id)
    if not listed or listed[0].number == content.published_revision:
        return None
    result = diff(scope, content.id, content.published_revision, listed[0].number)
    return PendingChange(result.old, result.new, result)
