"""``newsbot ingest`` and ``newsbot stats``."""

from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.arguments import command
from bot.cli.interrupt import cancel_on_ctrl_c
from bot.present.report import format_ingest_report, format_stats, stats_json
from retrieval.errors import ConfigError
from retrieval.settings import Settings

if TYPE_CHECKING:
    from ingest.pipeline import Progress

INGEST_EPILOG = """\
examples:
  newsbot ingest sample/                       a folder, recursively
  newsbot ingest news.jsonl more/ old.csv      several paths
  newsbot ingest --prune                       re-read NEWSBOT_ARCHIVE_DIR, drop articles gone from it
  newsbot ingest --rebuild archive/            start the collection afresh (e.g. after changing model)
  newsbot ingest --wait 0 news.jsonl           give up at once if another ingestion is running
  newsbot ingest texts/ --source "Пример-Новости"   the outlet of the articles that name none

Unchanged articles are skipped without embedding; changed ones are replaced. Bad input is reported per
file and line and the rest is ingested (exit status 0; with --strict, 1 when anything was skipped or
warned about). The summary counts the articles read without a date (date filters leave them out) or
without an outlet, and says how to give them one. Ctrl-C stops within seconds, leaving whole articles
only (exit status 1); running the same command again ingests the rest. Another ingestion into the
collection (a bot's feed round or channel posts, another `newsbot ingest`) is waited for, --wait seconds
at most (exit status 1 after that)."""


def register(sub: Any) -> None:
    ingest = command(
        sub,
        "ingest",
        help="chunk and embed articles into the store",
        epilog=INGEST_EPILOG,
        description="Ingest files or folders of articles (.txt .md .json .jsonl .csv .html).",
    )
    ingest.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: NEWSBOT_ARCHIVE_DIR)"
    )
    ingest.add_argument(
        "--prune",
        action="store_true",
        help="remove articles that came from these paths before but are gone now",
    )
    ingest.add_argument("--rebuild", action="store_true", help="drop the collection and ingest afresh")
    ingest.add_argument(
        "--strict",
        action="store_true",
        help="exit with status 1 if anything was skipped or warned about (e.g. a title cut, a bad date)",
    )
    ingest.add_argument(
        "--source",
        type=_outlet,
        metavar="NAME",
        help="the outlet of the articles that name none, e.g. a folder of plain text (an article's own "
        "outlet wins; give it each time the folder is ingested)",
    )
    ingest.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")
    ingest.add_argument(
        "--wait",
        type=_seconds,
        metavar="SECONDS",
        help="how long to wait for another ingestion holding the collection before giving up "
        "(default: NEWSBOT_INGEST_WAIT, 60; 0: give up at once)",
    )
    ingest.set_defaults(handler=run_ingest)

    stats = command(
        sub,
        "stats",
        help="what the archive holds",
        description="Articles, chunks, dates, sources, embedding model and store location.",
    )
    stats.add_argument("--json", action="store_true", help="machine-readable output")
    stats.set_defaults(handler=run_stats)


def _outlet(text: str) -> str:
    name = " ".join(text.split())
    if not name:
        raise argparse.ArgumentTypeError("give the outlet's name, e.g. --source Reuters")
    return name


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also NaN
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")
    return value


class _ProgressBar:
    """A tqdm bar over chunks to embed, with articles done in the postfix; only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar: Any = None

    def __call__(self, p: Progress) -> None:
        if not self.enabled or p.chunks_total == 0:
            return
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(
                total=p.chunks_total,
                unit="chunk",
                desc="Embedding",
                file=sys.stderr,
                dynamic_ncols=True,
                smoothing=0.1,
            )
        self.bar.update(p.chunks_done - self.bar.n)
        self.bar.set_postfix_str(f"articles {p.articles_done}/{p.articles_total}")

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def ingest_paths(args: argparse.Namespace, settings: Settings) -> list[str]:
    """The paths to ingest; a missing one is bad usage, found before anything touches the store."""
    if args.paths:
        missing = [p for p in args.paths if not Path(p).exists()]
        if missing:
            raise ConfigError(
                f"{', '.join(missing)}: no such file or directory (give files or folders to ingest)"
            )
        return list(args.paths)
    if settings.archive_dir is None:
        raise ConfigError("nothing to ingest: give a PATH or set NEWSBOT_ARCHIVE_DIR")
    if not settings.archive_dir.exists():
        raise ConfigError(f"NEWSBOT_ARCHIVE_DIR={str(settings.archive_dir)!r}: no such directory")
    return [str(settings.archive_dir)]


def _say_waiting(wait: float) -> Callable[[str], None]:
    def say(holder: str) -> None:
        print(f"newsbot: waiting up to {wait:g} s (--wait): {holder}", file=sys.stderr)

    return say


def run_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import build_ingestion, load_embeddings, open_store

    paths = ingest_paths(args, settings)
    store = open_store(settings)
    embeddings = load_embeddings(settings)
    bar = _ProgressBar(enabled=sys.stderr.isatty() and not args.no_progress)
    cancel = threading.Event()
    wait = settings.ingest_wait if args.wait is None else args.wait
    ingestion = build_ingestion(
        settings, store, embeddings, progress=bar, cancel=cancel, wait=wait, on_wait=_say_waiting(wait)
    )
    try:
        with cancel_on_ctrl_c(cancel):
            report = ingestion.run(paths, prune=args.prune, rebuild=args.rebuild, source=args.source)
    finally:
        bar.close()
    print(format_ingest_report(report))
    if report.cancelled:
        print(
            "newsbot: cancelled: what was written is whole articles; run the same command again to "
            "ingest the rest",
            file=sys.stderr,
        )
        return 1
    if args.strict and (report.skipped or report.warnings):
        return 1
    return 0


def run_stats(args: argparse.Namespace, settings: Settings) -> int:
    from bot.wiring import open_store

    stats = open_store(settings).stats()
    if args.json:
        print(json.dumps(stats_json(stats), ensure_ascii=False, indent=2))
    else:
        print(format_stats(stats))
    return 0
