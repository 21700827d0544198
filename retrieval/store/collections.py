"""Opening an archive's collections and keeping them; the chunk collection's metadata: the embedding model
and layout the archive was written with, and its generation.

:mod:`retrieval.store.schema` names the collections and says what each holds; :class:`Collections` is
the one object of a store that gets or creates them (:func:`~retrieval.store.opening.open_collection`),
and every part of the store, the feed list and the follows ask it for them.

- A collection object is fetched once and kept (each fetch is a round trip to a server). Every read of
  the chunk collection's metadata (:meth:`Collections.metadata`, :meth:`~Collections.generation`: once
  per question) fetches it afresh, and when its id has changed (another process rebuilt the archive) the
  kept objects are dropped.
- Only :meth:`Collections.ensure` creates the chunk collection, for one embedding model, and refuses an
  archive written with another model or layout; the other collections are created on first use.
- The generation is bumped on every change to the archive (:meth:`Collections.bump_generation`): a
  process compares it to tell that what it read of the archive (its figures) is stale.
- The collections beside the archive (the feeds, the follows) are created on first use and kept apart:
  a rebuild, which drops the archive's, keeps them. Their own metadata holds the leases that are not
  ingestion's (:class:`CollectionMetadata`).
"""

from __future__ import annotations

import contextlib
from typing import Any

from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.errors import NotFoundError

from retrieval.errors import EmbeddingMismatch, StoreError
from retrieval.store.client import check_name, translate_errors
from retrieval.store.entities import EntityIndex
from retrieval.store.months import Months
from retrieval.store.opening import open_collection, vector_index, widen
from retrieval.store.postings import Postings
from retrieval.store.schema import (
    META_DIM,
    META_EMBEDDING,
    META_GENERATION,
    META_MONTHS,
    META_SCHEMA,
    SCHEMA,
    articles_collection,
    chunks_collection,
    entities_collection,
    feeds_collection,
    follows_collection,
    keys_collection,
)


class Collections:
    """The collections of the archive ``name`` through ``client`` (``location`` names where they are, in
    messages); ``month_index``: whether an archive this object creates keeps a month index."""

    def __init__(self, client: ClientAPI, name: str, *, location: str, month_index: bool) -> None:
        check_name(name)
        self.client = client
        self.name = name
        """The archive's name, from which :mod:`~retrieval.store.schema` names its collections."""
        self.chunks_name = chunks_collection(name)
        self.location = location
        self.month_index = month_index
        self.kept: dict[str, Collection] = {}
        """The archive's collection objects fetched, by name (the month index keeps its own here too)."""
        self.beside: dict[str, Collection] = {}
        """The objects of the collections beside the archive (feeds, follows), by name."""

    # -- opening -----------------------------------------------------------------------------------

    @translate_errors
    def fetch_chunks(self) -> Collection | None:
        """The chunk collection fetched afresh (None: it does not exist); the kept collections are
        dropped when it is not the one kept (the archive was deleted or rebuilt)."""
        try:
            col = self.client.get_collection(self.chunks_name, embedding_function=None)
        except (NotFoundError, ValueError):
            self.kept.clear()
            return None
        kept = self.kept.get(self.chunks_name)
        if kept is not None and kept.id != col.id:
            self.kept.clear()
        self.kept[self.chunks_name] = col
        return col

    def chunks(self, create_for: tuple[str, int] | None = None) -> Collection | None:
        """The chunk collection, kept or fetched (None: it does not exist); created for ``create_for``
        (model id, dimension) when given."""
        kept = self.kept.get(self.chunks_name)
        if kept is not None:
            return kept
        col = self.fetch_chunks()
        if col is not None or create_for is None:
            return col
        model_id, dim = create_for
        col = self._create(
            self.chunks_name,
            configuration=vector_index(),
            metadata={
                META_EMBEDDING: model_id,
                META_DIM: dim,
                META_SCHEMA: SCHEMA,
                META_GENERATION: 0,
                META_MONTHS: self.month_index,
            },
        )
        self.kept[self.chunks_name] = col
        return col

    def live_chunks(self) -> Collection:
        """The chunk collection, which must exist."""
        col = self.chunks()
        if col is None:
            raise StoreError(f"collection {self.chunks_name!r} does not exist; call ensure() first")
        return col

    def articles(self) -> Collection:
        """The ``-articles`` collection (created on first use)."""
        return self._kept(articles_collection(self.name))

    def postings(self) -> Postings:
        """The name index, over the ``-keys`` collection (created on first use)."""
        return Postings(self._kept(keys_collection(self.name)), self.batch())

    def entities(self) -> EntityIndex:
        """The entity index, over the ``-entities`` collection (created on first use)."""
        return EntityIndex(self._kept(entities_collection(self.name)), self.batch())

    def months(self) -> Months:
        """The month index's collections."""
        return Months(self.client, self.name, self.batch(), self.kept)

    def feeds(self) -> Collection:
        """The ``-feeds`` collection beside the archive (created on first use)."""
        return self._beside(feeds_collection(self.name))

    def follows(self) -> Collection:
        """The ``-follows`` collection beside the archive (created on first use)."""
        return self._beside(follows_collection(self.name))

    def feeds_metadata(self) -> CollectionMetadata:
        """The ``-feeds`` collection's own metadata (where the feed poller's lease lives)."""
        return CollectionMetadata(self.client, feeds_collection(self.name))

    def follows_metadata(self) -> CollectionMetadata:
        """The ``-follows`` collection's own metadata (where the alert senders' leases live)."""
        return CollectionMetadata(self.client, follows_collection(self.name))

    def has_months(self, col: Collection) -> bool:
        """Whether the archive keeps a month index (every archive created since it exists does)."""
        return bool((col.metadata or {}).get(META_MONTHS))

    def batch(self) -> int:
        """The most records Chroma takes in one write."""
        return max(1, self.client.get_max_batch_size())

    def _kept(self, name: str) -> Collection:
        col = self.kept.get(name)
        if col is None:
            col = self.kept[name] = self._create(name)
        return col

    def _beside(self, name: str) -> Collection:
        col = self.beside.get(name)
        if col is None:
            col = self.beside[name] = self._create(name)
        return col

    @translate_errors
    def _create(self, name: str, **options: Any) -> Collection:
        return open_collection(self.client, name, **options)

    @translate_errors
    def drop(self) -> None:
        """Delete the archive's collections (``--rebuild``)."""
        self.months().drop()
        self.kept.clear()
        archive = (self.chunks_name, articles_collection(self.name), keys_collection(self.name))
        for name in (*archive, entities_collection(self.name)):
            with contextlib.suppress(NotFoundError, ValueError):
                self.client.delete_collection(name)

    # -- the chunk collection's metadata -----------------------------------------------------------

    def exists(self) -> bool:
        return self.chunks() is not None

    def metadata(self) -> dict[str, Any]:
        """The chunk collection's metadata, read afresh."""
        col = self.fetch_chunks()
        return dict(col.metadata or {}) if col is not None else {}

    def embedding_model(self) -> str | None:
        value = self.metadata().get(META_EMBEDDING)
        return str(value) if value else None

    def generation(self) -> int:
        """Bumped on every change to the archive: a cheap way for caches to notice other writers."""
        return int(self.metadata().get(META_GENERATION, 0))

    def ensure(self, model_id: str, dim: int) -> None:
        """Create the collection for ``model_id`` if needed; refuse one made with another model. The
        collections created with a narrower HNSW search (before :data:`EF_SEARCH`) are widened."""
        col = self.chunks(create_for=(model_id, dim))
        self.check_model(model_id)
        if col is None:
            return
        widen(col)
        if self.has_months(col):
            self.months().widen()

    def check_model(self, model_id: str) -> None:
        """Refuse an archive written with another embedding model than ``model_id``, or another layout
        than :data:`~retrieval.store.schema.SCHEMA` (:class:`EmbeddingMismatch`, saying how to rebuild)."""
        meta = self.metadata()
        stored = meta.get(META_EMBEDDING)
        if stored is not None and stored != model_id:
            raise EmbeddingMismatch(
                f"collection {self.name!r} at {self.location} was built with the embedding model "
                f"{stored!r}, but the configured model is {model_id!r}. Either set NEWSBOT_EMBEDDING "
                f"back to the model it was built with, or rebuild it with the new model: "
                f"newsbot ingest --rebuild PATH"
            )
        if stored is not None and int(meta.get(META_SCHEMA, 1)) != SCHEMA:
            raise EmbeddingMismatch(
                f"collection {self.name!r} at {self.location} was written by an older newsbot (store "
                f"layout {meta.get(META_SCHEMA, 1)}, now {SCHEMA}); rebuild it: "
                "newsbot ingest --rebuild PATH"
            )

    @translate_errors
    def update_metadata(self, **values: Any) -> None:
        """Merge ``values`` into the chunk collection's metadata (nothing when it does not exist)."""
        col = self.fetch_chunks()
        if col is None:
            return
        merged = dict(col.metadata or {})
        merged.update(values)
        col.modify(metadata=merged)

    def bump_generation(self, **extra: Any) -> None:
        """Mark a change to the archive (with ``extra`` metadata merged in the same update)."""
        self.update_metadata(**{META_GENERATION: self.generation() + 1, **extra})


class CollectionMetadata:
    """The metadata of the collection ``name`` (created on first use), read afresh and updated by merge:
    where a lease that is not ingestion's lives (the feed poller's with the feeds, the alerts' with the
    follows: :meth:`Collections.feeds_metadata`, :meth:`Collections.follows_metadata`), so that its
    heartbeats never race with the chunk collection's generation bumps. Each call opens the collection
    afresh: a kept object's metadata is the one it was fetched with."""

    def __init__(self, client: ClientAPI, name: str) -> None:
        self.client = client
        self.name = name

    @translate_errors
    def metadata(self) -> dict[str, Any]:
        return dict(open_collection(self.client, self.name).metadata or {})

    @translate_errors
    def update_metadata(self, **values: Any) -> None:
        col = open_collection(self.client, self.name)
        col.modify(metadata={**(col.metadata or {}), **values})
