"""``--csv`` on the commands that list results: the options, and the CSV written to stdout in UTF-8 as
its rows come (:mod:`bot.present.csv_export` writes it)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence

from bot.cli.arguments import positive
from bot.present.csv_export import Cell, csv_lines
from retrieval.errors import ConfigError

CSV_LIMIT = 1000
"""The rows ``--csv`` writes at most unless ``--limit`` says otherwise."""


def add_csv(parser: argparse.ArgumentParser, *, limit: bool = True) -> None:
    """``--csv``, and (unless the command has its own) ``--limit N``, the rows it writes at most."""
    parser.add_argument(
        "--csv", action="store_true", help="a UTF-8 CSV with a header: every result, up to --limit"
    )
    if limit:
        parser.add_argument(
            "--limit",
            type=positive,
            default=CSV_LIMIT,
            metavar="N",
            help=f"the rows --csv writes at most (default {CSV_LIMIT})",
        )


def wants_csv(args: argparse.Namespace) -> bool:
    """Whether the command is to write CSV (``--csv`` with ``--json`` is bad usage)."""
    if args.csv and getattr(args, "json", False):
        raise ConfigError("--csv and --json: give one of them")
    return bool(args.csv)


def print_csv(columns: Sequence[str], rows: Iterable[Sequence[Cell]]) -> None:
    """The header and the rows on stdout in UTF-8, each row written as it comes."""
    out = sys.stdout
    if hasattr(out, "reconfigure"):
        out.reconfigure(encoding="utf-8", newline="")
    for line in csv_lines(columns, rows):
        out.write(line)
    out.flush()
