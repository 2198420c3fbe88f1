"""Rate limits counted in the process (no Redis): no thread per request, expired counters dropped."""

from __future__ import annotations

import threading
import time

from limits import RateLimitItemPerSecond
from limits.strategies import FixedWindowRateLimiter

from writer_app import rate_limits
from writer_app.rate_limits import SweptMemoryStorage


def _timers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]


def test_a_hit_starts_no_thread():
    limiter = FixedWindowRateLimiter(SweptMemoryStorage())
    item = RateLimitItemPerSecond(100, 1)
    for _ in range(3):
        time.sleep(0.03)  # limits' own storage starts a timer on a hit once its last one has run (10 ms)
        assert limiter.hit(item, "token-1")
        assert _timers() == []


def test_the_limit_holds_within_its_window_and_starts_again_after_it():
    limiter = FixedWindowRateLimiter(SweptMemoryStorage())
    item = RateLimitItemPerSecond(2, 1)
    assert limiter.hit(item, "token-1") and limiter.hit(item, "token-1")
    assert not limiter.hit(item, "token-1")
    assert limiter.hit(item, "token-2")  # counted per identifier
    time.sleep(1.05)
    assert limiter.hit(item, "token-1")


def test_counters_of_ended_windows_are_swept(monkeypatch):
    monkeypatch.setattr(rate_limits, "SWEEP_SECONDS", 0.0)
    storage = SweptMemoryStorage()
    limiter = FixedWindowRateLimiter(storage)
    short = RateLimitItemPerSecond(5, 1)
    limiter.hit(short, "gone-soon")
    time.sleep(1.05)
    limiter.hit(short, "another")  # sweeps: the first counter's window has ended
    assert [key for key in storage.storage if "gone-soon" in key] == []
    assert [key for key in storage.storage if "another" in key] != []


def test_the_api_counts_in_swept_memory_without_redis(app):
    with app.test_request_context():
        app.config["RATELIMIT_STORAGE_URI"], before = "memory://", app.config.get("RATELIMIT_STORAGE_URI")
        try:
            assert isinstance(rate_limits._shared_limiter().storage, SweptMemoryStorage)
        finally:
            app.config["RATELIMIT_STORAGE_URI"] = before
