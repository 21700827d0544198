"""A poll against servers that never finish answering, and a poll that is asked to stop: a fetch ends by its
deadline however slowly the bytes come, a stop ends the request in flight, and a long feed stopped halfway
keeps the articles it has written (and does not fetch their pages again)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from ingest.feeds.errors import FetchCancelled, FetchError
from ingest.feeds.fetch import Fetcher, FetchPolicy
from ingest.feeds.poll import FeedPoller, PollReport
from ingest.feeds.registry import FeedRegistry
from retrieval.embeddings import E5Embeddings
from retrieval.settings import Settings, load_settings
from retrieval.store.chunks import ChunkStore
from tests.emulators.feed_server import FeedItem, FeedServer, Route, article_html, rss_feed

T = TypeVar("T")
BOUND = 60.0
"""Seconds a test waits for a fetch or a poll that must end long before: a bound against hanging, not a
measure of speed."""


@pytest.fixture
def web() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


def settings_for(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {"data_dir": tmp_path / "data", "feeds_allow_private": True}
    values["feed_host_delay"] = 0
    return load_settings(**(values | overrides))


def open_store(settings: Settings) -> ChunkStore:
    return ChunkStore.open(None, settings.data_dir / "chroma", settings.collection)


def in_thread(work: Callable[[], T]) -> tuple[threading.Thread, list[T | BaseException]]:
    """``work()`` started in a daemon thread; the list receives its result or its exception."""
    done: list[T | BaseException] = []

    def run() -> None:
        try:
            done.append(work())
        except BaseException as exc:
            done.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, done


def finished(thread: threading.Thread, done: list[T | BaseException]) -> T | BaseException:
    thread.join(BOUND)
    assert not thread.is_alive(), f"still running after {BOUND:g} s"
    [result] = done
    return result


def wait_until(condition: Callable[[], object]) -> None:
    deadline = time.monotonic() + BOUND
    while not condition():
        assert time.monotonic() < deadline, "the server never saw the request"
        time.sleep(0.05)


def test_an_answer_trickled_a_byte_at_a_time_fails_by_its_deadline(web: FeedServer) -> None:
    web.route("/slow.xml", Route(trickle=0.5))  # each read gets a byte well within any read timeout

    def fetch() -> object:
        with Fetcher(FetchPolicy(timeout=2, allow_private=True)) as fetcher:
            return fetcher.get(web.url("/slow.xml"))

    error = finished(*in_thread(fetch))

    assert isinstance(error, FetchError)
    assert str(error) == f"{web.url('/slow.xml')}: no complete answer within 2 s"
    assert len(web.requests_to("/slow.xml")) == 1


def test_a_stop_request_ends_a_poll_stuck_on_a_trickling_feed(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    web.route("/slow.xml", Route(trickle=0.5))
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    settings = settings_for(tmp_path, feed_timeout=600)  # only the stop can end it in time
    store = open_store(settings)
    registry = FeedRegistry(store)
    registry.add(web.url("/slow.xml"))
    registry.add(web.url("/rss.xml"))
    cancel = threading.Event()
    thread, done = in_thread(lambda: FeedPoller(store, e5, settings).poll(cancel))
    wait_until(lambda: web.requests_to("/slow.xml"))

    cancel.set()
    report = finished(thread, done)

    assert isinstance(report, PollReport) and report.cancelled
    [outcome] = report.outcomes  # the feed after it waits for the next round
    assert outcome.cancelled and outcome.error == (
        f"{web.url('/slow.xml')}: cancelled before all its entries were ingested; polled again next time"
    )
    assert web.requests_to("/rss.xml") == []
    assert registry.get(web.url("/slow.xml")).last_error == outcome.error  # type: ignore[union-attr]


def test_a_stop_request_ends_a_wait_between_two_requests_to_one_host(web: FeedServer) -> None:
    web.feed("/rss.xml", rss_feed("Лента", [FeedItem("Ставка", None, "Банк России снизил ставку.", "r1")]))
    cancel = threading.Event()
    fetcher = Fetcher(FetchPolicy(timeout=5, allow_private=True, host_delay=600), cancel=cancel)
    fetcher.get(web.url("/rss.xml"))
    thread, done = in_thread(lambda: fetcher.get(web.url("/rss.xml")))  # waits 600 s for the host

    cancel.set()
    error = finished(thread, done)
    fetcher.close()

    assert isinstance(error, FetchCancelled)
    assert str(error) == f"{web.url('/rss.xml')}: stopped before it was requested"
    assert len(web.requests_to("/rss.xml")) == 1


def test_a_long_feed_is_written_as_it_is_read_and_a_stop_keeps_what_was_written(
    tmp_path: Path, web: FeedServer, e5: E5Embeddings
) -> None:
    cancel = threading.Event()
    items = []
    for n in range(1, 41):
        page = f"/p{n}.html"
        text = f"Новость номер {n}: в городе открыли {n} новых библиотек и читальных залов."
        web.route(page, Route(article_html(f"Новость {n}", text).encode(), on_request=None))
        items.append(FeedItem(f"Новость {n}", web.url(page), "кратко", f"e{n}"))
    web.route("/p20.html", Route(article_html("Новость 20", "Двадцать.").encode(), on_request=cancel.set))
    web.feed("/rss.xml", rss_feed("Лента", items))
    settings = settings_for(tmp_path, feed_timeout=5)
    store = open_store(settings)
    registry = FeedRegistry(store)
    registry.add(web.url("/rss.xml"))
    poller = FeedPoller(store, e5, settings)
    poller.batch_size = 8

    first = poller.poll(cancel)  # Ctrl-C while the 20th page is read: the third batch

    [outcome] = first.outcomes
    assert first.cancelled and outcome.cancelled and outcome.added == 16
    assert set(store.articles()) == {f"e{n}" for n in range(1, 17)}  # two batches written, searchable
    assert registry.feeds()[0].articles_added == 16 and registry.feeds()[0].etag is None

    [second] = poller.poll().outcomes

    assert (second.added, second.error, second.unchanged) == (24, None, 16)
    assert set(store.articles()) == {f"e{n}" for n in range(1, 41)}
    assert [len(web.requests_to(f"/p{n}.html")) for n in (1, 16, 17, 20, 21, 40)] == [1, 1, 2, 2, 1, 1]
    assert registry.feeds()[0].articles_added == 40
