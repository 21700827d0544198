"""What of a record is shown, in plain text and in HTML alike: which passages, in which words, and by
which name an article or a copy of a story is found.

    said = words("Кто представит США?")          # the fixed words, in the question's language
    kept, hidden = without_weak(passages)         # weak matches are left out unless asked for
    copy_name(copy)                               # "Outlet B", else the file it came from, else its title
    named, counted = copies_shown(copies, more)   # the first five copies of a story, and how many others
    origin_shown(source, url, origin)             # the file, only when there is neither outlet nor link
    mentioned_line(most, said)                    # "Most mentioned: Владимир Путин (3), …"
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.present.phrases import WORDS
from retrieval.entities.who import Counted
from retrieval.printable import printable
from retrieval.records import Copy, Passage
from retrieval.search.searcher import question_language

COPIES_SHOWN = 5
"""The most copies of a story an "also in" line names (the rest are counted)."""


def words(text: str) -> dict[str, str]:
    """The fixed words for a reply to ``text`` (a question or a search query), in its language."""
    return WORDS[question_language(text)]


def mentioned_line(mentioned: Sequence[Counted], said: dict[str, str]) -> str:
    """The entities most mentioned among a search's results, with how many results name each; "" for
    none."""
    named = ", ".join(f"{printable(c.name)} ({c.articles})" for c in mentioned)
    return f"{said['mentioned']}: {named}" if named else ""


def without_weak(passages: Sequence[Passage]) -> tuple[list[Passage], int]:
    """The passages that match at least loosely, and how many weak ones were left out."""
    kept = [p for p in passages if p.strength != "weak"]
    return kept, len(passages) - len(kept)


def origin_shown(source: str | None, url: str | None, origin: str) -> str:
    """The file an article was ingested from, as where to find it when it has neither an outlet nor a
    link; "" otherwise."""
    return origin if not (source or url) else ""


def copy_name(c: Copy) -> str:
    """What names a copy of a story: its outlet; else, without a link, the file it was ingested from
    (made printable: uploaded files are named by users); else its title."""
    return c.source or (printable(c.origin) if c.origin and not c.url else "") or c.title or c.article_id


def copies_shown(copies: Sequence[Copy], more: int = 0) -> tuple[Sequence[Copy], int]:
    """The copies of a story an "also in" line names (the first :data:`COPIES_SHOWN`), and how many
    others it counts: those past them, and ``more``, the copies counted but not read."""
    return copies[:COPIES_SHOWN], max(0, len(copies) - COPIES_SHOWN) + more
