"""The credit ledger: every change of an account's balance, with what caused it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from writer_app.models.base import db, utcnow
from writer_app.models.tenancy import User


class CreditTransaction(db.Model):
    __tablename__ = "credit_transactions"
    __table_args__ = (Index("ix_credit_transactions_account_created", "account_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    amount: Mapped[int] = mapped_column()  # positive = added, negative = spent/reserved
    balance_after: Mapped[int] = mapped_column()
    operation: Mapped[str] = mapped_column(String(50))  # grant, reserve, refund, settle, ...
    object_type: Mapped[str] = mapped_column(String(50), default="")
    object_ids: Mapped[list[Any]] = mapped_column(default=list)
    tokens_used: Mapped[int] = mapped_column(default=0)
    job_id: Mapped[str | None] = mapped_column(String(36), index=True)
    note: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship()
