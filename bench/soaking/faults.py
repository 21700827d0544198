"""The faults the soak injects, on a schedule scaled to the run's length.

    chroma  the ``chroma run`` server killed (SIGKILL) and, after the fault's length, started again on
            the same port and folder; an ingestion is started a few seconds before, so the kill finds it
            at work (the operator runs it again until it succeeds, as the README says to)
    hang    one feed trickles its headers a byte every half second and never finishes; an admin sends
            /pollfeeds while it hangs
    disk    the data's file system filled to the last byte (a ballast file), then freed; then a write to
            the Chroma server is tried, and if it gets no answer the server is restarted, as its
            operator would (``chroma run`` 1.5 was seen to answer no write after a full disk)
    flood   Telegram's flood control: each replica's Bot API answers bursts of sendMessage calls with
            429 "retry after 2", three at a time (newsbot retries a call three times), a burst every
            :data:`FLOOD_EVERY` seconds or more (so that no call meets two bursts: beyond the three
            retries the README promises, a call fails)

Each fault has the same length, ``max(6 s, 6% of the run)``, and they start at 16%, 36%, 56% and 76% of
the run, so that the time before and after each is free of the others. A :class:`Fault` records when it
really began and ended (a server's restart ends when it answers again).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

FAULTS = (
    ("chroma", "Chroma server killed (SIGKILL), restarted", 0.16),
    ("hang", "a feed trickles its headers (hangs)", 0.36),
    ("disk", "data disk full, then freed", 0.56),
    ("flood", "429 bursts from the Bot API", 0.76),
)
INGEST_LEAD = 8.0
"""Seconds before the Chroma server is killed that the ingestion starts."""
FLOOD_BURST = 3
FLOOD_RETRY_AFTER = 2
FLOOD_EVERY = 8.0


@dataclass(slots=True)
class Fault:
    name: str
    label: str
    planned: float
    length: float
    began: float | None = None
    ended: float | None = None
    notes: list[str] = field(default_factory=list)


def plan(seconds: float) -> list[Fault]:
    length = max(6.0, 0.06 * seconds)
    return [Fault(name, label, share * seconds, length) for name, label, share in FAULTS]


@dataclass
class Injector:
    """Begins and ends each fault at its time; ``begin``/``end`` do the work (blocking work is run in a
    thread by the caller's functions) and return a note."""

    now: Callable[[], float]
    begin: dict[str, Callable[[Fault], Awaitable[None]]]
    end: dict[str, Callable[[Fault], Awaitable[None]]]

    async def run(self, fault: Fault) -> None:
        await asyncio.sleep(max(0.0, fault.planned - self.now()))
        fault.began = self.now()
        try:
            await self.begin[fault.name](fault)
            await asyncio.sleep(max(0.0, fault.began + fault.length - self.now()))
        finally:
            await self.end[fault.name](fault)
            fault.ended = self.now()


def timed(what: Callable[[], object]) -> float:
    """Seconds ``what`` took."""
    start = time.monotonic()
    what()
    return time.monotonic() - start
