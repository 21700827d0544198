"""Ingestion throughput against the raw model on the same texts, in one run.

    python bench/ingest.py [--articles 60] [--archive ../shared/eval/dev/archive] [--batch 64]

Prints the raw throughput of the model (passages/s, characters/s) over exactly the passages that ingestion
embeds: dense vectors alone, and dense plus sparse latent terms (what ingestion computes); then the whole
pipeline's throughput (load, chunk, embed, write to embedded Chroma) over the same articles, the ratio of
pipeline to raw model, and peak memory (RSS). Entity extraction (natasha's NER and the canonical names the
pipeline files: :func:`retrieval.entities.article.article_entities`) is timed apart on the same articles'
chunked text, and given as a share of the pipeline's time (the pipeline runs it too).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.serving import peak_rss_mb  # noqa: E402
from ingest.chunking import ChunkingConfig, chunk_article  # noqa: E402
from ingest.loaders import ArticleLimits, load_paths  # noqa: E402
from ingest.pipeline import Ingestion  # noqa: E402
from retrieval.embeddings import make_embeddings  # noqa: E402
from retrieval.entities.article import article_entities  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.store.chunks import ChunkStore  # noqa: E402
from retrieval.store.fingerprints import article_text  # noqa: E402


def subset(archive: Path, n: int, workdir: Path, limits: ArticleLimits) -> Path:
    """The first ``n`` articles of the archive (by the loaders' order) written as one JSONL file."""
    import json

    articles = load_paths([archive], limits).articles[:n]
    out = workdir / "subset.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for a in articles:
            record = {
                "id": a.id,
                "title": a.title,
                "date": a.date.isoformat() if a.date else None,
                "url": a.url,
                "source": a.source,
                "text": a.text,
            }
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--archive", type=Path, default=REPO.parent / "shared" / "eval" / "dev" / "archive")
    parser.add_argument("--articles", type=int, default=60)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--embedding", default="multilingual-e5-small")
    args = parser.parse_args()

    emb = make_embeddings(args.embedding)
    limits = ArticleLimits.from_settings(load_settings())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        path = subset(args.archive, args.articles, work, limits)
        articles = load_paths([path], limits).articles
        chunked = [chunk_article(a, ChunkingConfig()) for a in articles]
        passages = [c.text for chunks in chunked for c in chunks]
        chars = sum(len(p) for p in passages)
        emb.embed_passages(passages[:4])  # warm up

        t0 = time.perf_counter()
        for i in range(0, len(passages), args.batch):
            emb.embed_passages(passages[i : i + args.batch])
        dense_only = time.perf_counter() - t0
        if emb.sparse_dim:
            for i in range(0, len(passages), args.batch):
                emb.sparse_passages(passages[i : i + args.batch])
        raw = time.perf_counter() - t0

        texts = [article_text(chunks) for chunks in chunked]  # as the store's writer files them
        article_entities(texts[0])  # loads natasha's models once, as a running ingestion has
        t0 = time.perf_counter()
        named = sum(len(article_entities(text)) for text in texts)
        extraction = time.perf_counter() - t0

        store = ChunkStore.open(None, work / "chroma", "bench")
        t0 = time.perf_counter()
        ingestion = Ingestion(store, emb, lock_dir=work / "locks", limits=limits, batch_size=args.batch)
        report = ingestion.run([path])
        pipe = time.perf_counter() - t0
        assert report.chunks_written == len(passages), (report.chunks_written, len(passages))

    raw_pps, pipe_pps = len(passages) / raw, len(passages) / pipe
    print(f"model        {emb.model_id}")
    print(
        f"articles     {len(articles)}   passages {len(passages)}   characters {chars} "
        f"({chars / len(passages):.0f} per passage)"
    )
    print(f"raw dense    {len(passages) / dense_only:7.2f} passages/s  {chars / dense_only:8.0f} chars/s")
    print(
        f"raw model    {raw_pps:7.2f} passages/s  {chars / raw:8.0f} chars/s  ({raw:.1f} s, dense + sparse)"
    )
    print(f"pipeline     {pipe_pps:7.2f} passages/s  {chars / pipe:8.0f} chars/s  ({pipe:.1f} s)")
    print(f"ratio        {pipe_pps / raw_pps:.3f}  (pipeline / raw model)")
    print(
        f"entities     {extraction:.1f} s for {named} names  ({chars / extraction:.0f} chars/s; "
        f"{extraction / pipe:.1%} of the pipeline's time)"
    )
    print(f"peak RSS     {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
