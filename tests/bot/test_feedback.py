"""Feedback in SQLite, and ``newsbot feedback`` listing it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.cli import main
from bot.feedback import FeedbackStore


def record(store: FeedbackStore, key: str, user: int, vote: int) -> None:
    store.record(
        answer_key=key,
        user_id=user,
        chat_id=-5,
        vote=vote,
        question=f"question {key}",
        answer=f"answer {key} [1]",
        article_ids=["a-1", "b-2"],
    )


def test_votes_are_kept_one_per_user_and_answer(tmp_path: Path) -> None:
    store = FeedbackStore.under(tmp_path)
    assert store.entries() == []
    record(store, "k1", 1, 1)
    record(store, "k1", 2, -1)
    record(store, "k1", 1, -1)  # changed their mind
    entries = store.entries()
    assert [(e.answer_key, e.user_id, e.vote) for e in entries] == [("k1", 1, -1), ("k1", 2, -1)]
    assert entries[0].article_ids == ("a-1", "b-2") and entries[0].question == "question k1"
    assert (tmp_path / "feedback.sqlite3").exists()


def test_newsbot_feedback_lists_votes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feedback"]) == 0
    assert capsys.readouterr().out == "No feedback yet.\n"
    store = FeedbackStore.under(Path(os.environ["NEWSBOT_DATA_DIR"]))
    record(store, "k1", 1, 1)
    record(store, "k2", 2, -1)
    assert main(["feedback"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "👍  user 1  'question k1'  [a-1, b-2]" in lines[0]
    assert lines[-1] == "2 votes: 1 👍, 1 👎"
    assert main(["feedback", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(d["vote"], d["answer"], d["article_ids"]) for d in data] == [
        ("up", "answer k1 [1]", ["a-1", "b-2"]),
        ("down", "answer k2 [1]", ["a-1", "b-2"]),
    ]


def test_serve_needs_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve"]) == 2
    assert "TELEGRAM_BOT_TOKEN is not set" in capsys.readouterr().err
