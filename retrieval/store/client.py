"""Chroma clients, and Chroma's failures translated into the project's errors (one table)."""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import errno
import functools
import inspect
import logging
import re
import shutil
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast
from urllib.parse import urlparse

import chromadb
import httpx
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.config import DEFAULT_DATABASE, DEFAULT_TENANT
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import AuthorizationError, ChromaAuthError, ChromaError, NotFoundError

from retrieval.errors import ConfigError, StoreError, StoreFull, StoreUnavailable
from retrieval.settings import (
    CHROMA_TIMEOUT,
    COLLECTION_NAME_RULE,
    make_private_dir,
    valid_collection_name,
)
from retrieval.store.shapes import placeholders

log = logging.getLogger(__name__)
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
    if isinstance(exc, httpx.TimeoutException):
        return StoreUnavailable(_no_answer(exc))
    if type(exc).__module__.startswith(("httpx", "httpcore")):
        return StoreUnavailable(f"the Chroma server cannot be reached: {exc}")
    if "Could not connect" in str(exc):
        return StoreUnavailable(str(exc))
    return None


def _no_answer(exc: httpx.TimeoutException) -> str:
    """A request that met its deadline, naming the server and the deadline (both from the request)."""
    try:
        url, timeout = exc.request.url, exc.request.extensions.get("timeout", {})
    except RuntimeError:  # an error raised without its request: nothing to name
        return f"the Chroma server did not answer in time ({_TIMEOUT_SETTING})"
    seconds = max((t for t in timeout.values() if isinstance(t, int | float)), default=None)
    within = f" within {seconds:g} s" if seconds is not None else " in time"
    server = f"{url.scheme}://{url.netloc.decode()}"
    return f"the Chroma server at {server} did not answer{within} ({_TIMEOUT_SETTING})"


_TIMEOUT_SETTING = "NEWSBOT_CHROMA_TIMEOUT"


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
    timeout: float | None = CHROMA_TIMEOUT,
) -> ClientAPI:
    """A Chroma client: a server over HTTP when ``chroma_url`` is set, else embedded under ``data_dir``.

    A server may be ``chroma run``, a distributed deployment or the hosted service: ``tenant`` and
    ``database`` choose where the collections live (default: Chroma's defaults or, with a token and
    neither given, the ones the token grants), ``token`` is sent with every request in ``token_header``
    (``X-Chroma-Token: <token>`` or ``Authorization: Bearer <token>``). The token never appears in an
    error message. No request to the server waits longer than ``timeout`` seconds (to connect, to send,
    for each part of the answer; None: for ever): one that does fails with :class:`StoreUnavailable`.
    """
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if not chroma_url:
        return _embedded(data_dir, settings)
    url = urlparse(chroma_url)
    if url.scheme not in ("http", "https") or not url.hostname:
        raise ConfigError(
            f"NEWSBOT_CHROMA_URL={chroma_url!r} is not an http(s) URL such as http://127.0.0.1:8000"
        )
    host, port = url.hostname, url.port or (443 if url.scheme == "https" else 8000)
    if token:
        settings.chroma_client_auth_provider = TOKEN_AUTH_PROVIDER
        settings.chroma_client_auth_credentials = token
        settings.chroma_auth_token_transport_header = token_header
        # as chromadb.CloudClient does: a token scoped to one tenant and database names them
        settings.chroma_overwrite_singleton_tenant_database_access_from_auth = not (tenant or database)
    where = f"the Chroma server at {chroma_url}"

    def connect() -> ClientAPI:
        return chromadb.HttpClient(
            host=host,
            port=port,
            ssl=url.scheme == "https",
            settings=settings,
            tenant=tenant or DEFAULT_TENANT,
            database=database or DEFAULT_DATABASE,
        )

    try:
        client = _within(timeout, connect)
    except _NoAnswer:
        raise StoreUnavailable(f"{where} did not answer within {timeout:g} s ({_TIMEOUT_SETTING})") from None
    except Exception as exc:
        raise _redacted(_connect_error(exc, where, token), token) from None
    if timeout is not None:
        _bound_requests(client, timeout)
    return client


class _NoAnswer(Exception):
    pass


def _within(timeout: float | None, connect: Callable[[], ClientAPI]) -> ClientAPI:
    """``connect()``, given up on after ``timeout`` seconds (:class:`_NoAnswer`). Chromadb's client asks
    the server who we are and whether the tenant and database exist while it is built, before its requests
    can be bounded (:func:`_bound_requests`); so it is built in a daemon thread, which a server that never
    answers leaves waiting (not a pool's: the interpreter would wait for it at exit)."""
    if timeout is None:
        return connect()
    outcome: list[ClientAPI | Exception] = []

    def run() -> None:
        try:
            outcome.append(connect())
        except Exception as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, name="newsbot-chroma-connect", daemon=True)
    thread.start()
    thread.join(timeout)
    if not outcome:
        raise _NoAnswer
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    return outcome[0]


def _bound_requests(client: ClientAPI, timeout: float) -> None:
    """Give every later request of ``client`` a deadline of ``timeout`` seconds. Chromadb (1.5) builds its
    HTTP session with ``httpx.Client(timeout=None)`` and has no setting for it (its ``Settings`` carry
    only the server's own timeouts), so the sessions of the client's API and of its admin client (which
    checks tenants and databases) are given httpx's timeout here."""
    admin = getattr(client, "_admin_client", None)
    for api in (getattr(client, "_server", None), getattr(admin, "_server", None)):
        session = getattr(api, "_session", None)
        if isinstance(session, httpx.Client):
            session.timeout = httpx.Timeout(timeout)
        else:  # a chromadb that builds its client otherwise: it works, without the deadline
            log.warning("cannot give requests to the Chroma server a deadline (%s has no httpx session)", api)


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
    _write_without_vectors(col.upsert, ids, metas, batch)


def add_without_vectors(
    col: Collection, ids: Sequence[str], metas: Sequence[Mapping[str, Any]], batch: int
) -> None:
    """Add records that carry no vector of their own, as :func:`upsert_without_vectors` does, but with
    Chroma's ``add``, which keeps a record that exists as it is (how a claim is taken: read it back)."""
    _write_without_vectors(col.add, ids, metas, batch)


def _write_without_vectors(
    write: Callable[..., None], ids: Sequence[str], metas: Sequence[Mapping[str, Any]], batch: int
) -> None:
    for i in range(0, len(ids), batch):
        part = list(ids[i : i + batch])
        write(ids=part, embeddings=placeholders(part), metadatas=list(metas[i : i + batch]))


def update_records(
    col: Collection, ids: Sequence[str], metas: Sequence[Mapping[str, Any]], batch: int
) -> None:
    """Replace existing records' metadata, ``batch`` at a time, leaving their vectors as they are (a
    third faster than an upsert that rewrites the vector too: the graph is left alone)."""
    for i in range(0, len(ids), batch):
        col.update(ids=list(ids[i : i + batch]), metadatas=list(metas[i : i + batch]))


if TYPE_CHECKING:
    from retrieval.store.collections import CollectionMetadata as CollectionMetadata
else:

    def __getattr__(name: str) -> Any:
        """``CollectionMetadata``, where it was imported from before it moved to
        :mod:`retrieval.store.collections` (imported when asked for: that module imports this one). Out
        of the type checker's sight, which sees the import above and so still reports any other name."""
        if name == "CollectionMetadata":
            from retrieval.store.collections import CollectionMetadata

            return CollectionMetadata
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
