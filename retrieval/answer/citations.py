"""Numbered sources: one number per cited article, in order of first use; ``[n]`` markers in text."""

from __future__ import annotations

import re

from retrieval.records import Citation, Passage

MARKER = re.compile(r"\[(\d{1,3})\]")


def citation_for(n: int, passage: Passage, quote: str) -> Citation:
    c = passage.chunk
    return Citation(
        n=n, article_id=c.article_id, title=c.title, date=c.date, url=c.url, source=c.source, quote=quote
    )


def markers_in(text: str) -> list[int]:
    return [int(m) for m in MARKER.findall(text)]


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Rewrite ``[n]`` markers through ``mapping``; markers not in it are removed with their spacing."""

    def swap(m: re.Match[str]) -> str:
        new = mapping.get(int(m.group(2)))
        return f"{m.group(1)}[{new}]" if new is not None else ""

    return re.sub(r"(\s*)\[(\d{1,3})\]", swap, text)
