"""Numbered sources: one number per cited article, in order of first use; ``[n]`` markers in text; and
the links a text carries, which must be its sources' own."""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval.records import Citation, Passage

MARKER = re.compile(r"\[(\d{1,3})\]")
_URL_CHARS = r"[^\s<>\"'«»()\[\]]"
LINK = re.compile(
    rf"(?:\bhttps?://|\bwww\.){_URL_CHARS}+"  # a URL
    rf"|\b(?:[\w-]+\.)+[^\W\d_]{{2,}}/{_URL_CHARS}*"  # a bare domain with a path: evil.example/login
    r"|\b(?:[\w-]+\.)+(?:com|org|net|info|biz|io|co|me|xyz|top|site|online|ru|su|рф|ua|by|kz|uk|de)\b",
    re.IGNORECASE,
)
"""What a chat client would make a link of: URLs, ``www.`` addresses and bare domains."""


def citation_for(n: int, passage: Passage, quote: str) -> Citation:
    c = passage.chunk
    return Citation(
        n=n,
        article_id=c.article_id,
        title=c.title,
        date=c.date,
        url=c.url,
        source=c.source,
        quote=quote,
        copies=passage.copies,
        more_copies=passage.more_copies,
        origin=passage.origin,
    )


def markers_in(text: str) -> list[int]:
    return [int(m) for m in MARKER.findall(text)]


def renumber(text: str, mapping: dict[int, int]) -> str:
    """Rewrite ``[n]`` markers through ``mapping``; markers not in it are removed with their spacing."""

    def swap(m: re.Match[str]) -> str:
        new = mapping.get(int(m.group(2)))
        return f"{m.group(1)}[{new}]" if new is not None else ""

    return re.sub(r"(\s*)\[(\d{1,3})\]", swap, text)


def links_in(text: str) -> list[str]:
    return [m.rstrip(".,;:!?") for m in LINK.findall(text)]


def foreign_links(text: str, urls: Iterable[str | None]) -> list[str]:
    """The links in ``text`` that are none of ``urls`` (scheme, ``www.`` and a final ``/`` aside)."""
    own = {_bare(u) for u in urls if u}
    return [link for link in links_in(text) if _bare(link) not in own]


def _bare(url: str) -> str:
    return re.sub(r"^(?:https?://)?(?:www\.)?", "", url.strip().lower()).rstrip("/")
