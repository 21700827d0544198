"""Query latency against a Chroma server: search and ask, and how they grow with the collection.

    NEWSBOT_DATA_DIR=/tmp/dev python bench/query.py [--server] [-n 300] [--profile]
    NEWSBOT_DATA_DIR=/tmp/dev python bench/query.py --scale 100000,1000000 [--data-dir DIR --keep] [--json]

Every measurement runs in a separate serving process (``bench/serving.py``) that holds no copy of the
archive, so that its memory is the serving process's own and Chroma's is reported apart.

Part one (the configured store, usually the dev archive; embedded as configured, or with ``--server`` on a
``chroma run`` started on the same data): ``ready_s`` (process start to the first answered question),
p50/p95 of ``search``, of ``search`` with a date filter (the archive's busiest calendar month) and of
``ask`` (offline), against a reference measured in the same run: a plain dense Chroma query (k=5), the
question's embedding included in both, so the ratios show what the rest of a search costs (each
question goes through the four in turn, so that a busy spell of a shared machine weighs on all alike).

Part two (``--scale``): for each size, a ``chroma run`` server on its own directory, a collection filled
through ``ChunkStore.write`` (statistics and name keys written exactly as ingestion does) with synthetic
chunks made from the configured store's real ones (texts and sparse vectors reused, vectors jittered by
N(0, 0.02) and normalised, five chunks to an article, dates spread over four years, outlets reused),
written 200 articles at a time. The server is then restarted (its memory is then what serving needs, not
what filling needed), and the serving process reports the same figures plus its peak RSS; ``fresh_s`` is
the time from the end of a write of one new article (in this process) to that article coming first in the
serving process's search (negative when it came first before the write call returned: an article is
visible once its record switches, and the call then deletes older versions and bumps the generation).
Chroma's RSS (``/proc/<pid>/status``) and the fill time per 1,000 chunks are printed too, and at the end
a table of how every figure grows across sizes.

``--keep`` keeps each filled store (under ``--data-dir``, default a temp dir) and reuses one of the same
size on the next run (an interrupted fill is resumed). ``--profile`` adds the p50 of each store call a
search makes. ``--json`` prints one JSON object per scale instead of the tables.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.querying import note  # noqa: E402
from bench.querying.processes import chroma_server, run_serving, server_memory_mb  # noqa: E402
from bench.querying.synthetic import FRESH_ID, filled_store, fresh_writer  # noqa: E402
from bench.querying.tables import print_figures, print_growth  # noqa: E402
from bot.wiring import load_embeddings, open_store  # noqa: E402
from retrieval.embeddings import NewsEmbeddings  # noqa: E402
from retrieval.settings import Settings, load_settings  # noqa: E402
from retrieval.store.chunks import ChunkStore, StoredChunk  # noqa: E402
from retrieval.store.shapes import chunk_from, sparse_from  # noqa: E402

COLLECTION = "bench-scale"
SOURCE_PAGE = 1000


# -- part one: the configured store -------------------------------------------------------------------


def measure_configured(
    settings: Settings, args: argparse.Namespace, want_source: bool
) -> tuple[dict[str, Any], list[StoredChunk]]:
    """Part one's figures, and (when ``want_source``) the store's chunks to make synthetic ones from."""
    if not args.server or settings.chroma_url:
        figures = run_serving({}, args, args.n)
        figures |= {"label": "configured", "where": settings.chroma_url or "embedded"}
        return figures, read_source(open_store(settings), args.source_limit) if want_source else []
    with tempfile.TemporaryDirectory() as logs, chroma_server(settings.data_dir / "chroma", Path(logs)) as s:
        figures = run_serving({"NEWSBOT_CHROMA_URL": s.url}, args, args.n)
        figures["chroma_rss_mb"], figures["chroma_peak_mb"] = server_memory_mb(s)
        figures |= {"label": "configured", "where": f"chroma run on {settings.data_dir / 'chroma'}"}
        server_store = ChunkStore.open(s.url, "", settings.collection)
        return figures, read_source(server_store, args.source_limit) if want_source else []


def read_source(store: ChunkStore, limit: int) -> list[StoredChunk]:
    """Up to ``limit`` of the store's chunks with their vectors and sparse vectors, read page by page."""
    col = store.collections.chunks()
    if col is None:
        sys.exit(f"no collection {store.name!r} at {store.location}: ingest an archive first")
    source: list[StoredChunk] = []
    while len(source) < limit:
        page = col.get(
            include=["documents", "metadatas", "embeddings"],
            limit=min(SOURCE_PAGE, limit - len(source)),
            offset=len(source),
        )
        rows = zip(page["ids"], page["documents"], page["metadatas"], page["embeddings"], strict=True)
        for cid, doc, meta, vector in rows:
            chunk = chunk_from(doc, meta)
            source.append(StoredChunk(cid, chunk, str(meta.get("version")), sparse_from(meta), vector))
        if len(page["ids"]) < SOURCE_PAGE:
            break
    if not source:
        sys.exit(f"the store at {store.location} is empty: ingest an archive first")
    return source


# -- part two: synthetic stores -----------------------------------------------------------------------


def measure_scale(
    size: int, source: list[StoredChunk], emb: NewsEmbeddings, args: argparse.Namespace, root: Path
) -> dict[str, Any]:
    """Fill a store of ``size`` chunks on its own server, restart it, and measure a serving process."""
    where = root / f"scale-{size}"
    where.mkdir(parents=True, exist_ok=True)
    note(f"{size:,} chunks: a chroma run on {where / 'chroma'}")
    with chroma_server(where / "chroma", where) as server:
        filled = filled_store(ChunkStore.open(server.url, "", COLLECTION), source, size, emb, args)
        filled["chroma_fill_peak_mb"] = server_memory_mb(server)[1] if filled["fill_s"] else None
    with chroma_server(where / "chroma", where) as server:
        store = ChunkStore.open(server.url, "", COLLECTION)
        t0 = time.perf_counter()
        store.nearest(source[0].vector, 5)
        filled["chroma_first_query_s"] = round(time.perf_counter() - t0, 3)
        env = {"NEWSBOT_CHROMA_URL": server.url, "NEWSBOT_COLLECTION": COLLECTION}
        figures = run_serving(env, args, args.scale_n, fresh_writer(store, emb))
        figures["chroma_rss_mb"], figures["chroma_peak_mb"] = server_memory_mb(server)
        store.remove([FRESH_ID])
        store.mark_ingested()
    if not args.keep:
        shutil.rmtree(where, ignore_errors=True)
    return figures | filled | {"label": f"{size:,}", "where": f"chroma run on {where / 'chroma'}"}


# -- the command --------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--questions", type=Path, default=REPO.parent / "shared" / "eval" / "dev" / "questions.jsonl"
    )
    parser.add_argument("-n", type=int, default=300, help="questions timed on the configured store")
    parser.add_argument("--scale-n", type=int, default=50, help="questions timed at each --scale size")
    parser.add_argument("--server", action="store_true", help="part one against a chroma run on its data")
    parser.add_argument("--scale", default="", help="synthetic collection sizes, e.g. 100000,1000000")
    parser.add_argument("--data-dir", type=Path, help="where the synthetic stores go (default: a temp dir)")
    parser.add_argument("--keep", action="store_true", help="keep the synthetic stores; reuse same-size ones")
    parser.add_argument("--source-limit", type=int, default=50_000, help="real chunks read to copy from")
    parser.add_argument("--profile", action="store_true", help="time each store call a search makes")
    parser.add_argument("--json", action="store_true", help="one JSON object per scale, one line each")
    args = parser.parse_args()
    args.questions = args.questions.resolve()
    args.sizes = sorted({int(s.replace("_", "")) for s in args.scale.split(",") if s.strip()})
    return args


def main() -> None:
    args = parse_args()
    settings = load_settings()
    note(f"part one: the configured store ({settings.chroma_url or settings.data_dir})")
    first, source = measure_configured(settings, args, want_source=bool(args.sizes))
    show = (lambda f: print(json.dumps(f, ensure_ascii=False), flush=True)) if args.json else print_figures
    show(first)
    rows = [first]
    if args.sizes:
        emb = load_embeddings(settings)
        root = args.data_dir or Path(tempfile.mkdtemp(prefix="newsbot-bench-"))
        for size in args.sizes:
            rows.append(measure_scale(size, source, emb, args, root))
            show(rows[-1])
        if args.keep:
            note(f"the synthetic stores are kept under {root} (reuse them with --data-dir {root} --keep)")
        elif not args.data_dir:
            shutil.rmtree(root, ignore_errors=True)
    if not args.json and len(rows) > 1:
        print_growth(rows)


if __name__ == "__main__":
    main()
