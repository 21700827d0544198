"""Hybrid retrieval: dense search in Chroma, sparse latent terms and BM25, fused into one ranking.

1. Candidates: the nearest chunks in Chroma (dense), the best sparse latent-term matches (these match
   across languages: an English question finds a Russian sentence), the best BM25 matches (Russian and
   English stems), and the neighbours of all of those in their articles.
2. Every candidate is scored exactly by each signal; each signal is standardised over the candidates and
   the weighted sum is the fused score (BM25 only counts for questions in the archive's language, where
   words can match at all).
3. A chunk whose neighbour matches too gains a little (context), dates the question names and
   latest-state questions boost dated chunks, and each article keeps at most a few passages.
4. A passage is the paragraph around the matching chunk, up to ``passage_chars`` (``focus`` marks the
   chunk), so that a reader sees the sentence in context.

Explicit filters (``--since``, ``--until``, sources) are hard. A day, week or month named in the question
("6 января", "last week") filters too when the archive has articles of those days; a year only boosts
dated articles of that year (so that "what happened in 1847?" still searches an undated encyclopedia).
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

from retrieval.archive_index import ArchiveIndex, ArchiveSnapshot
from retrieval.embeddings import NewsEmbeddings
from retrieval.records import Chunk, Passage, SearchFilters
from retrieval.search.dates import DateIntent, DateRange, parse_question_dates
from retrieval.store.chunks import ChunkStore

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")


def question_language(text: str) -> str:
    """``ru`` when the text is mostly Cyrillic, else ``en``."""
    cyr, lat = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    return "ru" if cyr >= lat else "en"


@dataclass(frozen=True, slots=True)
class RetrievalConfig:
    candidates: int = 50
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    lexical_weight_same_language: float = 0.7
    lexical_weight_cross_language: float = 0.0
    neighbour_weight: float = 0.2
    per_article: int = 3
    passage_chars: int = 1500
    """A passage is the matching chunk's paragraph, grown chunk by chunk up to this many characters..."""
    passage_min_chars: int = 500
    """...and a shorter one also takes the chunk before and the chunk after (short news paragraphs)."""
    date_boost: float = 0.5
    recency_boost: float = 0.5
    archive_language: str = "ru"


@dataclass(frozen=True, slots=True)
class SearchResult:
    passages: list[Passage]
    intent: DateIntent
    language: str
    dense_top: float
    """Cosine similarity of the best dense match (0 when none): a relevance signal for abstention."""
    sparse_top: float = 0.0
    lexical_top: float = 0.0
    agreement: float = 0.0
    """1 when the best dense and the best sparse match come from the same article."""
    dense_background: float = 0.0
    """How far the best dense match stands above the archive as a whole (a fixed sample), in std units."""
    sparse_cosine: float = 0.0
    """The best sparse match as a cosine (the raw dot product grows with the length of the texts)."""
    query: str = ""
    archive_chunks: int = 0
    timings: dict[str, float] = field(default_factory=dict)


def standardise(x: np.ndarray) -> np.ndarray:
    std = float(x.std())
    return (x - float(x.mean())) / std if std > 1e-9 else np.zeros_like(x)


class Retriever:
    def __init__(
        self,
        store: ChunkStore,
        embeddings: NewsEmbeddings,
        *,
        config: RetrievalConfig | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.config = config or RetrievalConfig()
        self.today = today
        self.archive = ArchiveIndex(store, embeddings.sparse_dim)

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> SearchResult:
        cfg = self.config
        filters = filters or SearchFilters()
        t0 = time.perf_counter()
        snap = self.archive.current()
        intent = parse_question_dates(query, today=self.today())
        language = question_language(query)
        if intent.range is not None and _filters_by(intent.range, filters, snap):
            filters = replace(filters, since=intent.range.since, until=intent.range.until)
        qv = self.embeddings.embed_question(query)
        qs = self.embeddings.sparse_query(query) if len(snap.sparse) else None
        t1 = time.perf_counter()

        def allowed(row: int) -> bool:
            return filters.empty or filters.matches(snap.chunks[row])

        rows: set[int] = set()
        for cid, _score in self.store.search_ids(qv, cfg.candidates, filters):
            if cid in snap.row:  # a chunk newer than the snapshot waits for the next rebuild
                rows.add(snap.row[cid])
        key_allowed = None if filters.empty else (lambda cid: allowed(snap.row[cid]))
        sparse_all = snap.sparse.scores(qs) if qs is not None else np.zeros(len(snap), np.float32)
        rows.update(snap.row[cid] for cid, _ in snap.sparse.top(sparse_all, cfg.candidates, key_allowed))
        bm25 = snap.lexical.scores(query)
        rows.update(snap.row[cid] for cid, _ in snap.lexical.top(bm25, cfg.candidates, key_allowed))
        t2 = time.perf_counter()
        if not rows:
            return SearchResult(
                [], intent, language, 0.0, query=query, archive_chunks=len(snap), timings={"total": t2 - t0}
            )
        for r in list(rows):
            for n in (snap.prev[r], snap.next[r]):
                if n >= 0 and allowed(int(n)):
                    rows.add(int(n))
        cand = np.array(sorted(rows), dtype=np.int64)

        dense = snap.vectors[cand] @ qv
        sparse = sparse_all[cand]
        lexical = bm25[cand]
        lex_weight = (
            cfg.lexical_weight_same_language
            if language == cfg.archive_language
            else cfg.lexical_weight_cross_language
        )
        fused = (
            cfg.dense_weight * standardise(dense)
            + cfg.sparse_weight * standardise(sparse)
            + lex_weight * standardise(lexical)
        )
        fused = self._smooth(snap, cand, fused) + self._date_bonus(snap, cand, intent)
        passages = self._passages(snap, cand, fused, k)
        t3 = time.perf_counter()
        return SearchResult(
            passages=passages,
            intent=intent,
            language=language,
            dense_top=float(dense.max()),
            sparse_top=float(sparse.max()),
            lexical_top=float(lexical.max()),
            agreement=float(
                snap.chunks[int(cand[int(dense.argmax())])].article_id
                == snap.chunks[int(cand[int(sparse.argmax())])].article_id
            ),
            dense_background=snap.background_z(qv, float(dense.max())),
            sparse_cosine=float(snap.sparse.as_cosines(cand, sparse, qs).max()) if qs is not None else 0.0,
            query=query,
            archive_chunks=len(snap),
            timings={"embed": t1 - t0, "candidates": t2 - t1, "fuse": t3 - t2, "total": t3 - t0},
        )

    def _smooth(self, snap: ArchiveSnapshot, cand: np.ndarray, fused: np.ndarray) -> np.ndarray:
        """A chunk gains ``neighbour_weight`` times its best neighbour's score (context agrees)."""
        if not self.config.neighbour_weight:
            return fused
        pos = {int(r): i for i, r in enumerate(cand)}
        floor = float(fused.min())
        best = np.full(len(cand), floor)
        for i, r in enumerate(cand):
            for n in (int(snap.prev[r]), int(snap.next[r])):
                j = pos.get(n)
                if j is not None:
                    best[i] = max(best[i], fused[j])
        return fused + self.config.neighbour_weight * best

    def _date_bonus(self, snap: ArchiveSnapshot, cand: np.ndarray, intent: DateIntent) -> np.ndarray:
        bonus = np.zeros(len(cand))
        if intent.range is None and not intent.prefer_recent:
            return bonus
        today = self.today()
        for i, r in enumerate(cand):
            day = snap.chunks[r].date
            if day is None:
                continue
            if intent.range is not None and day in intent.range:
                bonus[i] += self.config.date_boost
            if intent.prefer_recent:
                bonus[i] += self.config.recency_boost / (1.0 + max(0, (today - day).days) / 30.0)
        return bonus

    def _passages(self, snap: ArchiveSnapshot, cand: np.ndarray, fused: np.ndarray, k: int) -> list[Passage]:
        """Best chunks first, at most ``per_article`` passages per article, each with its context."""
        cfg = self.config
        order = np.argsort(-fused, kind="stable")
        spans: dict[
            str, list[tuple[int, int, int]]
        ] = {}  # article -> [first row, last row, focus row] per passage
        chosen: list[tuple[str, int, float]] = []
        limit = max(k, 1) * 4
        for i in order:
            r = int(cand[i])
            article = snap.chunks[r].article_id
            taken = spans.setdefault(article, [])
            if any(first <= r <= last for first, last, _ in taken):
                continue  # already shown inside another passage of this article
            if len(taken) >= cfg.per_article:
                continue
            first, last = _paragraph(snap, r, cfg.passage_chars, cfg.passage_min_chars)
            taken.append((first, last, r))
            chosen.append((article, len(taken) - 1, float(fused[i])))
            if len(chosen) >= limit:
                break
        passages = []
        for article, n, score in chosen:
            first, last, focus = spans[article][n]
            passages.append(_passage(snap, first, last, focus, score))
        return passages


MAX_FILTER_DAYS = 31
PARAGRAPH_GAP = 2
"""Chunks this many characters apart or more lie in different paragraphs (a blank line between them)."""


def _filters_by(named: DateRange, filters: SearchFilters, snap: ArchiveSnapshot) -> bool:
    """A day, a week or a month named in the question ("6 января", "last week") narrows the search to
    those days when the archive has articles from them. A year or a longer span ("в 2015 году") is
    often what the question is about rather than when it was reported: it only boosts (``date_boost``)."""
    if named.since is None or named.until is None:
        return False
    if filters.since is not None or filters.until is not None:
        return False  # explicit filters win
    short = (named.until - named.since).days < MAX_FILTER_DAYS
    return short and snap.has_dates_in(named.since, named.until)


def _paragraph(snap: ArchiveSnapshot, row: int, limit: int, minimum: int) -> tuple[int, int]:
    """The rows of the paragraph around ``row``, grown a chunk at a time on both sides while the whole
    stays within ``limit`` characters (a long paragraph gives the part around the match); a paragraph
    shorter than ``minimum`` characters gets a chunk of the text before and after it."""
    chunks = snap.chunks

    def joined(a: int, b: int) -> bool:  # b follows a in the same paragraph
        return b >= 0 and a >= 0 and chunks[b].start - chunks[a].end < PARAGRAPH_GAP

    first = last = row
    grown = True
    while grown:
        grown = False
        p, n = int(snap.prev[first]), int(snap.next[last])
        if p >= 0 and joined(p, first) and chunks[last].end - chunks[p].start <= limit:
            first, grown = p, True
        if n >= 0 and joined(last, n) and chunks[n].end - chunks[first].start <= limit:
            last, grown = n, True
    if chunks[last].end - chunks[first].start < minimum:
        first = int(snap.prev[first]) if snap.prev[first] >= 0 else first
        last = int(snap.next[last]) if snap.next[last] >= 0 else last
    return first, last


def _passage(snap: ArchiveSnapshot, first: int, last: int, focus_row: int, score: float) -> Passage:
    """Contiguous chunks of one article as one passage (a paragraph break where the gap was wider)."""
    members = snap.chunks[first : last + 1]
    focus = snap.chunks[focus_row]
    text = members[0].text
    focus_at = 0
    for before, after in itertools.pairwise(members):
        text += "\n\n" if after.start - before.end >= PARAGRAPH_GAP else " "
        if after is focus:
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
    return Passage(chunk, score, "hybrid", (focus_at, focus_at + len(focus.text)))
