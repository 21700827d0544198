"""Chroma clients, and Chroma's failures translated into the project's errors (one table)."""

from __future__ import annotations

import os

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar
from urllib.parse import urlparse

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import DEFAULT_DATABASE, DEFAULT_TENANT
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import AuthorizationError, ChromaAuthError, ChromaError, NotFoundError

from retrieval.errors import ConfigError, StoreError, StoreUnavailable
from retrieval.settings import COLLECTION_NAME_RULE, valid_collection_name

P = ParamSpec("P")
R = TypeVar("R")


def translate_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Chroma's and the HTTP client's failures become :class:`StoreError` / :class:`StoreUnavailable`."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except StoreError:
            raise
        except (ConnectionError, TimeoutError) as exc:
            raise StoreUnavailable(f"the vector store cannot be reached: {exc}") from exc
        except (ChromaAuthError, AuthorizationError) as exc:
            raise StoreError(f"the vector store refused newsbot ({exc}): check NEWSBOT_CHROMA_TOKEN") from exc
        except ChromaError as exc:
            raise StoreError(f"the vector store refused the request: {exc}") from exc
        except Exception as exc:
            if type(exc).__module__.startswith(("httpx", "httpcore")):
                raise StoreUnavailable(f"the Chroma server cannot be reached: {exc}") from exc
            if "Could not connect" in str(exc):
                raise StoreUnavailable(str(exc)) from exc
            raise

    return wrapper


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
    except (ChromaAuthError, AuthorizationError) as exc:
        hint = "check NEWSBOT_CHROMA_TOKEN" if token else "it requires a token: set NEWSBOT_CHROMA_TOKEN"
        raise ConfigError(_redact(f"{where} refused newsbot ({exc}); {hint}", token)) from None
    except NotFoundError as exc:
        raise ConfigError(_redact(f"{where}: {exc} (check {_TENANCY})", token)) from None
    except ValueError as exc:
        if "Could not connect to a Chroma server" in str(exc):
            raise StoreUnavailable(f"{where} cannot be reached: {exc}") from None
        raise ConfigError(_redact(f"{where}: {exc} (check {_TENANCY})", token)) from None
    except Exception as exc:
        raise StoreUnavailable(_redact(f"{where} cannot be reached: {exc}", token)) from None


_TENANCY = "NEWSBOT_CHROMA_TENANT and NEWSBOT_CHROMA_DATABASE"


def _redact(message: str, token: str | None) -> str:
    return message.replace(token, "***") if token else message


def _embedded(data_dir: os.PathLike[str] | str, settings: ChromaSettings) -> ClientAPI:
    path = os.fspath(data_dir)
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=path, settings=settings)
    except OSError as exc:
        raise StoreUnavailable(f"cannot open the store under {path}: {exc}") from exc


def check_name(name: str) -> None:
    if not valid_collection_name(name):
        raise ConfigError(f"NEWSBOT_COLLECTION={name!r}: {COLLECTION_NAME_RULE}")
