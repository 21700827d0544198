"""A ``.env`` in the working directory changes what every command does: the command says it read one."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


def test_a_command_names_the_env_file_it_read_once_and_never_its_values(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["stats"]) == 0
    assert capsys.readouterr().err == ""  # no .env: not a word
    (tmp_path / ".env").write_text(
        "NEWSBOT_COLLECTION=elsewhere\n"
        "NEWSBOT_LLM_MODEL=somebody-elses-model\n"
        "NEWSBOT_DATA_DIR=/srv/somebody-elses\n",  # the environment sets it too (tests/conftest.py)
        encoding="utf-8",
    )
    assert main(["stats"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"newsbot: settings: read {tmp_path / '.env'}, which sets NEWSBOT_COLLECTION, NEWSBOT_LLM_MODEL"
    ]
    assert "elsewhere" not in err and "somebody" not in err
    assert "Articles: 0" in out
