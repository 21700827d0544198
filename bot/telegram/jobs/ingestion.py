"""Ingestion from the bot (``/reingest``, uploaded documents): one at a time, in the background.

The ingestion runs in a worker thread; the event loop edits one status message with its progress at most
once per ``EDIT_EVERY`` seconds, and ends it with the report ``newsbot ingest`` prints. ``cancel()`` asks
the pipeline to stop, which it does within one model call: what was written stays consistent (whole
articles only). Questions do not wait for it: the model takes their calls first. When the bot stops,
``shutdown()`` cancels a running ingestion and waits for it at most ``STOP_WAIT`` seconds; the worker is a
daemon thread, so one that is still busy then does not keep the process from exiting.

Telegram is reached through a :class:`StatusBoard` the handler provides, so this module knows nothing of
it and a failed edit never stops an ingestion.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from bot.archive import Archive
from bot.present.html import render_ingest_result, render_progress
from bot.present.markup import escape
from bot.present.report import summary_line
from bot.telegram.jobs.tasks import in_daemon_thread, wait_or_cancel
from retrieval.errors import IngestLocked, NewsbotError, StoreUnavailable
from retrieval.printable import printable
from retrieval.records import IngestReport, Problem

if TYPE_CHECKING:
    from ingest.pipeline import Progress

EDIT_EVERY = 2.0
STOP_WAIT = 10.0
"""Seconds the stopping bot waits for a cancelled ingestion to stop (it takes one model call, a write)."""
log = logging.getLogger("newsbot.bot.ingest")


class StatusBoard(Protocol):
    async def edit(self, html: str) -> None:
        """Replace the status message's text."""

    async def send(self, html: str) -> None:
        """Send one more message after the status message."""


@dataclass(slots=True)
class IngestRun:
    label: str
    user_id: int
    paths: tuple[Path, ...]
    prune: bool = False
    extra_skipped: list[Problem] = field(default_factory=list)
    cancel: threading.Event = field(default_factory=threading.Event)
    progress: Progress | None = None
    started: float = field(default_factory=time.monotonic)
    task: asyncio.Task[IngestReport | None] | None = None


class IngestJobs:
    """The bot's ingestion slot: ``start`` one run, ``cancel`` it, ask what is ``running``."""

    def __init__(self, archive: Archive, *, edit_every: float = EDIT_EVERY) -> None:
        self.archive = archive
        self.edit_every = edit_every
        self.running: IngestRun | None = None

    def start(self, run: IngestRun, board: StatusBoard) -> IngestRun:
        """Run in the background; the caller has checked ``running`` is None (one loop, no race)."""
        if self.running is not None:
            raise RuntimeError("an ingestion is already running")
        self.running = run
        run.task = asyncio.create_task(self._run(run, board), name=f"ingest:{run.label}")
        return run

    def cancel(self) -> IngestRun | None:
        run = self.running
        if run is not None:
            run.cancel.set()
        return run

    async def shutdown(self, wait: float = STOP_WAIT) -> None:
        """Cancel a running ingestion and wait for it, at most ``wait`` seconds (the bot is stopping).

        One still running then is left to its daemon thread, which ends with the process: what it has
        written is whole articles, as after a crash."""
        run = self.cancel()
        if run is not None:
            await wait_or_cancel(run.task, wait, log, f"ingestion {printable(run.label)}")

    async def _run(self, run: IngestRun, board: StatusBoard) -> IngestReport | None:
        try:
            report = await self._ingest(run, board)
        except Exception as exc:
            await _show(board.edit, f"❌ {escape(printable(run.label))}: {escape(printable(_failure(exc)))}")
            log.log(
                logging.WARNING if isinstance(exc, NewsbotError) else logging.ERROR,
                "ingestion %s by %s failed",
                printable(run.label),
                run.user_id,
                exc_info=not isinstance(exc, NewsbotError),
            )
            return None
        finally:
            self.running = None
        report.skipped[:0] = run.extra_skipped
        log.info("ingestion %s by %s: %s", printable(run.label), run.user_id, summary_line(report))
        first, *rest = render_ingest_result(run.label, report)
        await _show(board.edit, first)
        for part in rest:
            await _show(board.send, part)
        return report

    async def _ingest(self, run: IngestRun, board: StatusBoard) -> IngestReport:
        def progress(p: Progress) -> None:
            run.progress = p

        def work() -> IngestReport:
            ingestion = self.archive.ingestion(progress=progress, cancel=run.cancel)
            return ingestion.run(list(run.paths), prune=run.prune)

        future = in_daemon_thread(work, name=f"newsbot-ingest-{run.user_id}")
        shown: Progress | None = None
        while not future.done():
            await asyncio.wait({future}, timeout=self.edit_every)
            if not future.done() and run.progress is not shown:
                shown = run.progress
                await _show(board.edit, render_progress(run.label, shown))
        return future.result()


async def _show(action: Callable[[str], Awaitable[None]], html: str) -> None:
    """Edit or send; a failure is logged and the ingestion goes on."""
    try:
        await action(html)
    except Exception:
        log.warning("could not update the ingestion status", exc_info=True)


def _failure(exc: BaseException) -> str:
    if isinstance(exc, IngestLocked):
        return f"another ingestion holds the collection. {exc}"
    if isinstance(exc, StoreUnavailable):
        return f"the archive store cannot be reached. {exc}"
    if isinstance(exc, NewsbotError):
        return str(exc)
    return "failed unexpectedly; the details are in the log."


def describe_running(run: IngestRun, now: float | None = None) -> str:
    """One line for "already running": what, by whom, for how long, how far."""
    elapsed = (now if now is not None else time.monotonic()) - run.started
    done = f", {run.progress.articles_done}/{run.progress.articles_total} articles" if run.progress else ""
    return f"{printable(run.label)} (started by {run.user_id} {elapsed:.0f} s ago{done})"
