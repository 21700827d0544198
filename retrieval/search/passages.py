"""Passages: the paragraph around a matching chunk, grown from its neighbours in the article.

Pure functions over chunks already fetched; ``lookup(index)`` gives the article's chunk at a position
(or None when it was not fetched or does not exist).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable

from retrieval.records import Chunk, Passage

PARAGRAPH_GAP = 2
"""Chunks this many characters apart or more lie in different paragraphs (a blank line between them)."""

Lookup = Callable[[int], Chunk | None]


def paragraph(focus: Chunk, lookup: Lookup, limit: int, minimum: int) -> tuple[int, int]:
    """The first and last chunk index of the paragraph around ``focus``, grown a chunk at a time on both
    sides while the whole stays within ``limit`` characters (a long paragraph gives the part around the
    match); a paragraph shorter than ``minimum`` characters gets a chunk of the text before and after."""

    def joined(a: Chunk | None, b: Chunk | None) -> bool:  # b follows a in the same paragraph
        return a is not None and b is not None and b.start - a.end < PARAGRAPH_GAP

    first = last = focus.index
    grown = True
    while grown:
        grown = False
        head, tail = lookup(first), lookup(last)
        before, after = lookup(first - 1), lookup(last + 1)
        if (
            before is not None
            and tail is not None
            and joined(before, head)
            and tail.end - before.start <= limit
        ):
            first, grown = first - 1, True
        head = lookup(first)
        if after and head and joined(tail, after) and after.end - head.start <= limit:
            last, grown = last + 1, True
    head, tail = lookup(first), lookup(last)
    if head is not None and tail is not None and tail.end - head.start < minimum:
        first = first - 1 if lookup(first - 1) is not None else first
        last = last + 1 if lookup(last + 1) is not None else last
    return first, last


def outside(first: int, last: int, focus: int, taken: list[tuple[int, int]]) -> tuple[int, int] | None:
    """The span ``first..last`` cut back so that it shares no chunk with the ``taken`` spans of the same
    article, keeping ``focus``; None when ``focus`` itself is taken."""
    for a, b in taken:
        if a <= focus <= b:
            return None
        if focus > b:
            first = max(first, b + 1)
        else:
            last = min(last, a - 1)
    return first, last


def passage(
    focus: Chunk, first: int, last: int, lookup: Lookup, score: float, similarity: float = 0.0
) -> Passage:
    """Contiguous chunks of one article as one passage (a paragraph break where the gap was wider)."""
    members = [c for c in (lookup(i) for i in range(first, last + 1)) if c is not None]
    text = members[0].text
    focus_at = 0
    for before, after in itertools.pairwise(members):
        text += "\n\n" if after.start - before.end >= PARAGRAPH_GAP else " "
        if after.index == focus.index:
            focus_at = len(text)
        text += after.text
    chunk = Chunk(
        article_id=focus.article_id,
        index=focus.index,
        text=text,
        start=members[0].start,
        end=members[-1].end,
        title=focus.title,
        date=focus.date,
        url=focus.url,
        source=focus.source,
    )
    return Passage(chunk, score, (focus_at, focus_at + len(focus.text)), similarity)
