"""Feed polling throughput against the raw model on the same texts, in one run.

    python bench/feeds.py [--feeds 4] [--entries 10] [--archive ../shared/eval/dev/archive]

Serves ``feeds`` RSS feeds of ``entries`` entries each from a local web server (each entry links to an
HTML page holding one archive article), polls them all once into a fresh embedded store (fetch feeds and
pages, extract, chunk, embed, write), and times the bare model (dense + sparse, the pipeline's batch
sizes) on exactly the chunks that are written, before and after the poll (their mean is the reference:
the machine's other load drifts). Prints articles/s end to end and for the bare model, their
ratio (1.0: polling costs nothing beyond the model), the time of a second, unchanged poll (304s), and the
same poll's cost without the model (the tests' hashing embeddings): the machine's other load moves the
two timed phases apart, the cost beyond the model it barely moves.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from ingest.feeds.poll import FeedPoller  # noqa: E402
from ingest.feeds.registry import FeedRegistry  # noqa: E402
from ingest.loaders import ArticleLimits, load_paths  # noqa: E402
from ingest.pipeline import EMBED_BATCH, SPARSE_BATCH  # noqa: E402
from retrieval.embeddings import NewsEmbeddings, make_embeddings  # noqa: E402
from retrieval.records import Article  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.store.chunks import ChunkStore  # noqa: E402
from tests.emulators.feed_server import FeedItem, FeedServer, article_html, rss_feed  # noqa: E402


def serve(web: FeedServer, articles: list[Article], feeds: int, entries: int) -> list[str]:
    """Publish the articles as pages, ``entries`` per feed; the feeds' URLs."""
    urls = []
    for f in range(feeds):
        items = []
        for n, article in enumerate(articles[f * entries : (f + 1) * entries]):
            path = f"/feed{f}/{n}.html"
            web.page(path, article_html(article.title, article.text))
            day = article.date or datetime.now(UTC).date()
            published = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
            items.append(
                FeedItem(article.title, web.url(path), article.text[:200], f"bench-{f}-{n}", published)
            )
        web.feed(f"/feed{f}.xml", rss_feed(f"Bench feed {f}", items))
        urls.append(web.url(f"/feed{f}.xml"))
    return urls


def raw_model_seconds(emb: NewsEmbeddings, texts: list[str]) -> float:
    """The bare model on ``texts``, in the calls ingestion makes (dense per EMBED_BATCH, sparse per
    SPARSE_BATCH)."""
    t0 = time.perf_counter()
    for i in range(0, len(texts), EMBED_BATCH):
        step = texts[i : i + EMBED_BATCH]
        emb.embed_passages(step)
        if emb.sparse_dim:
            for j in range(0, len(step), SPARSE_BATCH):
                emb.sparse_passages(step[j : j + SPARSE_BATCH])
    return time.perf_counter() - t0


def poll_without_model(
    web: FeedServer, articles: list[Article], args: argparse.Namespace, work: Path
) -> tuple[float, list[str]]:
    """Seconds the same poll takes into a fresh store with the tests' hashing embeddings (no model): what
    polling costs beyond the model, a figure that the machine's other load barely moves; and the chunks
    it wrote (the texts the model is timed on)."""
    from tests.support.hashing import HashingEmbeddings

    settings = load_settings(data_dir=work / "bare", feeds_allow_private=True, feed_host_delay=0)
    store = ChunkStore.open(None, work / "bare" / "chroma", "bench")
    registry = FeedRegistry(store)
    for f in range(args.feeds):
        registry.add(web.url(f"/feed{f}.xml"))
    t0 = time.perf_counter()
    report = FeedPoller(store, HashingEmbeddings(), settings).poll()
    seconds = time.perf_counter() - t0
    assert sum(o.added for o in report.outcomes) == len(articles)
    return seconds, [c.text for _, c in store.visible_chunks()]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--archive", type=Path, default=REPO.parent / "shared" / "eval" / "dev" / "archive")
    parser.add_argument("--feeds", type=int, default=4)
    parser.add_argument("--entries", type=int, default=10)
    parser.add_argument("--embedding", default="multilingual-e5-small")
    args = parser.parse_args()

    archive = args.archive if args.archive.exists() else REPO / "sample"
    limits = ArticleLimits()
    wanted = args.feeds * args.entries
    articles = [a for a in load_paths([archive], limits).articles if len(a.text) >= 400][:wanted]
    if len(articles) < wanted:
        sys.exit(f"{archive} has {len(articles)} articles of 400+ characters; {wanted} are needed")
    emb = make_embeddings(args.embedding)
    emb.embed_passages([a.text[:500] for a in articles[:4]])  # warm up
    with tempfile.TemporaryDirectory() as tmp, FeedServer() as web:
        work = Path(tmp)
        settings = load_settings(data_dir=work, feeds_allow_private=True, feed_host_delay=0)
        store = ChunkStore.open(None, work / "chroma", "bench")
        registry = FeedRegistry(store)
        for url in serve(web, articles, args.feeds, args.entries):
            registry.add(url)
        poller = FeedPoller(store, emb, settings)
        rest, texts = poll_without_model(web, articles, args, work)
        print(f"the bare model on the {len(texts)} chunks…", file=sys.stderr, flush=True)
        before = raw_model_seconds(emb, texts)

        print(f"polling {args.feeds} feeds of {args.entries} entries…", file=sys.stderr, flush=True)
        t0 = time.perf_counter()
        report = poller.poll()
        poll_seconds = time.perf_counter() - t0
        added = sum(o.added for o in report.outcomes)
        failed = [o.error for o in report.outcomes if o.error]
        assert added == wanted and not failed, (added, failed)
        assert sorted(c.text for _, c in store.visible_chunks()) == sorted(texts)

        t0 = time.perf_counter()
        again = poller.poll()
        second_seconds = time.perf_counter() - t0
        assert all(o.not_modified for o in again.outcomes)

        print(
            "the bare model again (the load drifts: the reference is the mean)…", file=sys.stderr, flush=True
        )
        after = raw_model_seconds(emb, texts)
        raw = (before + after) / 2

    chars = sum(len(t) for t in texts)
    print(f"model        {emb.model_id}   archive {archive}")
    print(
        f"feeds        {args.feeds} x {args.entries} = {added} articles, {len(texts)} chunks, {chars} chars"
    )
    print(
        f"raw model    {added / raw:7.2f} articles/s  {len(texts) / raw:7.2f} chunks/s  "
        f"({raw:.1f} s: {before:.1f} before the poll, {after:.1f} after)"
    )
    rate = f"{added / poll_seconds:7.2f} articles/s  {len(texts) / poll_seconds:7.2f} chunks/s"
    print(f"feed poll    {rate}  ({poll_seconds:.1f} s)")
    print(f"ratio        {raw / poll_seconds:.3f}  (feed poll / raw model)")
    print(f"second poll  {second_seconds:.2f} s  (all {len(again.outcomes)} feeds not modified)")
    print(f"no model     {rest:.1f} s  (the same poll with hashing embeddings: fetch, extract, chunk, write)")
    print(
        f"ratio if the load were steady  {raw / (raw + rest):.3f}  (raw model / (raw model + no-model poll))"
    )


if __name__ == "__main__":
    main()
