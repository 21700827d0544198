"""What the bot shows, as Telegram HTML: pure functions over newsbot's records.

Everything that comes from users or articles is escaped; links are made only of http(s) URLs. Functions
that can produce long text return a list of messages, each under Telegram's limit (see
:mod:`bot.present.split`); titles and outlets are shortened, so one long title (in a store ingested
before titles were capped) never makes a message too long. Labels naming uploaded files are made
printable (:mod:`retrieval.printable`). :mod:`bot.present.text` shows the same records as plain text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.present.cut import around, trim
from bot.present.markup import escape, link
from bot.present.phrases import STATS
from bot.present.report import format_duration, format_ingest_report, stats_lines
from bot.present.shown import copies_shown, copy_name, origin_shown, words
from bot.present.split import split_html
from retrieval.printable import printable
from retrieval.records import Answer, Citation, Copy, IngestReport, Passage, StoreStats

if TYPE_CHECKING:
    from ingest.pipeline import Progress

PASSAGE_CHARS = 900
QUOTE_CONTEXT_CHARS = 1200
TOP_SOURCES = 15
TITLE_CHARS = 300  # the most of a title the bot shows, whatever ingestion kept (its default cap too)
SOURCE_CHARS = 100
STRENGTH_MARKS = {"strong": "●●●", "related": "●●○", "weak": "●○○"}


def _day(d: date | None, undated: str) -> str:
    return d.isoformat() if d else undated


def title_link(title: str, url: str | None) -> str:
    """An article's title, shortened to ``TITLE_CHARS``, linking to the article."""
    return link(trim(title, TITLE_CHARS), url)


def outlet(source: str) -> str:
    return escape(trim(source, SOURCE_CHARS))


def file_name(origin: str) -> str:
    """Where an article was ingested from (a path, ``path:line``), as a reader may see it: printable
    (uploaded files are named by users) and shortened."""
    return escape(trim(printable(origin), SOURCE_CHARS))


def _where(source: str | None, url: str | None, origin: str) -> list[str]:
    """The outlet; else, without a link, the file the article was ingested from (if known)."""
    if source:
        return [outlet(source)]
    shown = origin_shown(source, url, origin)
    return [file_name(shown)] if shown else []


def source_line(c: Citation, undated: str = "undated", also: str = "Also in") -> str:
    """``[n] Title — 2026-01-06 — Outlet``, the title linking to the article; with neither link nor
    outlet, the file it was ingested from (``[n] Title — undated — paris-talks.txt``); under it, the
    story's other copies ("Also in: Outlet B, Outlet C")."""
    parts = [f"[{c.n}] {title_link(c.title or c.article_id, c.url)}", _day(c.date, undated)]
    parts.extend(_where(c.source, c.url, c.origin))
    line = " — ".join(parts)
    return f"{line}\n{also_in(c.copies, also, c.more_copies)}" if c.copies else line


def also_in(copies: Sequence[Copy], word: str = "Also in", more: int = 0) -> str:
    """``Also in: Outlet B, Outlet C``, each linking to its copy; past
    :data:`~bot.present.shown.COPIES_SHOWN`, a count (with ``more``, the copies counted but not read)."""
    named, hidden = copies_shown(copies, more)
    names = [link(trim(copy_name(c), SOURCE_CHARS), c.url) for c in named]
    more_text = f" +{hidden}" if hidden else ""
    return f"<i>{escape(word)}:</i> {', '.join(names)}{more_text}"


def also_in_word(said: dict[str, str]) -> str:
    """ "Also in" / "Также в": the words heading a story's other copies, as the bot writes them."""
    return said["also_in"].capitalize()


def render_answer(answer: Answer) -> list[str]:
    """The answer body with its ``[n]`` markers, then one line per source, then the note if any."""
    said = words(answer.question)
    blocks = [escape(answer.text)]
    if answer.short is not None:  # the short answer line stands out above the quotes
        short, _, quotes = answer.text.partition("\n\n")
        blocks = [f"<b>{escape(short)}</b>", escape(quotes)]
    if answer.read_as:
        blocks.insert(0, f"<i>{said['read_as']}: {escape(answer.read_as)}</i>")
    if answer.citations:
        lines = [f"<b>{said['sources']}:</b>"]
        lines.extend(source_line(c, said["undated"], also_in_word(said)) for c in answer.citations)
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
    before, after = around(text, at, at + len(citation.quote), QUOTE_CONTEXT_CHARS)
    return before, citation.quote, after


def render_sources(answer: Answer) -> list[str]:
    """Each cited article with the passage it is quoted from, the quote itself in bold."""
    said = words(answer.question)
    blocks = [f"<b>{said['quotes']}</b>"]
    for c in answer.citations:
        before, quote, after = _context_of(c, answer.passages)
        body = f"{escape(before)}<b>{escape(quote)}</b>{escape(after)}"
        line = source_line(c, said["undated"], also_in_word(said))
        blocks.append(f"{line}\n<blockquote>{body}</blockquote>")
    return split_html("\n\n".join(blocks))


def passage_block(
    n: int, passage: Passage, undated: str = "undated", said: dict[str, str] | None = None, also: str = ""
) -> str:
    """A passage with its title, date, outlet and strength; ``also`` (the words "Also in"): with its
    story's other copies under them."""
    c = passage.chunk
    head = [_day(c.date, undated), *_where(c.source, c.url, passage.origin)]
    if passage.strength and said is not None:
        head.append(f"{STRENGTH_MARKS[passage.strength]} {said[passage.strength]}")
    title = title_link(c.title or c.article_id, c.url)
    body = escape(trim(c.text, PASSAGE_CHARS))
    copies = f"\n{also_in(passage.copies, also, passage.more_copies)}" if also and passage.copies else ""
    return f"<b>{n}.</b> {title}\n{' · '.join(head)}{copies}\n<blockquote>{body}</blockquote>"


def render_stats(stats: StoreStats, lang: str = "en") -> str:
    """``/stats`` for anyone, in ``lang``: like ``newsbot stats`` without the store's location and model
    (internals)."""
    lines = stats_lines(stats, internals=False, top_sources=TOP_SOURCES, lang=lang)
    return f"<b>{STATS[lang]['archive']}</b>\n" + escape("\n".join(lines))


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
