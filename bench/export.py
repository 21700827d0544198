"""How long a search's CSV export takes (``newsbot search --csv``, the bot's 📎), against a plain search.

    NEWSBOT_DATA_DIR=/work/devstore python bench/export.py [--runs 3] [QUERY ...]

For each query, in one process with the model loaded and warmed: a plain 10-result search (what
``newsbot search -k 10`` asks), then the export of 100 and of 1,000 rows as the command writes it
(:func:`bot.search_export.exporting`, :func:`~bot.search_export.search_rows`, the CSV text): the best
wall time of ``--runs`` with the CPU seconds of that run (all threads; on a loaded machine the wall time
waits for the cores, the CPU time much less), the rows written and the ratio to the plain search. Each
export also reads the archive's figures for its new searcher (one small read), as every export does.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.present.csv_export import SEARCH_COLUMNS, csv_text  # noqa: E402
from bot.search_export import exporting, search_rows  # noqa: E402
from bot.wiring import build_answerer, load_embeddings  # noqa: E402
from retrieval.answer.answerer import Answerer  # noqa: E402
from retrieval.embeddings import NewsEmbeddings  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402

QUERIES = ("Путин", "экономика России", "football transfer", "ключевая ставка ЦБ")
LIMITS = (100, 1000)


def best_of(runs: int, work: Callable[[], int]) -> tuple[float, float, int]:
    """The fastest of ``runs`` timings of ``work``: wall seconds, the process's CPU seconds in that run
    (every thread's: the store's reads run in Chroma's own), and what it returned."""
    best, cpu, result = float("inf"), 0.0, 0
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = work()
        took = time.perf_counter() - start
        if took < best:
            best, cpu = took, time.process_time() - start_cpu
    return best, cpu, result


def search(answerer: Answerer, query: str) -> int:
    """A plain search of 10 results, as ``newsbot search -k 10`` asks it; how many it found."""
    return len(answerer.search(query, 10).passages)


def export(answerer: Answerer, embeddings: NewsEmbeddings, query: str, limit: int) -> int:
    """The export as the command runs it: the rows written, as CSV text; how many."""
    exported = exporting(answerer, embeddings, limit)
    text = csv_text(SEARCH_COLUMNS, search_rows(exported, query, None, limit))
    return text.count("\r\n") - 1 if text else 0  # lines, less the header (a cell may hold \n only)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("queries", nargs="*", default=list(QUERIES), metavar="QUERY")
    parser.add_argument("--runs", type=int, default=3, help="timings per figure; the best is shown")
    args = parser.parse_args()
    settings = load_settings()
    embeddings = load_embeddings(settings)
    answerer = build_answerer(settings, embeddings=embeddings)
    answerer.search("warm up", 10)
    stats = answerer.stats()
    print(f"store {settings.data_dir}: {stats.articles} articles, {stats.chunks} chunks; best of {args.runs}")
    header = f"{'query':<20} {'search k=10 (cpu)':>17}"
    for limit in LIMITS:
        header += f" {f'export {limit} (cpu)':>19} {'rows':>5} {'ratio':>6}"
    print(header)
    for query in args.queries:
        plain, plain_cpu, _ = best_of(args.runs, partial(search, answerer, query))
        line = f"{query[:20]:<20} {plain:>9.2f}s ({plain_cpu:.2f}s)"
        for limit in LIMITS:
            took, cpu, rows = best_of(args.runs, partial(export, answerer, embeddings, query, limit))
            line += f" {took:>11.2f}s ({cpu:.2f}s) {rows:>5} {took / plain:>5.1f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
