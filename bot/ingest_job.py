"""Ingestion from the bot (``/reingest``, uploaded documents): one at a time, in the background.

The ingestion runs in a worker thread; the event loop edits one status message with its progress at most
once per ``EDIT_EVERY`` seconds, and ends it with the report ``newsbot ingest`` prints. ``cancel()`` asks
the pipeline to stop between batches: what was written stays consistent (whole articles only).

Telegram is reached through a :class:`StatusBoard` the handler provides, so this module knows nothing of
it and a failed edit never stops an ingestion.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from bot.archive import Archive
from bot.render import escape, render_ingest_result, render_progress
from bot.report import summary_line
from ingest.pipeline import Progress
from retrieval.errors import IngestLocked, NewsbotError, StoreUnavailable
from retrieval.records import IngestReport, Problem

EDIT_EVERY = 2.0
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

    async def shutdown(self) -> None:
        """Stop a running ingestion cleanly and wait for it (the bot is stopping)."""
        run = self.cancel()
        if run is not None and run.task is not None:
            with contextlib.suppress(Exception):
                await run.task

    async def _run(self, run: IngestRun, board: StatusBoard) -> IngestReport | None:
        try:
            report = await self._ingest(run, board)
        except Exception as exc:
            await _show(board.edit, f"❌ {escape(run.label)}: {escape(_failure(exc))}")
            log.log(
                logging.WARNING if isinstance(exc, NewsbotError) else logging.ERROR,
                "ingestion %s by %s failed",
                run.label,
                run.user_id,
                exc_info=not isinstance(exc, NewsbotError),
            )
            return None
        finally:
            self.running = None
        report.skipped[:0] = run.extra_skipped
        log.info("ingestion %s by %s: %s", run.label, run.user_id, summary_line(report))
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

        future = asyncio.ensure_future(asyncio.to_thread(work))
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
    return f"{run.label} (started by {run.user_id} {elapsed:.0f} s ago{done})"
