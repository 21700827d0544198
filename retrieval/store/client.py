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
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError

from retrieval.errors import ConfigError, StoreError, StoreUnavailable

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
        except ChromaError as exc:
            raise StoreError(f"the vector store refused the request: {exc}") from exc
        except Exception as exc:
            if type(exc).__module__.startswith(("httpx", "httpcore")):
                raise StoreUnavailable(f"the Chroma server cannot be reached: {exc}") from exc
            if "Could not connect" in str(exc):
                raise StoreUnavailable(str(exc)) from exc
            raise

    return wrapper


def make_client(chroma_url: str | None, data_dir: os.PathLike[str] | str) -> ClientAPI:
    """A Chroma client: a server over HTTP when ``chroma_url`` is set, else embedded under ``data_dir``."""
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        if url.scheme not in ("http", "https") or not url.hostname:
            raise ConfigError(
                f"NEWSBOT_CHROMA_URL={chroma_url!r} is not an http(s) URL such as http://127.0.0.1:8000"
            )
        port = url.port or (443 if url.scheme == "https" else 8000)
        try:
            return chromadb.HttpClient(
                host=url.hostname, port=port, ssl=url.scheme == "https", settings=settings
            )
        except Exception as exc:
            raise StoreUnavailable(f"the Chroma server at {chroma_url} cannot be reached: {exc}") from exc
    path = os.fspath(data_dir)
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=path, settings=settings)
    except OSError as exc:
        raise StoreUnavailable(f"cannot open the store under {path}: {exc}") from exc


def check_name(name: str) -> None:
    ok = (
        3 <= len(name) <= 500
        and name[0].isalnum()
        and name[-1].isalnum()
        and all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    )
    if not ok:
        raise ConfigError(
            f"NEWSBOT_COLLECTION={name!r}: use 3-500 characters from a-z, A-Z, 0-9, '.', '_', "
            "'-', starting and ending with a letter or digit"
        )
