"""Duplicate create protection: each create form carries a one-time token, claimed by its first POST.

The claim is a row inserted in the request's own transaction, so it commits with the object the form
creates, or rolls back with it when the form had an error (and the same token may then be sent again).
A concurrent twin blocks on the row's unique key until the first commits, then finds it.
"""

from __future__ import annotations

import re
import secrets
import time
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from writer_app.models import FormSubmission, db
from writer_app.models.base import utcnow

TOKEN_BYTES = 16
KEEP_FOR = timedelta(days=1)  # long after any double click or reload; then the rows are pruned
WAIT_SECONDS = 5.0  # how long a twin waits for the first request to name its result


_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def is_token(value: str) -> bool:
    """Shaped like a token `new_token` issues: anything else (NUL bytes, huge text) never reaches a query."""
    return _TOKEN.fullmatch(value) is not None


def find(user_id: int, token: str) -> FormSubmission | None:
    return db.session.scalar(
        select(FormSubmission).where(FormSubmission.user_id == user_id, FormSubmission.token == token)
    )


def claim(user_id: int, token: str) -> bool:
    """Insert the token's row (flushed, not committed). False when another request already holds it;
    the session is then rolled back, which is harmless at the start of a request."""
    db.session.add(FormSubmission(user_id=user_id, token=token[:64]))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


def record_result(user_id: int, token: str, url: str) -> None:
    """Where the created object can be seen; a duplicate of the form is sent there. Also prunes old rows."""
    row = find(user_id, token[:64])
    if row is not None:
        row.result_url = url[:1000]
    db.session.execute(
        delete(FormSubmission).where(FormSubmission.created_at < utcnow() - KEEP_FOR),
        execution_options={"synchronize_session": False},
    )


def wait_for_result(user_id: int, token: str, timeout: float = WAIT_SECONDS) -> FormSubmission | None:
    """The first request's row once it names its result (it commits the object first, the URL just
    after); None if it has not appeared within `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        db.session.rollback()  # a fresh snapshot each time
        row = find(user_id, token[:64])
        if (row is not None and row.result_url) or time.monotonic() >= deadline:
            return row
        time.sleep(0.1)
