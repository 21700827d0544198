"""What the bot keeps across restarts: its buttons' data, in python-telegram-bot's ``PicklePersistence``.

The buttons' records (:mod:`bot.keyboards`) live in PTB's callback data cache, an LRU of
``BUTTONS_KEPT`` keyboards; the persistence saves it every ``SAVE_INTERVAL`` seconds and when the bot
stops, and loads it when the bot starts, so a button pressed after a restart still works. Chat data
holds the conversations' threads (:mod:`bot.threads`, bounded per chat); ``bot_data`` holds the live
services and user data nothing, so neither is stored.

The file holds questions and answers people saw: the folder made for it (by default ``<data dir>/bot``)
is readable by its owner only, and a file found wider is tightened when the bot starts. Replicas
(several ``newsbot serve`` on one Chroma server) each keep their own file (two on one file would
overwrite each other's buttons).
"""

from __future__ import annotations

import logging
import pickle
import stat
from pathlib import Path
from typing import Any

from telegram.ext import PersistenceInput, PicklePersistence

log = logging.getLogger("newsbot.bot")

BUTTONS_KEPT = 2000
"""Keyboards the cache holds (one per answer or search shown; a vote or page turn replaces its own).
The oldest are forgotten first, and pressing one says the answer is too old. Pickled, an answer with
its cited passages takes 2-5 KB, a search's pages ~14 KB (at most 4 pages of 4,096 characters, ~35 KB):
the file stays within tens of MB, rewritten at most once per ``SAVE_INTERVAL``."""
SAVE_INTERVAL = 60.0
"""Seconds between saves (a crash loses at most this much); also saved when the bot stops."""
PRIVATE_DIR, PRIVATE_FILE = 0o700, 0o600


def _set_aside_if_unreadable(path: Path) -> None:
    """A file PTB could not load (cut short by a hard kill mid-write: PTB writes it in place) would stop
    the bot from starting; it is renamed ``*.unreadable`` and the bot starts without it (old buttons
    then say they are too old, conversations start afresh)."""
    if not path.exists():
        return
    try:
        with path.open("rb") as f:
            pickle.load(f)
    except Exception as exc:  # any unpickling failure: truncated, garbage, a class that is gone
        aside = path.with_name(path.name + ".unreadable")
        path.replace(aside)
        log.warning("the bot's saved state %s could not be read (%s); set aside as %s", path, exc, aside)


def bot_persistence(path: Path) -> PicklePersistence[Any, Any, Any]:
    """The persistence for ``Application.builder().persistence(…)``, saving to ``path``."""
    path.parent.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    if path.exists() and stat.S_IMODE(path.stat().st_mode) & ~PRIVATE_FILE:
        path.chmod(PRIVATE_FILE)
    _set_aside_if_unreadable(path)
    return PicklePersistence(
        path,
        store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=False, callback_data=True),
        update_interval=SAVE_INTERVAL,
    )
