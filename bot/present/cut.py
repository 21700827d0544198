"""Text cut to a size, marked with "…" where it was cut: titles, outlets, words, quotes in context.

    trim("A long title of an article", 16)        -> "A long title …"    at a space; lines kept
    clip("Уиткофф  +\\nКушнер", 12)                 -> "Уиткофф + К…"    white space tidied; at the size
    around(text, start, end, room)                 -> ("… before ", " after …")

What the bot and the command line show of a record never exceeds its size; a part cut off is always
marked, so a reader knows there is more. (``textwrap.shorten`` serves where whole words are dropped.)
"""

from __future__ import annotations


def trim(text: str, limit: int) -> str:
    """``text`` (stripped) if it fits in ``limit`` characters; else its start up to the last space that
    fits, then " …". Line breaks inside are kept (a passage keeps its paragraphs)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + " …"


def clip(text: str, limit: int) -> str:
    """``text`` on one line (white space tidied), cut at ``limit`` characters with "…" when longer."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def around(text: str, start: int, end: int, room: int) -> tuple[str, str]:
    """What comes before ``text[start:end]`` and after it, about ``room`` characters in all with it
    (half on each side), cut at a space and marked "… " / " …" where the text goes on."""
    side = max(0, room - (end - start)) // 2
    before, after = text[max(0, start - side) : start], text[end : end + side]
    if start > side:
        before = "… " + before.split(" ", 1)[-1]
    if end + side < len(text):
        after = after.rsplit(" ", 1)[0] + " …"
    return before, after
