"""A long sentence cut to its answering clause: the clauses around the answer (or, without one, those
sharing the most with the question) up to a length, with "…" where words were left out; never reworded.

    answering_clause("Защита Пэнтерс уступила всего 308 очков, заняв шестое место в лиге, а также …",
                     question_terms, answer=(28, 31))
    -> "Защита Пэнтерс уступила всего 308 очков, заняв шестое место в лиге …"
"""

from __future__ import annotations

import re
from collections.abc import Collection

from retrieval.terms import tokenize

CLAUSE_CHARS = 200
"""A sentence longer than this is cut to its answering clauses, at most this long."""
_BOUNDARY = re.compile(r"[,;:]\s+|\s+[—–]\s+|\s+\(|\)\s*")
ELLIPSIS = "…"


def clauses(sentence: str) -> list[tuple[int, int]]:
    """Where the clauses of ``sentence`` lie: split after commas, semicolons, colons, dashes, brackets."""
    out, start = [], 0
    for m in _BOUNDARY.finditer(sentence):
        if m.start() > start:
            out.append((start, m.start() + (1 if sentence[m.start()] in ",;:)" else 0)))
        start = m.end() if sentence[m.start()] != "(" else m.end() - 1
    if start < len(sentence):
        out.append((start, len(sentence)))
    return out


def answering_clause(
    sentence: str,
    terms: Collection[str],
    answer: tuple[int, int] | None = None,
    limit: int = CLAUSE_CHARS,
) -> str:
    """``sentence`` when it is at most ``limit`` characters; else the run of its clauses that holds
    ``answer`` (a span of the sentence) or, without one, the most of ``terms`` (stems), grown to the
    neighbours that share any of them while it stays within ``limit``, with "…" for what was left."""
    if len(sentence) <= limit:
        return sentence
    parts = clauses(sentence)
    if len(parts) < 2:
        return sentence
    shared = [len(set(tokenize(sentence[a:b])) & set(terms)) for a, b in parts]
    if answer is not None:
        holding = [i for i, (a, b) in enumerate(parts) if a < answer[1] and b > answer[0]]
        first, last = (holding[0], holding[-1]) if holding else (0, 0)
    else:
        first = last = max(range(len(parts)), key=lambda i: (shared[i], -i))
    while True:
        grown = _grow(parts, shared, first, last, limit)
        if grown is None:
            break
        first, last = grown
    start, end = parts[first][0], parts[last][1]
    if end - start > limit * 1.5:
        return sentence
    text = sentence[start:end].strip().rstrip(",;:")
    return (ELLIPSIS + " " if start > 0 else "") + text + (" " + ELLIPSIS if end < len(sentence) else "")


def _grow(
    parts: list[tuple[int, int]], shared: list[int], first: int, last: int, limit: int
) -> tuple[int, int] | None:
    """The run one clause longer on the side sharing more with the question (before first, when tied),
    if it shares anything and stays within ``limit``; else None."""
    options = []
    if first > 0:
        options.append((shared[first - 1], 1, first - 1, last))
    if last + 1 < len(parts):
        options.append((shared[last + 1], 0, first, last + 1))
    for score, _, a, b in sorted(options, reverse=True):
        if parts[b][1] - parts[a][0] <= limit and (score > 0 or parts[b][1] - parts[a][0] < limit // 2):
            return a, b
    return None
