"""What the soak saw, as figures: pure functions over the run's records, and the printed report.

- questions: how each was replied to (an answer; "the archive is unavailable"; "something went wrong";
  "too fast"; no reply) and the time to the first reply, p95 in the fault's length before each fault,
  during it and after it;
- errors by class: the replicas' log records of level WARNING and above by logger, the exceptions of
  their tracebacks by class, and the Bot API calls the emulators refused, by error;
- articles: each published piece looked up in the store by id at the end (lost: not there), and how long
  each took from publication to the store;
- alerts: for each follower group and each stored article on a topic it follows, how many times it was
  shown in the group's alerts (exactly once is right; more is a duplicate, none a miss).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from soaking.content import Piece
from soaking.faults import Fault
from soaking.people import Asked

_RECORD = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ (WARNING|ERROR|CRITICAL) ([\w.]+): (.*)$")
_CHAINED = ("During handling of the above exception", "The above exception was the direct cause")


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (``q`` in 0..1) of a non-empty sequence."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def windows(fault: Fault) -> dict[str, tuple[float, float]]:
    """Before, during and after: the fault's own span and one as long on each side."""
    began = fault.began if fault.began is not None else fault.planned
    ended = fault.ended if fault.ended is not None else began + fault.length
    span = max(ended - began, fault.length)
    return {"before": (began - span, began), "during": (began, ended), "after": (ended, ended + span)}


def latency_cell(asked: Iterable[Asked], start: float, end: float) -> str:
    """p95 time to the first reply of the questions sent in [start, end), how many, how many unreplied."""
    sent = [a for a in asked if start <= a.sent < end]
    times = [a.latency for a in sent if a.latency is not None]
    if not sent:
        return "–"
    unreplied = len(sent) - len(times)
    p95 = f"{percentile(times, 0.95):.2f} s" if times else "no reply"
    return f"{p95} (n={len(sent)}" + (f", {unreplied} no reply)" if unreplied else ")")


@dataclass
class LogFindings:
    records: Counter[str] = field(default_factory=Counter)
    """``LEVEL logger``: how many."""
    exceptions: Counter[str] = field(default_factory=Counter)
    """The exception class ending each traceback (the last of a chain)."""
    messages: Counter[str] = field(default_factory=Counter)
    """``LEVEL logger: message`` with numbers and links masked: which kinds of trouble."""


def read_logs(paths: Iterable[Path]) -> LogFindings:
    found = LogFindings()
    for path in paths:
        _read_log(path.read_text(errors="replace").splitlines(), found)
    return found


def _read_log(lines: list[str], found: LogFindings) -> None:
    in_trace, pending = False, None
    for line in lines:
        record = _RECORD.match(line)
        if record:
            if pending:
                found.exceptions[pending] += 1
            in_trace, pending = False, None
            level, logger, message = record.groups()
            found.records[f"{level} {logger}"] += 1
            found.messages[f"{level} {logger}: {mask(message)}"] += 1
        elif line.startswith("Traceback (most recent call last)"):
            in_trace = True
        elif line.startswith(_CHAINED):
            pending = None  # the chain goes on: its last exception is the one to count
        elif in_trace and line and not line[0].isspace():
            pending, in_trace = line.split(":", 1)[0].strip(), False
    if pending:
        found.exceptions[pending] += 1


def mask(message: str) -> str:
    message = re.sub(r"https?://\S+", "<url>", message)
    message = re.sub(r"-?\d+(\.\d+)?", "N", message)
    return message if len(message) <= 110 else message[:109] + "…"


@dataclass
class AlertTally:
    due: int = 0
    once: int = 0
    duplicated: list[tuple[str, str, int]] = field(default_factory=list)
    """(group, article key, times shown) for each article shown more than once in a group."""
    missed: list[tuple[str, str]] = field(default_factory=list)
    unexpected: list[tuple[str, str]] = field(default_factory=list)
    """(group, article key or link) shown to a group that follows none of its topics."""


def tally_alerts(
    due: dict[str, list[Piece]], shown: dict[str, Counter[str]], pieces: Sequence[Piece]
) -> AlertTally:
    """``due``: by group, the stored articles on its topics; ``shown``: by group, how often each link was
    shown in its alerts."""
    by_url = {p.url: p for p in pieces}
    tally = AlertTally()
    for group, articles in due.items():
        counts = shown.get(group, Counter())
        for piece in articles:
            tally.due += 1
            times = counts.get(piece.url, 0)
            if times == 1:
                tally.once += 1
            elif times > 1:
                tally.duplicated.append((group, piece.key, times))
            else:
                tally.missed.append((group, piece.key))
        wanted = {p.url for p in articles}
        for url in counts:
            if url not in wanted:
                tally.unexpected.append((group, by_url[url].key if url in by_url else url))
    return tally


def published_counts(pieces: Sequence[Piece], stored: set[str]) -> tuple[Counter[str], Counter[str]]:
    """Published and stored, by how (feed, channel, ingest)."""
    published: Counter[str] = Counter()
    present: Counter[str] = Counter()
    for piece in pieces:
        how = piece.channel.split(":")[0]
        published[how] += 1
        present[how] += piece.article_id in stored
    return published, present
