"""Stage three of a search, the passages: the best candidates chosen and each shown in its paragraph.

Candidates are taken best first by their fused score, at most ``per_article`` of an article, and a
passage is the paragraph around its chunk, grown from its neighbours in the article up to
``passage_chars`` (``focus`` marks the chunk), so that a reader sees the sentence in context; passages
never overlap. Unless every copy is asked for, each story is shown once, by its best article, which names
the others ("also in", :mod:`retrieval.search.stories`). Each passage carries its article's ``origin``
(the file it was ingested from), read with the record that says which version is visible.

:class:`PassageBuilder` reads what a passage may reach: the chunks around the best candidates (read
ahead, while the candidates' sparse scores are computed, and the rest once the scores are final) and the
stories of the articles shown. :func:`paragraph`, :func:`outside` and :func:`passage` are pure functions
over chunks already fetched; ``lookup(index)`` gives the article's chunk at a position (or None when it
was not fetched or does not exist).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from typing import NamedTuple

import numpy as np

from retrieval.records import ArticleInfo, Chunk, Passage, Story
from retrieval.search.candidates import Pool
from retrieval.search.config import SearchConfig
from retrieval.search.signals import Scores
from retrieval.search.stories import group_by_story, tellers
from retrieval.store.chunks import ChunkStore, StoredChunk
from retrieval.store.shapes import chunk_id
from retrieval.store.stories import story_label

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


CONTEXT_REACH = 5
"""Chunks read either side of a best candidate ahead of the final scores (chunks of about 300
characters: a passage of 1,500 reaches five either side)."""


class Context(NamedTuple):
    """Chunks read around candidates, by (article, index), and the ids asked for (read or not)."""

    chunks: dict[tuple[str, int], Chunk]
    asked: set[str]


class Ahead(NamedTuple):
    """What :meth:`PassageBuilder.read_ahead` started: the context of the provisionally best candidates
    and the stories they most likely tell (None: every copy is shown)."""

    context: Future[Context]
    stories: Future[dict[str, Story]] | None


class PassageBuilder:
    """Chooses a question's passages and reads what they reach, the reads running on ``overlap``."""

    def __init__(self, store: ChunkStore, config: SearchConfig, overlap: ThreadPoolExecutor) -> None:
        self.store = store
        self.config = config
        self._overlap = overlap

    def read_ahead(
        self,
        found: Sequence[StoredChunk],
        fused: np.ndarray,
        k: int,
        records: Future[dict[str, ArticleInfo]],
        *,
        all_copies: bool,
    ) -> Ahead:
        """Start reading, by the provisional scores ``fused``, the context of the best candidates and,
        unless ``all_copies``, the stories they tell (once ``records``, the candidates' articles'
        records being read, are in)."""
        context = self._overlap.submit(self._context, found, fused, k, set())
        stories = None if all_copies else self._overlap.submit(self._stories, records, found, fused, k)
        return Ahead(context, stories)

    def build(self, pool: Pool, scores: Scores, k: int, ahead: Ahead, *, all_copies: bool) -> list[Passage]:
        """The ``k`` best passages of ``pool`` by ``scores``; unless ``all_copies``, each story once
        (its other copies' chunks make no passage: "also in" names them)."""
        if all_copies:
            passages = self._passages(pool.chunks, scores.fused, scores.dense, k, ahead.context.result())
        else:
            infos = pool.infos
            shows = np.where(tellers(pool.chunks, scores.fused, infos), scores.fused, -np.inf)
            chosen = self._passages(pool.chunks, shows, scores.dense, k, ahead.context.result())
            by_story = ahead.stories.result() if ahead.stories is not None else {}
            shown = [infos[a] for a in dict.fromkeys(p.article_id for p in chosen)]
            missing = [i for i in shown if story_label(i) not in by_story]
            if missing:  # a story that was not among the provisional best
                by_story |= self._read_stories(missing)
            passages = group_by_story(chosen, {i.id: by_story[story_label(i)] for i in shown})
        infos = pool.infos
        return [
            replace(p, origin=infos[p.article_id].origin, entities=infos[p.article_id].entities)
            for p in passages
        ]

    def _stories(
        self,
        records: Future[dict[str, ArticleInfo]],
        found: Sequence[StoredChunk],
        fused: np.ndarray,
        k: int,
    ) -> dict[str, Story]:
        """The best ``2 * k`` stories among the candidates by ``fused`` (those the passages will most
        likely tell), by label, once the candidates' records are read: "also in" is read for a handful
        of stories, not for every candidate's (a wire story may have a hundred copies)."""
        infos = records.result()
        best: dict[str, ArticleInfo] = {}
        for i in map(int, np.argsort(-fused, kind="stable")):
            info = infos.get(found[i].chunk.article_id)
            if info is not None and info.content_hash == found[i].version:
                best.setdefault(story_label(info), info)
                if len(best) >= 2 * k:
                    break
        return self._read_stories(list(best.values()))

    def _read_stories(self, infos: Sequence[ArticleInfo]) -> dict[str, Story]:
        """The stories these articles tell, by label (one read)."""
        told = self.store.stories_of(infos)
        return {story_label(i): told[i.id] for i in infos}

    def _context(self, pool: Sequence[StoredChunk], fused: np.ndarray, k: int, asked: set[str]) -> Context:
        """The chunks around the best ones by ``fused`` that a passage may reach, but for those the pool
        holds and the ids ``asked`` already; and the ids asked now or before."""
        reach = CONTEXT_REACH
        order = [i for i in np.argsort(-fused, kind="stable") if np.isfinite(fused[i])][: max(k, 1) * 3]
        have = {(c.chunk.article_id, c.chunk.index) for c in pool}
        wanted = [
            chunk_id(pool[i].chunk.article_id, pool[i].version, pool[i].chunk.index + step)
            for i in map(int, order)
            for step in range(-reach, reach + 1)
            if pool[i].chunk.index + step >= 0
            and (pool[i].chunk.article_id, pool[i].chunk.index + step) not in have
        ]
        wanted = [cid for cid in dict.fromkeys(wanted) if cid not in asked]
        got = self.store.chunks(wanted).values()
        return Context({(c.chunk.article_id, c.chunk.index): c.chunk for c in got}, asked | set(wanted))

    def _passages(
        self, pool: Sequence[StoredChunk], fused: np.ndarray, dense: np.ndarray, k: int, ahead: Context
    ) -> list[Passage]:
        """The ``k`` best passages: best chunks first (none of a chunk scored ``-inf``), at most
        ``per_article`` per article, never overlapping, each the paragraph around its chunk (the
        chunks around, as read ``ahead`` and the rest read now)."""
        cfg = self.config
        order = [int(i) for i in np.argsort(-fused, kind="stable") if np.isfinite(fused[i])]
        known = {(c.chunk.article_id, c.chunk.index): c.chunk for c in pool} | dict(ahead.chunks)
        known |= self._context(pool, fused, k, ahead.asked).chunks
        spans: dict[str, list[tuple[int, int]]] = {}
        passages: list[Passage] = []
        for i in order:
            focus = pool[i].chunk
            taken = spans.setdefault(focus.article_id, [])
            if len(taken) >= cfg.per_article:
                continue

            def lookup(index: int, article: str = focus.article_id) -> Chunk | None:
                return known.get((article, index))

            span = outside(
                *paragraph(focus, lookup, cfg.passage_chars, cfg.passage_min_chars), focus.index, taken
            )
            if span is None:  # inside a passage already taken: the same text is never shown twice
                continue
            first, last = span
            taken.append(span)
            passages.append(passage(focus, first, last, lookup, float(fused[i]), float(dense[i])))
            if len(passages) >= k:
                break
        return passages
