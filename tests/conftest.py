"""Shared fixtures: isolated settings, the real bundled model, a real Chroma server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "dev"
DEV_ARCHIVE = DEV / "archive"
SEED_DIR = SHARED / "seeds"
SAMPLE = REPO / "sample"


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's .env or writes to their data directory."""
    for key in list(os.environ):
        if key.startswith(("NEWSBOT_", "TELEGRAM_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def e5():  # type: ignore[no-untyped-def]
    """The real bundled multilingual-e5-small (loaded once per session)."""
    from retrieval.embeddings import E5Embeddings

    return E5Embeddings()


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real ``chroma run`` on a free loopback port; yields its URL."""
    from tests.support.chroma_server import ChromaServer

    server = ChromaServer(tmp_path_factory.mktemp("chroma-server") / "db").start()
    try:
        yield server.url
    finally:
        server.stop()
