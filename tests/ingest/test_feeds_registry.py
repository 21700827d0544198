"""The feed list and the address guard: what ``newsbot feeds`` and every replica share through the store."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from ingest.feeds.errors import BlockedAddress, FetchError
from ingest.feeds.guard import check_url, public
from ingest.feeds.registry import FeedError, FeedRegistry
from retrieval.store.chunks import ChunkStore


def test_feeds_are_added_listed_and_removed(tmp_path: Path) -> None:
    registry = FeedRegistry(ChunkStore.open(None, tmp_path / "chroma", "news"))
    first = registry.add("  HTTPS://Example.ORG/rss.xml ")
    registry.add("https://example.org/atom.xml", source="  Example   News ")

    assert first.url == "https://example.org/rss.xml"
    assert [(f.url, f.source, f.articles_added, f.last_poll) for f in registry.feeds()] == [
        ("https://example.org/rss.xml", None, 0, None),
        ("https://example.org/atom.xml", "Example News", 0, None),
    ]
    assert (
        registry.add("https://example.org/rss.xml", source="Пример").source == "Пример"
    )  # re-added: renamed
    assert len(registry.feeds()) == 2
    assert registry.remove("https://EXAMPLE.org/rss.xml") is True
    assert registry.remove("https://example.org/rss.xml") is False
    assert [f.url for f in registry.feeds()] == ["https://example.org/atom.xml"]


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/rss.xml", "example.org/rss.xml", "https://", "file:///etc/passwd", "http://x:port/"],
)
def test_a_url_that_is_not_http_is_refused_with_its_text(tmp_path: Path, url: str) -> None:
    registry = FeedRegistry(ChunkStore.open(None, tmp_path / "chroma", "news"))
    with pytest.raises(FeedError) as caught:
        registry.add(url)
    assert repr(url) in str(caught.value)
    assert registry.feeds() == []


@pytest.mark.server
def test_two_processes_on_one_chroma_server_share_the_list(chroma_server: str, tmp_path: Path) -> None:
    bot = FeedRegistry(ChunkStore.open(chroma_server, tmp_path, "feeds-shared"))
    watcher = FeedRegistry(ChunkStore.open(chroma_server, tmp_path, "feeds-shared"))
    bot.add("https://example.org/rss.xml", source="Example")
    assert [(f.url, f.source) for f in watcher.feeds()] == [("https://example.org/rss.xml", "Example")]
    assert watcher.remove("https://example.org/rss.xml")
    assert bot.feeds() == []


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
        ("224.0.0.1", False),
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
    ],
)
def test_only_public_addresses_are_allowed(address: str, allowed: bool) -> None:
    assert public(ipaddress.ip_address(address)) is allowed


def test_a_host_is_checked_by_every_address_it_resolves_to() -> None:
    with pytest.raises(BlockedAddress, match=r"localhost is at .*NEWSBOT_FEEDS_ALLOW_PRIVATE=true"):
        check_url("http://localhost:8080/rss.xml", allow_private=False)
    with pytest.raises(BlockedAddress, match=r"http://\[::1\]/rss.xml: ::1 is at ::1"):
        check_url("http://[::1]/rss.xml", allow_private=False)
    check_url("http://localhost:8080/rss.xml", allow_private=True)
    with pytest.raises(FetchError, match=r"gopher://example\.org/: only http and https"):
        check_url("gopher://example.org/", allow_private=True)
