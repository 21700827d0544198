"""Ingestion: files -> articles -> chunks -> vectors -> the store, safely re-runnable.

Each article's version is a hash of its content and of the chunking; an article whose version the store
already has is skipped without embedding, a changed one has all its chunks replaced, ``prune`` removes
articles that came from the ingested paths before but are gone now, ``rebuild`` starts afresh, ``source``
names the outlet of articles that name none (folders of plain text). Used by
``newsbot ingest`` and by the bot's ``/reingest`` and document uploads.

What a run holds in memory is bounded by chunks, not articles: articles are written in batches of at most
``batch_size`` chunks (an article longer than that is written alone, still switched in one step: see
:meth:`ChunkStore.write`), and embedded ``embed_batch`` chunks per model call (fewer for sparse vectors).
Between two model calls the run checks ``cancel`` (``/cancel``, Ctrl-C), so it stops within one call,
and every call is made :meth:`~retrieval.embeddings.NewsEmbeddings.in_background`, so a question waits
at most for one. What a cancelled run has written is whole articles only.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from ingest.chunking import ChunkingConfig, chunk_article
from ingest.loaders import DEFAULT_LIMITS, ArticleLimits, load_paths
from ingest.locking import Lease, ingest_lock
from retrieval.embeddings import NewsEmbeddings
from retrieval.errors import IngestLocked
from retrieval.records import Article, ArticleInfo, Chunk, IngestReport, LoadResult, Problem, SparseVector
from retrieval.store.chunks import ArticleWrite, ChunkStore

WRITE_BATCH = 256
"""Most chunks a batch holds (texts, vectors) and writes at once; an article longer than this is a batch
of its own."""
EMBED_BATCH = 16
"""Most chunks a model call embeds: a cancel, Ctrl-C or a waiting question waits for one such call (a few
seconds with the bundled model on two cores)."""
SPARSE_BATCH = 4
"""Most chunks a call for sparse vectors encodes (the slower pass: the bundled engine encodes them one
text at a time, so smaller calls cost nothing and a cancel waits less)."""


@dataclass(frozen=True, slots=True)
class Progress:
    articles_done: int
    articles_total: int
    chunks_done: int
    chunks_total: int
    elapsed: float

    @property
    def rate(self) -> float:
        """Chunks embedded per second so far."""
        return self.chunks_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, once a rate is known."""
        rate = self.rate
        return (self.chunks_total - self.chunks_done) / rate if rate > 0 else None


ProgressCallback = Callable[[Progress], None]


@dataclass(slots=True)
class _Job:
    article: Article
    version: str
    chunks: list[Chunk]
    root: str
    is_update: bool


@dataclass(slots=True)
class Plan:
    jobs: list[_Job] = field(default_factory=list)
    unchanged: int = 0
    prune: list[str] = field(default_factory=list)

    @property
    def chunks_total(self) -> int:
        return sum(len(j.chunks) for j in self.jobs)


def article_version(article: Article, config: ChunkingConfig) -> str:
    """Changes when the article's content or the way it is chunked changes."""
    return hashlib.sha256(f"{article.content_hash}\0{config.signature}".encode()).hexdigest()[:16]


def load_roots(
    paths: Sequence[str | Path], limits: ArticleLimits = DEFAULT_LIMITS
) -> tuple[list[tuple[str, Article]], LoadResult]:
    """Load every path; each article with the root (the path argument) it came from. Ids stay unique."""
    seen: dict[str, str] = {}
    loaded: list[tuple[str, Article]] = []
    total = LoadResult()
    for path in paths:
        root = str(Path(path).expanduser().resolve())
        result = load_paths([path], limits)
        total.skipped.extend(result.skipped)
        total.warnings.extend(result.warnings)
        for article in result.articles:
            if article.id in seen:
                total.skipped.append(
                    Problem(
                        article.origin or root, f"duplicate id {article.id!r} (first in {seen[article.id]})"
                    )
                )
                continue
            seen[article.id] = article.origin or root
            loaded.append((root, article))
            total.articles.append(article)
    return loaded, total


def _in_scope(root: str, paths: Sequence[str]) -> bool:
    return any(root == p or root.startswith(p.rstrip("/") + "/") for p in paths)


def plan_ingestion(
    loaded: Sequence[tuple[str, Article]],
    existing: dict[str, ArticleInfo],
    config: ChunkingConfig,
    cancel: threading.Event | None = None,
) -> Plan:
    """What to embed: every loaded article whose version the store does not have yet (those planned
    until ``cancel`` is set)."""
    plan = Plan()
    for root, article in loaded:
        if cancel is not None and cancel.is_set():
            break
        version = article_version(article, config)
        old = existing.get(article.id)
        if old is not None and old.content_hash == version:
            plan.unchanged += 1
            continue
        plan.jobs.append(_Job(article, version, chunk_article(article, config), root, old is not None))
    return plan


class Ingestion:
    """One run of ingestion over some paths. ``run()`` returns the :class:`IngestReport`.

    ``limits`` bound titles and texts as the files are read: the edges pass
    ``ArticleLimits.from_settings(settings)``; the default is the settings' defaults. Another run holding
    the collection is waited for, at most ``wait`` seconds (``on_wait`` is told who holds it), before
    :class:`~retrieval.errors.IngestLocked`; ``cancel`` ends that wait too (a cancelled report).
    """

    def __init__(
        self,
        store: ChunkStore,
        embeddings: NewsEmbeddings,
        *,
        lock_dir: Path,
        config: ChunkingConfig | None = None,
        limits: ArticleLimits = DEFAULT_LIMITS,
        batch_size: int = WRITE_BATCH,
        embed_batch: int = EMBED_BATCH,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
        wait: float = 0.0,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.lock_dir = lock_dir
        self.config = config or ChunkingConfig()
        self.limits = limits
        self.batch_size = max(1, batch_size)
        self.embed_batch = max(1, embed_batch)
        self.progress = progress
        self.cancel = cancel or threading.Event()
        self.wait = wait
        self.on_wait = on_wait

    def run(
        self,
        paths: Sequence[str | Path],
        *,
        prune: bool = False,
        rebuild: bool = False,
        source: str | None = None,
    ) -> IngestReport:
        """Ingest the files in ``paths``; ``source`` is the outlet of the articles that name none (an
        article's own outlet wins). The report counts the articles left without a date or an outlet."""
        started = time.monotonic()
        loaded, result = load_roots(paths, self.limits)
        if source:
            loaded = [(root, a if a.source else replace(a, source=source)) for root, a in loaded]
        report = IngestReport(
            skipped=list(result.skipped),
            warnings=list(result.warnings),
            undated=sum(a.date is None for _, a in loaded),
            no_outlet=sum(not a.source for _, a in loaded),
        )
        scope = [str(Path(p).expanduser().resolve()) for p in paths]
        return self._write(loaded, report, started, scope if prune else None, rebuild)

    def run_articles(self, articles: Sequence[Article], root: str) -> IngestReport:
        """Ingest articles that did not come from files (a feed's entries, a channel's posts), filed under
        ``root`` (``feed:URL``, ``channel:ID``): an article whose id the store has is replaced when its
        content changed and skipped when not. Nothing is pruned."""
        return self._write([(root, a) for a in articles], IngestReport(), time.monotonic(), None, False)

    def _write(
        self,
        loaded: Sequence[tuple[str, Article]],
        report: IngestReport,
        started: float,
        prune_scope: Sequence[str] | None,
        rebuild: bool,
    ) -> IngestReport:
        if self._stopped(report):  # while the files were read: nothing touched yet
            report.seconds = time.monotonic() - started
            return report
        prune = prune_scope is not None

        def prepare() -> None:
            if rebuild:
                self.store.drop()
            self.store.ensure(self.embeddings.model_id, self.embeddings.dim)

        with contextlib.ExitStack() as held:
            lease = self._lock(held, prepare, report)
            if lease is None:  # stopped while waiting for another run: nothing touched
                report.seconds = time.monotonic() - started
                return report
            self.store.sweep()
            existing = self.store.article_infos([a.id for _, a in loaded])
            plan = plan_ingestion(loaded, existing, self.config, self.cancel)
            if prune:
                plan.prune = self._prune_candidates(loaded, prune_scope or [])
            report.unchanged = plan.unchanged
            if not self._stopped(report):
                self._embed_and_write(plan, report, started, lease.beat)
            if prune and not self._stopped(report):
                self.store.remove(plan.prune)
                report.pruned = len(plan.prune)
            self.store.mark_ingested()
        report.seconds = time.monotonic() - started
        return report

    def _lock(
        self, held: contextlib.ExitStack, prepare: Callable[[], None], report: IngestReport
    ) -> Lease | None:
        """The collection's locks, held until ``held`` closes, waited for as this run was told to; None
        when the run was stopped while it waited."""
        locked = ingest_lock(
            self.lock_dir, self.store, prepare, wait=self.wait, stop=self.cancel, on_wait=self.on_wait
        )
        try:
            return held.enter_context(locked)
        except IngestLocked:
            if self._stopped(report):
                return None
            raise

    def _stopped(self, report: IngestReport) -> bool:
        """Whether the run is to stop here (``cancel`` is set); the report says so from then on."""
        if self.cancel.is_set():
            report.cancelled = True
        return report.cancelled

    def _prune_candidates(self, loaded: Sequence[tuple[str, Article]], scope: Sequence[str]) -> list[str]:
        loaded_ids = {a.id for _, a in loaded}
        return sorted(
            aid
            for aid, root in self.store.article_roots().items()
            if aid not in loaded_ids and _in_scope(root, scope)
        )

    def _embed_and_write(
        self, plan: Plan, report: IngestReport, started: float, beat: Callable[[], None]
    ) -> None:
        total_chunks, total_articles = plan.chunks_total, len(plan.jobs)
        done_chunks = done_articles = 0

        def embedded(n: int) -> None:  # between model calls inside a batch
            beat()
            self._report_progress(done_articles, total_articles, done_chunks + n, total_chunks, started)

        self._report_progress(0, total_articles, 0, total_chunks, started)
        for batch in _batches(plan.jobs, self.batch_size):
            chunks = [c for job in batch for c in job.chunks]
            vectors = self._embed([c.text for c in chunks], embedded)
            if self._stopped(report) or vectors is None:  # None: cancelled between two model calls
                return
            dense, sparse = vectors
            writes, offset = [], 0
            for job in batch:
                n = len(job.chunks)
                part = sparse[offset : offset + n] if sparse is not None else None
                writes.append(
                    ArticleWrite(_info(job), job.chunks, dense[offset : offset + n], job.root, part)
                )
                offset += n
            report.chunks_written += self.store.write(writes)
            report.updated += sum(job.is_update for job in batch)
            report.added += sum(not job.is_update for job in batch)
            beat()
            done_chunks += len(chunks)
            done_articles += len(batch)
            self._report_progress(done_articles, total_articles, done_chunks, total_chunks, started)

    def _embed(
        self, texts: Sequence[str], embedded: Callable[[int], None]
    ) -> tuple[np.ndarray, list[SparseVector] | None] | None:
        """Dense (and sparse) vectors of ``texts``, ``embed_batch`` per model call (``SPARSE_BATCH`` per
        sparse one); None once ``cancel`` is set. ``embedded(n)`` is told after each step but the last."""
        sparse_too = bool(self.embeddings.sparse_dim)
        dense: list[np.ndarray] = []
        sparse: list[SparseVector] = []
        with self.embeddings.in_background():
            for start in range(0, len(texts), self.embed_batch):
                if start:
                    embedded(start)
                if self.cancel.is_set():
                    return None
                step = texts[start : start + self.embed_batch]
                dense.append(self.embeddings.embed_passages(step))
                for part in range(0, len(step) if sparse_too else 0, SPARSE_BATCH):
                    if self.cancel.is_set():
                        return None
                    sparse += self.embeddings.sparse_passages(step[part : part + SPARSE_BATCH])
        vectors = np.concatenate(dense) if dense else np.zeros((0, self.embeddings.dim), np.float32)
        return vectors, sparse if sparse_too else None

    def _report_progress(
        self, articles: int, articles_total: int, chunks: int, chunks_total: int, started: float
    ) -> None:
        if self.progress is not None:
            self.progress(
                Progress(articles, articles_total, chunks, chunks_total, time.monotonic() - started)
            )


def _info(job: _Job) -> ArticleInfo:
    article = job.article
    return ArticleInfo(
        id=article.id,
        content_hash=job.version,
        chunks=len(job.chunks),
        title=article.title,
        date=article.date,
        source=article.source,
        url=article.url,
        origin=article.origin,
    )


def _batches(jobs: Sequence[_Job], size: int) -> list[list[_Job]]:
    """Whole articles per batch, at most ``size`` chunks each; an article longer than that is a batch of
    its own (an article is never split across batches: it switches to its new chunks in one write)."""
    batches: list[list[_Job]] = []
    current: list[_Job] = []
    count = 0
    for job in jobs:
        if current and count + len(job.chunks) > size:
            batches.append(current)
            current, count = [], 0
        current.append(job)
        count += len(job.chunks)
    if current:
        batches.append(current)
    return batches
