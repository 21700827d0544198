"""Background work that never holds up a stopping bot: blocking work in a daemon thread, and a task
waited for a bounded time, then cancelled.

    report = await in_daemon_thread(ingest, name="newsbot-ingest-42")
    await wait_or_cancel(task, 5.0, log, "the feed poll")
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
CANCEL_WAIT = 1.0
"""Seconds a cancelled task is given to end."""


def in_daemon_thread(work: Callable[[], T], *, name: str) -> asyncio.Future[T]:
    """``work()`` in a daemon thread, as a future of the running loop. ``asyncio.to_thread`` would use the
    default executor, whose threads the interpreter joins at exit: an ingestion that has not stopped yet
    would hold up the bot's exit."""
    outcome: concurrent.futures.Future[T] = concurrent.futures.Future()

    def target() -> None:
        if not outcome.set_running_or_notify_cancel():
            return
        try:
            outcome.set_result(work())
        except BaseException as exc:
            outcome.set_exception(exc)

    threading.Thread(target=target, name=name, daemon=True).start()
    return asyncio.wrap_future(outcome)


async def wait_or_cancel(
    task: asyncio.Task[Any] | None, wait: float, log: logging.Logger, what: str, then: str = "leaving it"
) -> None:
    """Wait for ``task`` to end, at most ``wait`` seconds; past that, say so (``what`` "did not stop
    within … s; ``then``") and cancel it, giving it :data:`CANCEL_WAIT` seconds to end."""
    if task is None or task.done():
        return
    done, _ = await asyncio.wait({task}, timeout=wait)
    if not done:
        log.warning("%s did not stop within %.0f s; %s", what, wait, then)
        task.cancel()
        await asyncio.wait({task}, timeout=CANCEL_WAIT)
