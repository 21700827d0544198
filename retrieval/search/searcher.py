"""Hybrid search over the store: one question's candidates fetched from Chroma and rescored.

1. Candidates: the nearest chunks by dense similarity (Chroma's kNN, filters applied by the store) and
   the nearest among the chunks filed under the question's names and numbers (an equality lookup in the
   store; across scripts by consonant key: "Witkoff" finds "Уиткофф"), then the visible ones' neighbours
   in their articles, fetched by id. Nothing of the archive is held in memory but a few figures per
   store generation (chunk count, average length, days, outlets, background moments).
2. Every candidate is scored by each signal: dense similarity, sparse latent terms (stored with each
   chunk; they match across languages) and BM25 with the document frequencies that ingestion keeps in
   the store; each signal is standardised over the candidates and the weighted sum is the fused score
   (BM25 only counts for questions in the archive's language, where words can match at all).
3. A chunk whose neighbour matches too gains a little (context), dates the question names and
   latest-state questions boost dated chunks, and each article keeps at most a few passages, which
   never overlap.
4. A passage is the paragraph around the matching chunk, up to ``passage_chars`` (``focus`` marks the
   chunk), so that a reader sees the sentence in context; it carries its article's ``origin`` (the
   file it was ingested from), read with the record that says which version is visible.

Explicit filters (``--since``, ``--until``, sources) are hard. A day, week or month named in the question
("6 января", "last week") filters too when the archive has articles of those days; a year only boosts
dated articles of that year (so that "what happened in 1847?" still searches an undated encyclopedia).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from typing import NamedTuple

import numpy as np

from retrieval.embeddings import NewsEmbeddings
from retrieval.records import ArticleInfo, Chunk, Passage, SearchFilters, SparseVector, Story
from retrieval.search.dates import DateIntent, DateRange, parse_question_dates
from retrieval.search.passages import outside, paragraph, passage
from retrieval.search.scoring import bm25, sparse_cosines, sparse_scores, standardise
from retrieval.search.stories import group_by_story
from retrieval.store.chunks import ChunkStore, StoredChunk
from retrieval.store.shapes import article_of, chunk_id
from retrieval.store.statistics import ArchiveStats
from retrieval.store.stories import story_label
from retrieval.terms import chunk_analysis, query_key_groups, query_keys, tokenize

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
MAX_FILTER_DAYS = 31
OVERLAP_WORKERS = 4


def question_language(text: str) -> str:
    """``ru`` when the text is mostly Cyrillic, else ``en``."""
    cyr, lat = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    return "ru" if cyr >= lat else "en"


@dataclass(frozen=True, slots=True)
class SearchConfig:
    dense_pool: int = 50
    """Nearest chunks asked of the store per question."""
    key_pool: int = 20
    """Nearest chunks asked among those filed under the question's names, numbers and rarer words..."""
    overlap_pool: int = 20
    """...and those among them that share the most of these words, weighted by idf (the candidates
    BM25 over the whole archive would bring, found through the index)."""
    key_df_max: int = 200
    """A name, number or word in more chunks than this is too common to look up (dense search covers
    it)..."""
    key_fetch_max: int = 200
    """...and at most this many chunk ids are read from the name index per question (on the dev set
    quality is the same as with 1,000, within one question in 300; each read grows with it)."""
    dense_weight: float = 1.0
    sparse_weight: float = 1.0
    lexical_weight_same_language: float = 0.7
    lexical_weight_cross_language: float = 0.0
    name_weight: float = 2.0
    """Added times the share of the question's names (and numbers) that a chunk mentions."""
    neighbour_weight: float = 0.2
    per_article: int = 3
    passage_chars: int = 1500
    """A passage is the matching chunk's paragraph, grown chunk by chunk up to this many characters..."""
    passage_min_chars: int = 500
    """...and a shorter one also takes the chunk before and the chunk after (short news paragraphs)."""
    date_boost: float = 0.5
    recency_boost: float = 0.5
    thread_pool: int = 10
    """Nearest chunks asked among the articles a conversation's earlier answers cited (a follow-up)..."""
    thread_prior: float = 1.0
    """...and what a chunk of those articles gains (in the standardised units of the fused score)."""
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
    """How far the best dense match stands above the archive as a whole, in std units."""
    sparse_cosine: float = 0.0
    """The best sparse match as a cosine (the raw dot product grows with the length of the texts)."""
    query: str = ""
    archive_chunks: int = 0
    refused: bool | None = None
    """Whether the answer would say the archive does not cover the question (the answerer's judgement,
    made once per search: see :meth:`retrieval.answer.answerer.Answerer.search`)."""


@dataclass(frozen=True, slots=True)
class _Question:
    """What scoring a question's candidates needs of it."""

    text: str
    terms: Sequence[str]
    df: Mapping[str, int]
    stats: ArchiveStats
    sparse: SparseVector | None
    language: str
    intent: DateIntent
    prior: tuple[str, ...]


class _Signals(NamedTuple):
    dense: np.ndarray
    lexical: np.ndarray
    names: np.ndarray


class _Scores(NamedTuple):
    fused: np.ndarray
    dense: np.ndarray
    lexical: np.ndarray
    sparse: np.ndarray


class ArchiveFigures:
    """The store's archive statistics, read again whenever the store's generation moves (one small read);
    the background mean and covariance derived once per generation."""

    def __init__(self, store: ChunkStore) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._cached: tuple[int, ArchiveStats, np.ndarray, np.ndarray] | None = None

    def current(self) -> tuple[ArchiveStats, np.ndarray, np.ndarray]:
        generation = self.store.generation()
        with self._lock:
            cached = self._cached
            if cached is None or cached[0] != generation:
                stats = self.store.archive_stats()
                if stats.moments is not None and stats.moments.count > 1:
                    mean, cov = stats.moments.mean_and_covariance()
                else:
                    mean, cov = np.zeros(0, np.float32), np.zeros((0, 0), np.float32)
                cached = self._cached = (generation, stats, mean, cov)
            return cached[1], cached[2], cached[3]

    def last(self) -> ArchiveStats | None:
        """The statistics of the last generation seen (None before the first question), without asking
        the store whether the generation has moved since."""
        cached = self._cached
        return cached[1] if cached is not None else None


def background_z(mean: np.ndarray, cov: np.ndarray, query: np.ndarray, score: float) -> float:
    """How many standard deviations ``score`` lies above the query's similarity to the archive."""
    if not len(mean):
        return 0.0
    std = float(np.sqrt(max(float(query @ cov @ query), 0.0)))
    return (score - float(mean @ query)) / (std + 1e-9)


class Searcher:
    def __init__(
        self,
        store: ChunkStore,
        embeddings: NewsEmbeddings,
        *,
        config: SearchConfig | None = None,
        today: Callable[[], date] = date.today,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.config = config or SearchConfig()
        self.today = today
        self.figures = ArchiveFigures(store)
        self._overlap = ThreadPoolExecutor(OVERLAP_WORKERS, thread_name_prefix="search")
        """Runs a question's independent steps side by side: the sparse pass of the model while the
        store answers, the kNN query while the name index is read (store calls wait on Chroma, not on
        this process; on a server they are round trips)."""

    def stats(self) -> ArchiveStats:
        return self.figures.current()[0]

    def search(
        self,
        query: str,
        k: int = 5,
        filters: SearchFilters | None = None,
        prior: Sequence[str] = (),
        within: Sequence[str] = (),
        *,
        all_copies: bool = False,
    ) -> SearchResult:
        """The passages for ``query``; ``prior``: articles the conversation cited so far, whose chunks
        are candidates too and gain :attr:`SearchConfig.thread_prior`; ``within``: when given, only
        these articles' chunks are candidates (the new articles a follow is matched against). Each
        story is shown once, by its best article, with its other copies ("also in"), unless
        ``all_copies``."""
        cfg = self.config
        filters = filters or SearchFilters()
        figures = self._overlap.submit(self.figures.current)
        terms, keys = tokenize(query), query_keys(query)
        named = self._overlap.submit(self._named, [*keys, *terms], figures)  # while the model runs
        intent = parse_question_dates(query, today=self.today())
        language = question_language(query)
        qv = self.embeddings.embed_question(query)
        sparse_pass: Future[SparseVector] | None = (  # while the store answers
            self._overlap.submit(self.embeddings.sparse_query, query) if self.embeddings.sparse_dim else None
        )
        stats, mean, cov = figures.result()
        if intent.range is not None and _filters_by(intent.range, filters, stats):
            filters = replace(filters, since=intent.range.since, until=intent.range.until)
        nearest = self._overlap.submit(
            self.store.nearest, qv, cfg.dense_pool, filters, articles=within, stats=stats
        )
        in_thread = (
            self._overlap.submit(
                self.store.nearest, qv, cfg.thread_pool, filters, articles=prior, stats=stats
            )
            if prior
            else None
        )
        df, filed, vectors_of_filed = named.result()
        if within:
            allowed = set(within)
            filed = {cid: keys for cid, keys in filed.items() if article_of(cid) in allowed}
            vectors_of_filed = {cid: v for cid, v in vectors_of_filed.items() if cid in filed}
        found = self._candidates(nearest, filed, vectors_of_filed, df, qv, filters, stats.chunks)
        if in_thread is not None:
            have = {c.id for c in found}
            found += [c for c in in_thread.result() if c.id not in have]
        if not found:
            return SearchResult([], intent, language, 0.0, query=query, archive_chunks=stats.chunks)
        # Once the candidates are known, what depends on them alone is read while the sparse pass runs:
        # their articles' records (which versions are visible, the stories they tell), their
        # neighbours, and the context of the best ones by every signal but the sparse one.
        records = self._overlap.submit(self.store.article_infos, sorted({c.chunk.article_id for c in found}))
        neighbours = self._overlap.submit(self._neighbours, found, qv)
        question = _Question(query, terms, df, stats, None, language, intent, tuple(prior))
        signals = self._signals(found, question)
        provisional = self._fuse(found, question, signals)
        context = self._overlap.submit(self._context, found, provisional, k, set())
        stories = None if all_copies else self._overlap.submit(self._stories, records, found, provisional, k)
        if sparse_pass is not None:
            question = replace(question, sparse=sparse_pass.result())
        infos = records.result()
        versions = {aid: info.content_hash for aid, info in infos.items()}
        shown = [i for i, c in enumerate(found) if versions.get(c.chunk.article_id) == c.version]
        extra = [c for c in neighbours.result() if versions.get(c.chunk.article_id) == c.version]
        pool = [found[i] for i in shown] + extra
        if not pool:
            return SearchResult([], intent, language, 0.0, query=query, archive_chunks=stats.chunks)
        more = self._signals(extra, question)
        signals = _Signals(
            *(np.concatenate([mine[shown], theirs]) for mine, theirs in zip(signals, more, strict=True))
        )
        fused, dense, lexical, sparse = self._scores(pool, question, signals)
        chunks = [c.chunk for c in pool]
        if all_copies:
            passages = self._passages(pool, fused, dense, k, context.result())
        else:  # each story once: its other copies' chunks make no passage ("also in" names them)
            tellers = np.where(_tellers(pool, fused, infos), fused, -np.inf)
            chosen = self._passages(pool, tellers, dense, k, context.result())
            by_story = stories.result() if stories is not None else {}
            tellers_shown = [infos[a] for a in dict.fromkeys(p.article_id for p in chosen)]
            missing = [i for i in tellers_shown if story_label(i) not in by_story]
            if missing:  # a story that was not among the provisional best
                by_story |= self._read_stories(missing)
            told = {i.id: by_story[story_label(i)] for i in tellers_shown}
            passages = group_by_story(chosen, told)
        passages = [replace(p, origin=infos[p.article_id].origin) for p in passages]
        best_dense, best_sparse = int(dense.argmax()), int(sparse.argmax())
        qs = question.sparse
        return SearchResult(
            passages=passages,
            intent=intent,
            language=language,
            dense_top=float(dense.max()),
            sparse_top=float(sparse.max()),
            lexical_top=float(lexical.max()),
            agreement=float(
                qs is not None and chunks[best_dense].article_id == chunks[best_sparse].article_id
            ),
            dense_background=background_z(mean, cov, qv, float(dense.max())),
            sparse_cosine=_best_cosine(sparse, [c.sparse for c in pool], qs),
            query=query,
            archive_chunks=stats.chunks,
        )

    def _signals(self, pool: Sequence[StoredChunk], q: _Question) -> _Signals:
        """What each candidate scores on its own: dense similarity, BM25 (with the store's document
        frequencies) and the share of the question's names it mentions."""
        chunks = [c.chunk for c in pool]
        return _Signals(
            np.array([c.similarity or 0.0 for c in pool], dtype=np.float32),
            bm25(
                q.terms,
                [chunk_analysis(c.text)[0] for c in chunks],
                q.df,
                q.stats.chunks,
                q.stats.average_tokens,
            ),
            names_mentioned(query_key_groups(q.text), chunks),
        )

    def _fuse(
        self, pool: Sequence[StoredChunk], q: _Question, s: _Signals, sparse: np.ndarray | None = None
    ) -> np.ndarray:
        """The fused score: each signal standardised over the candidates and weighted (``sparse``: the
        sparse scores, when known), neighbour smoothing, then the date and thread bonuses."""
        cfg = self.config
        chunks = [c.chunk for c in pool]
        lex_weight = (
            cfg.lexical_weight_same_language
            if q.language == cfg.archive_language
            else cfg.lexical_weight_cross_language
        )
        fused = (
            cfg.dense_weight * standardise(s.dense)
            + lex_weight * standardise(s.lexical)
            + cfg.name_weight * s.names
        )
        if sparse is not None:
            fused = fused + cfg.sparse_weight * standardise(sparse)
        bonus = self._date_bonus(chunks, q.intent)
        if q.prior:
            bonus += cfg.thread_prior * np.isin([c.article_id for c in chunks], list(q.prior))
        scored: np.ndarray = self._smooth(chunks, fused) + bonus
        return scored

    def _scores(self, pool: Sequence[StoredChunk], q: _Question, s: _Signals) -> _Scores:
        """Every signal of these candidates, the sparse latent terms included, and their fused score."""
        sparse = sparse_scores(q.sparse, [c.sparse for c in pool], self.embeddings.sparse_dim)
        return _Scores(self._fuse(pool, q, s, sparse), s.dense, s.lexical, sparse)

    def _named(
        self, words: Sequence[str], figures: Future[tuple[ArchiveStats, np.ndarray, np.ndarray]]
    ) -> tuple[dict[str, int], dict[str, frozenset[str]], dict[str, np.ndarray]]:
        """What the question's words alone decide, read while the question is embedded: their document
        frequencies (one read: BM25 and the name lookup), the chunks filed under the rarer ones in the
        name index, and those chunks' vectors. The frequencies are read as of the last generation seen
        while the store is asked whether it has moved (read again only when it has)."""
        last = self.figures.last()
        df = self.store.document_frequencies(words, last) if last is not None else None
        stats = figures.result()[0]
        if df is None or stats is not last:
            df = self.store.document_frequencies(words, stats)
        looked_up = self._lookup_keys(words, df)
        filed = (
            self.store.keyed(looked_up, self.config.key_fetch_max)
            if looked_up and self.config.key_pool > 0
            else {}
        )
        return df, filed, (self.store.vectors(list(filed)) if filed else {})

    def _candidates(
        self,
        nearest: Future[list[StoredChunk]],
        filed: Mapping[str, frozenset[str]],
        vectors: Mapping[str, np.ndarray],
        df: Mapping[str, int],
        qv: np.ndarray,
        filters: SearchFilters,
        archive_chunks: int,
    ) -> list[StoredChunk]:
        """The ``nearest`` chunks, and among those ``filed`` under the question's rarer words the
        nearest and those that share the most of them (read while the kNN query runs: twice as many
        as wanted, since some are among the nearest)."""
        cfg = self.config
        similarity = {cid: float(v @ qv) for cid, v in vectors.items()}
        idf = {k: float(np.log1p(archive_chunks / df[k])) for k in {k for ks in filed.values() for k in ks}}
        shared = {cid: sum(idf[k] for k in filed[cid]) for cid in similarity}
        by_similarity = sorted(similarity, key=lambda cid: -similarity[cid])
        by_shared = sorted(similarity, key=lambda cid: -shared[cid])
        asked = dict.fromkeys(by_similarity[: 2 * cfg.key_pool] + by_shared[: 2 * cfg.overlap_pool])
        ahead = self._overlap.submit(self.store.chunks, list(asked))
        found = {c.id: c for c in nearest.result()}
        new = [cid for cid in by_similarity if cid not in found]
        best = new[: cfg.key_pool]
        best += [cid for cid in by_shared if cid not in found and cid not in best][: cfg.overlap_pool]
        read = ahead.result()
        missing = [cid for cid in best if cid not in asked]
        if missing:  # more of the filed chunks were among the nearest than read ahead
            read |= self.store.chunks(missing)
        for cid in best:
            c = read.get(cid)
            if c is not None and (filters.empty or filters.matches(c.chunk)):
                found[cid] = replace(c, similarity=similarity[cid])
        return list(found.values())

    def _lookup_keys(self, keys: Sequence[str], df: Mapping[str, int]) -> list[str]:
        """The question's keys rare enough to look up, rarest first, within the fetch budget."""
        chosen, budget = [], self.config.key_fetch_max
        for key in sorted(
            (k for k in keys if 0 < df.get(k, 0) <= self.config.key_df_max), key=df.__getitem__
        ):
            if df[key] > budget:
                break
            chosen.append(key)
            budget -= df[key]
        return chosen

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

    def _neighbours(self, found: Sequence[StoredChunk], qv: np.ndarray) -> list[StoredChunk]:
        """The chunks before and after each candidate in its article (of the candidate's version, so
        visible when it is), read by id and scored by their vectors."""
        have = {c.id for c in found}
        wanted = [
            chunk_id(c.chunk.article_id, c.version, c.chunk.index + step)
            for c in found
            for step in (-1, 1)
            if c.chunk.index + step >= 0
        ]
        read = self.store.chunks([cid for cid in wanted if cid not in have], vectors=True)
        return [
            replace(
                c, similarity=float(np.asarray(c.vector) @ qv) if c.vector is not None else 0.0, vector=None
            )
            for c in read.values()
        ]

    def _smooth(self, chunks: Sequence[Chunk], fused: np.ndarray) -> np.ndarray:
        """A chunk gains ``neighbour_weight`` times its best neighbour's score (context agrees)."""
        if not self.config.neighbour_weight:
            return fused
        pos = {(c.article_id, c.index): i for i, c in enumerate(chunks)}
        best = np.full(len(chunks), float(fused.min()))
        for i, c in enumerate(chunks):
            for step in (-1, 1):
                j = pos.get((c.article_id, c.index + step))
                if j is not None:
                    best[i] = max(best[i], fused[j])
        return fused + self.config.neighbour_weight * best

    def _date_bonus(self, chunks: Sequence[Chunk], intent: DateIntent) -> np.ndarray:
        bonus = np.zeros(len(chunks))
        if intent.range is None and not intent.prefer_recent:
            return bonus
        today = self.today()
        for i, c in enumerate(chunks):
            if c.date is None:
                continue
            if intent.range is not None and c.date in intent.range:
                bonus[i] += self.config.date_boost
            if intent.prefer_recent:
                bonus[i] += self.config.recency_boost / (1.0 + max(0, (today - c.date).days) / 30.0)
        return bonus

    def _context(
        self,
        pool: Sequence[StoredChunk],
        fused: np.ndarray,
        k: int,
        asked: set[str],
    ) -> tuple[dict[tuple[str, int], Chunk], set[str]]:
        """The chunks around the best ones by ``fused`` that a passage may reach, but for those the pool
        holds and the ids ``asked`` already, by (article, index); and the ids asked now or before."""
        reach = 5  # chunks of about 300 characters: a passage of 1,500 reaches five either side
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
        got = self.store.chunks(wanted)
        return {(c.chunk.article_id, c.chunk.index): c.chunk for c in got.values()}, asked | set(wanted)

    def _passages(
        self,
        pool: Sequence[StoredChunk],
        fused: np.ndarray,
        dense: np.ndarray,
        k: int,
        ahead: tuple[Mapping[tuple[str, int], Chunk], set[str]],
    ) -> list[Passage]:
        """The ``k`` best passages: best chunks first (none of a chunk scored ``-inf``), at most
        ``per_article`` per article, never overlapping, each the paragraph around its chunk (the
        chunks around, as read ``ahead`` by :meth:`_context` and the rest read now)."""
        cfg = self.config
        order = [int(i) for i in np.argsort(-fused, kind="stable") if np.isfinite(fused[i])]
        read, asked = ahead
        known = {(c.chunk.article_id, c.chunk.index): c.chunk for c in pool} | dict(read)
        known |= self._context(pool, fused, k, asked)[0]
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


def _tellers(pool: Sequence[StoredChunk], fused: np.ndarray, infos: Mapping[str, ArticleInfo]) -> np.ndarray:
    """For each candidate, whether its article is the one that shows its story: the article of the
    story's best-scored chunk (:func:`group_by_story` keeps the first passage of a story, and an
    article's best chunk always gives a passage). Every candidate in ``pool`` is visible: ``infos``
    holds its article."""
    teller: dict[str, str] = {}
    for i in map(int, np.argsort(-fused, kind="stable")):
        teller.setdefault(story_label(infos[pool[i].chunk.article_id]), pool[i].chunk.article_id)
    return np.array(
        [teller[story_label(infos[c.chunk.article_id])] == c.chunk.article_id for c in pool], dtype=bool
    )


def names_mentioned(groups: Sequence[Sequence[str]], chunks: Sequence[Chunk]) -> np.ndarray:
    """For each chunk, the share of the question's names and numbers (one key group per word) that it
    mentions, by stem or, across scripts, by consonant key."""
    if not groups:
        return np.zeros(len(chunks))
    out = np.zeros(len(chunks))
    for i, chunk in enumerate(chunks):
        keys = chunk_analysis(chunk.text)[1]
        out[i] = sum(1 for group in groups if keys.intersection(group)) / len(groups)
    return out


def _best_cosine(
    scores: np.ndarray, vectors: Sequence[SparseVector | None], query: SparseVector | None
) -> float:
    return float(sparse_cosines(scores, vectors, query).max()) if len(scores) else 0.0


def _filters_by(named: DateRange, filters: SearchFilters, stats: ArchiveStats) -> bool:
    """A day, a week or a month named in the question ("6 января", "last week") narrows the search to
    those days when the archive has articles from them. A year or a longer span ("в 2015 году") is
    often what the question is about rather than when it was reported: it only boosts (``date_boost``)."""
    if named.since is None or named.until is None:
        return False
    if filters.since is not None or filters.until is not None:
        return False  # explicit filters win
    short = (named.until - named.since).days < MAX_FILTER_DAYS
    return short and stats.chunks_between(named.since, named.until) > 0
