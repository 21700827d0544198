"""Chroma's failures become the project's errors: while a generator is iterated too, and a full disk
says so and where."""

from __future__ import annotations

import errno
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection
from chromadb.errors import InternalError

from ingest.pipeline import Ingestion
from retrieval.errors import StoreError, StoreFull
from retrieval.store.chunks import ChunkStore
from retrieval.store.client import translate_errors
from tests.support.hashing import HashingEmbeddings

COMPACTION = "Error in compaction: Failed to apply logs to the metadata segment"
BACKFILL = (
    "Error executing plan: Error sending backfill request to compactor: Failed to apply logs to the "
    "metadata segment"
)


class Pages:
    """A store-like object whose reads are generators that fail after their first page."""

    def __init__(self, location: str, error: Exception) -> None:
        self.location = location
        self.error = error
        self.read: list[int] = []

    @translate_errors
    def rows(self) -> Iterator[int]:
        for page in range(3):
            if page == 1:
                raise self.error
            self.read.append(page)
            yield page


def test_a_chroma_error_while_a_generator_is_iterated_becomes_a_store_error() -> None:
    pages = Pages("/srv/newsbot/chroma", InternalError("Error executing plan: segment reader closed"))
    rows = pages.rows()
    assert next(rows) == 0  # the first page arrives; the failure comes while iterating, not at the call
    with pytest.raises(StoreError, match="the vector store refused the request: Error executing plan") as e:
        next(rows)
    assert isinstance(e.value.__cause__, InternalError)


@pytest.mark.parametrize(
    "error",
    [
        InternalError(COMPACTION),
        InternalError(BACKFILL),
        OSError(errno.ENOSPC, "No space left on device"),
        InternalError("Query error: Database error: (code: 13) database or disk is full"),
    ],
)
def test_a_full_disk_names_the_store(error: Exception, tmp_path: Path) -> None:
    with pytest.raises(StoreFull) as e:
        list(Pages(str(tmp_path / "chroma"), error).rows())
    message = str(e.value)
    assert message.startswith(f"the disk holding the store {tmp_path / 'chroma'} is full (")
    assert " free): free some space there" in message


def test_a_full_server_disk_names_the_server() -> None:
    server = Pages("http://127.0.0.1:8000", InternalError(COMPACTION))
    with pytest.raises(StoreFull, match=r"^the Chroma server at http://127.0.0.1:8000 cannot write: its"):
        list(server.rows())


def test_errors_that_are_not_the_stores_pass_unchanged() -> None:
    with pytest.raises(KeyError):
        list(Pages("/srv/newsbot/chroma", KeyError("bug")).rows())
    with pytest.raises(OSError) as e:  # another OSError: not a full disk, not translated here
        list(Pages("/srv/newsbot/chroma", OSError(errno.EACCES, "Permission denied")).rows())
    assert not isinstance(e.value, StoreError)


def test_reading_a_full_store_whole_says_the_disk_is_full(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "archive"
    archive.mkdir()
    record = {"id": "a", "title": "Морозы", "text": "В Москве ожидаются морозы до минус 25 градусов."}
    (archive / "a.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    store = ChunkStore.open(None, tmp_path / "chroma", "news")
    Ingestion(store, HashingEmbeddings(), lock_dir=tmp_path / "locks").run([archive])
    original = Collection.get
    calls = {"n": 0}

    def get(self: Collection, *args: Any, **kwargs: Any) -> Any:
        if "documents" in kwargs.get("include", ()):  # a page of chunks, read after the article records
            calls["n"] += 1
            raise InternalError(BACKFILL)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "get", get)
    with pytest.raises(StoreFull, match=f"the disk holding the store {tmp_path / 'chroma'} is full"):
        list(store.visible_chunks())
    assert calls["n"] == 1
