"""From the raw fields a loader found to an :class:`Article`, or to a reported problem.

Every loader ends here, so ids, titles, dates and text normalisation follow one set of rules:

- id: the explicit id, else the URL, else the loader's fallback (the path, or ``path#N``);
- title: as given, else the first sentence of the text, shortened;
- date: parsed; a date that is not understood becomes a warning and the article is kept without it;
- text: newlines normalised to ``\\n``, trailing spaces cut from each line, the whole stripped.
  Nothing else changes, so later code can quote it by character offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

from razdel import sentenize

from retrieval.records import Article, LoadResult, Problem

from .dates import parse_article_date

__all__ = ["TITLE_LENGTH", "RawArticle", "add_article", "normalise_text", "title_from_text"]

TITLE_LENGTH = 150
_TRAILING_SPACE = re.compile(r"[ \t\f\v\u00a0]+$", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")  # everything str.splitlines() would split on
_SENTENCE_WINDOW = 2000  # the first sentence is looked for in this many leading characters


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article's fields as a loader found them; ``None`` where the file had nothing."""

    text: str | None
    id: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None


def add_article(result: LoadResult, raw: RawArticle, *, origin: str, fallback_id: str) -> None:
    """Append the article made from ``raw`` to ``result``, or the reason it could not be made."""
    text = normalise_text(raw.text or "")
    if not text:
        result.skipped.append(Problem(origin, "no text"))
        return
    try:
        day = parse_article_date(raw.date or "")
    except ValueError:
        result.warnings.append(Problem(origin, f"date {raw.date!r} not understood; ingested without a date"))
        day = None
    result.articles.append(
        Article(
            id=_clean(raw.id) or _clean(raw.url) or fallback_id,
            title=_clean(raw.title) or title_from_text(text),
            text=text,
            date=day,
            url=_clean(raw.url),
            source=_clean(raw.source),
            origin=origin,
        )
    )


def normalise_text(text: str) -> str:
    return _TRAILING_SPACE.sub("", _NEWLINES.sub("\n", text)).strip()


def title_from_text(text: str) -> str:
    """The first sentence of ``text`` on one line, cut at a word boundary to about 150 characters."""
    head = text[:_SENTENCE_WINDOW]
    first = next(islice(sentenize(head), 1), None)
    sentence = " ".join((first.text if first is not None else head).split())
    return shorten(sentence, TITLE_LENGTH)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—–-") + "…"


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None
