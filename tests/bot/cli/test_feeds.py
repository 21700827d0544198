"""``newsbot feeds`` and ``newsbot watch`` as a user runs them, against feeds a local web server serves."""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from retrieval.embeddings import E5Embeddings
from tests.emulators.feed_server import FeedItem, FeedServer, Route, article_html, rss_feed
from tests.support.cli import one_line, run

RATE = (
    "Банк России снизил ключевую ставку до 16 процентов годовых.\n\n"
    "Совет директоров объяснил решение замедлением инфляции и охлаждением кредитования."
)


@pytest.fixture
def web(monkeypatch: pytest.MonkeyPatch, e5: E5Embeddings) -> Iterator[FeedServer]:
    """A feed server on loopback (allowed), no delay between requests, and the session's model."""
    monkeypatch.setenv("NEWSBOT_FEEDS_ALLOW_PRIVATE", "true")
    monkeypatch.setenv("NEWSBOT_FEED_HOST_DELAY", "0")
    monkeypatch.setattr("bot.wiring.load_embeddings", lambda settings: e5)
    with FeedServer() as server:
        server.page("/rate.html", article_html("ЦБ снизил ставку", RATE))
        item = FeedItem(
            "ЦБ снизил ставку", server.url("/rate.html"), "", "r1", datetime(2024, 4, 22, tzinfo=UTC)
        )
        server.feed("/rss.xml", rss_feed("Финансы", [item]))
        yield server


def test_feeds_are_added_listed_and_removed(capsys: pytest.CaptureFixture[str]) -> None:
    url = "https://example.org/rss.xml"
    code, out, _ = run(["feeds", "add", url, "--source", "Пример"], capsys)
    assert code == 0 and out.splitlines()[0] == f"feed {url} listed (source: Пример)"

    code, out, _ = run(["feeds", "list"], capsys)
    assert code == 0
    assert out.splitlines() == [
        f"{url}  (Пример)",
        "  last poll: never, last success: never, articles added: 0",
    ]
    code, out, _ = run(["feeds", "list", "--json"], capsys)
    listed = json.loads(out)
    assert [(f["url"], f["source"], f["last_poll"], f["articles_added"]) for f in listed] == [
        (url, "Пример", None, 0)
    ]

    assert run(["feeds", "remove", url], capsys)[0] == 0
    code, out, err = run(["feeds", "remove", url], capsys)
    assert (code, out) == (2, "")
    assert one_line(err) == f"newsbot: error: {url} is not in the feed list (see: newsbot feeds list)"
    code, out, _ = run(["feeds", "list"], capsys)
    assert out.strip() == "no feeds yet: add one with newsbot feeds add URL"


def test_a_url_that_is_not_http_is_bad_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["feeds", "add", "ftp://example.org/rss.xml"], capsys)
    assert (code, out) == (2, "")
    assert one_line(err) == (
        "newsbot: error: 'ftp://example.org/rss.xml' is not an http(s) URL such as https://example.org/rss.xml"
    )


def test_poll_ingests_reports_a_broken_feed_and_fails(
    web: FeedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    run(["feeds", "add", web.url("/rss.xml")], capsys)
    run(["feeds", "add", web.url("/gone.xml")], capsys)

    code, out, _ = run(["feeds", "poll"], capsys)

    assert code == 1  # one feed failed
    assert out.splitlines() == [
        f"{web.url('/rss.xml')}: 1 added, 0 updated, 0 unchanged",
        f"{web.url('/gone.xml')}: failed: {web.url('/gone.xml')}: HTTP 404 Not Found",
    ]
    listed = {f["url"]: f for f in json.loads(run(["feeds", "list", "--json"], capsys)[1])}
    assert listed[web.url("/rss.xml")]["articles_added"] == 1
    assert listed[web.url("/rss.xml")]["last_error"] is None
    assert listed[web.url("/gone.xml")]["last_error"] == f"{web.url('/gone.xml')}: HTTP 404 Not Found"
    assert listed[web.url("/gone.xml")]["last_success"] is None
    stats = json.loads(run(["stats", "--json"], capsys)[1])
    assert stats["articles"] == 1 and stats["sources"] == {"Финансы": 1}

    run(["feeds", "remove", web.url("/gone.xml")], capsys)
    code, out, _ = run(["feeds", "poll", "--json"], capsys)
    assert code == 0
    assert json.loads(out)["feeds"] == [
        {
            "url": web.url("/rss.xml"),
            "added": 0,
            "updated": 0,
            "unchanged": 0,
            "not_modified": True,
            "error": None,
            "warnings": [],
        }
    ]


def test_poll_without_feeds_says_so(capsys: pytest.CaptureFixture[str], web: FeedServer) -> None:
    code, out, _ = run(["feeds", "poll"], capsys)
    assert (code, out.strip()) == (0, "no feeds to poll: add one with newsbot feeds add URL")


def test_watch_polls_every_round(web: FeedServer, capsys: pytest.CaptureFixture[str]) -> None:
    run(["feeds", "add", web.url("/rss.xml")], capsys)

    code, out, err = run(["watch", "--rounds", "2", "--interval", "0"], capsys)

    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "watching the feeds every 0 min (Ctrl-C stops)"
    assert lines[1].endswith(f" {web.url('/rss.xml')}: 1 added, 0 updated, 0 unchanged")
    assert lines[2].endswith(f" {web.url('/rss.xml')}: not modified")
    assert [r.status for r in web.requests_to("/rss.xml")] == [200, 304]


def test_watch_refuses_a_negative_interval(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["watch", "--interval", "-1"], capsys)
    assert (code, out) == (2, "")
    assert one_line(err) == "newsbot: error: --interval -1: give minutes, 0 or more"


def test_ctrl_c_stops_a_poll_stuck_on_a_feed_that_trickles_its_answer(
    web: FeedServer, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBOT_FEED_TIMEOUT", "600")  # only Ctrl-C can end it in time
    web.route("/slow.xml", Route(trickle=0.5))
    slow = web.url("/slow.xml")
    run(["feeds", "add", slow], capsys)
    run(["feeds", "add", web.url("/rss.xml")], capsys)

    def press_ctrl_c() -> None:  # as a person at the terminal, once the poll is stuck on /slow.xml
        deadline = time.monotonic() + 60
        while not web.requests_to("/slow.xml") and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=press_ctrl_c, daemon=True).start()
    code, out, _ = run(["feeds", "poll"], capsys)  # the server gives up after 2 min: no hang, a failure

    assert code == 1
    assert out.splitlines() == [
        f"{slow}: failed: {slow}: cancelled before all its entries were ingested; polled again next time",
        "cancelled: the remaining feeds are polled next time",
    ]
    assert web.requests_to("/rss.xml") == []  # the next feed waits for the next round
