"""A reader that stops reading (``newsbot search … | head -1``) ends the command quietly, with status 0
and no traceback: the pipe is closed before the command writes a word, so every write meets it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO


def closed_pipe(argv: list[str], data_dir: Path) -> tuple[int, str]:
    """``newsbot ARGV`` writing into a pipe whose reader has gone: its status and stderr."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "NEWSBOT_DATA_DIR": str(data_dir)}
    child = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", *argv], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    err = child.stderr.read().decode()
    return child.wait(timeout=300), err


@pytest.mark.parametrize(
    "argv",
    [["search", "ключевая ставка", "-k", "10"], ["stats"], ["stats", "--json"], ["feeds", "list"]],
)
def test_a_closed_pipe_ends_the_command_quietly(argv: list[str], sample_data_dir: Path) -> None:
    code, err = closed_pipe(argv, sample_data_dir)
    assert (code, err) == (0, "")
