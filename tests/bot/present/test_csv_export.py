"""The CSV writer, read back with the csv module as a spreadsheet would read it."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest

from bot.present.csv_export import csv_lines, csv_text


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_cells_with_commas_quotes_and_line_breaks_come_back_as_written() -> None:
    text = csv_text(
        ("date", "title", "passage", "n"),
        [
            (date(2026, 1, 6), 'ЦБ: ставка "16%", решение', "первый абзац\nвторой абзац", 3),
            (None, "Без даты", "", 0),
        ],
    )
    assert text.startswith("date,title,passage,n\r\n")
    assert read_back(text) == [
        ["date", "title", "passage", "n"],
        ["2026-01-06", 'ЦБ: ставка "16%", решение', "первый абзац\nвторой абзац", "3"],
        ["", "Без даты", "", "0"],
    ]


def test_a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text() -> None:
    rows = [('=HYPERLINK("http://x")',), ("+7 495",), ("-5%",), ("@SUM(A1)",), ("5 = 5",)]
    assert [r[0] for r in read_back(csv_text(("title",), rows))[1:]] == [
        '\'=HYPERLINK("http://x")',
        "'+7 495",
        "'-5%",
        "'@SUM(A1)",
        "5 = 5",
    ]


def test_lines_come_a_row_at_a_time_and_a_time_is_iso() -> None:
    moment = datetime(2026, 1, 6, 8, 0, tzinfo=UTC)
    lines = list(csv_lines(("when", "n"), iter([(moment, 1.5), (None, None)])))
    assert lines == ["when,n\r\n", "2026-01-06T08:00:00+00:00,1.5\r\n", ",\r\n"]


def test_a_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="a row of 1 cells under 2 columns"):
        csv_text(("a", "b"), [("only one",)])
