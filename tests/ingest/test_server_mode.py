"""The same ingestion against a real ``chroma run`` server that the test starts on a free port."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.loaders import load_paths
from ingest.pipeline import Ingestion
from retrieval.errors import StoreUnavailable
from retrieval.store.chunks import ChunkStore
from tests.conftest import SAMPLE
from tests.support.chroma_server import free_port
from tests.support.generate import write_archive
from tests.support.hashing import HashingEmbeddings
from tests.support.records import chunk_records

pytestmark = pytest.mark.server


def test_ingest_into_server_is_idempotent_and_matches_embedded(chroma_server: str, tmp_path: Path) -> None:
    archive = write_archive(tmp_path / "archive", 120)
    paths = [archive.root, SAMPLE]
    remote = ChunkStore.open(chroma_server, tmp_path / "unused", "server-test")
    embedded = ChunkStore.open(None, tmp_path / "embedded", "server-test")
    first = Ingestion(remote, HashingEmbeddings(), lock_dir=tmp_path / "locks").run(paths)
    Ingestion(embedded, HashingEmbeddings(), lock_dir=tmp_path / "locks").run(paths)
    expected = len(archive.articles) + len(load_paths([SAMPLE]).articles)
    assert first.added == len(embedded.articles()) == expected
    assert remote.articles() == embedded.articles()
    assert chunk_records(remote) == chunk_records(embedded) == first.chunks_written

    again = Ingestion(remote, HashingEmbeddings(), lock_dir=tmp_path / "locks").run(paths)
    assert (again.added, again.updated, again.chunks_written) == (0, 0, 0)

    # another client (another process, another machine) sees the same archive and its generation
    other = ChunkStore.open(chroma_server, tmp_path / "elsewhere", "server-test")
    assert other.stats().articles == len(embedded.articles())
    assert other.generation() == remote.generation() > 0
    _cid, chunk = next(iter(embedded.visible_chunks()))
    hits = other.nearest(HashingEmbeddings().embed_passages([chunk.text])[0], 3)
    assert hits[0].chunk == chunk
    assert hits[0].similarity == pytest.approx(1.0, abs=1e-4)


def test_server_lease_refuses_a_second_ingestion(chroma_server: str, tmp_path: Path) -> None:
    from ingest.locking import Lease

    store = ChunkStore.open(chroma_server, tmp_path, "lease-test")
    store.ensure("test:hashing-64", 64)
    elsewhere = Lease(store)
    elsewhere.host = "another-machine"  # a live run on another host sharing the server
    elsewhere.take()
    with pytest.raises(Exception, match="another ingestion into collection 'lease-test'"):
        Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run([SAMPLE])
    elsewhere.release()
    assert Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run([SAMPLE]).added > 0


def test_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreUnavailable, match="cannot be reached"):
        store = ChunkStore.open(f"http://127.0.0.1:{free_port()}", tmp_path, "news")
        store.articles()
