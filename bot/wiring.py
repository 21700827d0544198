"""The composition root: build the store and the embeddings from settings (used by the CLI and the bot)."""

from __future__ import annotations

from retrieval.embeddings import NewsEmbeddings, make_embeddings
from retrieval.settings import Settings
from retrieval.store import ChunkStore


def open_store(settings: Settings) -> ChunkStore:
    return ChunkStore.open(settings.chroma_url, settings.data_dir / "chroma", settings.collection)


def load_embeddings(settings: Settings) -> NewsEmbeddings:
    return make_embeddings(settings.embedding)
