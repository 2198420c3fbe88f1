"""One-time form tokens: a create form's token is claimed by the first POST that carries it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from writer_app.models.base import db, utcnow


class FormSubmission(db.Model):
    """A create form that went through: its token, who sent it, and where its result lives.

    The row is inserted in the same transaction as the object the form creates, so a duplicate POST
    either waits for it and finds it (and is sent to `result_url`), or finds nothing because the first
    one failed and rolled back, and then may create."""

    __tablename__ = "form_submissions"
    __table_args__ = (UniqueConstraint("user_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    token: Mapped[str] = mapped_column(String(64))
    result_url: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
