"""A deterministic bag-of-words embedding for tests where vectors are not the point (bookkeeping on
generated archives of a real archive's size: counts, ids, idempotency, crash safety). Retrieval quality
is tested with the real model."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

import numpy as np

from retrieval.embeddings import NewsEmbeddings

_WORD = re.compile(r"\w+")


class HashingEmbeddings(NewsEmbeddings):
    model_id = "test:hashing-64"
    dim = 64

    def __init__(self) -> None:
        self.passages_embedded = 0

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for word in _WORD.findall(text.lower()):
            v[
                int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "little") % self.dim
            ] += 1
        norm = float(np.linalg.norm(v))
        return v / norm if norm else v + 1.0 / np.sqrt(self.dim)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        self.passages_embedded += len(texts)
        return np.stack([self._vector(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_question(self, text: str) -> np.ndarray:
        return self._vector(text)
