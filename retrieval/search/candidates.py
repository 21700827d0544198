"""Stage one of a search, the candidates: the chunks a question's passages may come from, read from the store.

The reads, side by side where they do not depend on each other:

- the archive's figures (:class:`~retrieval.search.figures.ArchiveFigures`), and with them the document
  frequencies of the question's words;
- the chunks filed under the question's rarer names, numbers and words in the store's name index (an
  equality lookup; across scripts by consonant key: "Witkoff" finds "Уиткофф"), and their vectors,
  read while the question is embedded;
- the nearest chunks by dense similarity (Chroma's kNN, the filters applied by the store); among the
  filed chunks the nearest and those that share the most of the question's words, weighted by idf;
- the chunks that may hold what the question's operators ask for (an exact phrase ``"…"``, a side of
  ``A OR B``: the store's full-text match, read while the question is embedded), the nearest of them;
- with a conversation's earlier answers, the nearest among the articles they cited;
- once the candidates are known, their articles' records (which version of each is visible) and each
  candidate's neighbours in its article, scored by their vectors: the :class:`Pool` scoring works on.

Explicit filters (``--since``, ``--until``, sources) are hard. A day, week or month named in the question
("6 января", "last week") filters too when the archive has articles of those days; a year only boosts
dated articles of that year (:mod:`retrieval.search.signals`), so that "what happened in 1847?" still
searches an undated encyclopedia.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from retrieval.records import ArticleInfo, SearchFilters
from retrieval.search.dates import DateIntent, DateRange
from retrieval.search.figures import ArchiveFigures, Figures
from retrieval.store.chunks import ChunkStore, StoredChunk
from retrieval.store.shapes import article_of, chunk_id
from retrieval.store.statistics import ArchiveStats
from retrieval.terms import query_keys, tokenize

if TYPE_CHECKING:
    from retrieval.search.searcher import SearchConfig

MAX_FILTER_DAYS = 31


class Filed(NamedTuple):
    """What the question's words alone decide: their document frequencies, the chunks filed under the
    rarer ones (with the words each is filed under) and those chunks' vectors."""

    df: dict[str, int]
    chunks: dict[str, frozenset[str]]
    vectors: dict[str, np.ndarray]


class Lookup(NamedTuple):
    """The question's terms and the reads its words start before it is embedded."""

    terms: list[str]
    figures: Future[Figures]
    filed: Future[Filed]
    matched: Future[list[StoredChunk]] | None = None
    """The chunks that may hold what the operators ask for, with their vectors (None: nothing asked)."""


@dataclass(frozen=True, slots=True)
class Candidates:
    """A question's candidates, the archive's figures they were read with and the document frequencies
    of the question's words."""

    chunks: list[StoredChunk]
    figures: Figures
    df: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class Pool:
    """The candidates scoring works on: the visible ones (``shown``: their places among the candidates)
    followed by their visible ``neighbours``; ``infos``: the records of the candidates' articles."""

    chunks: list[StoredChunk]
    shown: list[int]
    neighbours: list[StoredChunk]
    infos: dict[str, ArticleInfo]


class PoolReads(NamedTuple):
    """The candidates' articles' records and their neighbours, being read."""

    records: Future[dict[str, ArticleInfo]]
    neighbours: Future[list[StoredChunk]]

    def pool(self, found: Sequence[StoredChunk]) -> Pool:
        """Once read: the candidates and neighbours of the visible version of their article."""
        infos = self.records.result()
        versions = {aid: info.content_hash for aid, info in infos.items()}
        shown = [i for i, c in enumerate(found) if versions.get(c.chunk.article_id) == c.version]
        extra = [c for c in self.neighbours.result() if versions.get(c.chunk.article_id) == c.version]
        return Pool([found[i] for i in shown] + extra, shown, extra, infos)


class CandidateReader:
    """Reads a question's candidates from the store, running independent reads side by side on
    ``overlap`` (store calls wait on Chroma, not on this process; on a server they are round trips)."""

    def __init__(
        self, store: ChunkStore, config: SearchConfig, figures: ArchiveFigures, overlap: ThreadPoolExecutor
    ) -> None:
        self.store = store
        self.config = config
        self.figures = figures
        self._overlap = overlap

    def look_up(
        self, query: str, patterns: Sequence[str] = (), filters: SearchFilters | None = None
    ) -> Lookup:
        """Start what the question's words alone decide: the figures, then the name index, and the
        chunks whose text matches ``patterns`` (what its operators ask for) within ``filters``."""
        figures = self._overlap.submit(self.figures.current)
        terms, keys = tokenize(query), query_keys(query)
        filed = self._overlap.submit(self._filed, [*keys, *terms], figures)
        wanted = patterns and self.config.matched_pool > 0
        matched = self._overlap.submit(self._matched, patterns, filters) if wanted else None
        return Lookup(terms, figures, filed, matched)

    def read(
        self,
        lookup: Lookup,
        vector: np.ndarray,
        intent: DateIntent,
        filters: SearchFilters,
        prior: Sequence[str],
        within: Sequence[str],
        *,
        wide: bool = False,
    ) -> Candidates:
        """The candidates for the question embedded as ``vector``: the nearest chunks (of the articles
        ``within`` when given), the best of those filed under its words, and the nearest of the
        ``prior`` articles, under ``filters`` narrowed to the days the question names (when the
        archive has articles of them); ``wide``: more of the nearest (:attr:`SearchConfig.qualifying_pool`),
        of which only the qualifying articles' will stay."""
        cfg = self.config
        pool = max(cfg.dense_pool, cfg.qualifying_pool) if wide else cfg.dense_pool
        figures = lookup.figures.result()
        stats = figures.stats
        if intent.range is not None and _filters_by(intent.range, filters, stats):
            filters = replace(filters, since=intent.range.since, until=intent.range.until)
        nearest = self._overlap.submit(
            self.store.nearest, vector, pool, filters, articles=within, stats=stats
        )
        in_thread = (
            self._overlap.submit(
                self.store.nearest, vector, cfg.thread_pool, filters, articles=prior, stats=stats
            )
            if prior
            else None
        )
        filed = lookup.filed.result()
        if within:
            allowed = set(within)
            chunks = {cid: keys for cid, keys in filed.chunks.items() if article_of(cid) in allowed}
            filed = Filed(filed.df, chunks, {cid: v for cid, v in filed.vectors.items() if cid in chunks})
        found = self._with_filed(nearest, filed, vector, filters, stats.chunks)
        if lookup.matched is not None:
            have = {c.id for c in found}
            found += self._nearest_matched(lookup.matched.result(), vector, filters, have, within)
        if in_thread is not None:
            have = {c.id for c in found}
            found += [c for c in in_thread.result() if c.id not in have]
        return Candidates(found, figures, filed.df)

    def read_pool(self, found: Sequence[StoredChunk], vector: np.ndarray) -> PoolReads:
        """Start reading the candidates' articles' records and their neighbours."""
        records = self._overlap.submit(self.store.article_infos, sorted({c.chunk.article_id for c in found}))
        return PoolReads(records, self._overlap.submit(self._neighbours, found, vector))

    def _filed(self, words: Sequence[str], figures: Future[Figures]) -> Filed:
        """What the question's words alone decide, read while the question is embedded: their document
        frequencies (one read: BM25 and the name lookup), the chunks filed under the rarer ones in the
        name index, and those chunks' vectors. The frequencies are read as of the last generation seen
        while the store is asked whether it has moved (read again only when it has)."""
        last = self.figures.last()
        df = self.store.document_frequencies(words, last) if last is not None else None
        stats = figures.result().stats
        if df is None or stats is not last:
            df = self.store.document_frequencies(words, stats)
        looked_up = self._lookup_keys(words, df)
        filed = (
            self.store.keyed(looked_up, self.config.key_fetch_max)
            if looked_up and self.config.key_pool > 0
            else {}
        )
        return Filed(df, filed, (self.store.vectors(list(filed)) if filed else {}))

    def _matched(self, patterns: Sequence[str], filters: SearchFilters | None) -> list[StoredChunk]:
        """Up to ``matched_pool`` chunks (visible or not) matching each pattern, with their vectors."""
        n = self.config.matched_pool
        found: dict[str, StoredChunk] = {}
        for pattern in patterns:
            for c in islice(self.store.matching(pattern, filters, page=n), n):
                found.setdefault(c.id, c)
        vectors = self.store.vectors(list(found)) if found else {}
        return [replace(c, vector=vectors[cid]) for cid, c in found.items() if cid in vectors]

    def _nearest_matched(
        self,
        matched: Sequence[StoredChunk],
        vector: np.ndarray,
        filters: SearchFilters,
        have: set[str],
        within: Sequence[str],
    ) -> list[StoredChunk]:
        """The nearest of the chunks matched, not candidates yet, that pass ``filters`` (of the articles
        ``within`` when given)."""
        allowed = set(within)
        new = [
            c
            for c in matched
            if c.id not in have
            and (not allowed or c.chunk.article_id in allowed)
            and (filters.empty or filters.matches(c.chunk))
        ]
        scored = [replace(c, vector=None, similarity=float(np.asarray(c.vector) @ vector)) for c in new]
        scored.sort(key=lambda c: -(c.similarity or 0.0))
        return scored[: self.config.key_pool + self.config.overlap_pool]

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

    def _with_filed(
        self,
        nearest: Future[list[StoredChunk]],
        filed: Filed,
        vector: np.ndarray,
        filters: SearchFilters,
        archive_chunks: int,
    ) -> list[StoredChunk]:
        """The ``nearest`` chunks, and among those ``filed`` under the question's rarer words the
        nearest and those that share the most of them (read while the kNN query runs: twice as many
        as wanted, since some are among the nearest)."""
        cfg, df = self.config, filed.df
        similarity = {cid: float(v @ vector) for cid, v in filed.vectors.items()}
        keys = {k for ks in filed.chunks.values() for k in ks}
        idf = {k: float(np.log1p(archive_chunks / df[k])) for k in keys}
        shared = {cid: sum(idf[k] for k in filed.chunks[cid]) for cid in similarity}
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

    def _neighbours(self, found: Sequence[StoredChunk], vector: np.ndarray) -> list[StoredChunk]:
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
                c,
                similarity=float(np.asarray(c.vector) @ vector) if c.vector is not None else 0.0,
                vector=None,
            )
            for c in read.values()
        ]


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
