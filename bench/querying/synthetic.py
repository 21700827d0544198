"""Synthetic stores for ``bench/query.py --scale``: chunks made from a real store's, written through
``ChunkStore.write`` as ingestion writes them, and the fresh article whose visibility is timed.

A synthetic chunk reuses a real chunk's text and sparse vector; its vector is the real one jittered by
N(0, 0.02) and normalised; five chunks make an article, dated over four years, outlets reused. The fill
is deterministic: the same size gives the same chunks. The writer files each article's entities as
ingestion does (so ``who`` and ``entities`` are timed over an entity index of that size); since the
synthetic articles repeat the real chunks' texts, each text's entities are recognised once
(:func:`cached_entities`).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import numpy as np

from bench.querying import note
from bench.serving import clocked
from retrieval.embeddings import NewsEmbeddings
from retrieval.evaluation import percentile
from retrieval.records import ArticleInfo, Chunk
from retrieval.store import writer
from retrieval.store.chunks import ArticleWrite, ChunkStore, StoredChunk
from retrieval.store.statistics import StatsDelta

ARTICLE_CHUNKS = 5
WRITE_ARTICLES = 1000
"""Articles per write of the fill (5,000 chunks): most of a write's cost is its name-index keys, and a
batch's distinct keys grow slower than its chunks (7,500 for 1,000 dev chunks, 20,000 for 5,000)."""
SPREAD_DAYS = 4 * 365

FRESH_ID = "bench-fresh"
FRESH_TITLE = "В Квырлянске прошёл фестиваль квантовых пеликанов"
FRESH_TEXT = (
    "В Квырлянске завершился первый фестиваль квантовых пеликанов. Его организатор, орнитолог Аристарх "
    "Зюзельбах, рассказал, что пеликаны научились различать сорок два оттенка ультрафиолета, и пообещал "
    "провести следующий фестиваль на Мнёвинском озере."
)
FRESH_QUESTION = "Что рассказал орнитолог Аристарх Зюзельбах о квантовых пеликанах?"


def synthetic(source: list[StoredChunk], start: int, count: int, last_day: date) -> list[ArticleWrite]:
    """``count`` synthetic chunks, five to an article, numbered from ``start`` (deterministic)."""
    rng = np.random.default_rng(start)
    writes = []
    for a in range(start, start + count, ARTICLE_CHUNKS):
        members = [source[(a + i) % len(source)] for i in range(min(ARTICLE_CHUNKS, start + count - a))]
        aid, first = f"syn-{a}", members[0].chunk
        day = last_day - timedelta(days=(a // ARTICLE_CHUNKS) * 7919 % SPREAD_DAYS)
        chunks = [
            Chunk(aid, i, m.chunk.text, m.chunk.start, m.chunk.end, first.title, day, None, first.source)
            for i, m in enumerate(members)
        ]
        vectors = np.asarray([m.vector for m in members], dtype=np.float32)
        vectors += rng.normal(0, 0.02, vectors.shape).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        sparse = [m.sparse for m in members if m.sparse is not None]
        info = ArticleInfo(aid, "v1", len(chunks), first.title, day, first.source, origin="bench")
        writes.append(ArticleWrite(info, chunks, vectors, "", sparse if len(sparse) == len(chunks) else None))
    return writes


def fill(store: ChunkStore, source: list[StoredChunk], size: int, emb: NewsEmbeddings, keep: bool) -> float:
    """Fill the store to ``size`` synthetic chunks through ``ChunkStore.write``; the seconds it took (0:
    a kept store of that size was reused; a kept store that holds fewer is filled on from there)."""
    store.ensure(emb.model_id, emb.dim)
    store.sweep()
    store.remove([FRESH_ID])
    have = store.archive_stats().chunks if keep else 0
    if have == size:
        note(f"  reusing the {size:,} chunks already in {store.location}")
        return 0.0
    if have > size or have % (ARTICLE_CHUNKS * WRITE_ARTICLES):
        have = 0
    if not have:
        store.drop()
        store.ensure(emb.model_id, emb.dim)
    last_day = max((c.chunk.date for c in source if c.chunk.date), default=date(2025, 12, 31))
    step, t0 = ARTICLE_CHUNKS * WRITE_ARTICLES, time.perf_counter()
    starts = range(have, size, step)
    with cached_entities():
        for i, start in enumerate(starts, 1):
            store.write(synthetic(source, start, min(step, size - start), last_day))
            if i == len(starts) or i % max(1, len(starts) // 10) == 0:
                done = min(start + step, size)
                note(f"  filled {done:,} / {size:,} chunks in {time.perf_counter() - t0:.0f} s")
    store.mark_ingested()
    return time.perf_counter() - t0


@contextlib.contextmanager
def cached_entities() -> Iterator[None]:
    """The writer's entity recognition remembered by text while filling: a synthetic article repeats a
    real one's text, and recognising it again would only cost time (the records written are the same)."""
    recognise = writer.article_entities
    writer.article_entities = functools.cache(recognise)  # type: ignore[assignment]
    try:
        yield
    finally:
        writer.article_entities = recognise  # type: ignore[assignment]


def fresh_writer(store: ChunkStore, emb: NewsEmbeddings) -> Callable[[], float]:
    """What writes the new article as ingestion would (write, then mark the ingestion); it returns the
    wall-clock time the write ended."""
    day = store.archive_stats().date_range[1]
    chunk = Chunk(FRESH_ID, 0, FRESH_TEXT, 0, len(FRESH_TEXT), FRESH_TITLE, day, None, "bench")
    vectors = emb.embed_passages([FRESH_TEXT])
    sparse = emb.sparse_passages([FRESH_TEXT]) if emb.sparse_dim else None
    info = ArticleInfo(FRESH_ID, "v1", 1, FRESH_TITLE, day, "bench", origin="bench")

    def write() -> float:
        store.write([ArticleWrite(info, [chunk], vectors, "", sparse)])
        ended = time.time()
        store.mark_ingested()
        return ended

    return write


def filled_store(
    store: ChunkStore, source: list[StoredChunk], size: int, emb: NewsEmbeddings, args: argparse.Namespace
) -> dict[str, Any]:
    """Fill (or reuse) the store; the fill's figures and how many records each collection holds."""
    with clocked(write_steps(store) if args.profile else []) as calls:
        fill_s = fill(store, source, size, emb, args.keep)
    figures: dict[str, Any] = {
        "fill_s": round(fill_s, 1) if fill_s else None,
        "fill_s_per_1000": round(fill_s / size * 1000, 3) if fill_s else None,
        "records": {
            "chunks": store.collections.live_chunks().count(),
            "keys": store.collections.postings().collection.count(),
            "articles": store.collections.articles().count(),
        },
    }
    if fill_s and args.profile:
        figures["fill_profile"] = write_profile(calls)
    return figures


def write_steps(store: ChunkStore) -> list[tuple[object, str]]:
    """The steps of ``ChunkStore.write`` that ``--profile`` times, as (the store part or module holding
    it, its name), in the order a write takes them (the writer's upserts of records without vectors run
    at several steps)."""
    return [
        (store, "write"),
        (store._records, "records"),
        (store._writer, "_mark_writing"),
        (store._writer, "_write_chunks"),
        (store._removal, "count_out"),
        (store._figures, "delta_records"),
        (writer, "upsert_without_vectors"),
        (store._removal, "delete_other_versions"),
        (StatsDelta, "add"),
    ]


def write_profile(calls: dict[str, list[float]]) -> dict[str, Any]:
    """Per ``ChunkStore.write`` of the fill: the mean ms of each of its steps and how often it ran; and
    the p50 of whole writes over the first and the last tenth of the fill (does writing slow down?)."""
    writes = calls.get("write", [])
    if not writes:
        return {}
    tenth = max(1, len(writes) // 10)
    steps = {
        name: {"mean_ms": round(sum(ms) / len(writes), 1), "per_write": round(len(ms) / len(writes), 2)}
        for name, ms in calls.items()
        if ms
    }
    steps["first_tenth_write_p50_ms"] = round(percentile(writes[:tenth], 50), 1)
    steps["last_tenth_write_p50_ms"] = round(percentile(writes[-tenth:], 50), 1)
    return steps
