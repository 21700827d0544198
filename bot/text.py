"""Answers and passages as plain text for a terminal (the bot has its own HTML rendering).

The fixed words around an answer follow the question's language, as the answer itself does. What comes
from the archive is made safe to print (:mod:`retrieval.printable`): a title, outlet or link holding an
escape sequence or a line break cannot drive the terminal or add a line of its own (a forged
"Sources:"), and passages and answers keep their lines but lose their controls.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.printable import printable, printable_text
from retrieval.records import Answer, Citation, Copy, Passage
from retrieval.search.searcher import question_language

WORDS = {
    "ru": {
        "sources": "Источники:",
        "nothing": "Ничего не найдено.",
        "undated": "без даты",
        "strong": "сильное совпадение",
        "related": "по теме",
        "weak": "слабое совпадение",
        "hidden": "Скрыто слабых совпадений: {n}.",
        "show_all": "--all покажет все.",
        "weak_below": "Дальше — слабые совпадения:",
        "also_in": "также в",
        "more_copies": "и ещё {n}",
    },
    "en": {
        "sources": "Sources:",
        "nothing": "Nothing found.",
        "undated": "undated",
        "strong": "strong match",
        "related": "related",
        "weak": "weak match",
        "hidden": "{n} weak matches hidden.",
        "show_all": "--all shows them.",
        "weak_below": "Weak matches below:",
        "also_in": "also in",
        "more_copies": "and {n} more",
    },
}


def words(text: str) -> dict[str, str]:
    """The fixed words for a reply to ``text`` (a question or a search query), in its language."""
    return WORDS[question_language(text)]


def source_line(c: Citation, *, said: dict[str, str] = WORDS["en"]) -> str:
    """``[n] Title — 2026-01-06 — Outlet — https://…``: where to find the article; with neither outlet
    nor link, the file it was ingested from (``[n] Title — paris-talks.txt``)."""
    parts = [f"[{c.n}] {printable(c.title or c.article_id)}"]
    if c.date:
        parts.append(c.date.isoformat())
    parts.extend(printable(x) for x in where_to_find(c.source, c.url, c.origin))
    line = " — ".join(parts)
    return f"{line}\n    {also_in(c.copies, said, c.more_copies)}" if c.copies else line


def where_to_find(source: str | None, url: str | None, origin: str) -> list[str]:
    """The outlet and the link when known, else the file an article was ingested from (if known)."""
    found = [x for x in (source, url) if x]
    return found or ([origin] if origin else [])


def copy_name(c: Copy) -> str:
    """What names a copy of a story: its outlet; else, without a link, the file it was ingested from
    (made printable: uploaded files are named by users); else its title."""
    return c.source or (printable(c.origin) if c.origin and not c.url else "") or c.title or c.article_id


def also_in(copies: Sequence[Copy], said: dict[str, str] = WORDS["en"], more: int = 0) -> str:
    """``also in: Outlet B (2026-01-07) https://…; Outlet C …``: the other copies of a story (``more``:
    those not read, counted: ``and 130 more``)."""
    shown = []
    for c in copies:
        parts = [printable(copy_name(c))]
        if c.date:
            parts.append(f"({c.date.isoformat()})")
        if c.url:
            parts.append(printable(c.url))
        shown.append(" ".join(parts))
    if more:
        shown.append(said["more_copies"].format(n=more))
    return f"{said['also_in']}: " + "; ".join(shown)


def format_answer(answer: Answer) -> str:
    lines = [printable_text(answer.text)]
    if answer.citations:
        lines.append("")
        said = words(answer.question)
        lines.append(said["sources"])
        lines.extend(source_line(c, said=said) for c in answer.citations)
    if answer.note:
        lines.append("")
        lines.append(f"({printable_text(answer.note)})")
    return "\n".join(lines)


def without_weak(passages: Sequence[Passage]) -> tuple[list[Passage], int]:
    """The passages that match at least loosely, and how many weak ones were left out."""
    kept = [p for p in passages if p.strength != "weak"]
    return kept, len(passages) - len(kept)


def format_passages(passages: Sequence[Passage], *, said: dict[str, str] = WORDS["en"]) -> str:
    blocks = []
    told: set[str] = set()
    for i, p in enumerate(passages, 1):
        c = p.chunk
        day = c.date.isoformat() if c.date else said["undated"]
        title = c.title or c.article_id
        origin = p.origin if not (c.source or c.url) else ""
        head = " — ".join(printable(x) for x in (day, c.source, title, origin) if x)
        strength = f" [{said[p.strength]}]" if p.strength else ""
        block = [f"{i}.{strength} {head}"]
        if c.url:
            block.append(f"   {printable(c.url)}")
        if p.copies and p.article_id not in told:  # once per article, however many of its passages
            block.append(f"   {also_in(p.copies, said, p.more_copies)}")
            told.add(p.article_id)
        block.append("   " + printable_text(c.text).replace("\n", "\n   "))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def format_search(query: str, passages: Sequence[Passage], *, show_all: bool = False) -> str:
    """What ``newsbot search`` prints: the passages with how well each matches (weak matches left out
    unless ``show_all``, saying how many), or "nothing found", in the query's language."""
    said = words(query)
    shown, hidden = (list(passages), 0) if show_all else without_weak(passages)
    parts = [format_passages(shown, said=said) if shown else said["nothing"]]
    if hidden:
        parts.append(said["hidden"].format(n=hidden) + " " + said["show_all"])
    return "\n\n".join(parts)
