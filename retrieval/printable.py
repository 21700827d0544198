r"""Untrusted text (file names, zip members, titles, ids) made safe to show in a report line.

    printable("a\nIngestion finished\x1b[31m.txt") == r"a\nIngestion finished\x1b[31m.txt"

A name may hold a newline that forges a line of the report, an ANSI escape that drives the terminal, or a
bidi override that shows ``exe.txt`` for ``txt.exe``. Every character that is not printable is shown as
``repr`` writes it (``\n``, ``\x1b``, ``\x7f``, ``\x85``, ``\u2028``, ``\u202e``, ``\xa0``): C0 and
C1 controls, DEL, line and paragraph separators, bidi and other format characters, spaces other than
the plain one, unassigned and private-use code points. Everything printable stays as it is, Cyrillic
and the other scripts included.

Unlike ``repr``, a backslash stays as it is: text escaped once is unchanged by escaping it again, so a
report line that quotes a value with ``!r`` comes out the same, and Windows paths stay readable.
Used by every edge that shows reports (the CLI and the bot); nothing here knows who shows them.

Text that has lines of its own (an article's passage, an answer quoting it) goes through
:func:`printable_text` instead: newlines and tabs stay, and so does every other space and invisible
character a text may hold (no-break spaces, soft hyphens); only what drives a terminal or reorders what
it shows is escaped: C0 and C1 controls (ESC among them), DEL, line and paragraph separators, bidi
marks, overrides and isolates, and lone surrogates (which no terminal encoding can write).
"""

from __future__ import annotations

import re

__all__ = ["printable", "printable_text"]

_UNSAFE_IN_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """``text`` with every character that is not printable replaced by its escape sequence."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def printable_text(text: str) -> str:
    """Multi-line ``text`` with its newlines and tabs kept and every other control, line or paragraph
    separator, bidi control and lone surrogate replaced by its escape sequence."""
    return _UNSAFE_IN_TEXT.sub(lambda match: repr(match.group())[1:-1], text)
