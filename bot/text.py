"""Answers and passages as plain text for a terminal (the bot has its own HTML rendering)."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.records import Answer, Citation, Passage


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
        lines.append("Sources:")
        lines.extend(source_line(c) for c in answer.citations)
    if answer.note:
        lines.append("")
        lines.append(f"({answer.note})")
    return "\n".join(lines)


def format_passages(passages: Sequence[Passage]) -> str:
    blocks = []
    for i, p in enumerate(passages, 1):
        c = p.chunk
        head = " — ".join(x for x in (c.date.isoformat() if c.date else "undated", c.source, c.title) if x)
        block = [f"{i}. {head}"]
        if c.url:
            block.append(f"   {c.url}")
        block.append("   " + c.text.replace("\n", "\n   "))
        blocks.append("\n".join(block))
    return "\n\n".join(blocks)
