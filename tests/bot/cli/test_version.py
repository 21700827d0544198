"""``newsbot --version``: the version ``pyproject.toml`` gives the installed package, exit 0."""

from __future__ import annotations

import tomllib

import pytest

from tests.conftest import REPO
from tests.support.cli import run


def test_version_prints_the_projects_version(capsys: pytest.CaptureFixture[str]) -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    with pytest.raises(SystemExit) as stopped:
        run(["--version"], capsys)
    out, err = capsys.readouterr()
    assert stopped.value.code == 0
    assert (out, err) == (f"newsbot {project['version']}\n", "")
