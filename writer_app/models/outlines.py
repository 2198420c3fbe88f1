"""Outline first: a task's outline (edited and approved by an editor), and what a draft was written from."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from writer_app.models.base import TimestampMixin, db


class TaskOutline(TimestampMixin, db.Model):
    """One outline per task: ordered sections (see integrations/ai_outline.OutlineSection.as_dict).
    `approved_at` is cleared by every edit: a draft is only written from an outline an editor approved."""

    __tablename__ = "writer_task_outlines"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("writer_tasks.id", ondelete="CASCADE"), unique=True)
    sections: Mapped[list[Any]] = mapped_column(default=list)
    model: Mapped[str] = mapped_column(String(100), default="")  # who wrote it: a model, or "" (by hand)
    job_id: Mapped[str | None] = mapped_column(String(36))  # the outline job writing it, while it runs
    approved_at: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    @property
    def approved(self) -> bool:
        return self.approved_at is not None


class ContentProvenance(db.Model):
    """How a draft was made, beyond content.ai_model / prompt_version: the outline it was written from
    (as approved, frozen) and the calls it took."""

    __tablename__ = "writer_content_provenance"

    content_id: Mapped[int] = mapped_column(
        ForeignKey("writer_content.id", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    outline: Mapped[list[Any]] = mapped_column(default=list)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
