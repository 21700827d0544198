"""The ``newsbot`` command: one entry for ingestion, search, answers, evaluation and the Telegram bot.

The composition root at the edge: it reads settings, builds the parts, and turns errors into one clear
line on stderr and an exit status (0 ok, 1 failed, 2 bad usage or configuration). One module per group
of commands: :mod:`~bot.cli.store` (ingest, stats), :mod:`~bot.cli.answers` (search, ask, eval),
:mod:`~bot.cli.timeline`, :mod:`~bot.cli.entities` (who, entities), :mod:`~bot.cli.serve` (serve,
feedback), :mod:`~bot.cli.feeds` (feeds, watch). Each imports Telegram, matplotlib, Chroma and the
model only inside the command that needs them, so ``newsbot --help`` and every ``newsbot COMMAND --help``
load none of them.
"""

from __future__ import annotations

import argparse
import errno
import logging
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version

from pydantic import ValidationError

from bot.cli import answers, entities, feeds, serve, store, story, timeline
from retrieval.errors import ConfigError, NewsbotError
from retrieval.search.filters import FilterError
from retrieval.settings import Settings, describe_error, env_file, load_settings

Handler = Callable[[argparse.Namespace, Settings], int]

EPILOG = """\
examples:
  newsbot ingest sample/                     ingest the bundled sample archive
  newsbot ask "who represents the US in Paris?"
  newsbot stats --json
settings come from the environment and .env (see .env.example)."""

REQUIRED_TEXT = {
    "question": 'give a question, e.g. newsbot ask "who represents the US in Paris?"',
    "query": 'give words to look for, e.g. newsbot search "key rate"',
    "words": "give words to count, e.g. newsbot timeline Уиткофф",
    "name": "give a name, e.g. newsbot who Путин",
    "article": 'give an article id or words, e.g. newsbot story "Уиткофф Париж"',
}
"""Positional texts that must not be blank, and what to tell a person who left one empty."""
GROUPS = (store, answers, timeline, entities, story, serve, feeds)
"""The modules of the commands, in the order ``newsbot --help`` lists them."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Ask questions of a news archive; answers cite their sources.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more logging (-vv for debug)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {installed_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for group in GROUPS:
        group.register(sub)
    return parser


def installed_version() -> str:
    """newsbot's version, as its package metadata (``pyproject.toml``, once installed) gives it."""
    try:
        return version("newsbot")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "(version unknown: not installed)"


def commands() -> list[str]:
    """The name of every command (``newsbot COMMAND``), sorted."""
    sub = argparse.ArgumentParser().add_subparsers()
    for group in GROUPS:
        group.register(sub)
    return sorted(sub.choices)


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    for noisy in ("httpx", "chromadb", "urllib3", "bm25s"):
        logging.getLogger(noisy).setLevel(max(level, logging.WARNING))


def blank_text(args: argparse.Namespace) -> str | None:
    """What to give instead, when a command's question or query is empty or only whitespace."""
    for dest, hint in REQUIRED_TEXT.items():
        value = getattr(args, dest, None)
        if isinstance(value, str) and not value.strip():
            return f"the {dest} is empty: {hint}"
    return None


def full_disk_line(exc: OSError) -> str:
    """What to say when a file outside the store (a lock, feedback, an upload) finds the disk full."""
    where = f" holding {exc.filename}" if exc.filename else ""
    return f"the disk{where} is full ({exc.strerror or exc}): free some space there, then try again"


def note_env_file() -> None:
    """One line on stderr when settings come from a ``.env`` in the working directory: which file, and
    the variables it sets (never their values). A stray one can point a command at another store."""
    found = env_file()
    if found is None:
        return
    applied = (
        ", ".join(n for n in found.names if n not in found.overridden) or "nothing the environment lacks"
    )
    print(f"newsbot: settings: read {found.path}, which sets {applied}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """``newsbot ARGV``: the exit status. A reader that stops reading (``newsbot search … | head -1``)
    ends the command quietly, with status 0: what it did not read is not an error."""
    try:
        try:
            return _run(argv)
        finally:
            sys.stdout.flush()  # what is still buffered meets a closed pipe here, not at interpreter exit
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own last flush too
        return 0


def _run(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    blank = blank_text(args)
    if blank:
        print(f"newsbot {args.command}: error: {blank}", file=sys.stderr)
        return 2
    _configure_logging(args.verbose)
    if not getattr(args, "logs_env_file", False):
        note_env_file()
    try:
        settings = load_settings()
    except ValidationError as exc:
        print(f"newsbot: error: {describe_error(exc)}", file=sys.stderr)
        return 2
    handler: Handler = args.handler
    try:
        return handler(args, settings)
    except ConfigError as exc:
        print(f"newsbot: error: {exc}", file=sys.stderr)
        return 2
    except FilterError as exc:  # a query's operators or who: name that cannot be applied
        print(f"newsbot: error: {exc}", file=sys.stderr)
        return 2
    except NewsbotError as exc:
        logging.getLogger("newsbot").debug("failed", exc_info=True)
        print(f"newsbot: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            raise
        logging.getLogger("newsbot").debug("failed", exc_info=True)
        print(f"newsbot: error: {full_disk_line(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("newsbot: interrupted", file=sys.stderr)
        return 130
