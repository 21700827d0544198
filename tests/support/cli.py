"""The ``newsbot`` command run in-process, as a user's shell would see it."""

from __future__ import annotations

import pytest

from bot.cli import main


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """``newsbot ARGV``: its exit status, stdout and stderr."""
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def one_line(stderr: str) -> str:
    """The one line ``stderr`` holds (the test fails when it holds more)."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]
