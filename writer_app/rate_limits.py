"""Rate limits that fail open: counted in the shared storage (Redis), or in this process's memory
while it does not answer.

Flask-Limiter's decorated limits (login, ...) do this by configuration
(`RATELIMIT_IN_MEMORY_FALLBACK_ENABLED`, see create_app; it retries Redis with a backoff of up to
half a minute). The API counts its per-token limit by hand after authentication, in the same
storage (RATELIMIT_STORAGE_URI), so it gets the same behaviour here, with an `Outage` that retries
Redis every 30 seconds: a Redis outage costs the limits their sharing between processes for a
while, never a request its answer.
"""

from __future__ import annotations

import time
from typing import Any

from flask import current_app
from limits import RateLimitItem
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from writer_app.outage import Outage

outage = Outage("rate limits")
SWEEP_SECONDS = 10.0


class SweptMemoryStorage(MemoryStorage):
    """limits' in-process counters, with expired ones dropped by the requests themselves.

    MemoryStorage starts a timer thread on a hit whenever its previous timer has run (10 ms later):
    a process answering one API request after another started a thread for each, 1.4 ms of CPU a
    computed API task list of 7.4 (bench/README.md, round 8). Here a counter whose window has ended
    is dropped when read (MemoryStorage.get), and all of them at most every SWEEP_SECONDS."""

    def __init__(self, uri: str | None = None, **options: Any) -> None:
        super().__init__(uri, **options)
        self._next_sweep = 0.0

    # Overrides MemoryStorage's private scheduler, which incr() calls on every hit.
    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


_memory = FixedWindowRateLimiter(SweptMemoryStorage())
_shared: dict[str, FixedWindowRateLimiter] = {}  # one client (and connection pool) per storage URI


def _shared_limiter() -> FixedWindowRateLimiter:
    config = current_app.config
    uri = config.get("RATELIMIT_STORAGE_URI") or "memory://"
    if uri not in _shared:
        options = config.get("RATELIMIT_STORAGE_OPTIONS", {})
        storage = SweptMemoryStorage() if uri.startswith("memory://") else storage_from_string(uri, **options)
        _shared[uri] = FixedWindowRateLimiter(storage)
    return _shared[uri]


def hit(item: RateLimitItem, *identifiers: str) -> int | None:
    """Count one request against `item` for `identifiers`: None while within the limit, else the
    seconds until it may retry."""
    if outage.should_try():
        shared = _shared_limiter()
        try:
            retry_after = _count(shared, item, identifiers)
        except shared.storage.base_exceptions as error:
            outage.failed(error, "rate limits are counted per process until it answers again")
        else:
            outage.succeeded()
            return retry_after
    return _count(_memory, item, identifiers)


def _count(strategy: FixedWindowRateLimiter, item: RateLimitItem, identifiers: tuple[str, ...]) -> int | None:
    if strategy.hit(item, *identifiers):
        return None
    reset_at = strategy.get_window_stats(item, *identifiers)[0]
    return max(1, int(reset_at - time.time()) + 1)


def reset() -> None:
    """Forget the outage and the counts kept in memory (tests)."""
    outage.reset()
    _memory.storage.reset()
    for shared in _shared.values():
        if isinstance(shared.storage, MemoryStorage):
            shared.storage.reset()
