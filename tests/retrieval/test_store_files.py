"""What someone who can write the store's folder can do through Chroma's own files (docs/threat-model.md).

Chroma's embedded store keeps a pickle beside each vector index (``index_metadata.pickle``). Python's
``pickle.load`` of a crafted one runs code; chromadb 1.x reads it in Rust (serde-pickle), which builds
plain values and calls nothing. This pins that: should a Chroma upgrade read it with Python's pickle
again, whoever can write the data dir would get code execution in every newsbot process.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.api.shared_system_client import SharedSystemClient

SYNCED = 3000
"""Records enough for Chroma to write the index (and its pickle) to disk (its sync threshold is 1000)."""


class RunsACommand:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_a_crafted_index_pickle_in_the_store_runs_nothing(tmp_path: Path) -> None:
    folder, marker = tmp_path / "chroma", tmp_path / "ran"
    client = chromadb.PersistentClient(path=str(folder))
    collection = client.get_or_create_collection("crafted")
    for start in range(0, SYNCED, 1000):
        ids = [str(i) for i in range(start, start + 1000)]
        vectors = np.array([[float(i), 1.0] for i in range(start, start + 1000)], dtype=np.float32)
        collection.upsert(ids=ids, embeddings=list(vectors))
    del collection, client
    pickles = list(folder.glob("*/index_metadata.pickle"))
    assert pickles, "Chroma wrote no index pickle: this test no longer looks where it should"
    for path in pickles:
        path.write_bytes(pickle.dumps(RunsACommand(marker)))

    SharedSystemClient.clear_system_cache()  # open the folder afresh, as a new process would
    reopened = chromadb.PersistentClient(path=str(folder)).get_collection("crafted")
    with pytest.raises(Exception, match="pickle"):  # the index cannot be read: refused, not obeyed
        reopened.query(query_embeddings=vectors[:1], n_results=2)
    assert not marker.exists()
