"""Field names in structured records and front matter, with the aliases archives commonly use."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from .article import RawArticle

__all__ = ["ALIASES", "TEXT_FIELDS", "raw_article_from_record"]

# For each field, the names that may carry it, in order of preference; matched case-insensitively.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id",),
    "title": ("title", "headline", "name"),
    "text": ("text", "body", "content", "article", "full_text"),
    "date": ("date", "published", "published_at", "pub_date", "datetime", "time", "created_at"),
    "url": ("url", "link", "href"),
    "source": ("source", "outlet", "publisher", "site", "agency"),
}
TEXT_FIELDS = ALIASES["text"]

_EARLIEST_TIMESTAMP = 10**8  # smaller numbers in a date field are not Unix times (10**8 s is 1973)
_MILLISECONDS = 10**11  # a Unix time above this counts milliseconds (10**11 s is the year 5138)


def raw_article_from_record(record: Mapping[str, object]) -> RawArticle:
    """The article fields of one JSON object, CSV row or front matter, whatever their spelling."""
    by_name = {key.strip().lower(): value for key, value in record.items()}
    found = {
        field: _first_present(by_name, names, timestamp=field == "date") for field, names in ALIASES.items()
    }
    return RawArticle(
        text=found["text"],
        id=found["id"],
        title=found["title"],
        date=found["date"],
        url=found["url"],
        source=found["source"],
    )


def _first_present(by_name: Mapping[str, object], names: tuple[str, ...], *, timestamp: bool) -> str | None:
    for name in names:
        value = _as_text(by_name.get(name), timestamp=timestamp)
        if value is not None and value.strip():
            return value
    return None


def _as_text(value: object, *, timestamp: bool) -> str | None:
    """Strings as they are, numbers as written; other JSON values (lists, objects, null) count as absent.

    A number in a date field is a Unix time (seconds, or milliseconds when that large), read in UTC.
    """
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if timestamp and abs(value) >= _EARLIEST_TIMESTAMP:
        seconds = value / 1000 if abs(value) >= _MILLISECONDS else value
        try:
            return datetime.fromtimestamp(seconds, tz=UTC).isoformat()
        except (OverflowError, OSError, ValueError):
            pass
    return str(value)
