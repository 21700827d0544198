"""Text cut to a size: what fits is left alone, and every cut is marked with "…"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from bot.present.cut import around, clip, trim
from bot.present.feeds import when


def test_trim_cuts_at_a_space_and_keeps_the_lines() -> None:
    assert trim("  short  ", 10) == "short"
    assert trim("A long title of an article", 16) == "A long title …"
    assert trim("first line\nsecond line goes on", 20) == "first line\nsecond …"
    assert len(trim("word " * 100, 300)) <= 300


def test_clip_tidies_the_white_space_and_cuts_at_the_size() -> None:
    assert clip("a  b\nc", 10) == "a b c"
    assert clip("Уиткофф  +\nКушнер", 12) == "Уиткофф + К…"
    assert clip("Уиткофф + Кушнер", 9) == "Уиткофф…"  # no space left before the mark
    assert len(clip("x" * 500, 100)) == 100


def test_around_keeps_about_the_room_and_marks_each_side_it_cuts() -> None:
    text = "one two three four five six seven"
    start = text.index("four")
    assert around(text, start, start + 4, 100) == ("one two three ", " five six seven")
    assert around(text, start, start + 4, 20) == ("… three ", " five …")
    assert around(text, 0, 3, 12) == ("", " …")  # the last word may be cut: it goes


def test_feed_times_are_shown_in_utc_and_say_so() -> None:
    assert when(datetime(2026, 1, 6, 8, 0, tzinfo=UTC)) == "2026-01-06 08:00 UTC"
    moscow = timezone(timedelta(hours=3))
    assert when(datetime(2026, 1, 6, 11, 0, tzinfo=moscow)) == "2026-01-06 08:00 UTC"
    assert when(None) == "never"
