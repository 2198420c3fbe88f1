"""Durable records of background work (RQ results expire; these do not)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from writer_app.models.base import choice, db, utcnow
from writer_app.models.enums import JobStatus
from writer_app.models.tenancy import User


class Job(db.Model):
    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_account_created", "account_id", "created_at"),
        Index("ix_jobs_status", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # also the RQ job id
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(50))
    queue: Mapped[str] = mapped_column(String(50), default="ai")
    status: Mapped[JobStatus] = mapped_column(choice(JobStatus), default=JobStatus.QUEUED)
    object_type: Mapped[str] = mapped_column(String(50), default="")
    object_ids: Mapped[list[Any]] = mapped_column(default=list)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str] = mapped_column(Text, default="")
    ran_inline: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column()
    ended_at: Mapped[datetime | None] = mapped_column()
    # Refreshed by the worker while it runs; a stale heartbeat means the worker was lost.
    heartbeat_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User | None] = relationship()
