"""Revisions: a snapshot of content's editable fields on every save."""

from __future__ import annotations

from sqlalchemy import func, select

from writer_app.models import Content, Revision, db
from writer_app.services.scope import Scope

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
    """Store the content's current fields as its next revision (content must be flushed)."""
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
    return revision
