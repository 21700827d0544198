"""Feed addresses as an attacker writes them: every host form the resolver reads is brought to one spelling
and refused with the guard's message (never a traceback), and a name is resolved once: the connection
goes to the address that was checked, whatever the name resolves to a moment later (DNS rebinding)."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.feeds.errors import BlockedAddress, FeedError, FetchError
from ingest.feeds.fetch import Fetcher, FetchPolicy
from ingest.feeds.guard import check_url, feed_url
from ingest.feeds.poll import FeedPoller
from ingest.feeds.registry import FeedRegistry
from retrieval.embeddings import E5Embeddings
from retrieval.settings import load_settings
from retrieval.store.chunks import ChunkStore
from tests.emulators.feed_server import FeedItem, FeedServer, article_html, rss_feed

LOOPBACK_FORMS = [
    ("0177.0.0.1", "127.0.0.1"),  # octal
    ("0x7f.1", "127.0.0.1"),  # hex, short
    ("0x7F.0.0.0x1", "127.0.0.1"),
    ("2130706433", "127.0.0.1"),  # one decimal number
    ("017700000001", "127.0.0.1"),  # one octal number
    ("127.1", "127.0.0.1"),  # short
    ("127.0.1", "127.0.0.1"),
    ("127.0.0.1.", "127.0.0.1"),  # trailing dot
    ("[::ffff:127.0.0.1]", "[::ffff:7f00:1]"),  # IPv4-mapped IPv6
    ("[0:0:0:0:0:FFFF:7F00:0001]", "[::ffff:7f00:1]"),
    ("LocalHost.", "localhost"),  # a name's trailing dot
]


@pytest.fixture
def web() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.mark.parametrize(("host", "normal"), LOOPBACK_FORMS)
def test_every_host_form_the_resolver_reads_has_one_spelling(host: str, normal: str) -> None:
    assert feed_url(f"HTTP://{host}:8080/rss.xml?a=1#top") == f"http://{normal}:8080/rss.xml?a=1"


def test_user_info_is_kept_as_written_and_cannot_hide_the_host() -> None:
    assert feed_url("http://Reader:S3cret@0177.1/rss") == "http://Reader:S3cret@127.0.0.1/rss"
    # the host is what follows the last @: an @ or a backslash before it is user info, escaped
    assert feed_url("http://example.org@0x7f.1/") == "http://example.org@127.0.0.1/"
    assert feed_url("http://a@b@127.1/") == "http://a%40b@127.0.0.1/"
    assert feed_url("http://example.org\\@127.1/") == "http://example.org%5C@127.0.0.1/"
    assert httpx.URL("http://a%40b@127.0.0.1/").host == "127.0.0.1"


@pytest.mark.parametrize(
    "url",
    [
        "http://0178.0.0.1/",  # 8 is not an octal digit
        "http://256.0.0.1/",
        "http://1.2.3.4.5/",
        "http://4294967296/",  # 2**32
        "http://127.0x1000000/",
        "http://example.0x/",
        "http://[fe80::1%25eth0]/",  # a zone index
        "http://[::ffff:127.0.0.1/",
        "http://exa mple.org/",
        "http://example..org/",
    ],
)
def test_a_host_that_is_no_address_is_refused_with_the_url(url: str) -> None:
    with pytest.raises(FeedError) as caught:
        feed_url(url)
    assert str(caught.value).startswith(f"{url!r} is not a URL (")


@pytest.mark.parametrize(("host", "normal"), LOOPBACK_FORMS[:-1])
def test_a_loopback_address_in_any_form_is_refused_before_any_request(
    host: str, normal: str, web: FeedServer
) -> None:
    port = web.url("/").split(":")[-1].rstrip("/")
    url = f"http://{host}:{port}/rss.xml"
    with Fetcher(FetchPolicy(timeout=2)) as fetcher, pytest.raises(BlockedAddress) as caught:
        fetcher.get(url)
    address = normal.strip("[]")
    assert str(caught.value) == (
        f"http://{normal}:{port}/rss.xml: {address} is at {address}, a loopback, private or link-local "
        "address (set NEWSBOT_FEEDS_ALLOW_PRIVATE=true to allow it)"
    )
    assert web.requests == []


def test_a_poll_reports_each_disguised_loopback_feed_with_the_guards_message(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    port = web.url("/").split(":")[-1].rstrip("/")
    settings = load_settings(data_dir=tmp_path / "data", feed_host_delay=0, feed_timeout=2)
    store = ChunkStore.open(None, settings.data_dir / "chroma", settings.collection)
    registry = FeedRegistry(store)
    for host in ("0177.0.0.1", "0x7f.1", "2130706433", "[::ffff:127.0.0.1]", "user:pass@localhost."):
        registry.add(f"http://{host}:{port}/rss.xml")
    assert [f.url for f in registry.feeds()] == [  # one spelling: three forms of 127.0.0.1 are one feed
        f"http://127.0.0.1:{port}/rss.xml",
        f"http://[::ffff:7f00:1]:{port}/rss.xml",
        f"http://user:pass@localhost:{port}/rss.xml",
    ]

    report = FeedPoller(store, e5, settings).poll()

    errors = [o.error or "" for o in report.outcomes]
    assert len(errors) == 3
    assert all("a loopback, private or link-local address" in e for e in errors), errors
    assert not any("unexpected error" in e for e in errors)
    assert web.requests == [] and store.articles() == {}


def test_disguised_hosts_in_entry_links_and_redirects_are_fetched_when_allowed(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    port = web.url("/").split(":")[-1].rstrip("/")
    web.page("/rate.html", article_html("ЦБ снизил ставку", "Банк России снизил ключевую ставку до 16%."))
    link = f"http://0177.0.0.1:{port}/rate.html"
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", link, "кратко", "r1")]))
    web.redirect("/old.xml", f"http://0x7f.1:{port}/rss.xml", status=301)
    settings = load_settings(
        data_dir=tmp_path / "data", feeds_allow_private=True, feed_host_delay=0, feed_timeout=2
    )
    store = ChunkStore.open(None, settings.data_dir / "chroma", settings.collection)
    FeedRegistry(store).add(web.url("/old.xml"))

    [outcome] = FeedPoller(store, e5, settings).poll().outcomes

    assert (outcome.added, outcome.error, outcome.warnings) == (1, None, [])
    assert len(web.requests_to("/rate.html")) == 1  # the page's text, not the summary
    assert "16%" in next(c.text for _, c in store.visible_chunks())


# -- one resolution, one address -------------------------------------------------------------------


class Resolver:
    """``socket.getaddrinfo`` for ``*.test`` names: each call answers the next of ``answers`` (the last one
    from then on); other names are resolved as usual."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *answers: str) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self._real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self)

    def __call__(self, host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if not str(host).endswith(".test"):
            return self._real(host, port, *args, **kwargs)
        self.asked.append(str(host))
        address = self.answers[min(len(self.asked), len(self.answers)) - 1]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 80)))]


def test_a_name_that_rebinds_to_loopback_after_the_check_never_reaches_it(
    web: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    port = web.url("/").split(":")[-1].rstrip("/")
    resolver = Resolver(monkeypatch, "93.184.216.34", "127.0.0.1")  # public for the check, then loopback

    with Fetcher(FetchPolicy(timeout=1)) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"http://rebind.test:{port}/rss.xml")

    assert not isinstance(caught.value, BlockedAddress)  # it passed the check, then went where checked
    assert str(caught.value).startswith(f"http://rebind.test:{port}/rss.xml: ")
    assert resolver.asked == ["rebind.test"]  # resolved once
    assert web.requests == []


def test_the_checked_address_is_connected_to_and_the_name_is_sent(
    web: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    port = web.url("/").split(":")[-1].rstrip("/")
    resolver = Resolver(monkeypatch, "127.0.0.1", "192.0.2.1")  # later answers would go nowhere

    with Fetcher(FetchPolicy(timeout=2, allow_private=True, host_delay=0)) as fetcher:
        first = fetcher.get(f"http://Feeds.Test.:{port}/rss.xml")
        second = fetcher.get(f"http://feeds.test:{port}/rss.xml", etag=first.etag)

    assert (first.status, second.status) == (200, 304)
    assert [r.headers["Host"] for r in web.requests_to("/rss.xml")] == [f"feeds.test:{port}"] * 2
    assert resolver.asked == ["feeds.test", "feeds.test"]  # once a request, never by the connection


def test_every_address_of_a_name_is_checked() -> None:
    with pytest.raises(BlockedAddress, match=r"localhost is at .*NEWSBOT_FEEDS_ALLOW_PRIVATE=true"):
        check_url("http://localhost:8080/rss.xml", allow_private=False)
    target = check_url("http://LOCALHOST.:8080/rss.xml", allow_private=True)
    assert (target.url, target.host, target.port) == ("http://localhost:8080/rss.xml", "localhost", 8080)
    assert "127.0.0.1" in target.addresses or "::1" in target.addresses


@pytest.mark.parametrize(
    "address",
    [
        "::7f00:1",  # IPv4-compatible ::127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "::ffff:169.254.169.254",
    ],
)
def test_an_ipv6_address_carrying_a_private_ipv4_one_is_refused(address: str) -> None:
    with pytest.raises(BlockedAddress):
        check_url(f"http://[{address}]/rss.xml", allow_private=False)


# -- properties ------------------------------------------------------------------------------------

NUMBER = st.one_of(
    st.integers(0, 2**33).map(str),
    st.integers(0, 2**33).map(lambda n: f"0{n:o}"),
    st.integers(0, 2**33).map(lambda n: f"0x{n:x}"),
    st.sampled_from(["0x", "08", "00", "-1", ""]),
)
NUMERIC_HOST = st.lists(NUMBER, min_size=1, max_size=5).map(".".join)
IPV6_HOST = st.ip_addresses(v=6).map(lambda a: f"[{a}]")
HOST = st.one_of(
    NUMERIC_HOST,
    NUMERIC_HOST.map(lambda h: h + "."),
    IPV6_HOST,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzАБВ0123456789.-_%@:[]\\/ ", max_size=30),
)
URL = st.builds(
    lambda scheme, userinfo, host, port, path: f"{scheme}://{userinfo}{host}{port}{path}",
    st.sampled_from(["http", "HTTPS", "ftp", "", "http:"]),
    st.sampled_from(["", "user:pass@", "a@b@", "x\\@", "%40@"]),
    HOST,
    st.sampled_from(["", ":80", ":0", ":65536", ":x", ":"]),
    st.text(max_size=20),
)


def _normalised_or_feed_error(url: str) -> str | None:
    try:
        return feed_url(url)
    except FeedError:
        return None


@settings(max_examples=400, deadline=None)
@given(st.one_of(URL, st.text(max_size=60)))
def test_any_text_is_a_normal_url_or_a_feed_error(url: str) -> None:
    normal = _normalised_or_feed_error(url)
    if normal is None:
        return
    assert feed_url(normal) == normal  # one spelling
    parsed = httpx.URL(normal)  # what the connection reads is what was checked
    assert parsed.scheme in ("http", "https") and parsed.host


@settings(max_examples=300, deadline=None)
@given(st.one_of(NUMERIC_HOST, IPV6_HOST), st.booleans())
def test_a_numeric_host_is_an_address_a_refusal_or_a_fetch_error(host: str, allow: bool) -> None:
    url = f"http://{host}/rss.xml"
    try:
        target = check_url(url, allow_private=allow)
    except FetchError:
        return
    [address] = target.addresses
    assert str(ipaddress.ip_address(address)) == address
