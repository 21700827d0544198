"""A disk cache in front of the configured embeddings, for benchmarks that ingest the same texts again.

Embedding rules ingestion's cost (the dev archive takes about 17 minutes on two cores); a benchmark that
re-ingests it after a change to the store or the chunk layout needs the same vectors again. The cache is
an SQLite file keyed by the model and a hash of the text; a miss is embedded by the real model.

    python bench/embedding_cache.py ../shared/eval/dev/archive          # ingest through the cache
    NEWSBOT_DATA_DIR=/tmp/dev python bench/embedding_cache.py --rebuild ../shared/eval/dev/archive
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sqlite3
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from retrieval.embeddings import NewsEmbeddings  # noqa: E402
from retrieval.records import SparseVector  # noqa: E402

DEFAULT_CACHE = Path.home() / ".cache" / "newsbot-bench" / "embeddings.sqlite"


class CachedEmbeddings(NewsEmbeddings):
    """``inner``'s passages and questions, each text embedded once per model and kept on disk."""

    def __init__(self, inner: NewsEmbeddings, path: Path = DEFAULT_CACHE) -> None:
        self.inner = inner
        self.model_id, self.dim, self.sparse_dim = inner.model_id, inner.dim, inner.sparse_dim
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS v (key TEXT PRIMARY KEY, dense BLOB, idx BLOB, val BLOB)"
        )
        self._lock = threading.Lock()

    def _key(self, kind: str, text: str) -> str:
        return hashlib.sha1(f"{self.model_id}\0{kind}\0{text}".encode()).hexdigest()

    def _rows(self, kind: str, texts: Sequence[str]) -> list[tuple[bytes, bytes, bytes]]:
        keys = [self._key(kind, t) for t in texts]
        with self._lock:
            found: dict[str, tuple[bytes, bytes, bytes]] = {}
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                marks = ",".join("?" * len(part))
                for key, dense, idx, val in self._db.execute(
                    f"SELECT key, dense, idx, val FROM v WHERE key IN ({marks})", part
                ):
                    found[key] = (dense, idx, val)
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            todo = [texts[i] for i in missing]
            if kind == "passage":
                dense = self.inner.embed_passages(todo)
            else:
                dense = np.stack([self.inner.embed_question(t) for t in todo])
            if self.sparse_dim:
                sparse = (
                    self.inner.sparse_passages(todo)
                    if kind == "passage"
                    else [self.inner.sparse_query(t) for t in todo]
                )
            else:
                sparse = [SparseVector(np.zeros(0, np.int32), np.zeros(0, np.float32))] * len(todo)
            rows = []
            for i, d, s in zip(missing, dense, sparse, strict=True):
                row = (
                    np.asarray(d, np.float32).tobytes(),
                    np.asarray(s.indices, np.int32).tobytes(),
                    np.asarray(s.values, np.float32).tobytes(),
                )
                found[keys[i]] = row
                rows.append((keys[i], *row))
            with self._lock:
                self._db.executemany("INSERT OR REPLACE INTO v VALUES (?, ?, ?, ?)", rows)
                self._db.commit()
        return [found[k] for k in keys]

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([np.frombuffer(r[0], np.float32) for r in self._rows("passage", texts)])

    def embed_question(self, text: str) -> np.ndarray:
        return np.frombuffer(self._rows("query", [text])[0][0], np.float32).copy()

    def sparse_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        return [_sparse(r) for r in self._rows("passage", texts)]

    def sparse_query(self, text: str) -> SparseVector:
        return _sparse(self._rows("query", [text])[0])


def _sparse(row: tuple[bytes, bytes, bytes]) -> SparseVector:
    return SparseVector(np.frombuffer(row[1], np.int32).copy(), np.frombuffer(row[2], np.float32).copy())


def main() -> None:
    from bot.wiring import load_embeddings, open_store
    from ingest.loaders import ArticleLimits
    from ingest.pipeline import Ingestion
    from retrieval.settings import load_settings

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    args = parser.parse_args()
    settings = load_settings()
    embeddings = CachedEmbeddings(load_embeddings(settings), args.cache)
    store = open_store(settings)
    limits = ArticleLimits.from_settings(settings)
    report = Ingestion(store, embeddings, lock_dir=settings.data_dir / "locks", limits=limits).run(
        args.paths, rebuild=args.rebuild
    )
    print(
        f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, "
        f"chunks {report.chunks_written}, {report.seconds:.0f} s, skipped {len(report.skipped)}"
    )


if __name__ == "__main__":
    main()
