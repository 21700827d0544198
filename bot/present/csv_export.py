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

Cell = str | int | float | date | datetime | None
"""What a row may hold."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet reads as the start of a formula."""


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
