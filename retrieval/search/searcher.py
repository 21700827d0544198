"""Hybrid search over the store: a question's passages, found in three named stages.

1. **Candidates** (:mod:`~retrieval.search.candidates`): the chunks read from the store for this
   question (the nearest by dense similarity, those filed under its names and numbers, a conversation's
   cited articles, then the visible ones' neighbours). Nothing of the archive is held in memory but a
   few figures per store generation (:mod:`~retrieval.search.figures`).
2. **Signals** (:mod:`~retrieval.search.signals`): each candidate scored by dense similarity, sparse
   latent terms, BM25 and the question's names, the scores fused into one, with the context, date and
   thread bonuses.
3. **Passages** (:mod:`~retrieval.search.passages`): the best candidates, at most a few an article, each
   the paragraph around its chunk, each story once.

Independent steps run side by side on one small thread pool: the name index is read while the question
is embedded, the kNN query while the filed chunks are read, the sparse pass of the model while the store
answers, and once the candidates are known, the reads that depend on them alone (their articles'
records, their neighbours, the context of the provisionally best and their stories) while the question's
sparse vector is still coming. :meth:`Searcher.search` lays the stages out in that order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from retrieval.embeddings import NewsEmbeddings
from retrieval.records import Passage, SearchFilters, SparseVector
from retrieval.search.candidates import CandidateReader, Pool
from retrieval.search.config import SearchConfig as SearchConfig
from retrieval.search.dates import DateIntent, parse_question_dates
from retrieval.search.figures import ArchiveFigures, Figures, background_z
from retrieval.search.named import named_articles
from retrieval.search.operators import parse_operators
from retrieval.search.passages import PassageBuilder
from retrieval.search.qualifying import Qualifying
from retrieval.search.scoring import sparse_cosines
from retrieval.search.signals import Question, Scorer, Scores, joined, signals_of
from retrieval.store.chunks import ChunkStore
from retrieval.store.statistics import ArchiveStats

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z]")
OVERLAP_WORKERS = 4


def question_language(text: str) -> str:
    """``ru`` when the text is mostly Cyrillic, else ``en``."""
    cyr, lat = len(_CYRILLIC.findall(text)), len(_LATIN.findall(text))
    return "ru" if cyr >= lat else "en"


@dataclass(frozen=True, slots=True)
class SearchResult:
    """A question's passages, best first, with what the search read of the question (``intent``,
    ``language``) and how strongly the best candidates match by each signal: the evidence the answerer
    weighs before saying that the archive does not cover a question."""

    passages: list[Passage]
    intent: DateIntent
    language: str
    dense_top: float
    """Cosine similarity of the best dense match (0 when none): a relevance signal for abstention."""
    sparse_top: float = 0.0
    """The best sparse score (the dot product of the sparse latent terms)."""
    lexical_top: float = 0.0
    """The best BM25 score."""
    agreement: float = 0.0
    """1 when the best dense and the best sparse match come from the same article."""
    dense_background: float = 0.0
    """How far the best dense match stands above the archive as a whole, in std units."""
    sparse_cosine: float = 0.0
    """The best sparse match as a cosine (the raw dot product grows with the length of the texts)."""
    query: str = ""
    """The question as searched."""
    archive_chunks: int = 0
    """The chunks in the archive when it was searched."""
    refused: bool | None = None
    """Whether the answer would say the archive does not cover the question (the answerer's judgement,
    made once per search: see :meth:`retrieval.answer.answerer.Answerer.search`)."""


class Searcher:
    """Searches ``store`` for questions embedded by ``embeddings``; ``today`` dates what a question
    says of time ("last week")."""

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
        """Runs a question's independent steps side by side (store calls wait on Chroma, not on this
        process; on a server they are round trips)."""
        self.candidates = CandidateReader(store, self.config, self.figures, self._overlap)
        self.scorer = Scorer(self.config, today)
        self.passages = PassageBuilder(store, self.config, self._overlap)

    def stats(self) -> ArchiveStats:
        return self.figures.current().stats

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
        ``all_copies``. The query's operators (``"phrase"``, ``-word``, ``A OR B``:
        :mod:`~retrieval.search.operators`) and ``filters.who`` decide which articles qualify; the words
        asked for rank."""
        filters = filters or SearchFilters()
        operators = parse_operators(query)  # an OperatorError (a FilterError) when it cannot be read
        query = operators.text if operators.any else query  # what ranks
        rule = Qualifying(operators, self._named(filters))
        among = self._within(rule, within)
        if among is None:
            return self._nothing(query)
        lookup = self.candidates.look_up(query, operators.patterns, filters)  # while the model runs
        intent = parse_question_dates(query, today=self.today())
        language = question_language(query)
        vector = self.embeddings.embed_question(query)
        sparse_pass: Future[SparseVector] | None = (  # while the store answers
            self._overlap.submit(self.embeddings.sparse_query, query) if self.embeddings.sparse_dim else None
        )
        # 1. Candidates (of the qualifying articles only, when the query has operators or who:).
        found = self.candidates.read(lookup, vector, intent, filters, prior, among, wide=rule.any)
        if rule.any and found.chunks:
            keep = rule.articles(self.store, [c.chunk.article_id for c in found.chunks], found.chunks)
            found = replace(found, chunks=[c for c in found.chunks if c.chunk.article_id in keep])
        stats = found.figures.stats
        nothing = SearchResult([], intent, language, 0.0, query=query, archive_chunks=stats.chunks)
        if not found.chunks:
            return nothing
        pool_reads = self.candidates.read_pool(found.chunks, vector)
        # 2. Signals, provisionally without the sparse one, so that the passages' reads start early.
        question = Question(query, lookup.terms, found.df, stats, None, language, intent, tuple(prior))
        signals = signals_of(found.chunks, question)
        provisional = self.scorer.fused(found.chunks, question, signals)
        ahead = self.passages.read_ahead(
            found.chunks, provisional, k, pool_reads.records, all_copies=all_copies
        )
        if sparse_pass is not None:
            question = replace(question, sparse=sparse_pass.result())
        pool = pool_reads.pool(found.chunks)
        if not pool.chunks:
            return nothing
        signals = joined(signals, pool.shown, signals_of(pool.neighbours, question))
        scores = self.scorer.scores(pool.chunks, question, signals, self.embeddings.sparse_dim)
        # 3. Passages.
        passages = self.passages.build(pool, scores, k, ahead, all_copies=all_copies)
        return _result(passages, question, vector, pool, scores, found.figures)

    def _named(self, filters: SearchFilters) -> frozenset[str] | None:
        """The articles ``who:`` asks for (None: no ``who:``; UnknownName when nobody bears the name)."""
        if not filters.who:
            return None
        return named_articles(self.store.collections.entities(), filters.who, filters)

    def _within(self, rule: Qualifying, within: Sequence[str]) -> Sequence[str] | None:
        """The articles to search among: ``within``, narrowed to the ``who:`` entity's articles when
        they are few enough to rank here (:attr:`SearchConfig.named_within`); None when none is left."""
        if rule.named is None or len(rule.named) > self.config.named_within:
            return within
        narrowed = sorted(rule.named & set(within)) if within else sorted(rule.named)
        return narrowed or None

    def _nothing(self, query: str) -> SearchResult:
        intent = parse_question_dates(query, today=self.today())
        chunks = self.figures.current().stats.chunks
        return SearchResult([], intent, question_language(query), 0.0, query=query, archive_chunks=chunks)


def _result(
    passages: list[Passage], q: Question, vector: np.ndarray, pool: Pool, scores: Scores, figures: Figures
) -> SearchResult:
    """The passages with how strongly the best of ``pool`` match by each signal."""
    chunks = [c.chunk for c in pool.chunks]
    dense, sparse = scores.dense, scores.sparse
    best_dense, best_sparse = int(dense.argmax()), int(sparse.argmax())
    return SearchResult(
        passages=passages,
        intent=q.intent,
        language=q.language,
        dense_top=float(dense.max()),
        sparse_top=float(sparse.max()),
        lexical_top=float(scores.lexical.max()),
        agreement=float(
            q.sparse is not None and chunks[best_dense].article_id == chunks[best_sparse].article_id
        ),
        dense_background=background_z(figures.mean, figures.covariance, vector, float(dense.max())),
        sparse_cosine=_best_cosine(sparse, [c.sparse for c in pool.chunks], q.sparse),
        query=q.text,
        archive_chunks=figures.stats.chunks,
    )


def _best_cosine(
    scores: np.ndarray, vectors: Sequence[SparseVector | None], query: SparseVector | None
) -> float:
    return float(sparse_cosines(scores, vectors, query).max()) if len(scores) else 0.0
