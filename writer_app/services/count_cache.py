"""Exact list totals, kept in Redis until the account's data changes.

Counting is the part of a list page that grows with the data: at 100,000 tasks a filtered
`count(*)` reads thousands of rows while the page itself reads 50. A total is cached under the
account's data version; every commit that wrote rows of an account bumps that account's version
(statements that may touch several accounts, such as bulk UPDATEs, bump a global one), so a cached
total is never older than the last committed write. Without Redis, totals are simply counted.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
from collections.abc import Callable
from typing import Any, NamedTuple

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.exceptions import RedisError
from sqlalchemy import TextClause, event
from sqlalchemy.orm import ORMExecuteState, Session

from writer_app.models import db
from writer_app.services.scope import Scope

log = logging.getLogger(__name__)

ALL_ACCOUNTS = 0  # the version every key also depends on
TTL_SECONDS = 600  # bounds memory, and staleness should Redis miss a version bump
_WRITTEN = "count_cache_written"  # session.info: account ids written in the open transaction


def _redis() -> Redis | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients: dict[str, Redis] = current_app.extensions.setdefault("count_cache_redis", {})
    if url not in clients:  # one client (and connection pool) per process, not one per request
        clients[url] = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return clients[url]


def _prefix() -> str:
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return "writer:counts:" + hashlib.blake2b(database.encode(), digest_size=6).hexdigest()


class CountKey(NamedTuple):
    """Which total: the account, and everything else that decides the counted rows (filters, scope).

    Built from the caller's inputs rather than compiled SQL: compiling the statement to key it cost
    as much as a cached count saves."""

    account_id: int
    what: str

    @classmethod
    def for_list(cls, scope: Scope, name: str, filters: Any) -> CountKey:
        """A filtered list's total: the filters and the working site/sector decide its rows, the order
        does not (`filters` is a dataclass with an `ordering` field)."""
        unordered = dataclasses.replace(filters, ordering="")
        return cls(scope.account_id, f"{name} {scope.site_id} {scope.sector_id} {unordered!r}")


def cached_count(key: CountKey, count: Callable[[], int]) -> int:
    """`count()`, or its cached result for `key` in the account's current data version."""
    client = _redis()
    if client is None:
        return count()
    prefix = _prefix()
    digest = hashlib.blake2b(key.what.encode(), digest_size=16).hexdigest()
    try:
        # The versions are read before counting: a write committed meanwhile bumps them, and the
        # total counted now is stored under the old versions, where nobody looks any more.
        versions = client.mget(f"{prefix}:v:{ALL_ACCOUNTS}", f"{prefix}:v:{key.account_id}")
        redis_key = f"{prefix}:{key.account_id}:{versions[0] or 0}:{versions[1] or 0}:{digest}"
        cached = client.get(redis_key)
    except RedisError:
        log.warning("count cache unreachable; counting directly", exc_info=True)
        return count()
    if cached is not None:
        return int(cached)
    total = count()
    try:
        client.set(redis_key, total, ex=TTL_SECONDS)
    except RedisError:
        log.warning("count cache unreachable; total not stored", exc_info=True)
    return total


def wrote(session: Session) -> bool:
    """Whether the session's open transaction has written anything (flushed or still pending)."""
    return bool(session.info.get(_WRITTEN) or session.new or session.dirty or session.deleted)


def _mark(session: Session, account_id: int) -> None:
    session.info.setdefault(_WRITTEN, set()).add(account_id)


def _after_flush(session: Session, _context: Any) -> None:
    for obj in (*session.new, *session.dirty, *session.deleted):
        account_id = getattr(obj, "account_id", None)
        if obj in session.dirty and not session.is_modified(obj):
            continue
        # Rows without an account (users, accounts themselves) may cascade anywhere: every account.
        _mark(session, account_id if isinstance(account_id, int) else ALL_ACCOUNTS)


def _do_orm_execute(state: ORMExecuteState) -> None:
    statement = state.statement
    if isinstance(statement, TextClause):
        writes = not statement.text.lstrip().upper().startswith("SELECT")
    else:
        writes = state.is_insert or state.is_update or state.is_delete
    if writes:  # bulk INSERT/UPDATE/DELETE or raw SQL: which accounts it touches is unknown
        _mark(state.session, ALL_ACCOUNTS)


def _after_commit(session: Session) -> None:
    written = session.info.pop(_WRITTEN, None)
    if not written or not has_app_context():
        return
    client = _redis()
    if client is None:
        return
    prefix = _prefix()
    try:
        with client.pipeline(transaction=False) as pipe:
            for account_id in written:
                pipe.incr(f"{prefix}:v:{account_id}")
            pipe.execute()
    except RedisError:
        log.warning("count cache unreachable; cached totals expire within %s s", TTL_SECONDS, exc_info=True)


def _after_rollback(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


def init_app(app: Flask) -> None:
    """Listen to every session of the app's session class (once per process: apps share the class)."""
    session_class = db.session.session_factory.class_
    for name, listener in (
        ("after_flush", _after_flush),
        ("do_orm_execute", _do_orm_execute),
        ("after_commit", _after_commit),
        ("after_rollback", _after_rollback),
    ):
        if not event.contains(session_class, name, listener):
            event.listen(session_class, name, listener)
