"""Who may ask, who may administer, and how often: plain objects the handlers consult.

- the allow-list (``NEWSBOT_ALLOWED_IDS``, user or chat ids): empty means everyone; admins always pass;
  someone refused is told once, then ignored;
- admins (``NEWSBOT_ADMIN_IDS``): ``/reingest``, ``/cancel`` and document uploads;
- a per-user rate limit over a sliding minute (``NEWSBOT_RATE_LIMIT_PER_MINUTE``).

Handlers use these from the event loop only, so they hold no locks.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable, Iterable


class Access:
    def __init__(self, admin_ids: Iterable[int], allowed_ids: Iterable[int]) -> None:
        self.admin_ids = frozenset(admin_ids)
        self.allowed_ids = frozenset(allowed_ids)
        self._refused: set[int] = set()

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admin_ids

    def is_allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        if not self.allowed_ids or self.is_admin(user_id):
            return True
        return (user_id is not None and user_id in self.allowed_ids) or (
            chat_id is not None and chat_id in self.allowed_ids
        )

    def first_refusal(self, user_id: int | None, chat_id: int | None) -> bool:
        """True the first time someone not allowed writes (tell them once); False afterwards."""
        key = user_id if user_id is not None else chat_id
        if key is None or key in self._refused:
            return False
        self._refused.add(key)
        return True


class RateLimiter:
    """At most ``per_minute`` questions per user in any 60 seconds (0 or less: no limit)."""

    def __init__(
        self, per_minute: int, *, window: float = 60.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._times: dict[int, deque[float]] = {}

    def wait_time(self, user_id: int) -> float:
        """0 and the question counts, or the seconds until this user may ask again (it does not count)."""
        if self.per_minute <= 0:
            return 0.0
        now = self.clock()
        if len(self._times) > 10_000:  # forget users quiet for a minute
            self._times = {u: t for u, t in self._times.items() if t and now - t[-1] < self.window}
        times = self._times.setdefault(user_id, deque())
        while times and now - times[0] >= self.window:
            times.popleft()
        if len(times) >= self.per_minute:
            return self.window - (now - times[0])
        times.append(now)
        return 0.0
