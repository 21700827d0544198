"""Answers and passages as plain text for a terminal (the bot has its own HTML rendering).

The fixed words around an answer follow the question's language, as the answer itself does.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.records import Answer, Citation, Passage
from retrieval.search.searcher import question_language

WORDS = {
    "ru": {"sources": "Источники:", "nothing": "Ничего не найдено.", "undated": "без даты"},
    "en": {"sources": "Sources:", "nothing": "Nothing found.", "undated": "undated"},
}


def words(text: str) -> dict[str, str]:
    """The fixed words for a reply to ``text`` (a question or a search query), in its language."""
    return WORDS[question_language(text)]


def source_line(c: Citation) -> str:
    parts = [f"[{c.n}] {c.title}"]
    if c.date:
        parts.append(c.date.isoformat())
    if c.source:
        parts.append(c.source)
    if c.url:
        parts.append(c.url)
    return " — ".join(parts)


def format_answer(answer: Answer) -> str:
    lines = [answer.text]
    if answer.citations:
        lines.append("")
        lines.append(words(answer.question)["sources"])
        lines.extend(source_line(c) for c in answer.citations)
    if answer.note:
        lines.append("")
        lines.append(f"({answer.note})")
    return "\n".join(lines)


def format_passages(passages: Sequence[Passage], *, undated: str = "undated") -> str:
    blocks = []
    for i, p in enumerate(passages, 1):
        c = p.chunk
        head = " — ".join(x for x in (c.date.isoformat() if c.date else undated, c.source, c.title) if x)
        block = [f"{i}. {head}"]
        if c.url:
            block.append(f"   {c.url}")
        block.append("   " + c.text.replace("\n", "\n   "))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)


def format_search(query: str, passages: Sequence[Passage]) -> str:
    """What ``newsbot search`` prints: the passages, or "nothing found" in the query's language."""
    said = words(query)
    return format_passages(passages, undated=said["undated"]) if passages else said["nothing"]
