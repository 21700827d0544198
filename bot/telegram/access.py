"""Who may ask, who may administer, how often, and how often they are told no: plain objects the handlers
consult.

- the allow-list (``NEWSBOT_ALLOWED_IDS``, user or chat ids): empty means everyone; admins always pass;
  someone refused is told once, then ignored (admin commands included);
- admins (``NEWSBOT_ADMIN_IDS``): ``/reingest``, ``/cancel`` and document uploads; someone else who may
  ask is told "admins only" once per command and minute, then ignored until the minute is over;
- a per-user rate limit over a sliding minute (``NEWSBOT_RATE_LIMIT_PER_MINUTE``); a user over it is told
  once, then ignored until they may ask again;
- one question at a time per user (:class:`OneAtATime`): questions a user sends while their previous
  one is being answered wait their turn, in order, so nobody holds more than one answering slot (how
  many wait is bounded by the rate limit).

Whatever the flood, each refusal is said once per window, so a burst of messages gets a reply or two,
never a burst of replies. Handlers use these from the event loop only.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Callable, Hashable, Iterable
from dataclasses import dataclass

WINDOW = 60.0
"""Seconds of the rate limit's sliding window, and how long an "admins only" stays said."""
NOTICES_KEPT = 100_000


class Notices:
    """Whether to tell someone something now: once, then not again until ``quiet_for`` seconds have passed.

    Bounded: beyond ``capacity`` keys the oldest notices are forgotten (that person may be told again).
    """

    def __init__(self, *, clock: Callable[[], float] = time.monotonic, capacity: int = NOTICES_KEPT) -> None:
        self.clock = clock
        self.capacity = capacity
        self._quiet_until: OrderedDict[Hashable, float] = OrderedDict()

    def due(self, key: Hashable, quiet_for: float) -> bool:
        """True (and the notice counts as given) unless ``key`` was told within its quiet time."""
        now = self.clock()
        until = self._quiet_until.get(key)
        if until is not None and now < until:
            return False
        self._quiet_until[key] = now + quiet_for
        self._quiet_until.move_to_end(key)
        while len(self._quiet_until) > self.capacity:
            self._quiet_until.popitem(last=False)
        return True


class Access:
    def __init__(
        self,
        admin_ids: Iterable[int],
        allowed_ids: Iterable[int],
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.admin_ids = frozenset(admin_ids)
        self.allowed_ids = frozenset(allowed_ids)
        self._notices = Notices(clock=clock)

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
        return key is not None and self._notices.due(("not allowed", key), math.inf)

    def admin_only_due(self, user_id: int, command: str) -> bool:
        """True when a non-admin using ``command`` should hear it is for admins: once a minute."""
        return self._notices.due(("admin only", user_id, command), WINDOW)


@dataclass(frozen=True, slots=True)
class Limited:
    """A question over the rate limit: when the user may ask again, and whether to tell them now."""

    wait: float
    tell: bool
    """True once per window: the first question over the limit; the rest are ignored."""


class RateLimiter:
    """At most ``per_minute`` questions per user in any 60 seconds (0 or less: no limit)."""

    def __init__(
        self, per_minute: int, *, window: float = WINDOW, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._times: dict[int, deque[float]] = {}
        self._notices = Notices(clock=clock)

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

    def check(self, user_id: int) -> Limited | None:
        """None and the question counts; else how long to wait, told once until the wait is over."""
        wait = self.wait_time(user_id)
        if wait <= 0:
            return None
        return Limited(wait, self._notices.due(user_id, wait))


class OneAtATime:
    """Each user's questions are answered one after another; different users' side by side."""

    def __init__(self) -> None:
        self._turns: dict[int, tuple[asyncio.Lock, int]] = {}
        """Users with a question being answered or waiting -> their lock and how many questions hold it."""

    @contextlib.asynccontextmanager
    async def turn(self, user_id: int) -> AsyncIterator[None]:
        """Wait until this user's earlier questions are answered (first come, first served)."""
        lock, count = self._turns.get(user_id, (asyncio.Lock(), 0))
        self._turns[user_id] = (lock, count + 1)
        try:
            async with lock:
                yield
        finally:
            lock, count = self._turns[user_id]
            if count > 1:
                self._turns[user_id] = (lock, count - 1)
            else:
                del self._turns[user_id]

    def waiting(self, user_id: int) -> int:
        """This user's questions being answered or waiting their turn."""
        return self._turns.get(user_id, (None, 0))[1]
