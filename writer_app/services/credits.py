"""The account's credit balance and its ledger. Balance changes are atomic conditional UPDATEs."""

from __future__ import annotations

from sqlalchemy import select, update

from writer_app.models import Account, CreditTransaction, Role, db
from writer_app.services import audit
from writer_app.services.scope import Scope


def balance(account_id: int) -> int:
    return db.session.scalar(select(Account.credits).where(Account.id == account_id)) or 0


def grant(scope: Scope, amount: int, note: str = "") -> CreditTransaction:
    """Add (or, negative, remove) credits; the balance never goes below zero."""
    scope.require(Role.ADMIN)
    # The row lock serialises concurrent balance changes on PostgreSQL (SQLite serialises writers itself).
    before = (
        db.session.scalar(select(Account.credits).where(Account.id == scope.account_id).with_for_update())
        or 0
    )
    after = max(0, before + amount)
    db.session.execute(update(Account).where(Account.id == scope.account_id).values(credits=after))
    applied = after - before
    entry = CreditTransaction(
        account_id=scope.account_id,
        user_id=scope.user_id,
        amount=applied,
        balance_after=after,
        operation="grant",
        note=note[:255],
    )
    db.session.add(entry)
    audit.record(
        scope,
        "credits.grant",
        object_type="account",
        object_id=scope.account_id,
        requested=amount,
        applied=applied,
        balance_after=after,
    )
    return entry


def ledger(scope: Scope, limit: int = 100) -> list[CreditTransaction]:
    scope.require(Role.ADMIN)
    stmt = (
        select(CreditTransaction)
        .where(CreditTransaction.account_id == scope.account_id)
        .order_by(CreditTransaction.created_at.desc(), CreditTransaction.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))
