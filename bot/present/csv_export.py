"""Results as CSV, for a spreadsheet (``--csv`` of the commands, the bot's 📎 document): a header row,
then one row per result, as text to be written UTF-8.

    csv_text(("date", "count"), [("2026-01-06", 3), ("2026-01-07", None)])
    # 'date,count\\r\\n2026-01-06,3\\r\\n2026-01-07,\\r\\n'

The standard :mod:`csv` module writes it (RFC 4180: commas, double quotes around a cell that needs
them, ``\\r\\n`` line ends; a cell may hold line breaks). A cell is written as text: None is empty, a
date or a time is ISO 8601. Text from the archive is not trusted: a cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return would be a formula to a spreadsheet, so it is written with a
leading ``'`` (OWASP's advice against CSV injection: a feed's title could hold ``=HYPERLINK(…)``).

:func:`csv_lines` yields the text a row at a time, for output written as the rows are read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from retrieval.records import Copy, Passage

if TYPE_CHECKING:
    from ingest.feeds.registry import Feed
    from retrieval.entities.who import Fact

Cell = str | int | float | date | datetime | None
"""What a row may hold."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula."""


SEARCH_COLUMNS = ("date", "outlet", "title", "url", "passage", "strength", "story", "also_in")
"""``newsbot search --csv`` and the bot's 📎: a passage a row; ``story``: its story's label (the id of
the story's first article: the copies of a story share it); ``also_in``: the story's other copies."""
WHO_COLUMNS = ("date", "outlet", "title", "url", "article_id")
"""``newsbot who --csv``: an article that names the entity a row, newest first."""
FEED_COLUMNS = (
    "url", "source", "added_at", "last_poll", "last_success", "last_error", "articles_added"
)  # fmt: skip
"""``newsbot feeds list --csv``: a feed a row (the keys of ``feeds list --json``)."""


def passage_row(passage: Passage, story: str) -> tuple[Cell, ...]:
    """A passage under :data:`SEARCH_COLUMNS`."""
    c = passage.chunk
    return (c.date, c.source, c.title, c.url, c.text, passage.strength, story, also_in_cell(passage))


def also_in_cell(passage: Passage) -> str:
    """The story's other copies, ``outlet link`` each, ``; `` between them, ``+N`` for those not read."""
    copies = [_copy_text(c) for c in passage.copies]
    if passage.more_copies:
        copies.append(f"+{passage.more_copies}")
    return "; ".join(copies)


def fact_row(fact: Fact) -> tuple[Cell, ...]:
    """An article of ``newsbot who`` under :data:`WHO_COLUMNS`."""
    return (fact.day, fact.outlet, fact.title, fact.url, fact.article_id)


def feed_row(feed: Feed) -> tuple[Cell, ...]:
    """A feed under :data:`FEED_COLUMNS`."""
    return (
        feed.url, feed.source, feed.added_at, feed.last_poll, feed.last_success, feed.last_error,
        feed.articles_added,
    )  # fmt: skip


def _copy_text(copy: Copy) -> str:
    where = " ".join(w for w in (copy.source, copy.url) if w)
    return where or copy.origin or copy.title or copy.article_id


def cell_text(value: Cell) -> str:
    """A cell as written: empty for None, ISO 8601 for a date or time, a formula neutralised."""
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def csv_lines(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[str]:
    """The header, then each row, each as its CSV text (one line, or more when a cell holds line breaks)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield _take(buffer)
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row of {len(row)} cells under {len(columns)} columns")
        writer.writerow([cell_text(v) for v in row])
        yield _take(buffer)


def csv_text(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """The whole CSV: the header and every row."""
    return "".join(csv_lines(columns, rows))


def _take(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text
