"""Errors newsbot raises on purpose. Each message says what to do next.

    NewsbotError
    ├── ConfigError            a setting is missing or malformed
    ├── EmbeddingError         the embedding model cannot be loaded or used
    │   └── EmbeddingMismatch  the collection was built with another model
    ├── StoreError             the vector store misbehaves
    │   ├── StoreUnavailable   the store cannot be reached (server down, path unwritable)
    │   ├── StoreFull          the disk holding the store is full (the message names where)
    │   └── IngestLocked       another ingestion holds the collection
    └── AnswerError            the answering backend failed (callers fall back to the offline answer)

Library code raises these; the edges (CLI, bot error handler) turn them into one line for a person.
"""


class NewsbotError(Exception):
    """Base of every error newsbot raises on purpose."""


class ConfigError(NewsbotError):
    pass


class EmbeddingError(NewsbotError):
    pass


class EmbeddingMismatch(EmbeddingError):
    pass


class StoreError(NewsbotError):
    pass


class StoreUnavailable(StoreError):
    pass


class StoreFull(StoreError):
    pass


class IngestLocked(StoreError):
    pass


class AnswerError(NewsbotError):
    pass
