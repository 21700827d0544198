"""newsbot against a Chroma server that wants a token, a tenant and a database, through the real CLI.

``chroma run`` of chromadb 1.5.9 (the Rust server) accepts no server-side authentication: it ignores
``CHROMA_SERVER_AUTHN_*`` and has no auth section in its config file. The token is therefore checked by
:class:`TokenGate`, a loopback gateway in front of the real server that answers a request without the
token as Chroma's token authentication does. Tenants and databases are the real server's own.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import pytest
from chromadb.config import Settings as ChromaSettings

from retrieval.store.client import make_client
from tests.conftest import REPO
from tests.support.chroma_server import TokenGate
from tests.support.cli import one_line

pytestmark = pytest.mark.server

TOKEN = "nb-s3cret-token-4242"


@pytest.fixture
def gate(chroma_server: str) -> Iterator[TokenGate]:
    with TokenGate(chroma_server, TOKEN) as running:
        yield running


def newsbot(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "PYTHONPATH": str(REPO), **env}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, env=full, timeout=300
    )


def archive(tmp_path: Path) -> Path:
    folder = tmp_path / "archive"
    folder.mkdir()
    (folder / "penguins.txt").write_text(
        "Penguins live in Antarctica\n\nEmperor penguins breed during the Antarctic winter.", encoding="utf-8"
    )
    return folder


def test_the_token_goes_with_every_request_and_nowhere_else(gate: TokenGate, tmp_path: Path) -> None:
    server = {"NEWSBOT_CHROMA_URL": gate.url, "NEWSBOT_CHROMA_TOKEN": TOKEN, "NEWSBOT_COLLECTION": "auth-ok"}
    ingested = newsbot("-vv", "ingest", str(archive(tmp_path)), **server)
    assert ingested.returncode == 0, ingested.stderr
    assert "1 added" in ingested.stdout
    stats = newsbot("-vv", "stats", **server)
    assert stats.returncode == 0, stats.stderr
    assert "Articles: 1" in stats.stdout and f"Store: {gate.url}" in stats.stdout

    assert len(gate.requests) > 5
    assert all(headers.get("x-chroma-token") == TOKEN for _, _, headers in gate.requests)
    assert {"/api/v2/auth/identity"} <= {path for _, path, _ in gate.requests}
    for shown in (ingested.stdout, ingested.stderr, stats.stdout, stats.stderr):
        assert TOKEN not in shown


def test_bearer_header_when_asked_for(gate: TokenGate) -> None:
    client = make_client(gate.url, "unused", token=TOKEN, token_header="Authorization")
    client.get_or_create_collection("bearer-test")
    assert "bearer-test" in [c.name for c in client.list_collections()]
    assert all(h.get("authorization") == f"Bearer {TOKEN}" for _, _, h in gate.requests)
    assert not any("x-chroma-token" in h for _, _, h in gate.requests)


def test_a_wrong_token_is_a_configuration_error_without_the_token(gate: TokenGate) -> None:
    wrong = "nb-wrong-token-0000"
    ran = newsbot("-vv", "stats", NEWSBOT_CHROMA_URL=gate.url, NEWSBOT_CHROMA_TOKEN=wrong)
    assert ran.returncode == 2
    line = [entry for entry in ran.stderr.splitlines() if entry.startswith("newsbot: error:")]
    assert line == [
        f"newsbot: error: the Chroma server at {gate.url} refused newsbot (Forbidden); check "
        "NEWSBOT_CHROMA_TOKEN"
    ]
    assert wrong not in ran.stderr and wrong not in ran.stdout
    assert gate.requests and all(h.get("x-chroma-token") == wrong for _, _, h in gate.requests)


def test_a_missing_token_says_which_setting_to_give(gate: TokenGate) -> None:
    ran = newsbot("stats", NEWSBOT_CHROMA_URL=gate.url)
    assert ran.returncode == 2
    assert one_line(ran.stderr) == (
        f"newsbot: error: the Chroma server at {gate.url} refused newsbot (Forbidden); it requires a "
        "token: set NEWSBOT_CHROMA_TOKEN"
    )


def admin(url: str) -> chromadb.api.AdminAPI:
    parsed = urlparse(url)
    return chromadb.AdminClient(
        ChromaSettings(
            chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host=parsed.hostname,
            chroma_server_http_port=parsed.port,
            anonymized_telemetry=False,
        )
    )


def test_tenant_and_database_hold_their_own_archive(chroma_server: str, tmp_path: Path) -> None:
    admin(chroma_server).create_tenant("acme")
    admin(chroma_server).create_database("newsroom", tenant="acme")
    place = {
        "NEWSBOT_CHROMA_URL": chroma_server,
        "NEWSBOT_CHROMA_TENANT": "acme",
        "NEWSBOT_CHROMA_DATABASE": "newsroom",
        "NEWSBOT_COLLECTION": "tenancy",
    }
    ingested = newsbot("ingest", str(archive(tmp_path)), **place)
    assert ingested.returncode == 0, ingested.stderr
    stats = newsbot("stats", **place)
    assert stats.returncode == 0, stats.stderr
    assert "Articles: 1" in stats.stdout and f"Store: {chroma_server} (acme/newsroom)" in stats.stdout

    default = make_client(chroma_server, "unused")
    assert "tenancy" not in [c.name for c in default.list_collections()]
    inside = make_client(chroma_server, "unused", tenant="acme", database="newsroom")
    assert [c.name for c in inside.list_collections() if c.name == "tenancy"] == ["tenancy"]


def test_a_database_that_does_not_exist_is_named(chroma_server: str) -> None:
    ran = newsbot("stats", NEWSBOT_CHROMA_URL=chroma_server, NEWSBOT_CHROMA_DATABASE="nowhere-db")
    assert ran.returncode == 2
    line = one_line(ran.stderr)
    assert line.startswith(f"newsbot: error: the Chroma server at {chroma_server}: Database [nowhere-db] not")
    assert line.endswith("(check NEWSBOT_CHROMA_TENANT and NEWSBOT_CHROMA_DATABASE)")


def test_server_settings_without_a_server_are_refused(tmp_path: Path) -> None:
    ran = newsbot("stats", NEWSBOT_CHROMA_TOKEN=TOKEN, NEWSBOT_CHROMA_TENANT="acme")
    assert ran.returncode == 2
    assert one_line(ran.stderr) == (
        "newsbot: error: settings: NEWSBOT_CHROMA_TENANT, NEWSBOT_CHROMA_TOKEN are only for a Chroma "
        "server: set NEWSBOT_CHROMA_URL too, or unset it"
    )
    assert TOKEN not in ran.stderr
    assert not (tmp_path / "data" / "chroma").exists()
