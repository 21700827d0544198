"""``newsbot serve`` (the Telegram bot) and ``newsbot feedback`` (the 👍 / 👎 it collected)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from bot.cli.arguments import command
from retrieval.settings import ENV_FILE, Settings, env_file

if TYPE_CHECKING:
    from bot.feedback import Feedback

SERVE_EPILOG = """\
examples:
  TELEGRAM_BOT_TOKEN=123456:ABC... newsbot serve          long polling Telegram's Bot API
  NEWSBOT_WEBHOOK_URL=https://bot.example.org/tg newsbot serve    a webhook instead
  TELEGRAM_API_BASE_URL=http://127.0.0.1:8081/bot newsbot serve   a self-hosted Bot API server

Admins (NEWSBOT_ADMIN_IDS) may /reingest, /cancel and send documents to ingest. See .env.example."""

FEEDBACK_EPILOG = """\
examples:
  newsbot feedback                 one line per vote, oldest first
  newsbot feedback --json          with the full answers and cited article ids"""


def register(sub: Any) -> None:
    serve = command(
        sub,
        "serve",
        help="run the Telegram bot",
        description="Answer questions in Telegram until interrupted (Ctrl-C).",
        epilog=SERVE_EPILOG,
    )
    serve.set_defaults(handler=run_serve, logs_env_file=True)  # its log names the .env (log_env_file)

    feedback = command(
        sub, "feedback", help="the 👍 / 👎 people gave the bot's answers", epilog=FEEDBACK_EPILOG
    )
    feedback.add_argument("--json", action="store_true", help="machine-readable output")
    feedback.set_defaults(handler=run_feedback)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.telegram.app import run  # python-telegram-bot is imported only by the command that needs it

    logging.getLogger("newsbot").setLevel(min(logging.getLogger().level, logging.INFO))
    log_env_file()
    run(settings)
    leave(0)


def leave(status: int) -> NoReturn:
    """End the process once the bot has stopped (its state saved, its log written) without Python's
    teardown: work the stop left running (an ingestion inside the model's native code, whose threads
    Python does not see) can crash the teardown, and the bot would exit by a segfault instead of 0."""
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def log_env_file() -> None:
    """Say which ``.env`` the settings came from, and the variables it set (never their values): a stray
    one in the working directory can point the bot at another store, LLM or token."""
    log = logging.getLogger("newsbot.settings")
    found = env_file()
    if found is None:
        log.info("settings: from the environment (no %s in %s)", ENV_FILE, Path.cwd())
        return
    applied = [n for n in found.names if n not in found.overridden]
    log.info("settings: read %s, which sets %s", found.path, ", ".join(applied) or "nothing")
    if found.overridden:
        log.info("settings: the environment overrides %s from %s", ", ".join(found.overridden), found.path)


def _line(entry: Feedback) -> str:
    vote = "👍" if entry.vote > 0 else "👎"
    question = " ".join(entry.question.split())
    cited = ", ".join(entry.article_ids) or "no citations"
    return f"{entry.at}  {vote}  user {entry.user_id}  {question!r}  [{cited}]"


def run_feedback(args: argparse.Namespace, settings: Settings) -> int:
    from bot.feedback import FeedbackStore

    entries = FeedbackStore.under(Path(settings.data_dir)).entries()
    if args.json:
        print(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2))
    elif not entries:
        print("No feedback yet.")
    else:
        print("\n".join(_line(e) for e in entries))
        up = sum(1 for e in entries if e.vote > 0)
        print(f"{len(entries)} votes: {up} 👍, {len(entries) - up} 👎")
    return 0
