"""Rendering is pure: answers, sources and search pages as Telegram HTML, split under 4096 characters."""

from __future__ import annotations

import pickle
import re
from dataclasses import replace
from datetime import date

import pytest

from bot.present.html import render_answer, render_progress, render_sources, render_stats, source_line
from bot.present.markup import escape, link
from bot.present.pages import render_search
from bot.present.report import format_stats
from bot.present.split import MAX_MESSAGE, split_html, utf16_len
from ingest.pipeline import Progress
from retrieval.entities.who import Counted
from retrieval.records import Answer, Chunk, Citation, Copy, Passage, StoreStats
from tests.emulators.bot_api import parse_html

MARKER = re.compile(r"\[\d+\]")


def passage(i: int, text: str, *, url: str | None = "https://example.org/a", source: str = "Wire") -> Passage:
    chunk = Chunk(f"art-{i}", 0, text, 0, len(text), f"Title {i} <&>", date(2026, 1, i % 28 + 1), url, source)
    return Passage(chunk, 1.0 / (i + 1))


def citation(n: int, quote: str = "A quote.", url: str | None = "https://example.org/a?x=1&y=2") -> Citation:
    return Citation(n, f"art-{n}", f"Title {n} <b>not bold</b>", date(2026, 1, n), url, "Wire & Co", quote)


def visible(html: str) -> str:
    """What the user sees, as Telegram's parser (the emulator's copy of tdlib's) turns it out."""
    return parse_html(html)[0]


def words(text: str) -> list[str]:
    return text.split()


def long_answer(chars: int = 10_000) -> Answer:
    sentences: list[str] = []
    n = 0
    while sum(len(s) + 1 for s in sentences) < chars:
        n += 1
        sentences.append(
            f"Sentence {n} says that prices & wages <rose> by {n}% in region «{n}» [{n % 7 + 1}]."
        )
    text = " ".join(sentences)
    citations = tuple(citation(i) for i in range(1, 8))
    return Answer("what happened to prices?", text, False, citations)


def test_escapes_user_and_article_text() -> None:
    assert escape("<b>x</b> & y") == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert (
        link("a <b>", 'https://e.org/?q=1&r="2"')
        == '<a href="https://e.org/?q=1&amp;r=&quot;2&quot;">a &lt;b&gt;</a>'
    )
    assert link("title", "javascript:alert(1)") == "title"
    assert link("title", None) == "title"


def test_a_short_answer_is_one_message_with_its_source_lines() -> None:
    answer = Answer("who?", "Witkoff and Kushner [1].", False, (citation(1), citation(2, url=None)))
    [message] = render_answer(answer)
    shown = visible(message)
    assert shown.startswith("Witkoff and Kushner [1].")
    assert "Sources:\n[1] Title 1 <b>not bold</b> — 2026-01-01 — Wire & Co\n[2] Title 2" in shown
    assert '<a href="https://example.org/a?x=1&amp;y=2">' in message


def test_answer_labels_follow_the_question_language() -> None:
    answer = Answer("кто представит США?", "Уиткофф [1].", False, (citation(1),))
    assert "Источники:" in visible(render_answer(answer)[0])


def test_a_10000_character_answer_is_split_without_breaking_tags_citations_or_source_lines() -> None:
    answer = long_answer()
    assert len(answer.text) >= 10_000
    messages = render_answer(answer)
    assert len(messages) >= 3
    shown = [visible(m) for m in messages]  # each part parses on its own: no broken tag or reference
    for m in messages:
        assert utf16_len(m) <= MAX_MESSAGE
    expected = [*words(answer.text), "Sources:"]
    for c in answer.citations:
        expected += words(visible(source_line(c)))
    assert words(" ".join(shown)) == expected  # nothing lost, nothing doubled
    for part in shown:  # every citation marker whole, never cut off the sentence it closes
        assert not re.search(r"\[\d*$|^\d*\]", part)
        assert not part.lstrip().startswith("[")
    lines = [line for s in shown for line in s.splitlines()]
    for c in answer.citations:  # every source line whole, in one message
        assert visible(source_line(c)) in lines


def test_splitting_reopens_tags_that_span_a_cut() -> None:
    html = "<b>" + " ".join(f"word{i}" for i in range(2000)) + "</b> tail"
    parts = split_html(html, limit=1000)
    assert len(parts) > 10
    for part in parts:
        assert utf16_len(part) <= 1000
        text, entities = parse_html(part)
        if "tail" not in text:
            assert entities and entities[0]["type"] == "bold" and entities[0]["length"] == utf16_len(text)
    assert words(" ".join(visible(p) for p in parts)) == words(visible(html))


def test_splitting_never_cuts_a_reference_or_a_marker() -> None:
    html = "&amp;[12]" * 700  # no spaces at all: only hard cuts are possible
    parts = split_html(html, limit=100)
    assert all(utf16_len(p) <= 100 for p in parts)
    for part in parts:
        assert visible(part) == "&[12]" * (len(visible(part)) // 5)
    assert "".join(visible(p) for p in parts) == "&[12]" * 700


def test_a_short_text_is_left_alone_and_blank_text_vanishes() -> None:
    assert split_html("  <b>hi</b>  ") == ["<b>hi</b>"]
    assert split_html(" \n ") == []


def test_sources_show_the_passage_around_each_quote() -> None:
    text = "First sentence. The quoted sentence & more. Last one."
    answer = Answer(
        "who?",
        "x [1]",
        False,
        (citation(1, quote="The quoted sentence & more."),),
        passages=(passage(1, text),),
    )
    [message] = render_sources(answer)
    assert "<b>The quoted sentence &amp; more.</b>" in message
    assert "First sentence." in visible(message) and "Last one." in visible(message)


def test_search_pages_carry_date_outlet_and_link_and_fit_the_limit() -> None:
    passages = [passage(i, f"Passage {i} " + "text " * 400) for i in range(1, 18)]
    pages = render_search("prices <since>", passages)
    assert pages.total == 17
    assert len(pages.pages) >= 4
    for page in pages.pages:
        assert utf16_len(page) <= MAX_MESSAGE
        visible(page)
    first = visible(pages.pages[0])
    assert first.startswith("🔎 prices <since>: 1–")
    assert "2026-01-02 · Wire" in first and "Title 1 <&>" in first
    assert '<a href="https://example.org/a">Title 1 &lt;&amp;&gt;</a>' in pages.pages[0]
    numbers = [int(n) for page in pages.pages for n in re.findall(r"^(\d+)\. ", visible(page), re.M)]
    assert numbers == list(range(1, 18))


def test_also_in_names_the_first_copies_and_counts_the_rest_also_those_not_read() -> None:
    copies = tuple(Copy(f"c{n}", f"C {n}", source=f"Outlet {n}", url=f"https://e.org/{n}") for n in range(7))
    shown = visible(source_line(replace(citation(1), copies=copies[:2])))
    assert shown.endswith("Also in: Outlet 0, Outlet 1")
    shown = visible(source_line(replace(citation(1), copies=copies, more_copies=120)))
    assert shown.endswith("Also in: Outlet 0, Outlet 1, Outlet 2, Outlet 3, Outlet 4 +122")
    [page] = render_search("wire", [replace(passage(1, "Text."), copies=copies[:1], more_copies=3)]).pages
    assert "Also in: Outlet 0 +3" in visible(page)


class SavedBefore:
    """Pickles as ``record`` was pickled before its last ``dropped`` fields existed (the bot keeps
    answers and passages in its state file across restarts, and so across upgrades)."""

    def __init__(self, record: Citation | Passage | Copy, dropped: int) -> None:
        self.record, self.dropped = record, dropped

    def __reduce__(self) -> tuple[object, ...]:
        kind = type(self.record)
        return (kind.__new__, (kind,), self.record.__getstate__()[: -self.dropped])


def test_answers_and_passages_saved_by_an_older_version_render_after_an_upgrade() -> None:
    old = pickle.loads(pickle.dumps(SavedBefore(citation(1), dropped=2)))
    assert old == citation(1) and old.more_copies == 0 and old.origin == ""
    assert visible(source_line(old)).startswith("[1] Title 1")
    older = pickle.loads(pickle.dumps(SavedBefore(passage(1, "Text."), dropped=3)))
    assert older.copies == () and older.more_copies == 0 and older.origin == ""
    assert "Text." in visible(render_search("wire", [older]).pages[0])
    copy = pickle.loads(pickle.dumps(SavedBefore(Copy("c", "C", source="Outlet"), dropped=1)))
    assert copy == Copy("c", "C", source="Outlet") and copy.origin == ""


def test_a_source_without_outlet_or_link_names_the_file_it_came_from() -> None:
    plain = Citation(1, "city/bridge.txt", "Мост открыли.", None, None, None, "q", origin="city/bridge.txt")
    assert visible(source_line(plain)) == "[1] Мост открыли. — undated — city/bridge.txt"
    russian = Answer("Когда открыли мост?", "Мост открыли [1].", False, (plain,))
    assert "Источники:\n[1] Мост открыли. — без даты — city/bridge.txt" in visible(render_answer(russian)[0])
    with_outlet = replace(citation(1), origin="wire.jsonl:3")
    assert "wire.jsonl" not in visible(source_line(with_outlet))
    with_link = replace(citation(1), source=None, origin="wire.jsonl:3")
    assert visible(source_line(with_link)) == "[1] Title 1 <b>not bold</b> — 2026-01-01"
    forged = replace(plain, origin="a<b>\n[2] forged.txt")
    assert visible(source_line(forged)) == "[1] Мост открыли. — undated — a<b>\\n[2] forged.txt"
    assert "a&lt;b&gt;" in source_line(forged)


def test_search_results_and_copies_without_outlet_or_link_name_their_file() -> None:
    chunk = Chunk("notes.txt", 0, "Мост открыли в мае.", 0, 19, "Мост открыли в мае.")
    copy = Copy("copy.txt", "Мост открыли в мае.", origin="more/copy.txt")
    found = Passage(chunk, 1.0, origin="notes.txt", copies=(copy,))
    [page] = render_search("мост", [found]).pages
    assert "1. Мост открыли в мае.\nбез даты · notes.txt\nТакже в: more/copy.txt" in visible(page)
    linked = replace(copy, url="https://e.org/copy")
    assert visible(source_line(replace(citation(1), copies=(linked,)))).endswith(
        "Also in: Мост открыли в мае."
    )


def test_search_names_who_its_results_mention_most_under_the_first_header_only() -> None:
    mentioned = [Counted("person:иван <петров>", "Иван <Петров>", "person", 3)]
    passages = [passage(i, f"Текст {i}.") for i in range(7)]
    first, second = render_search("мост", passages, per_page=5, mentioned=mentioned).pages
    assert visible(first).splitlines()[1] == "👥 Чаще всего упоминаются: Иван <Петров> (3)"
    assert "👥" not in visible(second)
    assert "👥" not in visible(render_search("bridge", passages).pages[0])  # none mentioned twice


def test_search_with_nothing_found() -> None:
    assert visible(render_search("марсиане", []).pages[0]) == "Ничего не найдено: «марсиане»."


@pytest.mark.parametrize(
    ("progress", "expected"),
    [
        (None, "Reading files…"),
        (Progress(5, 10, 50, 100, 10.0), "Articles 5 / 10 · chunks 50 / 100 · 5.0 chunks/s · ETA 10 s"),
    ],
)
def test_progress_line(progress: Progress | None, expected: str) -> None:
    assert expected in visible(render_progress("Re-ingesting /srv/news", progress))


def test_stats_for_everyone_hide_internals_and_escape_outlets() -> None:
    sources = {f"<Outlet {i}>": 20 - i for i in range(20)}
    stats = StoreStats(3, 9, date(2026, 1, 1), date(2026, 1, 6), sources, "e5", "/srv/chroma", None)
    public = render_stats(stats)
    assert public.startswith("<b>Archive</b>\nArticles: 3\nChunks: 9\nDates: 2026-01-01 … 2026-01-06")
    assert "&lt;Outlet 0&gt;: 20" in public and "<Outlet" not in public
    assert "/srv/chroma" not in public and "e5" not in public
    assert "Last ingestion: never" in public
    cli = format_stats(stats).splitlines()
    assert "Store: /srv/chroma" in cli and "Embedding model: e5" in cli
    assert cli[-1] == "  … and 5 more" and "  <Outlet 14>: 6" in cli
    parse_html(public)  # valid Telegram HTML


def test_huge_titles_and_outlets_from_an_older_store_are_shortened_to_fit_a_message() -> None:
    title, outlet = "Headline " * 1000, "Outlet " * 500
    chunk = Chunk("long", 0, "Prices rose. " * 100, 0, 1300, title, date(2026, 1, 2), None, outlet)
    pages = render_search("prices", [Passage(chunk, 1.0)] * 5)
    cited = Answer(
        "prices?", "Prices rose [1].", False, (Citation(1, "long", title, None, None, outlet, "x"),)
    )
    for message in (*pages.pages, *render_answer(cited)):
        shown = visible(message)
        assert len(shown) <= MAX_MESSAGE
        assert "Headline Headline" in shown and len(max(shown.split("\n"), key=len)) < 1200
    assert visible(render_answer(cited)[0]).count("\n") == 3  # one source line, whole
