"""Query latency: search and ask on an ingested archive, and how they grow with the collection.

    NEWSBOT_DATA_DIR=... python bench/query.py [--questions ../shared/eval/dev/questions.jsonl] [-n 300]
    python bench/query.py --scale 100000,1000000 [--data-dir DIR]   # synthetic growth (1M: ~1 h, 17 GB)

Part one (the configured store, usually the dev archive): p50/p95 of ``search`` and ``ask`` (offline
answers), against a reference measured in the same run: a plain dense Chroma query (k=5).

Part two (``--scale``): a temporary collection filled with synthetic chunks to each size, made from the
configured store's real chunks (texts repeated, vectors jittered, sparse vectors reused), then the same
timings, the in-memory index build time and the process's peak memory.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.wiring import build_answerer, load_embeddings, open_store  # noqa: E402
from retrieval.answer.answerer import Answerer  # noqa: E402
from retrieval.answer.relevance import AbstainPolicy  # noqa: E402
from retrieval.evaluation import load_questions, percentile  # noqa: E402
from retrieval.records import ArticleInfo, Chunk  # noqa: E402
from retrieval.search.searcher import Retriever  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.store.chunks import ArticleWrite, ChunkStore, StoredChunk  # noqa: E402


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def resident_mb() -> float:
    """The process's resident memory now (Linux), unlike the peak."""
    try:
        return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError):
        return float("nan")


def timed(fn, items):  # type: ignore[no-untyped-def]
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def row(name: str, ms: list[float], ref: float) -> str:
    p50, p95 = percentile(ms, 50), percentile(ms, 95)
    return f"{name:<22} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms   p50 / reference {p50 / ref:5.2f}"


def measure(answerer: Answerer, questions: list[str]) -> None:
    retriever, store, emb = answerer.retriever, answerer.retriever.store, answerer.retriever.embeddings
    answerer.ask("warm up")
    reference = timed(lambda q: store.search(emb.embed_question(q), 5), questions)
    ref = percentile(reference, 50)
    print(row("reference dense k=5", reference, ref))
    print(row("search", timed(lambda q: retriever.search(q, 5), questions), ref))
    print(row("ask (offline)", timed(answerer.ask, questions), ref))


def synthetic(
    source: list[StoredChunk], start: int, count: int, rng: np.random.Generator
) -> list[ArticleWrite]:
    """``count`` synthetic chunks, five to an article, numbered from ``start``."""
    writes = []
    for a in range(start, start + count, 5):
        members = [source[(a + i) % len(source)] for i in range(min(5, start + count - a))]
        aid = f"syn-{a}"
        chunks, vectors = [], []
        for i, real in enumerate(members):
            c = real.chunk
            chunks.append(Chunk(aid, i, c.text, c.start, c.end, c.title, c.date, c.url, c.source))
            v = np.asarray(real.vector, dtype=np.float32)
            v = v + rng.normal(0, 0.02, len(v)).astype(np.float32)
            vectors.append(v / np.linalg.norm(v))
        sparse = [m.sparse for m in members if m.sparse is not None]
        first = members[0].chunk
        info = ArticleInfo(aid, "v1", len(chunks), first.title, first.date, first.source)
        writes.append(
            ArticleWrite(info, chunks, np.stack(vectors), "", sparse if len(sparse) == len(members) else None)
        )
    return writes


def scale(settings, sizes: list[int], questions: list[str], data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    emb = load_embeddings(settings)
    source = list(open_store(settings).visible_rows(vectors=True))
    if not source:
        sys.exit("the configured store is empty: ingest an archive first")
    rng = np.random.default_rng(0)
    store = ChunkStore.open(None, data_dir / "chroma", "bench-scale")
    store.drop()
    store.ensure(emb.model_id, emb.dim)
    have = 0
    for size in sizes:
        t0 = time.perf_counter()
        writes = synthetic(source, have, size - have, rng)
        for i in range(0, len(writes), 200):
            store.write(writes[i : i + 200])
        store.bump_generation()
        have = size
        fill = time.perf_counter() - t0
        answerer = Answerer(Retriever(store, emb), AbstainPolicy.for_model(emb.model_id))
        t1 = time.perf_counter()
        answerer.retriever.archive.current()
        build = time.perf_counter() - t1
        print(
            f"\n{store.count_chunks()} chunks (filled in {fill:.0f} s, index built in {build:.1f} s, "
            f"resident after the build {resident_mb():.0f} MB)"
        )
        measure(answerer, questions)
        print(f"peak RSS {peak_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--questions", type=Path, default=REPO.parent / "shared" / "eval" / "dev" / "questions.jsonl"
    )
    parser.add_argument("-n", type=int, default=300, help="questions to time (a fixed random sample)")
    parser.add_argument("--scale", default="", help="collection sizes, e.g. 10000,100000")
    parser.add_argument(
        "--data-dir", type=Path, help="where the synthetic collection goes (default: a temp dir)"
    )
    args = parser.parse_args()

    settings = load_settings()
    questions = [q.question for q in load_questions(args.questions)]
    random.Random(0).shuffle(questions)
    questions = questions[: args.n]
    if not args.scale:
        answerer = build_answerer(settings)
        print(
            f"store {answerer.retriever.store.location}: {answerer.retriever.store.count_chunks()} chunks, "
            f"{len(questions)} questions"
        )
        measure(answerer, questions)
        print(f"peak RSS {peak_rss_mb():.0f} MB")
        return
    sizes = sorted(int(s) for s in args.scale.split(","))
    if args.data_dir:
        scale(settings, sizes, questions[:50], args.data_dir)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            scale(settings, sizes, questions[:50], Path(tmp))


if __name__ == "__main__":
    main()
