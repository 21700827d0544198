"""Untrusted text in report lines: controls escaped, readable text (any script) left as it is."""

from __future__ import annotations

import pytest

from retrieval.printable import printable, printable_text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\nIngestion finished: 999 added", r"a\nIngestion finished: 999 added"),
        ("\x1b[31mred\x1b[0m.txt", r"\x1b[31mred\x1b[0m.txt"),
        ("tab\there\r\x00\x7f", r"tab\there\r\x00\x7f"),
        ("c1\x85\x9b", r"c1\x85\x9b"),
        ("line\u2028para\u2029", r"line\u2028para\u2029"),
        ("invoice\u202etxt.exe", r"invoice\u202etxt.exe"),
        ("\u2066isolate\u2069\ufeff", r"\u2066isolate\u2069\ufeff"),
        ("no\xa0break", r"no\xa0break"),
    ],
)
def test_controls_separators_and_bidi_overrides_are_escaped(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable(text).isprintable()


def test_readable_text_in_any_script_stays_as_it_is() -> None:
    for text in ("новости/Тульский пряник — «бренд».txt", "Café “finally”.md", "報道 2026.csv", "a b"):
        assert printable(text) == text


def test_escaping_twice_changes_nothing_and_backslashes_stay() -> None:
    once = printable("dup 'a\nb' in C:\\news\\x.txt")
    assert once == "dup 'a\\nb' in C:\\news\\x.txt"
    assert printable(once) == once
    assert printable(repr("a\nb")) == repr("a\nb")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("first line\nsecond\tcolumn", "first line\nsecond\tcolumn"),
        ("red\x1b[31m text\x1b[0m", r"red\x1b[31m text\x1b[0m"),
        (
            "bell\x07 nul\x00 del\x7f csi\x9b nel\x85 cr\r ff\x0c",
            r"bell\x07 nul\x00 del\x7f csi\x9b nel\x85 cr\r ff\x0c",
        ),
        ("line\u2028para\u2029", r"line\u2028para\u2029"),
        (
            "invoice\u202etxt.exe \u2066isolate\u2069 \u200fmark",
            r"invoice\u202etxt.exe \u2066isolate\u2069 \u200fmark",
        ),
        ("lone \ud800 surrogate", r"lone \ud800 surrogate"),
    ],
)
def test_text_keeps_its_lines_and_tabs_and_loses_its_controls(text: str, shown: str) -> None:
    assert printable_text(text) == shown
    assert all(line.replace("\t", " ").isprintable() for line in printable_text(text).split("\n"))


def test_text_keeps_its_spaces_and_invisible_marks_and_escaping_twice_changes_nothing() -> None:
    text = "10\xa0000 рублей, пере\xadнос, 👩\u200d💻, C:\\news\\x.txt"
    assert printable_text(text) == text
    once = printable_text("a\x1bb")
    assert printable_text(once) == once == r"a\x1bb"
