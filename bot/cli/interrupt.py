"""Ctrl-C during a long command (``ingest``, ``feeds poll``, ``watch``): the first one asks the run to
stop after its current step, the second one stops at once."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def cancel_on_ctrl_c(cancel: threading.Event) -> Iterator[None]:
    """The first Ctrl-C sets ``cancel``: the run stops after its current model call or write, with whole
    articles only. A second one interrupts at once (``KeyboardInterrupt``; crash-safe all the same)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def on_ctrl_c(signum: int, frame: FrameType | None) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        # not print(): the handler may run inside a write to stderr (the progress bar's)
        with contextlib.suppress(OSError, ValueError):
            os.write(
                sys.stderr.fileno(), b"\nStopping after the current step (Ctrl-C again to stop at once)\n"
            )

    previous = signal.signal(signal.SIGINT, on_ctrl_c)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
