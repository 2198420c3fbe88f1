"""The account's credit balance and its ledger. Balance changes are atomic conditional UPDATEs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import current_app
from sqlalchemy import func, select, update

from writer_app.models import Account, CreditTransaction, Role, User, db
from writer_app.services import audit
from writer_app.services.errors import InsufficientCredits, PermissionDenied, ValidationError
from writer_app.services.scope import Scope


def balance(account_id: int) -> int:
    return db.session.scalar(select(Account.credits).where(Account.id == account_id)) or 0


def _require_operator(scope: Scope) -> None:
    """Credits are minted by the installation's operators (or its command line, which acts without a
    user), never by an account's own members: an admin granting credits would be unlimited AI spend."""
    if scope.user_id is None:
        return
    actor = db.session.get(User, scope.user_id)
    if actor is None or not actor.is_operator:
        raise PermissionDenied("Credits are added by the operators of this Writer installation.")


def _add(
    scope: Scope, amount: int, note: str, operation: str, *, refuse_overdraw: bool = False
) -> CreditTransaction:
    # The row lock serialises concurrent balance changes on PostgreSQL (SQLite serialises writers itself).
    before = (
        db.session.scalar(select(Account.credits).where(Account.id == scope.account_id).with_for_update())
        or 0
    )
    if refuse_overdraw and before + amount < 0:
        raise ValidationError.field(
            "amount",
            f"The balance is {before} credits: removing {-amount} would take it below zero "
            f"(remove at most {before}).",
        )
    after = max(0, before + amount)
    db.session.execute(update(Account).where(Account.id == scope.account_id).values(credits=after))
    applied = after - before
    entry = _entry(scope.account_id, scope.user_id, applied, after, operation, note=note)
    audit.record(
        scope,
        "credits.grant",
        object_type="account",
        object_id=scope.account_id,
        operation=operation,
        requested=amount,
        applied=applied,
        balance_after=after,
    )
    return entry


def grant(scope: Scope, amount: int, note: str = "", *, refuse_overdraw: bool = False) -> CreditTransaction:
    """Add (or, negative, remove) credits; the balance never goes below zero: a removal past it takes
    the balance to zero, or with `refuse_overdraw` is a ValidationError on `amount` (nothing changes).

    Only an operator (scope.user_id of a user with is_operator) or the command line (no user) may:
    anyone else gets PermissionDenied, whatever their role in the account."""
    _require_operator(scope)
    return _add(scope, amount, note, "grant", refuse_overdraw=refuse_overdraw)


def add_signup_credits(scope: Scope, amount: int) -> CreditTransaction | None:
    """A new account's starting credits (config SIGNUP_CREDITS), on the ledger like any grant."""
    if amount <= 0:
        return None
    return _add(scope, amount, "sign-up credits", "signup")


def add_demo_credits(scope: Scope, amount: int) -> CreditTransaction | None:
    """The demo account's credits (`flask writer demo`), on the ledger like any grant."""
    if amount <= 0:
        return None
    return _add(scope, amount, "demo credits", "demo")


def ledger_mismatches() -> list[tuple[int, int, int]]:
    """(account id, balance, ledger sum) of every account whose ledger does not add up to its balance.

    Every balance change writes a ledger row, so this is empty; a check for tests and operators."""
    total = func.coalesce(func.sum(CreditTransaction.amount), 0)
    sums = (
        select(CreditTransaction.account_id, total.label("total"))
        .group_by(CreditTransaction.account_id)
        .subquery()
    )
    ledger_sum = func.coalesce(sums.c.total, 0)
    stmt = (
        select(Account.id, Account.credits, ledger_sum)
        .outerjoin(sums, sums.c.account_id == Account.id)
        .where(Account.credits != ledger_sum)
    )
    return [(int(a), int(b), int(c)) for a, b, c in db.session.execute(stmt)]


def recent_grants(limit: int = 50) -> list[tuple[CreditTransaction, Account]]:
    """Grants across all accounts, newest first: the operators' page (not tenant data for tenants)."""
    stmt = (
        select(CreditTransaction, Account)
        .join(Account, Account.id == CreditTransaction.account_id)
        .where(CreditTransaction.operation == "grant")
        .order_by(CreditTransaction.created_at.desc(), CreditTransaction.id.desc())
        .limit(limit)
    )
    return [(entry, account) for entry, account in db.session.execute(stmt)]


def ledger(scope: Scope, limit: int = 100) -> list[CreditTransaction]:
    scope.require(Role.ADMIN)
    stmt = (
        select(CreditTransaction)
        .where(CreditTransaction.account_id == scope.account_id)
        .order_by(CreditTransaction.created_at.desc(), CreditTransaction.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


# --- AI spending: reserve before a job, settle (or refund) after it ----------------------------------


def price_of(operation: str, prices: Mapping[str, int] | None = None) -> int:
    """Credits per unit of `operation` (config CREDIT_PRICES); unknown operations cost nothing."""
    table = prices if prices is not None else current_app.config.get("CREDIT_PRICES", {})
    return max(0, int(table.get(operation, 0)))


def _entry(
    account_id: int,
    user_id: int | None,
    amount: int,
    balance_after: int,
    operation: str,
    *,
    object_type: str = "",
    object_ids: Sequence[Any] = (),
    tokens_used: int = 0,
    job_id: str | None = None,
    note: str = "",
) -> CreditTransaction:
    entry = CreditTransaction(
        account_id=account_id,
        user_id=user_id,
        amount=amount,
        balance_after=balance_after,
        operation=operation[:50],
        object_type=object_type,
        object_ids=list(object_ids),
        tokens_used=tokens_used,
        job_id=job_id,
        note=note[:255],
    )
    db.session.add(entry)
    return entry


def reserve(
    scope: Scope,
    amount: int,
    operation: str,
    *,
    object_type: str = "",
    object_ids: Sequence[Any] = (),
    job_id: str | None = None,
) -> CreditTransaction:
    """Take `amount` credits off the balance for work about to start, or raise InsufficientCredits.

    One conditional UPDATE (`credits = credits - n WHERE credits >= n`): two requests racing for the
    last credits cannot both pass, on PostgreSQL (the row lock) as on SQLite (one writer at a time).
    """
    if amount < 0:
        raise ValueError("A reservation cannot be negative.")
    result = db.session.execute(
        update(Account)
        .where(Account.id == scope.account_id, Account.credits >= amount)
        .values(credits=Account.credits - amount)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        have = balance(scope.account_id)
        raise InsufficientCredits(
            f"Not enough AI credits: this needs {amount} and the account has {have}. "
            "Ask the operators of this Writer installation for more."
        )
    after = balance(scope.account_id)  # our own UPDATE holds the row; this reads our result
    entry = _entry(
        scope.account_id,
        scope.user_id,
        -amount,
        after,
        "reserve",
        object_type=object_type,
        object_ids=object_ids,
        job_id=job_id,
        note=f"reserved for {operation.replace('_', ' ')}",
    )
    audit.record(
        scope,
        "credits.reserve",
        object_type="job" if job_id else "account",
        object_id=None,
        job_id=job_id,
        amount=amount,
        operation=operation,
        balance_after=after,
    )
    return entry


def _give_back(account_id: int, amount: int) -> int:
    db.session.execute(
        update(Account)
        .where(Account.id == account_id)
        .values(credits=Account.credits + amount)
        .execution_options(synchronize_session=False)
    )
    return balance(account_id)


def settle(
    scope: Scope,
    *,
    reserved: int,
    charged: int,
    operation: str,
    job_id: str | None,
    object_type: str = "",
    object_ids: Sequence[Any] = (),
    tokens_used: int = 0,
) -> CreditTransaction:
    """Close a reservation: keep `charged`, return the rest (`reserved - charged`) to the balance.

    The settle row's amount is what came back (0 when everything was charged); it also records the
    tokens used and the objects that were paid for, so the ledger still sums to the balance.
    """
    charged = max(0, min(charged, reserved))
    returned = reserved - charged
    after = _give_back(scope.account_id, returned) if returned else balance(scope.account_id)
    entry = _entry(
        scope.account_id,
        scope.user_id,
        returned,
        after,
        "settle",
        object_type=object_type,
        object_ids=object_ids,
        tokens_used=tokens_used,
        job_id=job_id,
        note=f"{operation.replace('_', ' ')}: charged {charged} of {reserved} reserved",
    )
    audit.record(
        scope,
        "credits.settle",
        object_type="job",
        job_id=job_id,
        charged=charged,
        refunded=returned,
        tokens_used=tokens_used,
        balance_after=after,
    )
    return entry


def refund(
    scope: Scope,
    amount: int,
    *,
    operation: str,
    job_id: str | None,
    reason: str,
    object_type: str = "",
    object_ids: Sequence[Any] = (),
) -> CreditTransaction | None:
    """Return a whole reservation (job lost, canceled or failed before any work); None for 0."""
    if amount <= 0:
        return None
    after = _give_back(scope.account_id, amount)
    entry = _entry(
        scope.account_id,
        scope.user_id,
        amount,
        after,
        "refund",
        object_type=object_type,
        object_ids=object_ids,
        job_id=job_id,
        note=f"{operation.replace('_', ' ')}: {reason}",
    )
    audit.record(
        scope,
        "credits.refund",
        object_type="job",
        job_id=job_id,
        amount=amount,
        reason=reason,
        balance_after=after,
    )
    return entry
