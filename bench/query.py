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
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.serving import MARK, MODEL_CALLS, NESTED_CALLS, STORE_CALLS, clocked  # noqa: E402
from bot.wiring import load_embeddings, open_store  # noqa: E402
from retrieval.embeddings import NewsEmbeddings  # noqa: E402
from retrieval.evaluation import percentile  # noqa: E402
from retrieval.records import ArticleInfo, Chunk  # noqa: E402
from retrieval.settings import Settings, load_settings  # noqa: E402
from retrieval.store import writer  # noqa: E402
from retrieval.store.chunks import ArticleWrite, ChunkStore, StoredChunk  # noqa: E402
from retrieval.store.shapes import chunk_from, sparse_from  # noqa: E402
from retrieval.store.statistics import StatsDelta  # noqa: E402
from tests.support.chroma_server import ChromaServer  # noqa: E402

SERVING = REPO / "bench" / "serving.py"
COLLECTION = "bench-scale"
ARTICLE_CHUNKS = 5
WRITE_ARTICLES = 1000
"""Articles per write of the fill (5,000 chunks): most of a write's cost is its name-index keys, and a
batch's distinct keys grow slower than its chunks (7,500 for 1,000 dev chunks, 20,000 for 5,000)."""
SPREAD_DAYS = 4 * 365
SOURCE_PAGE = 1000

FRESH_ID = "bench-fresh"
FRESH_TITLE = "В Квырлянске прошёл фестиваль квантовых пеликанов"
FRESH_TEXT = (
    "В Квырлянске завершился первый фестиваль квантовых пеликанов. Его организатор, орнитолог Аристарх "
    "Зюзельбах, рассказал, что пеликаны научились различать сорок два оттенка ультрафиолета, и пообещал "
    "провести следующий фестиваль на Мнёвинском озере."
)
FRESH_QUESTION = "Что рассказал орнитолог Аристарх Зюзельбах о квантовых пеликанах?"


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the Chroma server --------------------------------------------------------------------------------


@contextlib.contextmanager
def chroma_server(path: Path, log_dir: Path) -> Iterator[ChromaServer]:
    """A ``chroma run`` on ``path`` (its log in ``log_dir``), stopped on the way out."""
    server = ChromaServer(path)
    server.log = log_dir / f"chroma-{server.port}.log"
    server.start(timeout=600)
    try:
        yield server
    finally:
        server.stop()


def server_memory_mb(server: ChromaServer) -> tuple[float | None, float | None]:
    """The server's resident memory now and its peak (VmRSS, VmHWM), with any child processes."""
    if server.proc is None:
        return None, None
    pids, rss, hwm = [server.proc.pid], 0, 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{pid}/task").iterdir():
                pids += [int(p) for p in (task / "children").read_text().split()]
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    kb = int(value.split()[0])
                    rss, hwm = (rss + kb, hwm) if key == "VmRSS" else (rss, hwm + kb)
    return round(rss / 1024, 1), round(hwm / 1024, 1)


# -- the serving process ------------------------------------------------------------------------------


def run_serving(
    env: dict[str, str], args: argparse.Namespace, n: int, fresh: Callable[[], float] | None = None
) -> dict[str, Any]:
    """Start ``bench/serving.py`` with these settings, and return its figures. With ``fresh`` (which
    writes the new article and returns when the write ended), also ``fresh_s``."""
    command = [sys.executable, str(SERVING), "--questions", str(args.questions), "-n", str(n)]
    command += ["--profile"] if args.profile else []
    if fresh is not None:
        command += ["--fresh-id", FRESH_ID, "--fresh-question", FRESH_QUESTION]
    command += ["--spawned", repr(time.time())]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env={**os.environ, **env})
    figures: dict[str, Any] = {}
    written = 0.0
    assert proc.stdout is not None
    for line in proc.stdout:
        if not line.startswith(MARK):
            sys.stderr.write(line)
            continue
        message = json.loads(line[len(MARK) :])
        kind = message.pop("kind")
        if kind == "polling" and fresh is not None:
            written = fresh()
        elif kind == "fresh":
            found = message.pop("found_at")
            message["fresh_s"] = round(found - written, 3) if found is not None else None
        figures.update(message)
    if proc.wait() != 0:
        sys.exit(f"the serving process failed (exit {proc.returncode}); its error is above")
    return figures


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
    for i, start in enumerate(starts, 1):
        store.write(synthetic(source, start, min(step, size - start), last_day))
        if i == len(starts) or i % max(1, len(starts) // 10) == 0:
            done = min(start + step, size)
            note(f"  filled {done:,} / {size:,} chunks in {time.perf_counter() - t0:.0f} s")
    store.mark_ingested()
    return time.perf_counter() - t0


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


# -- printing -----------------------------------------------------------------------------------------

CALLS = (("dense", "reference: dense k=5"), ("search", "search"), ("filtered", "search, one month"))
CALLS += (("ask", "ask (offline)"),)


def _ms(value: float | None) -> str:
    return f"{value:9.1f}" if value is not None else f"{'-':>9}"


def _ratio(value: float | None, ref: float | None) -> str:
    return f"{value / ref:9.2f}" if value is not None and ref else f"{'-':>9}"


def _mb(value: float | None) -> str:
    return f"{value:,.0f} MB" if value is not None else "-"


def print_figures(f: dict[str, Any]) -> None:
    print(f"\n== {f['label']}: {f['chunks']:,} chunks, {f['questions']} questions ({f['where']})")
    print(f"{'':<24}{'p50 ms':>9}{'p95 ms':>9}{'p50/ref':>9}{'p95/ref':>9}")
    for key, title in CALLS:
        p50, p95 = f.get(f"{key}_p50_ms"), f.get(f"{key}_p95_ms")
        ref50, ref95 = f["dense_p50_ms"], f["dense_p95_ms"]
        print(f"{title:<24}{_ms(p50)}{_ms(p95)}{_ratio(p50, ref50)}{_ratio(p95, ref95)}")
    for line in _other_figures(f):
        print(line)
    if f.get("profile"):
        print_profile(f["profile"])
    if f.get("fill_profile"):
        print_write_profile(f["fill_profile"])


def _other_figures(f: dict[str, Any]) -> Iterator[str]:
    if f.get("filter"):
        share = f["filter_chunks"] / f["chunks"] if f["chunks"] else 0
        yield f"(one month: {f['filter'][0]} .. {f['filter'][1]}, {f['filter_chunks']:,} chunks, {share:.1%})"
    yield f"ready {f['ready_s']:.1f} s; serving process peak RSS {_mb(f['serving_peak_rss_mb'])}"
    if f.get("chroma_rss_mb") is not None:
        fill_peak = f.get("chroma_fill_peak_mb")
        yield (
            f"chroma run RSS {_mb(f['chroma_rss_mb'])} (peak {_mb(f['chroma_peak_mb'])}"
            + (f"; {_mb(fill_peak)} while filling)" if fill_peak else ")")
        )
    if f.get("chroma_first_query_s") is not None:
        yield f"first query after the server's restart {f['chroma_first_query_s']:.2f} s"
    if "fresh_s" in f and f["fresh_s"] is None:
        yield f"fresh: not found after {f['fresh_polls']} searches"
    elif "fresh_s" in f:
        when = (
            f"{f['fresh_s']:.2f} s after the write ended"
            if f["fresh_s"] >= 0
            else f"{-f['fresh_s']:.2f} s before the write call returned (visible once its record switched)"
        )
        yield (
            f"fresh: found {when} (by a search of "
            f"{f['fresh_search_ms']:.0f} ms; searches since polling began: {f['fresh_polls']})"
        )
    if f.get("fill_s"):
        yield f"filled in {f['fill_s']:.0f} s ({f['fill_s_per_1000']:.2f} s per 1,000 chunks)"
    if f.get("records"):
        counts = ", ".join(f"{name} {n:,}" for name, n in f["records"].items())
        yield f"records per collection: {counts} (articles: article, term and statistics records)"


def print_profile(profile: dict[str, Any]) -> None:
    labels = list(profile)
    print(f"{'call':<24}" + "".join(f"{label + ' p50 ms':>18}{'per question':>14}" for label in labels))
    for name in (*MODEL_CALLS, *STORE_CALLS, *NESTED_CALLS):
        cells = [profile[label].get(name) for label in labels]
        if any(cells):
            shown = "  " + name if name in NESTED_CALLS else name
            print(
                f"{shown:<24}"
                + "".join(
                    f"{c['p50_ms']:18.2f}{c['per_question']:14.2f}" if c else f"{'-':>18}{'':>14}"
                    for c in cells
                )
            )
    print(f"{'rest (mean)':<24}" + "".join(f"{profile[x]['rest']['mean_ms']:18.2f}{'':>14}" for x in labels))
    print(f"{'search total':<24}" + "".join(f"{profile[x]['total']['p50_ms']:18.2f}{'':>14}" for x in labels))
    print("(a store call's time includes its collection look-ups, listed indented under them)")


def print_write_profile(steps: dict[str, Any]) -> None:
    print(f"{'a write of the fill':<30}{'mean ms':>10}{'per write':>11}")
    for name, figures in steps.items():
        if isinstance(figures, dict):
            print(f"{name:<30}{figures['mean_ms']:10.1f}{figures['per_write']:11.2f}")
    first, last = steps["first_tenth_write_p50_ms"], steps["last_tenth_write_p50_ms"]
    print(f"a whole write, p50 over the first tenth of the fill {first:.0f} ms, over the last {last:.0f} ms")
    print("(add: StatsDelta.add, the statistics of the written chunks; _upsert: every upsert of records)")


def print_growth(rows: list[dict[str, Any]]) -> None:
    """p50/p95 of every call per scale, the ratios to the reference, and the growth from the first row."""
    print("\n== growth across sizes (p50 / p95 ms; x ref: to the dense query of the same size)")
    head = f"{'size':<12}{'chunks':>10}" + "".join(f"{key:>18}" for key, _ in CALLS)
    print(head + f"{'search x ref':>14}{'ready s':>9}{'fresh s':>9}{'serving MB':>12}{'chroma MB':>11}")
    for r in rows:
        cells = "".join(f"{_pair(r, key):>18}" for key, _ in CALLS)
        ratio = f"{r['search_p50_ms'] / r['dense_p50_ms']:.1f}/{r['search_p95_ms'] / r['dense_p95_ms']:.1f}"
        fresh = f"{r['fresh_s']:.2f}" if r.get("fresh_s") is not None else "-"
        print(
            f"{r['label']:<12}{r['chunks']:>10,}{cells}{ratio:>14}{r['ready_s']:>9.1f}{fresh:>9}"
            f"{r['serving_peak_rss_mb']:>12,.0f}{_mb(r.get('chroma_rss_mb')).removesuffix(' MB'):>11}"
        )
    base = rows[0]
    for r in rows[1:]:
        growth = ", ".join(
            f"{key} p50 x{r[f'{key}_p50_ms'] / base[f'{key}_p50_ms']:.2f}"
            for key, _ in CALLS
            if r.get(f"{key}_p50_ms") and base.get(f"{key}_p50_ms")
        )
        print(f"{r['label']} against {base['label']} ({r['chunks'] / base['chunks']:.0f}x chunks): {growth}")


def _pair(row: dict[str, Any], key: str) -> str:
    p50, p95 = row.get(f"{key}_p50_ms"), row.get(f"{key}_p95_ms")
    return f"{p50:.1f} / {p95:.1f}" if p50 is not None and p95 is not None else "-"


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
