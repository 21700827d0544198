"""Getting or creating a collection, and how a collection of vectors is configured.

Every collection the store opens is opened here: without an embedding function (newsbot embeds its texts
itself) and, for collections of vectors (the chunks, the month index), in cosine space with an HNSW
search :data:`EF_SEARCH` wide. A collection created before that width was chosen is widened by
:func:`widen` (ingestion does it when it opens the archive:
:meth:`retrieval.store.collections.Collections.ensure`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chromadb.api import ClientAPI
from chromadb.api.collection_configuration import CreateCollectionConfiguration
from chromadb.api.models.Collection import Collection

EF_SEARCH = 400
"""How wide Chroma's HNSW search is (its ``ef_search``; Chroma's default is 100). On the dev store, over
300 English questions, the 50 nearest it returned held 93.1% of the exact 50 nearest at 100 (one
question only 68%), 98.0% at 200 and 99.7% at 400, for +0.7 ms a query (2.5 -> 3.2 ms); a narrow search
also made the pool differ from one process to the next."""


def open_collection(client: ClientAPI, name: str, **options: Any) -> Collection:
    """The collection ``name``, created (with ``options``) if it does not exist."""
    return client.get_or_create_collection(name, embedding_function=None, **options)


def vector_index() -> CreateCollectionConfiguration:
    """The configuration of a collection of vectors: cosine space, :data:`EF_SEARCH`."""
    return {"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}}


def search_width(configuration: Mapping[str, Any] | None) -> int | None:
    """A collection's HNSW ``ef_search`` as Chroma reports its configuration (None: not said)."""
    hnsw = (configuration or {}).get("hnsw") or {}
    width = hnsw.get("ef_search")
    return int(width) if width is not None else None


def widen(col: Collection) -> None:
    """Make a collection created with a narrower HNSW search (before :data:`EF_SEARCH`) search as wide."""
    if search_width(col.configuration_json) != EF_SEARCH:
        col.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})
