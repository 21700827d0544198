"""A gateway in front of the Chroma server that refuses newsbot with a web page of its own (nginx's
401): the user reads one line with the status and what to check, never the page, never "the tenant"."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from chromadb.api.base_http_client import BaseHTTPClient

from retrieval.errors import StoreError, StoreUnavailable
from retrieval.store.client import translate_error
from tests.support.chroma_server import NGINX_401, TokenGate
from tests.support.cli import one_line, run

TOKEN = "nb-gateway-token-4242"


@pytest.fixture
def gateway() -> Iterator[TokenGate]:
    # nothing gets past it without the token, so nothing is forwarded: no server is needed behind it
    with TokenGate("http://127.0.0.1:9", TOKEN, html=True) as running:
        yield running


@pytest.mark.parametrize(
    ("token", "hint"),
    [(None, "it requires a token: set NEWSBOT_CHROMA_TOKEN"), ("wrong-token", "check NEWSBOT_CHROMA_TOKEN")],
)
def test_a_gateways_html_401_is_one_line_naming_the_status_and_the_token(
    gateway: TokenGate,
    token: str | None,
    hint: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("NEWSBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("NEWSBOT_CHROMA_URL", gateway.url)
    if token:
        monkeypatch.setenv("NEWSBOT_CHROMA_TOKEN", token)

    code, out, err = run(["stats"], capsys)

    assert code == 2 and out == ""
    assert (
        one_line(err)
        == f"newsbot: error: the Chroma server at {gateway.url} refused newsbot (HTTP 401); {hint}"
    )
    assert "html" not in err and "TENANT" not in err and "wrong-token" not in err


@pytest.mark.parametrize(
    ("status", "error", "message"),
    [
        (401, StoreError, "the vector store refused newsbot (HTTP 401): check NEWSBOT_CHROMA_TOKEN"),
        (502, StoreUnavailable, "the Chroma server answered HTTP 502"),
    ],
)
def test_a_gateways_page_in_the_middle_of_a_run_is_a_store_error_without_the_page(
    status: int, error: type[StoreError], message: str
) -> None:
    request = httpx.Request("POST", "http://127.0.0.1:8000/api/v2/tenants/t/databases/d/collections/c/query")
    response = httpx.Response(status, text=NGINX_401, request=request)
    with pytest.raises(Exception) as raised:
        BaseHTTPClient._raise_chroma_error(response)  # what chromadb's client raises for such an answer

    translated = translate_error(raised.value)

    assert type(translated) is error and str(translated) == message
