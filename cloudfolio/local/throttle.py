"""API Gateway's throttling algorithm, a token bucket per route: `burst_limit` requests at once,
refilled at `rate_limit` per second. The local gateway applies the limits the description
declares."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(
        self, rate_limit: float, burst_limit: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.rate_limit = rate_limit
        self.burst_limit = burst_limit
        self._clock = clock
        self._tokens = float(burst_limit)
        self._last = clock()
        self._lock = threading.Lock()

    def take(self) -> bool:
        """Spend one token; False when the bucket is empty (a 429)."""
        with self._lock:
            now = self._clock()
            elapsed = max(0.0, now - self._last)
            self._tokens = min(self.burst_limit, self._tokens + elapsed * self.rate_limit)
            self._last = now
            if self._tokens >= 1:
                self._tokens -= 1
                return True
            return False
