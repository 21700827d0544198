"""Saved web pages: the article's text, title, date, address and outlet, as ``trafilatura`` reads them.

``trafilatura`` is imported on first use (it takes most of a second); archives without HTML never pay.
"""

from __future__ import annotations

from typing import Any

from retrieval.records import LoadResult

from .article import ArticleLimits, RawArticle, add_article

__all__ = ["load_html"]


def load_html(content: str, where: str, limits: ArticleLimits) -> LoadResult:
    """The article in an ``.html`` or ``.htm`` file; ``where`` is its path relative to the root."""
    result = LoadResult()
    add_article(result, read_html_article(content), limits, origin=where, fallback_id=where)
    return result


def read_html_article(content: str) -> RawArticle:
    import trafilatura

    document: Any = trafilatura.bare_extraction(content, with_metadata=True, include_comments=False)
    if document is None:
        return RawArticle(text=None)
    title: str | None = document.title
    return RawArticle(
        text=_paragraphs(document.text or "", title),
        title=title,
        date=document.date,
        url=document.url,
        source=document.sitename or document.hostname,
    )


def _paragraphs(text: str, title: str | None) -> str:
    """One block per line becomes one paragraph each; a first line repeating the title goes."""
    blocks = [line.strip() for line in text.split("\n") if line.strip()]
    if blocks and title and blocks[0] == title.strip():
        blocks = blocks[1:]
    return "\n\n".join(blocks)
