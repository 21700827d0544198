"""Ingestion: files -> articles -> chunks -> vectors -> the store, safely re-runnable.

Each article's version is a hash of its content and of the chunking; an article whose version the store
already has is skipped without embedding, a changed one has all its chunks replaced, ``prune`` removes
articles that came from the ingested paths before but are gone now, ``rebuild`` starts afresh. Used by
``newsbot ingest`` and by the bot's ``/reingest`` and document uploads.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ingest.chunking import ChunkingConfig, chunk_article
from ingest.loaders import load_paths
from ingest.locking import ingest_lock
from retrieval.embeddings import NewsEmbeddings
from retrieval.records import Article, ArticleInfo, Chunk, IngestReport, LoadResult, Problem
from retrieval.store.chunks import ArticleWrite, ChunkStore


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


def load_roots(paths: Sequence[str | Path]) -> tuple[list[tuple[str, Article]], LoadResult]:
    """Load every path; each article with the root (the path argument) it came from. Ids stay unique."""
    seen: dict[str, str] = {}
    loaded: list[tuple[str, Article]] = []
    total = LoadResult()
    for path in paths:
        root = str(Path(path).expanduser().resolve())
        result = load_paths([path])
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
    loaded: Sequence[tuple[str, Article]], existing: dict[str, ArticleInfo], config: ChunkingConfig
) -> Plan:
    """What to embed: every loaded article whose version the store does not have yet."""
    plan = Plan()
    for root, article in loaded:
        version = article_version(article, config)
        old = existing.get(article.id)
        if old is not None and old.content_hash == version:
            plan.unchanged += 1
            continue
        plan.jobs.append(_Job(article, version, chunk_article(article, config), root, old is not None))
    return plan


class Ingestion:
    """One run of ingestion over some paths. ``run()`` returns the :class:`IngestReport`."""

    def __init__(
        self,
        store: ChunkStore,
        embeddings: NewsEmbeddings,
        *,
        lock_dir: Path,
        config: ChunkingConfig | None = None,
        batch_size: int = 64,
        progress: ProgressCallback | None = None,
        cancel: threading.Event | None = None,
    ) -> None:
        self.store = store
        self.embeddings = embeddings
        self.lock_dir = lock_dir
        self.config = config or ChunkingConfig()
        self.batch_size = batch_size
        self.progress = progress
        self.cancel = cancel or threading.Event()

    def run(self, paths: Sequence[str | Path], *, prune: bool = False, rebuild: bool = False) -> IngestReport:
        started = time.monotonic()
        loaded, result = load_roots(paths)
        report = IngestReport(skipped=list(result.skipped), warnings=list(result.warnings))
        scope = [str(Path(p).expanduser().resolve()) for p in paths]

        def prepare() -> None:
            if rebuild:
                self.store.drop()
            self.store.ensure(self.embeddings.model_id, self.embeddings.dim)

        with ingest_lock(self.lock_dir, self.store, prepare) as lease:
            self.store.sweep()
            existing = self.store.article_infos([a.id for _, a in loaded])
            plan = plan_ingestion(loaded, existing, self.config)
            if prune:
                plan.prune = self._prune_candidates(loaded, scope)
            report.unchanged = plan.unchanged
            self._embed_and_write(plan, report, started, lease.beat)
            if prune and not self.cancel.is_set():
                self.store.remove(plan.prune)
                report.pruned = len(plan.prune)
            self.store.mark_ingested()
        report.seconds = time.monotonic() - started
        return report

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
        self._report_progress(0, total_articles, 0, total_chunks, started)
        for batch in _batches(plan.jobs, self.batch_size):
            if self.cancel.is_set():
                report.cancelled = True
                return
            chunks = [c for job in batch for c in job.chunks]
            texts = [c.text for c in chunks]
            vectors = self.embeddings.embed_passages(texts)
            sparse = self.embeddings.sparse_passages(texts) if self.embeddings.sparse_dim else None
            writes, offset = [], 0
            for job in batch:
                n = len(job.chunks)
                info = ArticleInfo(
                    id=job.article.id,
                    content_hash=job.version,
                    chunks=n,
                    title=job.article.title,
                    date=job.article.date,
                    source=job.article.source,
                    url=job.article.url,
                    origin=job.article.origin,
                )
                part = sparse[offset : offset + n] if sparse is not None else None
                writes.append(ArticleWrite(info, job.chunks, vectors[offset : offset + n], job.root, part))
                offset += n
                if job.is_update:
                    report.updated += 1
                else:
                    report.added += 1
            report.chunks_written += self.store.write(writes)
            beat()
            done_chunks += len(chunks)
            done_articles += len(batch)
            self._report_progress(done_articles, total_articles, done_chunks, total_chunks, started)

    def _report_progress(
        self, articles: int, articles_total: int, chunks: int, chunks_total: int, started: float
    ) -> None:
        if self.progress is not None:
            self.progress(
                Progress(articles, articles_total, chunks, chunks_total, time.monotonic() - started)
            )


def _batches(jobs: Sequence[_Job], size: int) -> list[list[_Job]]:
    """Whole articles per batch, about ``size`` chunks each (an article is never split across batches)."""
    batches: list[list[_Job]] = []
    current: list[_Job] = []
    count = 0
    for job in jobs:
        current.append(job)
        count += len(job.chunks)
        if count >= size:
            batches.append(current)
            current, count = [], 0
    if current:
        batches.append(current)
    return batches
