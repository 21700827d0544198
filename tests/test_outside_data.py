"""The suite stands on its own: the guard that fails a test reading the data beside the repository."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, OutsideDataGuard, OutsideDataRead

BESIDE = REPO.parent / "shared"


def test_opening_a_file_beside_the_repository_is_refused_and_remembered(
    outside_data_guard: OutsideDataGuard,
) -> None:
    target = BESIDE / "eval" / "dev" / "questions.jsonl"
    with pytest.raises(OutsideDataRead, match=r"tests\.support\.generate"):
        target.read_text(encoding="utf-8")
    with pytest.raises(OutsideDataRead):
        os.listdir(BESIDE / "seeds")  # noqa: PTH208 - the call a folder walk makes
    assert outside_data_guard.seen == [str(target), str(BESIDE / "seeds")]
    outside_data_guard.seen.clear()  # this test meant it


def test_a_caught_refusal_still_fails_the_test(outside_data_guard: OutsideDataGuard) -> None:
    with contextlib.suppress(Exception):  # as careless code would: swallow it and carry on
        (BESIDE / "eval" / "dev" / "archive" / "xquad.jsonl").read_text(encoding="utf-8")
    assert outside_data_guard.seen  # the autouse fixture fails the test on this
    outside_data_guard.seen.clear()


def test_a_relative_path_from_inside_the_repository_is_seen_through(
    outside_data_guard: OutsideDataGuard, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO / "tests")
    with pytest.raises(OutsideDataRead):
        Path("../../shared/seeds/000.txt").read_bytes()
    with pytest.raises(OutsideDataRead):
        subprocess.run([sys.executable, "-c", "pass", "../shared/eval"], cwd=REPO, check=False)
    assert len(outside_data_guard.seen) == 2
    outside_data_guard.seen.clear()


def test_the_repository_and_look_alike_names_are_allowed(tmp_path: Path) -> None:
    assert (REPO / "sample" / "news.jsonl").read_text(encoding="utf-8")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "notes.txt").write_text("ours", encoding="utf-8")
    assert (tmp_path / "shared" / "notes.txt").read_text(encoding="utf-8") == "ours"
    with pytest.raises(FileNotFoundError):
        (REPO.parent / "shared-notes.txt").read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "pass", str(REPO / "sample")], check=True)
    assert done.returncode == 0
