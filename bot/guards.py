"""Fair use: a per-user cooldown and a per-server cap on questions answered at once.

Both read `time.monotonic()` at call time (not a captured reference), so the Discord
simulator's virtual clock drives them in tests exactly as the real clock does in production.
"""

from __future__ import annotations

import time
from collections import deque


class UserCooldown:
    """At most `rate` questions per `per` seconds per user (a sliding window)."""

    def __init__(self, rate: int, per: float) -> None:
        self.rate = rate
        self.per = per
        self._asked: dict[int, deque[float]] = {}

    def retry_after(self, user_id: int) -> float:
        """0 when the user may ask now (and the question is counted); else seconds to wait."""
        now = time.monotonic()
        window = self._asked.setdefault(user_id, deque())
        while window and now - window[0] >= self.per:
            window.popleft()
        if len(window) >= self.rate:
            return self.per - (now - window[0])
        window.append(now)
        if len(self._asked) > 10_000:  # forget idle users
            for uid in [u for u, w in self._asked.items() if not w]:
                del self._asked[uid]
        return 0.0


class GuildLimiter:
    """Counts questions in flight per server (DMs count per user); refuses past the cap."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self._busy: dict[str, int] = {}

    def try_acquire(self, key: str) -> bool:
        if self._busy.get(key, 0) >= self.cap:
            return False
        self._busy[key] = self._busy.get(key, 0) + 1
        return True

    def release(self, key: str) -> None:
        left = self._busy.get(key, 0) - 1
        if left > 0:
            self._busy[key] = left
        else:
            self._busy.pop(key, None)
