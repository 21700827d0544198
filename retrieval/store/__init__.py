"""The one place that sees Chroma. Callers hold a :class:`retrieval.store.chunks.ChunkStore`, whose
module lists the store's parts, one module a job; :mod:`retrieval.store.schema` names every collection
of an archive and the records each holds."""
