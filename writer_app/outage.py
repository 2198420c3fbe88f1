"""Remembering that Redis is away, so requests do not each wait for it and the log is not flooded.

Redis is optional for every request (rate limits, caches): when it does not answer, a request goes
on without it. An `Outage` makes that cheap and visible: after a failure, callers skip Redis for
`retry_after` seconds (one request then tries again), and the log gets one warning when it goes away
and one line when it is back, whatever the number of requests meanwhile.
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger("writer.redis")


class Outage:
    """The state of one use of Redis (e.g. "rate limits") in this process."""

    def __init__(self, what: str, retry_after: float = 30.0) -> None:
        self.what = what
        self.retry_after = retry_after
        self.down = False
        self._skip_until = 0.0

    def should_try(self) -> bool:
        """Whether to use Redis now: always while it works, once per `retry_after` while it is down."""
        return not self.down or time.monotonic() >= self._skip_until

    def failed(self, error: BaseException, consequence: str) -> None:
        """Redis did not answer: warn once per outage, skip it for a while."""
        if not self.down:
            log.warning("Redis is unreachable for %s (%s): %s", self.what, error, consequence)
        self.down = True
        self._skip_until = time.monotonic() + self.retry_after

    def succeeded(self) -> None:
        if self.down:
            log.warning("Redis answers again for %s", self.what)
        self.down = False
        self._skip_until = 0.0

    def reset(self) -> None:
        """Forget any outage (tests)."""
        self.down = False
        self._skip_until = 0.0
