"""The serving side of ``bench/query.py``: one process that answers questions from the store and times it.

    python bench/serving.py --spawned EPOCH --questions FILE -n 50 [--profile]
                            [--fresh-id ID --fresh-question TEXT]

``bench/query.py`` starts it (it is not meant to be run by hand); the store comes from the settings in
the environment (``NEWSBOT_CHROMA_URL``, ``NEWSBOT_COLLECTION``, ``NEWSBOT_DATA_DIR``), as for the bot.
It reports on stdout in lines ``bench: <json>``:

1. ``figures``: ``ready_s`` (from ``--spawned``, the parent's clock when it started this process, to the
   first answered question: imports, model load, first search), p50/p95 of a dense Chroma query (k=5,
   the reference), ``search``, ``search`` filtered to the archive's busiest calendar month, ``ask``
   (offline), ``who`` (``newsbot who``'s report on one of the archive's 50 most named entities, in
   turn) and ``entities`` (the 20 most named of the whole archive), each question through all of them
   in turn, the peak RSS, and with ``--profile`` the p50 of each store call a search makes;
2. with ``--fresh-id``: ``polling``, then it searches ``--fresh-question`` until the article
   ``--fresh-id`` (which the parent writes once it reads ``polling``) is the top result, and reports
   ``fresh`` with the wall-clock time it was found.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import os
import random
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.wiring import build_answerer  # noqa: E402
from retrieval.answer.answerer import Answerer  # noqa: E402
from retrieval.entities.reading import most_named_in, who_in  # noqa: E402
from retrieval.entities.who import Window  # noqa: E402
from retrieval.evaluation import load_questions, percentile  # noqa: E402
from retrieval.records import SearchFilters, day_from_number  # noqa: E402
from retrieval.search.operators import OperatorError, as_prose, parse_operators  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from retrieval.store.statistics import ArchiveStats  # noqa: E402

MARK = "bench: "
STORE_CALLS = (
    "nearest",
    "keyed",
    "vectors",
    "chunks",
    "document_frequencies",
    "article_infos",
    "stories_of",
    "generation",
    "archive_stats",
)
"""The store calls a search makes (each timed whole, with its own collection look-up)..."""
NESTED_CALLS = ("collections.chunks", "collections.articles", "collections.postings")
"""...and the collection look-ups inside them (``get_collection``: one round trip each on a server)."""
MODEL_CALLS = ("embed_question", "sparse_query")


def sample_questions(path: Path, n: int) -> list[str]:
    """A fixed random sample of ``n`` questions (the same ``n`` gives the same questions in every run),
    each as ``ask`` searches it (a question whose quotes cannot be read as operators, as prose)."""
    questions = [readable(q.question) for q in load_questions(path)]
    random.Random(0).shuffle(questions)
    return questions[:n]


def readable(question: str) -> str:
    try:
        parse_operators(question)
    except OperatorError:
        return as_prose(question)
    return question


def peak_rss_mb() -> float:
    """This process's peak resident memory (``VmHWM``). Not ``getrusage``'s ``ru_maxrss``: Linux carries
    that across ``exec``, so a process started by a large one reports the parent's peak (the bench's
    serving process reported 1.4 GB at 1M chunks, the filling parent's size; its own peak was ~250 MB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key == "VmHWM":
            return int(value.split()[0]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # no /proc: the best there is


def timed(fn: Callable[[str], object], items: Iterable[str]) -> list[float]:
    out = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def busiest_month(stats: ArchiveStats) -> SearchFilters | None:
    """The calendar month inside the archive's date range with the most chunks, as a date filter."""
    months: dict[tuple[int, int], int] = defaultdict(int)
    for day, n in stats.days.items():
        d = day_from_number(day)
        months[(d.year, d.month)] += n
    if not months:
        return None
    year, month = max(months, key=lambda m: (months[m], m))
    first = date(year, month, 1)
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return SearchFilters(since=first, until=last)


def measure(answerer: Answerer, questions: list[str], filters: SearchFilters | None) -> dict[str, Any]:
    """p50/p95 of the dense reference, ``search``, filtered ``search``, ``ask``, ``who`` and
    ``entities``, in ms. They run in turn for each question, so that a busy spell of the machine weighs
    on all of them alike (``who`` asks for the next of the most named names at each turn)."""
    store, emb = answerer.store, answerer.searcher.embeddings
    named = [c.name for c in most_named_in(store, Window(), limit=50)]
    turn = iter(range(len(questions) * 2))
    calls: dict[str, Callable[[str], object]] = {
        "dense": lambda q: store.nearest(emb.embed_question(q), 5),
        "search": lambda q: answerer.search(q, 5),
        "filtered": lambda q: answerer.search(q, 5, filters),
        "ask": answerer.ask,
        "who": lambda q: who_in(store, named[next(turn) % len(named)], Window()),
        "entities": lambda q: most_named_in(store, Window(), limit=20),
    }
    if filters is None:
        del calls["filtered"]
    if not named:  # an archive filed before entities were
        del calls["who"], calls["entities"]
    answerer.ask(questions[0])
    runs: dict[str, list[float]] = defaultdict(list)
    for question in questions:
        for name, call in calls.items():
            runs[name] += timed(call, [question])
    return {
        f"{name}_p{p}_ms": round(percentile(runs[name], p), 2) if runs[name] else None
        for name in ("dense", "search", "filtered", "ask", "who", "entities")
        for p in (50, 95)
    }


@contextlib.contextmanager
def clocked(targets: Iterable[tuple[object, str]]) -> Iterator[dict[str, list[float]]]:
    """Time every call of these methods (``(object or class, name)``; a dotted name reaches through
    attributes: ``(store, "collections.chunks")``) while inside, in ms by name."""
    calls: dict[str, list[float]] = defaultdict(list)
    saved = []
    for target, name in targets:
        *path, attr = name.split(".")
        obj = functools.reduce(getattr, path, target)
        saved.append((obj, attr, vars(obj).get(attr)))
        setattr(obj, attr, _timing(getattr(obj, attr), calls[name]))
    try:
        yield calls
    finally:
        for obj, name, original in saved:
            if original is None:
                delattr(obj, name)
            else:
                setattr(obj, name, original)


def _timing(fn: Callable[..., Any], into: list[float]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def call(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            into.append((time.perf_counter() - t0) * 1000)

    return call


def profile(answerer: Answerer, questions: list[str], filters: SearchFilters | None) -> dict[str, Any]:
    """Per call a search makes: its p50 in ms and how many times a question makes it (one pass of
    ``search``, and one of filtered ``search``). ``rest`` is what the searcher spends outside the store
    and the model (rescoring, passages)."""
    store, emb = answerer.store, answerer.searcher.embeddings
    targets = [(store, n) for n in STORE_CALLS + NESTED_CALLS] + [(emb, n) for n in MODEL_CALLS]
    out: dict[str, Any] = {}
    for label, chosen in (("search", None), ("filtered", filters)):
        if label == "search" or chosen is not None:
            with clocked(targets) as calls:
                total = timed(lambda q, f=chosen: answerer.search(q, 5, f), questions)
            out[label] = _summary(calls, total, len(questions))
    return out


def _summary(calls: dict[str, list[float]], total: list[float], n: int) -> dict[str, Any]:
    figures = {
        name: {"p50_ms": round(percentile(ms, 50), 2), "per_question": round(len(ms) / n, 2)}
        for name, ms in calls.items()
        if ms
    }
    outer = sum(sum(calls[name]) for name in STORE_CALLS + MODEL_CALLS) / n
    figures["rest"] = {"mean_ms": round(sum(total) / n - outer, 2)}
    figures["total"] = {"p50_ms": round(percentile(total, 50), 2)}
    return figures


def await_fresh(answerer: Answerer, question: str, article_id: str, timeout: float = 600.0) -> dict[str, Any]:
    """Search ``question`` until ``article_id`` comes first: the wall-clock time the finding search
    ended (None: never), how long it took (the resolution of the figure) and how many searches ran."""
    deadline, polls = time.monotonic() + timeout, 0
    while time.monotonic() < deadline:
        t0 = time.perf_counter()
        passages = answerer.search(question, 1).passages
        polls += 1
        if passages and passages[0].article_id == article_id:
            took = (time.perf_counter() - t0) * 1000
            return {"found_at": time.time(), "fresh_search_ms": round(took, 1), "fresh_polls": polls}
        time.sleep(0.01)
    return {"found_at": None, "fresh_polls": polls}


def report(kind: str, **figures: Any) -> None:
    print(MARK + json.dumps({"kind": kind, **figures}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--spawned", type=float, required=True, help="time.time() when started")
    parser.add_argument("--questions", type=Path, required=True)
    parser.add_argument("-n", type=int, default=50)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--fresh-id")
    parser.add_argument("--fresh-question")
    args = parser.parse_args()

    questions = sample_questions(args.questions, args.n)
    answerer = replace(build_answerer(load_settings()), llm=None)
    answerer.search(questions[0])
    ready_s = time.time() - args.spawned
    stats = answerer.searcher.stats()
    filters = busiest_month(stats)
    figures = measure(answerer, questions, filters)
    if args.profile:
        figures["profile"] = profile(answerer, questions, filters)
    report(
        "figures",
        chunks=stats.chunks,
        questions=len(questions),
        ready_s=round(ready_s, 2),
        filter=[str(filters.since), str(filters.until)] if filters else None,
        filter_chunks=stats.chunks_between(filters.since, filters.until) if filters else 0,
        serving_peak_rss_mb=round(peak_rss_mb(), 1),
        **figures,
    )
    if args.fresh_id and args.fresh_question:
        report("polling")
        found = await_fresh(answerer, args.fresh_question, args.fresh_id)
        report("fresh", **found, serving_peak_rss_mb=round(peak_rss_mb(), 1))


if __name__ == "__main__":
    main()
