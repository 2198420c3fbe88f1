"""Each account's data version, and values kept in Redis under it until the account's data changes.

Every commit that wrote rows of an account bumps that account's version; statements that may
touch several accounts (bulk UPDATEs, raw SQL) and rows without an account (users, accounts
themselves) bump a global one. A value stored under the versions read *before* computing it is
therefore never served after a later commit: list totals (count_cache) and whole list responses
(writer_app/response_cache) live on this. Without Redis, or with Redis down, nothing is cached; the
first process to reach Redis again after an outage bumps the global version, since the commits made
meanwhile bumped nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

from flask import Flask, current_app, has_app_context
from redis import Redis
from redis.commands.core import Script
from redis.exceptions import RedisError
from sqlalchemy import TextClause, event
from sqlalchemy.orm import ORMExecuteState, Session

from writer_app.models import db
from writer_app.outage import Outage

outage = Outage("the list cache")

ALL_ACCOUNTS = 0  # the version every key also depends on
_WRITTEN = "data_version_written"  # session.info: account ids written in the open transaction


# A slot's key and value in one round trip: the versions, then the value under them. A page looks up
# three values (its list total, the review badge, the bell), and each command costs the worker a wait
# and redis-py about 250,000 instructions (bench/README.md, round 9). Keys are built in the script from
# the versions it reads, so this needs Redis itself, not a cluster.
_LOOKUP = """
local key = ARGV[1] .. ':' .. (redis.call('GET', KEYS[1]) or '0') .. ':'
    .. (redis.call('GET', KEYS[2]) or '0') .. ':' .. ARGV[2]
return {key, redis.call('GET', key)}
"""


class _Client(NamedTuple):
    redis: Redis
    lookup: Script  # sent by its digest (EVALSHA), loaded again should Redis have forgotten it


def _client() -> _Client | None:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    clients: dict[str, _Client] = current_app.extensions.setdefault("data_version_redis", {})
    if url not in clients:  # one client (and connection pool) per process, not one per request
        redis = Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        clients[url] = _Client(redis, redis.register_script(_LOOKUP))
    return clients[url]


def _redis() -> Redis | None:
    client = _client()
    return client.redis if client else None


def _prefix() -> str:
    database = current_app.config["SQLALCHEMY_DATABASE_URI"]
    return "writer:cache:" + hashlib.blake2b(database.encode(), digest_size=6).hexdigest()


class Slot(NamedTuple):
    """Where a value lives in the account's current data version, and what is there (None: nothing
    yet, or no cache at all)."""

    redis_key: str | None
    value: bytes | None


def lookup(account_id: int, what: str) -> Slot:
    """The slot for `what` (anything that names the value: its kind and inputs) in `account_id`'s data.

    Read the slot *before* computing a missing value and store into it afterwards: a write committed
    meanwhile bumps the version, and the value lands under the old one, where nobody looks any more."""
    client = _client()
    if client is None or not outage.should_try():
        return Slot(None, None)
    prefix = _prefix()
    digest = hashlib.blake2b(what.encode(), digest_size=16).hexdigest()
    try:
        if outage.down:  # commits during the outage bumped nothing: drop everything cached before it
            client.redis.incr(f"{prefix}:v:{ALL_ACCOUNTS}")
        versions = (f"{prefix}:v:{ALL_ACCOUNTS}", f"{prefix}:v:{account_id}")
        key, value = client.lookup(keys=versions, args=(f"{prefix}:{account_id}", digest))
        slot = Slot(key.decode(), value)
    except RedisError as error:
        outage.failed(error, "lists and totals are computed without the cache")
        return Slot(None, None)
    outage.succeeded()
    return slot


def store(slot: Slot, value: bytes | str | int, ttl_seconds: int) -> None:
    """Keep `value` in `slot` for at most `ttl_seconds` (which bounds memory, and staleness should
    Redis miss a version bump)."""
    client = _redis()
    if slot.redis_key is None or client is None:
        return
    try:
        client.set(slot.redis_key, value, ex=ttl_seconds)
    except RedisError as error:
        outage.failed(error, "lists and totals are computed without the cache")


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
    if client is None or not outage.should_try():
        return  # the bump is lost: lookup() bumps the global version when Redis is back
    prefix = _prefix()
    try:
        with client.pipeline(transaction=False) as pipe:
            for account_id in written:
                pipe.incr(f"{prefix}:v:{account_id}")
            pipe.execute()
    except RedisError as error:
        outage.failed(error, "lists and totals are computed without the cache")


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
