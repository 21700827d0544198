"""A Chroma server that accepts a request and never answers (docs/soak.md, faults 2 and 3): every request
newsbot makes has a deadline (``NEWSBOT_CHROMA_TIMEOUT``), and one that meets it is "the store is
unavailable", naming the server, so that a round fails, is logged, and the next one tries again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from ingest.pipeline import Ingestion
from retrieval.embeddings import E5Embeddings
from retrieval.errors import StoreUnavailable
from retrieval.records import Article
from retrieval.store.chunks import ChunkStore
from retrieval.store.client import make_client
from tests.support.cli import one_line, run
from tests.support.stalling_gateway import SilentPort, StallingGateway, writes

pytestmark = pytest.mark.server


@pytest.fixture
def gateway(chroma_server: str) -> Iterator[StallingGateway]:
    with StallingGateway(chroma_server) as running:
        yield running


def test_a_server_that_accepts_and_never_answers_is_unavailable_at_the_deadline(tmp_path: Path) -> None:
    with SilentPort() as silent:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable) as raised:
            make_client(silent.url, tmp_path, timeout=1.0)
        waited = time.monotonic() - started

    assert str(raised.value) == (
        f"the Chroma server at {silent.url} did not answer within 1 s (NEWSBOT_CHROMA_TIMEOUT)"
    )
    assert waited < 10  # before the deadline there was no limit at all


def test_the_command_line_says_which_server_did_not_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with SilentPort() as silent:
        monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))
        monkeypatch.setenv("NEWSBOT_CHROMA_URL", silent.url)
        monkeypatch.setenv("NEWSBOT_CHROMA_TIMEOUT", "1.5")

        code, out, err = run(["stats"], capsys)

    assert (code, out) == (1, "")
    assert one_line(err) == (
        f"newsbot: error: the Chroma server at {silent.url} did not answer within 1.5 s "
        "(NEWSBOT_CHROMA_TIMEOUT)"
    )


def article(n: int) -> Article:
    return Article(
        id=f"wedge-{n}",
        title=f"Ледокол номер {n}",
        text=f"Ледокол номер {n} вышел в море в среду. Он проложит путь судам до весны.",
        date=date(2026, 12, 7),
        source="Test",
    )


def test_a_server_that_stops_answering_writes_fails_them_at_the_deadline_and_reads_go_on(
    gateway: StallingGateway, tmp_path: Path, e5: E5Embeddings
) -> None:
    store = ChunkStore.open(gateway.url, tmp_path, "wedged", timeout=2.0)
    ingest = Ingestion(store, e5, lock_dir=tmp_path / "locks")
    assert ingest.run_articles([article(1)], "test").added == 1

    gateway.stall(writes)  # as `chroma run` 1.5.9 after a full disk: reads answered, writes never
    started = time.monotonic()
    with pytest.raises(StoreUnavailable) as raised:
        ingest.run_articles([article(2)], "test")
    waited = time.monotonic() - started
    assert str(raised.value) == (
        f"the Chroma server at {gateway.url} did not answer within 2 s (NEWSBOT_CHROMA_TIMEOUT)"
    )
    assert gateway.stalled >= 1 and waited < 20
    assert store.versions(["wedge-1", "wedge-2"]).keys() == {"wedge-1"}  # reads are answered meanwhile

    gateway.stall(None)  # the server restarted: the next try goes through
    assert ingest.run_articles([article(2)], "test").added == 1
    assert store.versions(["wedge-1", "wedge-2"]).keys() == {"wedge-1", "wedge-2"}


def test_a_read_that_gets_no_answer_is_unavailable_too(gateway: StallingGateway, tmp_path: Path) -> None:
    store = ChunkStore.open(gateway.url, tmp_path, "silent", timeout=1.0)
    store.ensure("m", 2)
    gateway.stall()

    with pytest.raises(StoreUnavailable, match=r"did not answer within 1 s \(NEWSBOT_CHROMA_TIMEOUT\)$"):
        store.versions(["a1"])
