"""From the raw fields a loader found to an :class:`Article`, or to a reported problem.

Every loader ends here, so ids, titles, dates and text normalisation follow one set of rules:

- id: the explicit id, else the URL, else the loader's fallback (the path, or ``path#N``); an id longer
  than :data:`ID_CHARS` (512) becomes ``sha1:`` and the hex digest of it (a hash, not a cut, so the id stays
  the same from run to run and two long ids that share a beginning stay apart);
- title: as given, else the first sentence of the text's prose (past a caption, byline or dateline that
  opens it), shortened; a given title longer than
  :attr:`ArticleLimits.title_chars` is cut at a word boundary;
- url: a url longer than :data:`URL_CHARS` (2,048) is dropped (the article is kept without a url);
- source: an outlet's name longer than :data:`SOURCE_CHARS` (200) is cut at a word boundary;
- date: parsed; a date that is not understood, or not plausible (before 1800, or later than a day
  after the day of ingestion: :mod:`ingest.loaders.dates`), becomes a warning and the article is kept
  without it;
- text: newlines normalised to ``\\n``, trailing spaces cut from each line, the whole stripped.
  Nothing else changes, so later code can quote it by character offsets, except that text beyond
  :attr:`ArticleLimits.text_chars` is dropped.

Every chunk carries its article's id, title, url and source, so each of them is bounded, and each cut,
drop or hash is a warning naming the file (and line). Title and text limits are settings
(``NEWSBOT_MAX_TITLE_CHARS``, ``NEWSBOT_MAX_ARTICLE_CHARS``), passed in as :class:`ArticleLimits`; the
others are constants.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from itertools import islice

from razdel import sentenize

from retrieval.boilerplate import prose_start
from retrieval.records import Article, LoadResult, Problem
from retrieval.settings import Settings

from .dates import ImplausibleDate, parse_article_date

__all__ = [
    "DEFAULT_LIMITS",
    "ID_CHARS",
    "SOURCE_CHARS",
    "TITLE_LENGTH",
    "URL_CHARS",
    "ArticleLimits",
    "RawArticle",
    "add_article",
    "normalise_text",
    "title_from_text",
]

TITLE_LENGTH = 150
URL_CHARS = 2048
"""A longer url is dropped: no browser or outlet makes one (a data URI or a paste gone wrong)."""
SOURCE_CHARS = 200
"""A longer outlet name is cut."""
ID_CHARS = 512
"""A longer id is replaced by ``sha1:`` and its hex digest."""
_TRAILING_SPACE = re.compile(r"[ \t\f\v\u00a0]+$", re.MULTILINE)
_NEWLINES = re.compile(r"\r\n?|[\u2028\u2029\x85]")  # everything str.splitlines() would split on
_SENTENCE_WINDOW = 2000  # the first sentence is looked for in this many leading characters
_WORD_CUT = 0.5  # a cut moves back to a word boundary no further than this share of the limit


@dataclass(frozen=True, slots=True)
class ArticleLimits:
    """How long a title and an article's text may be, in characters (``NEWSBOT_MAX_*_CHARS``); by
    default the settings' defaults (never the environment: the edges pass :meth:`from_settings`)."""

    title_chars: int = Settings.model_fields["max_title_chars"].default
    text_chars: int = Settings.model_fields["max_article_chars"].default

    @classmethod
    def from_settings(cls, settings: Settings) -> ArticleLimits:
        return cls(settings.max_title_chars, settings.max_article_chars)


DEFAULT_LIMITS = ArticleLimits()


@dataclass(frozen=True, slots=True)
class RawArticle:
    """One article's fields as a loader found them; ``None`` where the file had nothing."""

    text: str | None
    id: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None


def add_article(
    result: LoadResult, raw: RawArticle, limits: ArticleLimits, *, origin: str, fallback_id: str
) -> None:
    """Append the article made from ``raw`` to ``result``, or the reason it could not be made."""
    text = normalise_text(raw.text or "")
    if not text:
        result.skipped.append(Problem(origin, "no text"))
        return
    if len(text) > limits.text_chars:
        reason = (
            f"text is {len(text):,} characters; only the first {limits.text_chars:,} are ingested "
            "(NEWSBOT_MAX_ARTICLE_CHARS)"
        )
        result.warnings.append(Problem(origin, reason))
        text = _cut(text, limits.text_chars)
    try:
        day = parse_article_date(raw.date or "")
    except ImplausibleDate as exc:
        result.warnings.append(Problem(origin, f"date {raw.date!r} {exc}; ingested without a date"))
        day = None
    except ValueError:
        result.warnings.append(Problem(origin, f"date {raw.date!r} not understood; ingested without a date"))
        day = None
    title = _clean(raw.title)
    if title is not None and len(title) > limits.title_chars:
        reason = f"title is {len(title):,} characters; cut to {limits.title_chars} (NEWSBOT_MAX_TITLE_CHARS)"
        result.warnings.append(Problem(origin, reason))
        title = shorten(title, limits.title_chars)
    url = _clean(raw.url)
    article_id = _bounded_id(_clean(raw.id) or url or fallback_id, result, origin)
    if url is not None and len(url) > URL_CHARS:
        result.warnings.append(
            Problem(origin, f"url is {len(url):,} characters, over {URL_CHARS:,}; ingested without a url")
        )
        url = None
    source = _clean(raw.source)
    if source is not None and len(source) > SOURCE_CHARS:
        result.warnings.append(
            Problem(origin, f"source is {len(source):,} characters; cut to {SOURCE_CHARS}")
        )
        source = shorten(source, SOURCE_CHARS)
    result.articles.append(
        Article(
            id=article_id,
            title=title or title_from_text(text, min(TITLE_LENGTH, limits.title_chars)),
            text=text,
            date=day,
            url=url,
            source=source,
            origin=origin,
        )
    )


def _bounded_id(article_id: str, result: LoadResult, origin: str) -> str:
    """``article_id``, or when it is longer than :data:`ID_CHARS` its hash (with a warning)."""
    if len(article_id) <= ID_CHARS:
        return article_id
    hashed = "sha1:" + hashlib.sha1(article_id.encode("utf-8", "surrogatepass")).hexdigest()
    reason = f"id is {len(article_id):,} characters, over {ID_CHARS}; the article's id is {hashed}"
    result.warnings.append(Problem(origin, reason))
    return hashed


def normalise_text(text: str) -> str:
    return _TRAILING_SPACE.sub("", _NEWLINES.sub("\n", text)).strip()


def title_from_text(text: str, limit: int = TITLE_LENGTH) -> str:
    """The first sentence of ``text`` on one line, cut at a word boundary to about ``limit`` characters.

    Captions, credits, bylines, datelines and navigation before it are passed over (see
    :mod:`retrieval.boilerplate`): a text that opens with "Фото: …" or "МОСКВА, 6 января. " is titled by
    its first sentence of prose."""
    head = text[:_SENTENCE_WINDOW]
    head = head[prose_start(head) :]
    first = next(islice(sentenize(head), 1), None)
    sentence = " ".join((first.text if first is not None else head).split())
    return shorten(sentence, limit)


def shorten(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters: cut at a word boundary near the limit, ending in "…"."""
    if len(text) <= limit:
        return text
    return _cut(text, limit - 1).rstrip(" ,;:—–-") + "…"


def _cut(text: str, limit: int) -> str:
    """The first ``limit`` characters of ``text``, ending at a word boundary when there is one in the
    second half of them (else where the limit falls: a 100 KB "word" is still cut)."""
    cut = text[:limit]
    if text[limit : limit + 1].isspace():
        return cut.rstrip()
    space = max(cut.rfind(" "), cut.rfind("\n"))
    if space >= limit * _WORD_CUT:
        cut = cut[:space]
    return cut.rstrip()


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join(value.split()) or None
