"""Notifications: one row per recipient and event (the inbox), with the state of its email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from writer_app.models.base import db, utcnow
from writer_app.models.tenancy import User


class Notification(db.Model):
    __tablename__ = "notifications"
    __table_args__ = (
        # The bell's unread count and the inbox, newest first, per user and account.
        Index("ix_notifications_user_account_created", "user_id", "account_id", "created_at"),
        Index("ix_notifications_mail_job", "mail_job_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))  # the recipient
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    # What the notification links to: content (its review page) or a job (its page).
    content_id: Mapped[int | None] = mapped_column(ForeignKey("writer_content.id", ondelete="SET NULL"))
    job_id: Mapped[str | None] = mapped_column(String(36))
    read_at: Mapped[datetime | None] = mapped_column()
    # none (inbox only), pending, sent, failed
    email_status: Mapped[str] = mapped_column(String(20), default="none")
    email_error: Mapped[str] = mapped_column(Text, default="")
    mail_job_id: Mapped[str | None] = mapped_column(String(36))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class NotificationPreference(db.Model):
    """A user's email choices: the event kinds they get no email for (the inbox always has them)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    email_off: Mapped[list[Any]] = mapped_column(default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
