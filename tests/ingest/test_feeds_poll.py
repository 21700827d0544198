"""Feeds end to end: a local web server serves RSS 2.0, RSS 1.0 and Atom feeds and their pages; the poller
ingests them into a real embedded store with the bundled model, and a search finds them."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest

from ingest.feeds.poll import FeedOutcome, FeedPoller, PollReport, poll_lease
from ingest.feeds.registry import FeedRegistry
from ingest.locking import local_lock
from retrieval.embeddings import E5Embeddings
from retrieval.search.searcher import Searcher
from retrieval.settings import Settings, load_settings
from retrieval.store.chunks import ChunkStore
from tests.emulators.feed_server import (
    FeedItem,
    FeedServer,
    Route,
    article_html,
    atom_feed,
    rdf_feed,
    rss_feed,
)

RATE = (
    "Банк России снизил ключевую ставку до 16 процентов годовых.\n\n"
    "Совет директоров объяснил решение замедлением инфляции и охлаждением кредитования; аналитики "
    "ожидали такого шага после осеннего заседания."
)
FLOOD = (
    "Паводок в Оренбургской области затопил более двух тысяч домов.\n\n"
    "Спасатели эвакуировали жителей прибрежных сёл, уровень воды в Урале продолжает подниматься."
)
CHESS = (
    "Шахматный турнир претендентов в Торонто выиграл Гукеш.\n\n"
    "Семнадцатилетний индийский гроссмейстер сыграет матч за звание чемпиона мира с Дин Лижэнем."
)
DAY = datetime(2024, 4, 22, 9, 30, tzinfo=UTC)


@pytest.fixture
def web() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path / "data",
        "feeds_allow_private": True,
        "feed_host_delay": 0,
        "feed_timeout": 2,
    }
    return load_settings(**(values | overrides))


def open_store(settings: Settings) -> ChunkStore:
    return ChunkStore.open(None, settings.data_dir / "chroma", settings.collection)


def by_url(report: PollReport) -> dict[str, FeedOutcome]:
    return {o.url: o for o in report.outcomes}


def test_rss_atom_and_rdf_entries_become_articles_that_search_finds(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.page("/rate.html", article_html("ЦБ снизил ставку", RATE))
    web.page("/flood.html", article_html("Паводок в Оренбурге", FLOOD))
    web.page("/chess.html", article_html("Гукеш выиграл турнир", CHESS))
    web.feed(
        "/rss.xml",
        rss_feed("Финансы", [FeedItem("ЦБ снизил ставку", web.url("/rate.html"), "кратко", "r1", DAY)]),
    )
    web.feed(
        "/atom.xml",
        atom_feed(
            "Регионы", [FeedItem("Паводок в Оренбурге", web.url("/flood.html"), "кратко", "urn:f1", DAY)]
        ),
        content_type="application/atom+xml",
    )
    web.feed(
        "/rdf.xml",
        rdf_feed("Спорт", [FeedItem("Гукеш выиграл турнир", web.url("/chess.html"), "кратко", None, DAY)]),
    )
    settings = settings_for(tmp_path)
    store = open_store(settings)
    registry = FeedRegistry(store)
    registry.add(web.url("/rss.xml"))
    registry.add(web.url("/atom.xml"), source="Вести Урала")
    registry.add(web.url("/rdf.xml"))

    report = FeedPoller(store, e5, settings).poll()

    assert report.held_by is None
    outcomes = by_url(report)
    assert [(o.added, o.error) for o in outcomes.values()] == [(1, None)] * 3
    articles = store.articles()
    assert set(articles) == {"r1", "urn:f1", web.url("/chess.html")}  # guid, Atom id, RDF item's link
    rate = articles["r1"]
    assert (rate.title, rate.date, rate.url, rate.source) == (
        "ЦБ снизил ставку",
        date(2024, 4, 22),
        web.url("/rate.html"),
        "Финансы",
    )
    assert articles["urn:f1"].source == "Вести Урала"  # --source wins over the feed's title
    assert articles[web.url("/chess.html")].source == "Спорт"
    assert store.article_roots()["r1"] == f"feed:{web.url('/rss.xml')}"

    passages = Searcher(store, e5).search("Какая теперь ключевая ставка?", k=3).passages
    assert passages[0].article_id == "r1"
    assert "16 процентов" in passages[0].chunk.text  # the page's text, not the entry's summary
    assert "Главная" not in passages[0].chunk.text and "All rights reserved" not in passages[0].chunk.text
    found = Searcher(store, e5).search("наводнение, эвакуация жителей", k=1).passages
    assert found[0].article_id == "urn:f1"

    state = {f.url: f for f in registry.feeds()}
    rss = state[web.url("/rss.xml")]
    assert rss.articles_added == 1 and rss.last_error is None
    assert rss.last_poll is not None and rss.last_success == rss.last_poll
    assert state[web.url("/atom.xml")].source == "Вести Урала"  # the poll's update kept the listing


def test_the_next_poll_is_conditional_and_reads_nothing_unchanged(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.page("/rate.html", article_html("ЦБ снизил ставку", RATE))
    web.feed(
        "/rss.xml", rss_feed("Финансы", [FeedItem("ЦБ снизил ставку", web.url("/rate.html"), "", "r1", DAY)])
    )
    settings = settings_for(tmp_path)
    store = open_store(settings)
    FeedRegistry(store).add(web.url("/rss.xml"))
    poller = FeedPoller(store, e5, settings)
    poller.poll()
    first = web.requests_to("/rss.xml")[0]
    assert "If-None-Match" not in first.headers

    second = poller.poll()

    asked = web.requests_to("/rss.xml")[1]
    served = web.requests_to("/rss.xml")[0]
    assert asked.headers["If-None-Match"] == _etag(web, "/rss.xml")
    assert asked.headers["If-Modified-Since"]
    assert asked.status == 304 and served.status == 200
    assert by_url(second)[web.url("/rss.xml")].not_modified
    assert len(web.requests_to("/rate.html")) == 1  # the page was not fetched again
    assert len(store.articles()) == 1


def _etag(web: FeedServer, path: str) -> str:
    return web._routes[path].etag


def test_an_edited_entry_replaces_its_article_and_an_unchanged_one_is_not_fetched_again(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.page("/rate.html", article_html("ЦБ снизил ставку", RATE))
    web.page("/flood.html", article_html("Паводок в Оренбурге", FLOOD))
    items = [
        FeedItem("ЦБ снизил ставку", web.url("/rate.html"), "", "r1", DAY),
        FeedItem("Паводок в Оренбурге", web.url("/flood.html"), "", "f1", DAY),
    ]
    web.feed("/rss.xml", rss_feed("Новости", items))
    settings = settings_for(tmp_path)
    store = open_store(settings)
    FeedRegistry(store).add(web.url("/rss.xml"))
    poller = FeedPoller(store, e5, settings)
    assert by_url(poller.poll())[web.url("/rss.xml")].added == 2

    edited = RATE.replace("16 процентов", "15 процентов")
    web.page("/rate.html", article_html("ЦБ снизил ставку до 15%", edited))
    items[0] = FeedItem("ЦБ снизил ставку до 15%", web.url("/rate.html"), "", "r1", DAY)
    web.feed("/rss.xml", rss_feed("Новости", items))
    outcome = by_url(poller.poll())[web.url("/rss.xml")]

    assert (outcome.added, outcome.updated, outcome.unchanged, outcome.error) == (0, 1, 1, None)
    assert len(web.requests_to("/flood.html")) == 1 and len(web.requests_to("/rate.html")) == 2
    assert store.articles()["r1"].title == "ЦБ снизил ставку до 15%"
    texts = [c.text for _, c in store.visible_chunks() if c.article_id == "r1"]
    assert any("15 процентов" in t for t in texts) and not any("16 процентов" in t for t in texts)


def test_broken_feeds_are_reported_and_broken_pages_fall_back_to_the_summary(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    cap = 50_000
    web.status("/gone.xml", 404)
    web.feed(
        "/broken.xml",
        "<rss><channel><title>Сломано</title><item><title>",
    )  # no entry survives
    web.page("/not-a-feed.xml", "<html><body><p>Just a page.</p></body></html>")
    web.route("/slow.html", Route(article_html("Медленно", CHESS).encode(), delay=3.0))
    web.route("/huge.html", Route(b"<html><body>" + b"<p>word </p>" * cap + b"</body></html>", chunked=True))
    web.route("/file.pdf", Route(b"%PDF-1.4 ...", content_type="application/pdf"))
    items = [
        FeedItem("Медленная страница", web.url("/slow.html"), "Гукеш выиграл турнир претендентов.", "s1"),
        FeedItem("Огромная страница", web.url("/huge.html"), "Паводок затопил дома в Оренбурге.", "h1"),
        FeedItem("Не страница", web.url("/file.pdf"), "Банк России снизил ставку.", "p1"),
        FeedItem("Пропавшая страница", web.url("/missing.html"), "Спасатели эвакуировали жителей.", "m1"),
    ]
    web.feed("/good.xml", rss_feed("Живая лента", items))
    settings = settings_for(tmp_path, feed_timeout=1, feed_max_bytes=cap)
    store = open_store(settings)
    registry = FeedRegistry(store)
    for path in ("/gone.xml", "/broken.xml", "/not-a-feed.xml", "/good.xml"):
        registry.add(web.url(path))

    outcomes = by_url(FeedPoller(store, e5, settings).poll())

    assert outcomes[web.url("/gone.xml")].error == f"{web.url('/gone.xml')}: HTTP 404 Not Found"
    for path in ("/broken.xml", "/not-a-feed.xml"):  # malformed XML, an HTML page
        assert str(outcomes[web.url(path)].error).startswith(f"{web.url(path)}: not an RSS or Atom feed: ")
    good = outcomes[web.url("/good.xml")]
    assert (good.added, good.error) == (4, None)
    warnings = "\n".join(good.warnings)
    assert f"{web.url('/slow.html')}: no complete answer within 1 s" in warnings
    assert f"{web.url('/huge.html')}: more than the 50,000 bytes allowed" in warnings
    assert f"{web.url('/file.pdf')}: application/pdf, not an HTML page" in warnings
    assert f"{web.url('/missing.html')}: HTTP 404 Not Found" in warnings
    texts = {c.article_id: c.text.split("\n\n", 1)[1] for _, c in store.visible_chunks()}  # after the title
    assert texts == {
        "s1": "Гукеш выиграл турнир претендентов.",
        "h1": "Паводок затопил дома в Оренбурге.",
        "p1": "Банк России снизил ставку.",
        "m1": "Спасатели эвакуировали жителей.",
    }
    state = {f.url: f for f in registry.feeds()}
    assert state[web.url("/gone.xml")].last_error == f"{web.url('/gone.xml')}: HTTP 404 Not Found"
    assert state[web.url("/gone.xml")].last_success is None
    assert state[web.url("/good.xml")].last_error is None


def test_a_malformed_feed_that_still_has_entries_is_ingested_with_a_warning(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    xml = rss_feed("Лента", [FeedItem("ЦБ снизил ставку", None, "Банк России снизил ставку до 16%.", "r1")])
    web.feed("/rss.xml", xml.replace("</channel></rss>", "<oops></channel>"))
    settings = settings_for(tmp_path)
    store = open_store(settings)
    FeedRegistry(store).add(web.url("/rss.xml"))

    outcome = by_url(FeedPoller(store, e5, settings).poll())[web.url("/rss.xml")]

    assert (outcome.added, outcome.error) == (1, None)
    assert outcome.warnings[0].startswith(f"{web.url('/rss.xml')}: malformed feed")
    assert set(store.articles()) == {"r1"}


def test_a_feed_on_a_private_address_is_refused_unless_allowed(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    settings = settings_for(tmp_path, feeds_allow_private=False)
    store = open_store(settings)
    FeedRegistry(store).add(web.url("/rss.xml"))

    outcome = by_url(FeedPoller(store, e5, settings).poll())[web.url("/rss.xml")]

    assert outcome.error == (
        f"{web.url('/rss.xml')}: 127.0.0.1 is at 127.0.0.1, a loopback, private or link-local address "
        "(set NEWSBOT_FEEDS_ALLOW_PRIVATE=true to allow it)"
    )
    assert web.requests == []
    assert store.articles() == {}


def test_a_redirect_is_followed_and_its_hops_are_checked(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.feed("/new.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    web.redirect("/old.xml", web.url("/new.xml"), status=301)
    web.redirect("/loop.xml", web.url("/loop.xml"))
    web.redirect("/ftp.xml", "ftp://127.0.0.1/rss.xml")
    settings = settings_for(tmp_path, feed_max_redirects=3)
    store = open_store(settings)
    registry = FeedRegistry(store)
    for path in ("/old.xml", "/loop.xml", "/ftp.xml"):
        registry.add(web.url(path))

    outcomes = by_url(FeedPoller(store, e5, settings).poll())

    assert (outcomes[web.url("/old.xml")].added, outcomes[web.url("/old.xml")].error) == (1, None)
    assert outcomes[web.url("/loop.xml")].error == (
        f"{web.url('/loop.xml')}: more than 3 redirects (NEWSBOT_FEED_MAX_REDIRECTS)"
    )
    assert len(web.requests_to("/loop.xml")) == 4
    assert (
        outcomes[web.url("/ftp.xml")].error == "ftp://127.0.0.1/rss.xml: only http and https URLs are fetched"
    )


def test_a_round_is_skipped_while_another_process_polls(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    settings = settings_for(tmp_path)
    store = open_store(settings)
    store.ensure(e5.model_id, e5.dim)
    FeedRegistry(store).add(web.url("/rss.xml"))
    other = poll_lease(open_store(settings))
    assert other.try_take()

    report = FeedPoller(store, e5, settings).poll()

    assert report.outcomes == [] and report.held_by is not None and "process" in report.held_by
    assert web.requests == []
    other.release()
    assert by_url(FeedPoller(store, e5, settings).poll())[web.url("/rss.xml")].added == 1


def test_a_cancelled_round_keeps_no_validators_and_the_next_one_reads_everything(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    cancel = threading.Event()
    web.route("/rate.html", Route(article_html("ЦБ снизил ставку", RATE).encode(), on_request=cancel.set))
    web.page("/flood.html", article_html("Паводок в Оренбурге", FLOOD))
    items = [
        FeedItem("ЦБ снизил ставку", web.url("/rate.html"), "", "r1", DAY),
        FeedItem("Паводок в Оренбурге", web.url("/flood.html"), "", "f1", DAY),
    ]
    web.feed("/rss.xml", rss_feed("Новости", items))
    settings = settings_for(tmp_path)
    store = open_store(settings)
    registry = FeedRegistry(store)
    registry.add(web.url("/rss.xml"))
    poller = FeedPoller(store, e5, settings)

    first = by_url(poller.poll(cancel))[web.url("/rss.xml")]  # Ctrl-C while the first page is read

    assert first.error == (
        f"{web.url('/rss.xml')}: cancelled before all its entries were ingested; polled again next time"
    )
    assert web.requests_to("/flood.html") == []
    assert registry.feeds()[0].etag is None
    second = by_url(poller.poll())[web.url("/rss.xml")]
    assert (second.added, second.error, second.not_modified) == (2, None, False)
    assert set(store.articles()) == {"r1", "f1"}


def test_a_round_waits_for_another_ingestion_and_then_ingests(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings, caplog: pytest.LogCaptureFixture
) -> None:
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, RATE, "r1", DAY)]))
    settings = settings_for(tmp_path, ingest_wait=120)
    store = open_store(settings)
    FeedRegistry(store).add(web.url("/rss.xml"))
    caplog.set_level(logging.INFO, logger="ingest.locking")
    reports: list[PollReport] = []
    with local_lock(settings.data_dir / "locks", store):  # `newsbot ingest`, a channel's posts
        round_ = threading.Thread(target=lambda: reports.append(FeedPoller(store, e5, settings).poll()))
        round_.start()
        deadline = time.monotonic() + 120
        while "waiting up to" not in caplog.text:
            assert time.monotonic() < deadline and round_.is_alive(), caplog.text
            time.sleep(0.05)
    round_.join(120)

    [outcome] = reports[0].outcomes
    assert (outcome.added, outcome.error, reports[0].postponed) == (1, None, [])
    assert set(store.articles()) == {"r1"}


def test_a_round_whose_wait_runs_out_leaves_the_other_feeds_for_the_next_one(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    for name, text in (("rate", RATE), ("flood", FLOOD), ("chess", CHESS)):
        web.feed(f"/{name}.xml", rss_feed(name, [FeedItem(name, None, text, name, DAY)]))
    settings = settings_for(tmp_path, ingest_wait=0.5)
    store = open_store(settings)
    registry = FeedRegistry(store)
    for name in ("rate", "flood", "chess"):
        registry.add(web.url(f"/{name}.xml"))
    poller = FeedPoller(store, e5, settings)

    with local_lock(settings.data_dir / "locks", store):
        held_out = poller.poll()

    [first] = held_out.outcomes
    assert first.locked and first.added == 0
    assert first.error is not None and first.error.endswith("Gave up after waiting 0.5 s.")
    assert len(held_out.postponed) == 2 and first.url not in held_out.postponed
    assert not held_out.cancelled
    assert all(web.requests_to(urlparse(url).path) == [] for url in held_out.postponed)  # not even fetched
    again = poller.poll(only_due=True)  # the postponed feeds are due still
    assert sorted(o.url for o in again.outcomes) == sorted(held_out.postponed)
    assert all(o.added == 1 for o in again.outcomes)
