"""What the bot keeps across restarts: its buttons' data and the conversations' threads, in a file that
cannot run code when it is read.

The buttons' records (:mod:`bot.telegram.keyboards`) live in PTB's callback data cache, an LRU of
``BUTTONS_KEPT`` keyboards; the persistence saves it every ``SAVE_INTERVAL`` seconds and when the bot
stops, and loads it when the bot starts, so a button pressed after a restart still works. Chat data
holds the conversations' threads (:mod:`bot.telegram.threads`, bounded per chat); ``bot_data`` holds the live
services and user data nothing, so neither is stored. Replicas (several ``newsbot serve`` on one Chroma
server) each keep their own file (two on one file would overwrite each other's buttons).

:class:`BotState` is PTB's ``PicklePersistence`` with its file handling replaced:

- **Reading** resolves only the classes on an allow-list (:data:`KEPT_TYPES`): the records the buttons
  and the threads are made of, found by following their fields' types from :data:`ROOTS`, and dates.
  A pickle names the functions it calls; one naming anything else (``os.system``, a builtin, any other
  class) is refused before it is called. The file must be a regular file of the bot's own user that
  nobody else may write, and is opened without following a symbolic link (an earlier version's file
  readable by others is narrowed to 0600). A file refused is set aside as ``<name>.refused``, one that
  cannot be read (cut short, garbage) as ``<name>.unreadable``, each with one warning naming why; the
  bot then starts without it (older buttons say they are too old, conversations start afresh).
- **Writing** puts each save in a new file beside the old one (created exclusively, never through a
  link, 0600), flushes it to the disk and renames it over the old one: the file is always one whole
  save, and a symbolic link planted in its place is replaced, not followed. A save that fails (a full
  disk) leaves the old file as it was and the state in memory; the first failure goes to the bot's
  error handler (one line in the log; a full disk also to the admin chat), and each round of the
  persistence (every ``SAVE_INTERVAL`` seconds) tries again until one succeeds. A stop while the disk
  is still full keeps the file of the last save and says so in one line (:meth:`BotState.flush`).

The folder made for the file (by default ``<data dir>/bot``) is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import logging
import os
import pickle
import secrets
import stat
import typing
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from telegram.ext import PersistenceInput, PicklePersistence
from telegram.ext._picklepersistence import _BotPickler, _BotUnpickler
from telegram.ext._utils.types import CDCData

from bot.telegram.keyboards import BUTTONS
from bot.telegram.threads import ChatThreads
from retrieval.errors import StoreFull, StoreUnavailable
from retrieval.settings import make_private_dir

log = logging.getLogger("newsbot.bot")

BUTTONS_KEPT = 2000
"""Keyboards the cache holds (one per answer or search shown; a vote or page turn replaces its own).
The oldest are forgotten first, and pressing one says the answer is too old. Pickled, an answer with
its cited passages takes 2-5 KB, a search's pages ~14 KB (at most 4 pages of 4,096 characters, ~35 KB):
the file stays within tens of MB, rewritten at most once per ``SAVE_INTERVAL``."""
SAVE_INTERVAL = 60.0
"""Seconds between saves (a crash loses at most this much); also saved when the bot stops."""
PRIVATE_FILE = 0o600

ROOTS: tuple[type, ...] = (*BUTTONS, ChatThreads)
"""What the file holds besides plain containers: the buttons' records and a chat's threads."""
VALUES: tuple[type, ...] = (date, datetime)
"""Classes outside the project that the records' fields may hold (they only carry a value)."""


def _classes_in(hint: Any) -> Iterator[type]:
    """The classes a type hint names (``dict[int, Said]``: int, Said; ``date | None``: date, NoneType)."""
    args = typing.get_args(hint)
    if args:
        for arg in args:
            yield from _classes_in(arg)
    elif isinstance(hint, type):
        yield hint


def kept_types(roots: tuple[type, ...] = ROOTS, values: tuple[type, ...] = VALUES) -> dict[str, type]:
    """``module.Name`` -> class for each class the file may hold: ``roots`` and the dataclasses their
    fields name, recursively, and the ``values`` among those fields. Derived, so a field added to a
    record is allowed with it; a field of another kind of class is not (its state would be refused)."""
    kept: dict[str, type] = {}
    todo = list(roots)
    while todo:
        cls = todo.pop()
        name = f"{cls.__module__}.{cls.__qualname__}"
        if name in kept:
            continue
        kept[name] = cls
        if dataclasses.is_dataclass(cls):
            hints = typing.get_type_hints(cls).values()
            todo.extend(
                c for h in hints for c in _classes_in(h) if dataclasses.is_dataclass(c) or c in values
            )
    return kept


KEPT_TYPES = kept_types()
MOVED = {
    "bot.keyboards": "bot.telegram.keyboards",
    "bot.threads": "bot.telegram.threads",
    "bot.render": "bot.present.pages",
}
"""Where kept classes lived before ``bot/`` was laid out in folders: a file saved by a bot of then still
loads (its buttons keep working, its conversations go on)."""


class RefusedType(pickle.UnpicklingError):
    """The file names a class or function that is not on :data:`KEPT_TYPES`."""


class _StateUnpickler(_BotUnpickler):
    """PTB's unpickler (it puts the running bot back where the file marks it), resolving only
    :data:`KEPT_TYPES`: the file cannot name a function to call, or a class with code of its own."""

    def find_class(self, module: str, name: str) -> Any:
        kept = KEPT_TYPES.get(f"{MOVED.get(module, module)}.{name}")
        if kept is None:
            raise RefusedType(f"{module}.{name}")
        return kept


def _refusal(info: os.stat_result) -> str | None:
    """Why a file with this status is not read, or None."""
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_uid != os.geteuid():
        return f"belongs to another user (uid {info.st_uid})"
    if info.st_mode & 0o022:
        return f"can be written by other users (mode {stat.S_IMODE(info.st_mode):04o})"
    return None


def _well_formed(data: Any) -> bool:
    """Whether unpickled ``data`` has the shape PTB saved and loads (a file of kept types may not):
    chat id -> dict, and the buttons' cache as (keyboards of (id, time, buttons), pressed buttons)."""
    if not isinstance(data, dict):
        return False
    chat_data, callback_data = data.get("chat_data") or {}, data.get("callback_data")
    if not isinstance(chat_data, dict) or not all(isinstance(v, dict) for v in chat_data.values()):
        return False
    if callback_data is None:
        return True
    if not (isinstance(callback_data, tuple | list) and len(callback_data) == 2):
        return False
    keyboards, pressed = callback_data
    return (
        isinstance(keyboards, list)
        and isinstance(pressed, dict)
        and all(
            isinstance(k, tuple | list)
            and len(k) == 3
            and isinstance(k[0], str)
            and isinstance(k[1], int | float)
            and isinstance(k[2], dict)
            for k in keyboards
        )
    )


class BotState(PicklePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's ``PicklePersistence`` reading only :data:`KEPT_TYPES` from a file nobody else may write,
    and writing a whole new private file for each save (see the module's docstring)."""

    __slots__ = ("_loaded", "_stopping", "_unsaved")

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            store_data=PersistenceInput(bot_data=False, chat_data=True, user_data=False, callback_data=True),
            update_interval=SAVE_INTERVAL,
        )
        self._loaded = False
        self._unsaved: str | None = None
        """Why the last save failed (the state in memory is newer than the file); None once saved."""
        self._stopping = False

    # -- reading ------------------------------------------------------------------------------------

    def _load_singlefile(self) -> None:
        """Load once (PTB calls this for each kind of data it does not hold yet)."""
        if self._loaded:
            return
        self._loaded = True
        self._remove_leftovers()
        data = self._read() or {}
        self.user_data = data.get("user_data") or {}
        self.chat_data = data.get("chat_data") or {}
        self.bot_data = self.context_types.bot_data()
        self.callback_data = data.get("callback_data")
        self.conversations = data.get("conversations") or {}

    def _read(self) -> dict[str, Any] | None:
        """The saved state, or None when there is none or it is refused or unreadable (then set aside)."""
        path = self.filepath
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except FileNotFoundError:
            return None
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._set_aside("refused", "is a symbolic link")
            else:
                log.warning(
                    "the bot's saved state %s cannot be opened (%s); the bot starts without it", path, exc
                )
            return None
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(fd)
            why = _refusal(info)
            if why is not None:
                self._set_aside("refused", why)
                return None
            if stat.S_IMODE(info.st_mode) & ~PRIVATE_FILE:
                os.fchmod(fd, PRIVATE_FILE)  # readable by others: an earlier version wrote it so
            try:
                data = _StateUnpickler(self.bot, file).load()
            except RefusedType as exc:
                self._set_aside("refused", f"names {exc}, which the bot never saves")
                return None
            except Exception as exc:  # any unpickling failure: truncated, garbage, a class that is gone
                self._set_aside("unreadable", f"could not be read ({type(exc).__name__}: {exc})")
                return None
        if not _well_formed(data):
            self._set_aside("unreadable", "does not hold what the bot saves")
            return None
        return typing.cast(dict[str, Any], data)

    def _set_aside(self, suffix: str, why: str) -> None:
        """Rename the file (the entry itself: a link, not what it points to) to ``<name>.<suffix>``."""
        path = self.filepath
        aside = path.with_name(f"{path.name}.{suffix}")
        try:
            path.replace(aside)
        except OSError as exc:
            log.warning(
                "the bot's saved state %s %s: not read, and not set aside (%s); the bot starts without it",
                path,
                why,
                exc,
            )
            return
        log.warning(
            "the bot's saved state %s %s: set aside as %s; the bot starts without it", path, why, aside
        )

    def _remove_leftovers(self) -> None:
        """Temporary files of saves cut short by a hard kill."""
        for leftover in self.filepath.parent.glob(f".{self.filepath.name}.*.tmp"):
            with contextlib.suppress(OSError):
                leftover.unlink()

    # -- writing ------------------------------------------------------------------------------------

    def _dump_singlefile(self) -> None:
        data = {
            "conversations": self.conversations,
            "user_data": self.user_data,
            "chat_data": self.chat_data,
            "bot_data": self.bot_data,
            "callback_data": self.callback_data,
        }
        try:
            self._write(data)
        except OSError as exc:
            failing, self._unsaved = self._unsaved, f"{exc.strerror or exc}"
            if failing is not None or self._stopping:  # said when it began, or by flush
                log.debug("the bot's state is still not saved: %s", exc)
                return
            raise self._save_error(exc) from exc
        if self._unsaved is not None:
            log.info("the bot's state is saved again to %s", self.filepath)
        self._unsaved = None

    def _write(self, data: object) -> None:
        """Write ``data`` to a new private file beside the state file and rename it over that."""
        path = self.filepath
        make_private_dir(path.parent)
        temp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temp, flags, PRIVATE_FILE)
        try:
            with os.fdopen(fd, "wb") as file:
                _BotPickler(self.bot, file, protocol=pickle.HIGHEST_PROTOCOL).dump(data)
                file.flush()
                os.fsync(file.fileno())
            temp.replace(path)
        except BaseException:
            with contextlib.suppress(OSError):
                temp.unlink()
            raise
        with contextlib.suppress(OSError):  # the rename itself on the disk
            folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)

    def _save_error(self, exc: OSError) -> StoreFull | StoreUnavailable:
        kept = (
            f"buttons and conversations are kept in memory, and saving is tried every {SAVE_INTERVAL:.0f} s"
        )
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return StoreFull(
                f"the disk holding the bot's state {self.filepath} is full ({exc.strerror}): free some "
                f"space there ({kept})"
            )
        return StoreUnavailable(f"the bot's state cannot be saved to {self.filepath} ({exc}): {kept}")

    async def update_callback_data(self, data: CDCData) -> None:
        """Save changed buttons; PTB calls this each round, so a save that failed is tried again here."""
        await super().update_callback_data(data)
        if self._unsaved is not None:
            self._dump_singlefile()

    def stopping(self) -> None:
        """The bot is stopping (its connection to Telegram closes before the last saves): a save that
        fails from now on is said by :meth:`flush`, in the log, not through the error handler."""
        self._stopping = True

    async def flush(self) -> None:
        """The save when the bot stops: never an error at exit; if it fails, the log says what the file
        still holds."""
        with contextlib.suppress(StoreFull, StoreUnavailable):
            await super().flush()
        if self._unsaved is not None:
            log.warning(
                "the bot's state could not be saved when stopping (%s); %s keeps the state saved before",
                self._unsaved,
                self.filepath,
            )


def bot_persistence(path: Path) -> BotState:
    """The persistence for ``Application.builder().persistence(…)``, saving to ``path``."""
    make_private_dir(path.parent)
    return BotState(path)
