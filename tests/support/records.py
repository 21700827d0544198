"""What the store holds as Chroma itself counts it, visible or not: for tests of the store's bookkeeping
(a write or a sweep leaves no chunk of an old version behind)."""

from __future__ import annotations

from chromadb.errors import NotFoundError

from retrieval.store.chunks import ChunkStore


def chunk_records(store: ChunkStore) -> int:
    """How many records the archive's chunk collection (named as the archive) holds; 0 when there is
    none."""
    try:
        return store.client.get_collection(store.name).count()
    except (NotFoundError, ValueError):
        return 0
