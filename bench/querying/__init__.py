"""The parts of ``bench/query.py``: the processes it starts (:mod:`.processes`), the synthetic stores it
fills (:mod:`.synthetic`) and the tables it prints (:mod:`.tables`)."""

from __future__ import annotations

import sys


def note(text: str) -> None:
    """A line of progress on stderr (the figures go to stdout)."""
    print(text, file=sys.stderr, flush=True)
