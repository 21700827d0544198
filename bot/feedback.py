"""👍 / 👎 on answers, kept in SQLite under the data directory (``feedback.sqlite3``).

One row per answer and user: voting again changes the vote. Each row keeps what is needed to review the
answer later: the question, the answer text and the ids of the articles it cited.

Those are private (user ids, what they asked): the database is created readable by its owner only (0600),
and a database made wider before is tightened when opened; SQLite gives its ``-journal``, ``-wal`` and
``-shm`` files the database's permissions, and any found wider are tightened too. None of them is
opened through a symbolic link (one in their place is refused: it would make the bot write, or
tighten, whatever it points to).

On a full disk a vote cannot be recorded: :class:`StoreFull` says where (the bot's error handler tells
the user and the admin chat), the votes recorded before stay as they were (each write is one SQLite
transaction), and votes are recorded again once there is space.
"""

from __future__ import annotations

import errno
import json
import os
import sqlite3
import stat
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from retrieval.errors import StoreError, StoreFull
from retrieval.settings import make_private_dir
from retrieval.store.client import disk_full

FILE_NAME = "feedback.sqlite3"
PRIVATE = 0o600
SIDE_FILES = ("-journal", "-wal", "-shm")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    answer_key TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    chat_id INTEGER NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    article_ids TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (answer_key, user_id)
)
"""


@dataclass(frozen=True, slots=True)
class Feedback:
    answer_key: str
    user_id: int
    chat_id: int
    vote: int
    """+1 for 👍, -1 for 👎."""
    question: str
    answer: str
    article_ids: tuple[str, ...]
    at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "at": self.at,
            "vote": "up" if self.vote > 0 else "down",
            "user_id": self.user_id,
            "chat_id": self.chat_id,
            "question": self.question,
            "answer": self.answer,
            "article_ids": list(self.article_ids),
        }


class FeedbackStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def under(cls, data_dir: Path) -> FeedbackStore:
        return cls(data_dir / FILE_NAME)

    def _make_private(self) -> None:
        """Create the database file 0600 before SQLite does (it would use the umask, 0644), and tighten
        it and its side files if an earlier version left them wider: each opened without following a
        link and changed through that descriptor."""
        for path in (self.path, *(self.path.with_name(self.path.name + s) for s in SIDE_FILES)):
            create = os.O_CREAT if path == self.path else 0
            try:
                fd = os.open(
                    path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC | create, PRIVATE
                )
            except FileNotFoundError:
                continue
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    raise StoreError(f"{path} is a symbolic link: refused, votes are not recorded") from None
                raise
            try:
                if stat.S_IMODE(os.fstat(fd).st_mode) & ~PRIVATE:
                    os.fchmod(fd, PRIVATE)
            finally:
                os.close(fd)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            make_private_dir(self.path.parent)
            self._make_private()
            conn = sqlite3.connect(self.path, timeout=10)
            try:
                with conn:
                    conn.execute(_SCHEMA)
                    yield conn
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            if disk_full(exc):
                raise StoreFull(
                    f"the disk holding the feedback database {self.path} is full: votes are not recorded "
                    f"until there is space; free some there ({exc})"
                ) from exc
            raise

    def record(
        self,
        *,
        answer_key: str,
        user_id: int,
        chat_id: int,
        vote: int,
        question: str,
        answer: str,
        article_ids: Sequence[str],
    ) -> Feedback:
        entry = Feedback(
            answer_key=answer_key,
            user_id=user_id,
            chat_id=chat_id,
            vote=1 if vote > 0 else -1,
            question=question,
            answer=answer,
            article_ids=tuple(article_ids),
            at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO feedback VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (answer_key, user_id) DO UPDATE SET vote = excluded.vote, at = excluded.at",
                (
                    entry.answer_key,
                    entry.user_id,
                    entry.chat_id,
                    entry.vote,
                    entry.question,
                    entry.answer,
                    json.dumps(list(entry.article_ids), ensure_ascii=False),
                    entry.at,
                ),
            )
        return entry

    def entries(self) -> list[Feedback]:
        """Every vote, oldest first."""
        if not self.path.exists():
            return []
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT answer_key, user_id, chat_id, vote, question, answer, article_ids, at "
                "FROM feedback ORDER BY at, rowid"
            ).fetchall()
        return [
            Feedback(key, user, chat, vote, question, answer, tuple(json.loads(ids)), at)
            for key, user, chat, vote, question, answer, ids, at in rows
        ]
