"""Work in progress on the content editor: per-user autosave slots and the post lock (who is editing)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from writer_app.models.base import db, utcnow
from writer_app.models.tenancy import User


class ContentAutosave(db.Model):
    """One user's unsaved edits of one content: overwritten by every autosave, removed by an explicit save
    or a discard. Never a revision, never written into the content itself."""

    __tablename__ = "writer_content_autosaves"
    __table_args__ = (UniqueConstraint("content_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("writer_content.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The version and revision the edits started from: a restore keeps optimistic concurrency.
    base_version: Mapped[int] = mapped_column()
    base_revision: Mapped[int | None] = mapped_column()
    fields: Mapped[dict[str, Any]] = mapped_column(default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ContentEditLock(db.Model):
    """The post lock: who edits the content now, kept alive by the editor page's heartbeat."""

    __tablename__ = "writer_content_edit_locks"
    # Two releases may race (two tabs closing, the page's beacon and a takeover): the second finds the
    # row gone, which is what it wanted, not a reason for SQLAlchemy to warn.
    __mapper_args__ = {"confirm_deleted_rows": False}

    content_id: Mapped[int] = mapped_column(
        ForeignKey("writer_content.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when someone took the lock over from a live editor, so that editor's next heartbeat learns it.
    taken_over_from_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
