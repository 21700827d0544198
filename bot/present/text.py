"""Answers and passages as plain text for a terminal (:mod:`bot.present.html` shows the same as HTML).

The fixed words around an answer follow the question's language, as the answer itself does. What comes
from the archive is made safe to print (:mod:`retrieval.printable`): a title, outlet or link holding an
escape sequence or a line break cannot drive the terminal or add a line of its own (a forged
"Sources:"), and passages and answers keep their lines but lose their controls.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.present.phrases import WORDS
from bot.present.shown import copies_shown, copy_name, mentioned_line, origin_shown, without_weak, words
from retrieval.entities.who import Counted
from retrieval.printable import printable, printable_text
from retrieval.records import Answer, Citation, Copy, Passage


def source_line(c: Citation, *, said: dict[str, str] = WORDS["en"]) -> str:
    """``[n] Title — 2026-01-06 — Outlet — https://…``: where to find the article; with neither outlet
    nor link, the file it was ingested from (``[n] Title — paris-talks.txt``)."""
    parts = [f"[{c.n}] {printable(c.title or c.article_id)}"]
    if c.date:
        parts.append(c.date.isoformat())
    where = (c.source, c.url, origin_shown(c.source, c.url, c.origin))
    parts.extend(printable(x) for x in where if x)
    line = " — ".join(parts)
    return f"{line}\n    {also_in(c.copies, said, c.more_copies)}" if c.copies else line


def also_in(copies: Sequence[Copy], said: dict[str, str] = WORDS["en"], more: int = 0) -> str:
    """``also in: Outlet B (2026-01-07) https://…; Outlet C …; and 7 more``: the other copies of a
    story, the first five named as the bot names them (:func:`~bot.present.shown.copies_shown`), the
    rest counted with ``more``, those not read."""
    named, hidden = copies_shown(copies, more)
    shown = []
    for c in named:
        parts = [printable(copy_name(c))]
        if c.date:
            parts.append(f"({c.date.isoformat()})")
        if c.url:
            parts.append(printable(c.url))
        shown.append(" ".join(parts))
    if hidden:
        shown.append(said["more_copies"].format(n=hidden))
    return f"{said['also_in']}: " + "; ".join(shown)


def format_answer(answer: Answer) -> str:
    lines = [printable_text(answer.text)]
    if answer.citations:
        lines.append("")
        said = words(answer.question)
        lines.append(f"{said['sources']}:")
        lines.extend(source_line(c, said=said) for c in answer.citations)
    if answer.note:
        lines.append("")
        lines.append(f"({printable_text(answer.note)})")
    return "\n".join(lines)


def format_passages(passages: Sequence[Passage], *, said: dict[str, str] = WORDS["en"]) -> str:
    blocks = []
    told: set[str] = set()
    for i, p in enumerate(passages, 1):
        c = p.chunk
        day = c.date.isoformat() if c.date else said["undated"]
        title = c.title or c.article_id
        origin = origin_shown(c.source, c.url, p.origin)
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


def format_search(
    query: str, passages: Sequence[Passage], *, show_all: bool = False, mentioned: Sequence[Counted] = ()
) -> str:
    """What ``newsbot search`` prints: the passages with how well each matches (weak matches left out
    unless ``show_all``, saying how many), or "nothing found", in the query's language; then the
    entities ``mentioned`` most among them."""
    said = words(query)
    shown, hidden = (list(passages), 0) if show_all else without_weak(passages)
    parts = [format_passages(shown, said=said) if shown else f"{said['nothing']}."]
    if hidden:
        parts.append(said["hidden"].format(n=hidden) + " " + said["show_all"])
    if shown and (line := mentioned_line(mentioned, said)):
        parts.append(line)
    return "\n\n".join(parts)
