"""Credits under concurrency: many requests racing for the last credits never overdraw the account.

Meant for PostgreSQL (TEST_DATABASE=postgres), where requests really run in parallel; on SQLite the
same test runs with writers serialised by the database.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from sqlalchemy import func, select

from tests.integration.jobs_support import fund
from tests.support.factories import Tenant
from writer_app.models import CreditTransaction, Role, db
from writer_app.services import credits
from writer_app.services.errors import InsufficientCredits
from writer_app.services.scope import Scope

THREADS = 24
PRICE = 10


def _ledger(account_id: int) -> tuple[int, int]:
    total = db.session.scalar(
        select(func.coalesce(func.sum(CreditTransaction.amount), 0)).where(
            CreditTransaction.account_id == account_id
        )
    )
    lowest = db.session.scalar(
        select(func.min(CreditTransaction.balance_after)).where(CreditTransaction.account_id == account_id)
    )
    return total, lowest


def test_racing_reservations_never_drive_the_balance_below_zero(app: Flask, tenant: Tenant) -> None:
    fund(tenant, 95)  # room for 9 reservations of 10
    scope = Scope(tenant.account.id, Role.EDITOR, tenant.editor.id)
    barrier = threading.Barrier(THREADS)

    def reserve_and_maybe_refund(n: int) -> bool:
        with app.app_context():
            barrier.wait()
            try:
                credits.reserve(scope, PRICE, "content_generation", job_id=f"race-{n}")
                db.session.commit()
            except InsufficientCredits:
                db.session.rollback()
                return False
            finally:
                db.session.remove()
            return True

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        results = list(pool.map(reserve_and_maybe_refund, range(THREADS)))

    db.session.expire_all()
    assert sum(results) == 9
    assert credits.balance(tenant.account.id) == 5
    total, lowest = _ledger(tenant.account.id)
    assert total == 5 and lowest >= 0


def test_racing_reserve_settle_and_refund_keep_ledger_and_balance_equal(app: Flask, tenant: Tenant) -> None:
    fund(tenant, 200)
    scope = Scope(tenant.account.id, Role.EDITOR, tenant.editor.id)
    barrier = threading.Barrier(THREADS)

    def lifecycle(n: int) -> int | None:
        """Reserve 30; then keep all, part or nothing of it (like jobs that succeed or fail)."""
        with app.app_context():
            barrier.wait()
            try:
                credits.reserve(scope, 30, "content_generation", job_id=f"job-{n}")
                db.session.commit()
            except InsufficientCredits:
                db.session.rollback()
                db.session.remove()
                return None
            charged = (0, 10, 30)[n % 3]
            if charged:
                credits.settle(
                    scope, reserved=30, charged=charged, operation="content_generation", job_id=f"job-{n}"
                )
            else:
                credits.refund(scope, 30, operation="content_generation", job_id=f"job-{n}", reason="failed")
            db.session.commit()
            db.session.remove()
            return charged

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        outcomes = list(pool.map(lifecycle, range(THREADS)))
    charged = [c for c in outcomes if c is not None]

    db.session.expire_all()
    balance = credits.balance(tenant.account.id)
    total, lowest = _ledger(tenant.account.id)
    assert balance == 200 - sum(charged)
    assert total == balance and lowest >= 0
    assert len(charged) >= 6  # at least 6 reservations of 30 fit in 200, refunds make room for more
