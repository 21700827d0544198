"""What the bot shows, as Telegram HTML: pure functions over newsbot's records.

Everything that comes from users or articles is escaped; links are made only of http(s) URLs. Functions
that can produce long text return a list of messages, each under Telegram's limit (see
:mod:`bot.render_split`); titles and outlets are shortened, so one long title (in a store ingested
before titles were capped) never makes a message too long. Labels naming uploaded files are made
printable (:mod:`retrieval.printable`).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from bot.query_syntax import Query
from bot.render_split import MAX_MESSAGE, split_html, utf16_len
from bot.report import format_duration, format_ingest_report, stats_lines
from bot.text import copy_name, without_weak
from bot.text import words as plain_words
from ingest.pipeline import Progress
from retrieval.printable import printable
from retrieval.records import Answer, Citation, Copy, IngestReport, Passage, StoreStats
from retrieval.search.searcher import question_language

PASSAGE_CHARS = 900
QUOTE_CONTEXT_CHARS = 1200
PER_PAGE = 5
TOP_SOURCES = 15
TITLE_CHARS = 300  # the most of a title the bot shows, whatever ingestion kept (its default cap too)
SOURCE_CHARS = 100
COPIES_SHOWN = 5
"""The most copies of a story an "also in" line names (the rest are counted)."""

_LABELS = {
    "ru": {
        "sources": "Источники",
        "quotes": "Цитаты источников",
        "button": "Цитаты",
        "undated": "без даты",
        "read_as": "Понял вопрос так",
        "also_in": "Также в",
        "all_copies": "Все копии",
    },
    "en": {
        "sources": "Sources",
        "quotes": "Quoted passages",
        "button": "Quotes",
        "undated": "undated",
        "read_as": "Read as",
        "also_in": "Also in",
        "all_copies": "All copies",
    },
}


def escape(text: str) -> str:
    """Text shown as-is: ``<``, ``>`` and ``&`` become references (quotes stay, they are harmless here)."""
    return html.escape(text, quote=False)


def link(text: str, url: str | None) -> str:
    """``text`` as a link to ``url`` when it is an http(s) URL, else as plain text."""
    shown = escape(text)
    if url and url.lower().startswith(("http://", "https://")) and not any(c.isspace() for c in url):
        return f'<a href="{html.escape(url, quote=True)}">{shown}</a>'
    return shown


def labels(question: str) -> dict[str, str]:
    return _LABELS[question_language(question)]


def _trim(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip() + " …"


def _day(d: date | None, undated: str) -> str:
    return d.isoformat() if d else undated


def title_link(title: str, url: str | None) -> str:
    """An article's title, shortened to ``TITLE_CHARS``, linking to the article."""
    return link(_trim(title, TITLE_CHARS), url)


def outlet(source: str) -> str:
    return escape(_trim(source, SOURCE_CHARS))


def file_name(origin: str) -> str:
    """Where an article was ingested from (a path, ``path:line``), as a reader may see it: printable
    (uploaded files are named by users) and shortened."""
    return escape(_trim(printable(origin), SOURCE_CHARS))


def source_line(c: Citation, undated: str = "undated", also: str = "Also in") -> str:
    """``[n] Title — 2026-01-06 — Outlet``, the title linking to the article; with neither link nor
    outlet, the file it was ingested from (``[n] Title — undated — paris-talks.txt``); under it, the
    story's other copies ("Also in: Outlet B, Outlet C")."""
    parts = [f"[{c.n}] {title_link(c.title or c.article_id, c.url)}", _day(c.date, undated)]
    if c.source:
        parts.append(outlet(c.source))
    elif not c.url and c.origin:
        parts.append(file_name(c.origin))
    line = " — ".join(parts)
    return f"{line}\n{also_in(c.copies, also, c.more_copies)}" if c.copies else line


def also_in(copies: Sequence[Copy], word: str = "Also in", more: int = 0) -> str:
    """``Also in: Outlet B, Outlet C``, each linking to its copy; past :data:`COPIES_SHOWN`, a count
    (with ``more``, the copies that were counted but not read)."""
    names = [link(_trim(copy_name(c), SOURCE_CHARS), c.url) for c in copies[:COPIES_SHOWN]]
    hidden = max(0, len(copies) - COPIES_SHOWN) + more
    more_text = f" +{hidden}" if hidden else ""
    return f"<i>{escape(word)}:</i> {', '.join(names)}{more_text}"


def render_answer(answer: Answer) -> list[str]:
    """The answer body with its ``[n]`` markers, then one line per source, then the note if any."""
    words = labels(answer.question)
    blocks = [escape(answer.text)]
    if answer.short is not None:  # the short answer line stands out above the quotes
        short, _, quotes = answer.text.partition("\n\n")
        blocks = [f"<b>{escape(short)}</b>", escape(quotes)]
    if answer.read_as:
        blocks.insert(0, f"<i>{words['read_as']}: {escape(answer.read_as)}</i>")
    if answer.citations:
        lines = [f"<b>{words['sources']}:</b>"]
        lines.extend(source_line(c, words["undated"], words["also_in"]) for c in answer.citations)
        blocks.append("\n".join(lines))
    if answer.note:
        blocks.append(f"<i>({escape(answer.note)})</i>")
    return split_html("\n\n".join(blocks))


def _context_of(citation: Citation, passages: Sequence[Passage]) -> tuple[str, str, str]:
    """The passage text around ``citation.quote``: (before, quote, after), trimmed to a readable size."""
    text = next((p.chunk.text for p in passages if citation.quote and citation.quote in p.chunk.text), "")
    if not text:
        return "", citation.quote, ""
    at = text.index(citation.quote)
    room = max(0, QUOTE_CONTEXT_CHARS - len(citation.quote)) // 2
    before, after = (
        text[max(0, at - room) : at],
        text[at + len(citation.quote) : at + len(citation.quote) + room],
    )
    if at - room > 0:
        before = "… " + before.split(" ", 1)[-1]
    if at + len(citation.quote) + room < len(text):
        after = after.rsplit(" ", 1)[0] + " …"
    return before, citation.quote, after


def render_sources(answer: Answer) -> list[str]:
    """Each cited article with the passage it is quoted from, the quote itself in bold."""
    words = labels(answer.question)
    blocks = [f"<b>{words['quotes']}</b>"]
    for c in answer.citations:
        before, quote, after = _context_of(c, answer.passages)
        body = f"{escape(before)}<b>{escape(quote)}</b>{escape(after)}"
        line = source_line(c, words["undated"], words["also_in"])
        blocks.append(f"{line}\n<blockquote>{body}</blockquote>")
    return split_html("\n\n".join(blocks))


STRENGTH_MARKS = {"strong": "●●●", "related": "●●○", "weak": "●○○"}


def passage_block(
    n: int, passage: Passage, undated: str = "undated", said: dict[str, str] | None = None, also: str = ""
) -> str:
    """A passage with its title, date, outlet and strength; ``also`` (the words "Also in"): with its
    story's other copies under them."""
    c = passage.chunk
    head = [_day(c.date, undated)]
    if c.source:
        head.append(outlet(c.source))
    elif not c.url and passage.origin:
        head.append(file_name(passage.origin))
    if passage.strength and said is not None:
        head.append(f"{STRENGTH_MARKS[passage.strength]} {said[passage.strength]}")
    title = title_link(c.title or c.article_id, c.url)
    body = escape(_trim(c.text, PASSAGE_CHARS))
    copies = f"\n{also_in(passage.copies, also, passage.more_copies)}" if also and passage.copies else ""
    return f"<b>{n}.</b> {title}\n{' · '.join(head)}{copies}\n<blockquote>{body}</blockquote>"


@dataclass(frozen=True, slots=True)
class SearchPages:
    """A search's results, already laid out one message per page."""

    query: str
    pages: tuple[str, ...]
    total: int
    request: Query | None = None
    """The search as asked (words and filters), to run again with every copy (the "All copies" button)."""
    grouped: bool = False
    """Whether a story's copies were left out ("also in"): what "All copies" would show."""


def render_search(
    query: str,
    passages: Sequence[Passage],
    *,
    per_page: int = PER_PAGE,
    note: str = "",
    request: Query | None = None,
) -> SearchPages:
    """Passages with date, outlet and link, up to ``per_page`` to a page, each page under the limit;
    ``note`` (the query was shortened) under the first page's header; ``request``: the search as asked,
    kept for the "All copies" button."""
    words = labels(query)
    said = plain_words(query)
    strong, hidden = without_weak(passages)
    passages = [*strong, *(p for p in passages if p.strength == "weak")]  # weak matches last
    if not passages:
        nothing = "Ничего не найдено" if question_language(query) == "ru" else "Nothing found"
        said_note = f"\n<i>({escape(note)})</i>" if note else ""
        return SearchPages(query, (f"{nothing}: «{escape(_trim(query, 200))}».{said_note}",), 0)
    opening = {p.article_id: i for i, p in reversed(list(enumerate(passages, 1)))}  # "also in": once
    blocks = [
        passage_block(i, p, words["undated"], said, words["also_in"] if opening[p.article_id] == i else "")
        for i, p in enumerate(passages, 1)
    ]
    if hidden and strong:  # set the weak matches apart
        blocks[len(strong)] = f"<i>{escape(said['weak_below'])}</i>\n\n" + blocks[len(strong)]
    groups = _pack(blocks, per_page, MAX_MESSAGE - 300)
    pages = []
    for number, group in enumerate(groups, 1):
        first = sum(len(g) for g in groups[: number - 1]) + 1
        header = (
            f"🔎 <b>{escape(_trim(query, 200))}</b>: {first}–{first + len(group) - 1} / {len(passages)}"
            f" · {number}/{len(groups)}"
        )
        if note and number == 1:
            header += f"\n<i>({escape(note)})</i>"
        pages.append("\n\n".join([header, *group]))
    grouped = any(p.copies for p in passages)
    return SearchPages(query, tuple(pages), len(passages), request, grouped)


def _pack(blocks: list[str], per_page: int, budget: int) -> list[list[str]]:
    """Consecutive blocks grouped: at most ``per_page`` to a group and ``budget`` characters in all."""
    groups: list[list[str]] = [[]]
    size = 0
    for block in blocks:
        length = utf16_len(block) + 2
        if groups[-1] and (len(groups[-1]) >= per_page or size + length > budget):
            groups.append([])
            size = 0
        groups[-1].append(block)
        size += length
    return groups


def render_stats(stats: StoreStats) -> str:
    """``/stats`` for anyone: like ``newsbot stats`` without the store's location and model (internals)."""
    lines = stats_lines(stats, internals=False, top_sources=TOP_SOURCES)
    return "<b>Archive</b>\n" + escape("\n".join(lines))


def render_text(text: str) -> list[str]:
    """Plain text (an ingestion report, say) as escaped HTML messages."""
    return split_html(escape(text))


def render_progress(label: str, progress: Progress | None) -> str:
    """The status line of a running ingestion: articles done / total, rate and time left."""
    head = f"⏳ {escape(printable(label))}"
    if progress is None:
        return f"{head}\nReading files…\n/cancel stops it."
    if progress.articles_total == 0:
        return f"{head}\nNothing new to embed; finishing…"
    eta = format_duration(progress.eta) if progress.eta is not None else "…"
    return (
        f"{head}\nArticles {progress.articles_done} / {progress.articles_total}"
        f" · chunks {progress.chunks_done} / {progress.chunks_total}"
        f" · {progress.rate:.1f} chunks/s · ETA {eta}\n/cancel stops it."
    )


def render_ingest_result(label: str, report: IngestReport) -> list[str]:
    """The end of an ingestion: the same report ``newsbot ingest`` prints, under a headline."""
    mark = "⏹" if report.cancelled else "✅"
    return split_html(f"{mark} {escape(printable(label))}\n{escape(format_ingest_report(report))}")
