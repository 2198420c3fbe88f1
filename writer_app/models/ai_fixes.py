"""AI fixes of content: proposals an editor accepts change by change, and the fix rounds run after
generation (kept as the draft's record of which checks failed before and after)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from writer_app.models.base import db, utcnow


class AiFix(db.Model):
    __tablename__ = "writer_ai_fixes"
    __table_args__ = (Index("ix_writer_ai_fixes_content", "content_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("writer_content.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(20), default="proposal")  # "proposal" or "rounds"
    # proposal: pending → proposed → applied | discarded; failed when no fix could be made.
    # rounds: applied (the better version was saved) or unchanged.
    status: Mapped[str] = mapped_column(String(20), default="pending")
    checks: Mapped[list[Any]] = mapped_column(default=list)
    # Fingerprint of the text the fix was made for: applying it to changed text is refused.
    base_fingerprint: Mapped[str] = mapped_column(String(64), default="")
    changes: Mapped[list[Any]] = mapped_column(default=list)
    accepted: Mapped[list[Any]] = mapped_column(default=list)
    failed_before: Mapped[list[Any]] = mapped_column(default=list)
    failed_after: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # rounds, calls, seconds, errors
    model: Mapped[str] = mapped_column(String(100), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column()
    applied_at: Mapped[datetime | None] = mapped_column()
