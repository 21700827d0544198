"""The ``newsbot`` command run in-process, as a user's shell would see it."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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


def ingested(
    folder: Path, articles: Mapping[str, tuple[str, str, str]], capsys: pytest.CaptureFixture[str]
) -> Path:
    """``folder`` holding a text file per article (file name -> title, date, text), ingested by
    ``newsbot ingest``."""
    folder.mkdir()
    for name, (title, day, text) in articles.items():
        (folder / name).write_text(f"{title}\n{day}\n\n{text}\n", encoding="utf-8")
    code, _, err = run(["ingest", str(folder)], capsys)
    assert code == 0, err
    return folder
