"""Chroma clients, and Chroma's failures translated into the project's errors (one table)."""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import errno
import functools
import inspect
import re
import shutil
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ParamSpec, TypeVar, cast
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import DEFAULT_DATABASE, DEFAULT_TENANT
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import AuthorizationError, ChromaAuthError, ChromaError, NotFoundError

from retrieval.errors import ConfigError, StoreError, StoreFull, StoreUnavailable
from retrieval.settings import COLLECTION_NAME_RULE, make_private_dir, valid_collection_name
from retrieval.store.shapes import placeholders

P = ParamSpec("P")
R = TypeVar("R")

_DISK_FULL = re.compile(
    r"error in compaction|failed to apply logs|no space left|database or disk is full", re.IGNORECASE
)
"""How a full disk shows through Chroma: its compactor cannot apply the write-ahead log to the segments
("Error in compaction: Failed to apply logs to the metadata segment", later reads: "Error sending
backfill request to compactor: Failed to apply logs…"), SQLite's own message, or the OS's ENOSPC."""


def translate_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Chroma's and the HTTP client's failures become :class:`StoreError` and its kinds.

    A generator function's errors are translated while it is iterated, not only when it is called (a
    plain wrapper would cover only the creation of the generator). On a method of an object with a
    ``location`` (the store: its path or server), a full disk is reported with that location.
    """
    if inspect.isgeneratorfunction(fn):

        @functools.wraps(fn)
        def generator(*args: P.args, **kwargs: P.kwargs) -> Iterator[object]:
            try:
                yield from cast(Iterator[object], fn(*args, **kwargs))
            except Exception as exc:
                translated = translate_error(exc, _location(args))
                if translated is None:
                    raise
                raise translated from exc

        return cast(Callable[P, R], generator)

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except Exception as exc:
            translated = translate_error(exc, _location(args))
            if translated is None:
                raise
            raise translated from exc

    return wrapper


def translate_error(exc: Exception, location: str | None = None) -> StoreError | None:
    """The project's error for one of Chroma's (or the HTTP client's, or the disk's); ``None`` for an
    error that is not the store's (it propagates as it is) or is already translated."""
    if isinstance(exc, StoreError):
        return None
    if disk_full(exc):
        return StoreFull(_full_message(exc, location))
    if isinstance(exc, ConnectionError | TimeoutError):
        return StoreUnavailable(f"the vector store cannot be reached: {exc}")
    if isinstance(exc, ChromaAuthError | AuthorizationError):
        return StoreError(f"the vector store refused newsbot ({exc}): check NEWSBOT_CHROMA_TOKEN")
    if isinstance(exc, ChromaError):
        return StoreError(f"the vector store refused the request: {exc}")
    if (status := http_status(exc)) is not None:  # an answer that is not Chroma's: a gateway's page
        if status in (401, 403):
            return StoreError(f"the vector store refused newsbot (HTTP {status}): check NEWSBOT_CHROMA_TOKEN")
        return StoreUnavailable(f"the Chroma server answered HTTP {status}")
    if type(exc).__module__.startswith(("httpx", "httpcore")):
        return StoreUnavailable(f"the Chroma server cannot be reached: {exc}")
    if "Could not connect" in str(exc):
        return StoreUnavailable(str(exc))
    return None


def http_status(exc: BaseException) -> int | None:
    """The HTTP status of an error answer behind ``exc`` that Chroma's client could not read as its own
    (it raises the body's text, an HTML page from a gateway say, and leaves the status in the chain)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        status = getattr(getattr(current, "response", None), "status_code", None)
        if isinstance(status, int) and status >= 400:
            return status
        current = current.__cause__ or current.__context__
    return None


def disk_full(exc: BaseException) -> bool:
    """Whether ``exc`` or an error it came from says that the disk is full."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        from_store = isinstance(current, ChromaError | OSError) or type(current).__module__ == "sqlite3"
        if from_store and _DISK_FULL.search(str(current)):
            return True
        current = current.__cause__ or current.__context__
    return False


def _location(args: tuple[object, ...]) -> str | None:
    location = getattr(args[0], "location", None) if args else None
    return location if isinstance(location, str) and location else None


def _full_message(exc: BaseException, location: str | None) -> str:
    said = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    if location is None:
        return f"the disk holding the vector store is full: free some space, then try again ({said})"
    if location.startswith(("http://", "https://")):
        return (
            f"the Chroma server at {location} cannot write: its disk is full; free some space on it, "
            f"then try again ({said})"
        )
    return (
        f"the disk holding the store {location} is full{_free_space(location)}: free some space there "
        f"(or move NEWSBOT_DATA_DIR to a larger disk), then try again ({said})"
    )


def _free_space(location: str) -> str:
    """`` (1.2 MB free)`` for the disk of a local path, or ``""`` when it cannot be told."""
    path = Path(location)
    while not path.exists() and path.parent != path:
        path = path.parent
    try:
        free = shutil.disk_usage(path).free
    except OSError:
        return ""
    return f" ({free / 2**30:.1f} GB free)" if free >= 2**30 else f" ({free / 2**20:.1f} MB free)"


TOKEN_AUTH_PROVIDER = "chromadb.auth.token_authn.TokenAuthClientProvider"


def make_client(
    chroma_url: str | None,
    data_dir: os.PathLike[str] | str,
    *,
    tenant: str | None = None,
    database: str | None = None,
    token: str | None = None,
    token_header: str = "X-Chroma-Token",
) -> ClientAPI:
    """A Chroma client: a server over HTTP when ``chroma_url`` is set, else embedded under ``data_dir``.

    A server may be ``chroma run``, a distributed deployment or the hosted service: ``tenant`` and
    ``database`` choose where the collections live (default: Chroma's defaults or, with a token and
    neither given, the ones the token grants), ``token`` is sent with every request in ``token_header``
    (``X-Chroma-Token: <token>`` or ``Authorization: Bearer <token>``). The token never appears in an
    error message.
    """
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not chroma_url:
        return _embedded(data_dir, settings)
    url = urlparse(chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(
            f"NEWSBOT_CHROMA_URL={chroma_url!r} is not an http(s) URL such as http://127.0.0.1:8000"
        )
    port = url.port or (443 if url.scheme == "https" else 8000)
    if token:
        settings.chroma_client_auth_provider = TOKEN_AUTH_PROVIDER
        settings.chroma_client_auth_credentials = token
        settings.chroma_auth_token_transport_header = token_header
        # as chromadb.CloudClient does: a token scoped to one tenant and database names them
        settings.chroma_overwrite_singleton_tenant_database_access_from_auth = not (tenant or database)
    where = f"the Chroma server at {chroma_url}"
    try:
        return chromadb.HttpClient(
            host=url.hostname,
            port=port,
            ssl=url.scheme == "https",
            settings=settings,
            tenant=tenant or DEFAULT_TENANT,
            database=database or DEFAULT_DATABASE,
        )
    except Exception as exc:
        raise _redacted(_connect_error(exc, where, token), token) from None


def _connect_error(exc: Exception, where: str, token: str | None) -> ConfigError | StoreUnavailable:
    """What connecting to the server at ``where`` failed with, for a person: wrong credentials, a
    tenant or database that is not there, a server that cannot be reached, or an answer that is no
    Chroma server's (a gateway's page: its status, never the page)."""
    hint = "check NEWSBOT_CHROMA_TOKEN" if token else "it requires a token: set NEWSBOT_CHROMA_TOKEN"
    if isinstance(exc, ChromaAuthError | AuthorizationError):
        return ConfigError(f"{where} refused newsbot ({exc}); {hint}")
    if isinstance(exc, NotFoundError):
        return ConfigError(f"{where}: {exc} (check {_TENANCY})")
    status = None if isinstance(exc, ChromaError) else http_status(exc)
    if status in (401, 403):
        return ConfigError(f"{where} refused newsbot (HTTP {status}); {hint}")
    if status is not None and status >= 500:
        return StoreUnavailable(f"{where} answered HTTP {status}")
    if status is not None:
        return ConfigError(
            f"{where} answered HTTP {status}, not as a Chroma server does: check NEWSBOT_CHROMA_URL"
        )
    if isinstance(exc, ValueError) and "Could not connect to a Chroma server" not in str(exc):
        return ConfigError(f"{where}: {exc} (check {_TENANCY})")
    return StoreUnavailable(f"{where} cannot be reached: {exc}")


def _redacted(error: StoreError | ConfigError, token: str | None) -> StoreError | ConfigError:
    return type(error)(_redact(str(error), token))


_TENANCY = "NEWSBOT_CHROMA_TENANT and NEWSBOT_CHROMA_DATABASE"


def _redact(message: str, token: str | None) -> str:
    return message.replace(token, "***") if token else message


def _embedded(data_dir: os.PathLike[str] | str, settings: ChromaSettings) -> ClientAPI:
    path = os.fspath(data_dir)
    try:
        make_private_dir(Path(path), tighten=True)  # Chroma's files hold the follows: chat ids, words
        return chromadb.PersistentClient(path=path, settings=settings)
    except Exception as exc:
        if disk_full(exc):
            raise StoreFull(_full_message(exc, path)) from exc
        if isinstance(exc, OSError):
            raise StoreUnavailable(f"cannot open the store under {path}: {exc}") from exc
        raise


def check_name(name: str) -> None:
    if not valid_collection_name(name):
        raise ConfigError(f"NEWSBOT_COLLECTION={name!r}: {COLLECTION_NAME_RULE}")


def upsert_without_vectors(
    col: Collection, ids: Sequence[str], metas: Sequence[Mapping[str, Any]], batch: int
) -> None:
    """Upsert records that carry no vector of their own, ``batch`` at a time (one call is one write in
    Chroma's log: all of it or nothing). Chroma wants a vector anyway: each gets a one-dimensional one
    of its own (a graph of equal vectors makes Chroma's writes twice as slow)."""
    for i in range(0, len(ids), batch):
        part = list(ids[i : i + batch])
        col.upsert(ids=part, embeddings=placeholders(part), metadatas=list(metas[i : i + batch]))


def update_metadata(
    col: Collection, ids: Sequence[str], metas: Sequence[Mapping[str, Any]], batch: int
) -> None:
    """Replace existing records' metadata, ``batch`` at a time, leaving their vectors as they are (a
    third faster than an upsert that rewrites the vector too: the graph is left alone)."""
    for i in range(0, len(ids), batch):
        col.update(ids=list(ids[i : i + batch]), metadatas=list(metas[i : i + batch]))


class CollectionMetadata:
    """The metadata of the collection ``name`` (created on first use), read afresh and updated by merge:
    where a lease that is not ingestion's lives (the feed poller's with the feeds, the alerts' with the
    follows), so that its heartbeats never race with the chunk collection's generation bumps."""

    def __init__(self, client: ClientAPI, name: str) -> None:
        self.client = client
        self.name = name

    @translate_errors
    def metadata(self) -> dict[str, Any]:
        col = self.client.get_or_create_collection(self.name, embedding_function=None)
        return dict(col.metadata or {})

    @translate_errors
    def update_metadata(self, **values: Any) -> None:
        col = self.client.get_or_create_collection(self.name, embedding_function=None)
        col.modify(metadata={**(col.metadata or {}), **values})
