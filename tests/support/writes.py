"""Articles written straight to the store (no loader, no chunker), for tests of the store's bookkeeping."""

from __future__ import annotations

from retrieval.embeddings import NewsEmbeddings
from retrieval.records import ArticleInfo, Chunk
from retrieval.store.chunks import ArticleWrite


def one_chunk(info: ArticleInfo, text: str, embeddings: NewsEmbeddings) -> ArticleWrite:
    """``info``'s article as a write of one chunk holding ``text``, embedded by ``embeddings``."""
    chunk = Chunk(info.id, 0, text, 0, len(text), info.title, info.date, None, info.source)
    return ArticleWrite(info, [chunk], embeddings.embed_passages([text]))
