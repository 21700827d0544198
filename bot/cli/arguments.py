"""What the commands' parsers share: a command with its examples, and the filters ``search``, ``ask`` and
``timeline`` take (``--since``, ``--until``, ``--source``), read against the archive's outlets."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from retrieval.errors import ConfigError
from retrieval.records import SearchFilters
from retrieval.search.filters import FilterError, build_filters

LABELS = ("--since ", "--until ")
"""How the command line names the date filters in messages."""


def command(
    sub: Any, name: str, *, help: str, epilog: str | None = None, description: str | None = None
) -> argparse.ArgumentParser:
    """The parser of command ``name``; its ``epilog`` (examples, notes) is shown as written."""
    shape: dict[str, Any] = {"help": help, "description": description}
    if epilog is not None:
        shape |= {"epilog": epilog, "formatter_class": argparse.RawDescriptionHelpFormatter}
    parser: argparse.ArgumentParser = sub.add_parser(name, **shape)
    return parser


def add_filters(parser: argparse.ArgumentParser) -> None:
    """``--since DATE``, ``--until DATE`` and ``--source OUTLET`` (repeated)."""
    parser.add_argument(
        "--since", metavar="DATE", help="only articles from this day on (2026-01-06, 06.01.2026, …)"
    )
    parser.add_argument("--until", metavar="DATE", help="only articles up to this day")
    parser.add_argument(
        "--source", action="append", default=[], metavar="OUTLET", help="only this outlet (repeat)"
    )


def add_who(parser: argparse.ArgumentParser) -> None:
    """``--who NAME``: only the articles that name that person, organisation or place (any form)."""
    parser.add_argument(
        "--who",
        metavar="NAME",
        default="",
        help="only articles that name this person, organisation or place, in any form (Путина, Putin)",
    )


def parse_filters(args: argparse.Namespace, known_sources: tuple[str, ...]) -> SearchFilters:
    """The filters given, against the outlets the archive holds; a mistake is bad usage (ConfigError)."""
    try:
        return build_filters(
            args.since,
            args.until,
            args.source or (),
            known_sources,
            today=date.today(),
            labels=LABELS,
            who=getattr(args, "who", ""),
        )
    except FilterError as exc:
        raise ConfigError(str(exc)) from exc


def positive(text: str) -> int:
    """A count of 1 or more, as an option gives it (``--limit``)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return n
