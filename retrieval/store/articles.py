"""Reading the article records (``a:<id>`` in the ``-articles`` collection: :mod:`retrieval.store.schema`).

An article is visible while its record's ``kind`` is ``article``: its ``version`` then names the chunks
search may return. The reads here that return :class:`~retrieval.records.ArticleInfo` return visible
articles only; :meth:`ArticleRecords.records` returns the raw records of every kind, for the writer and
the sweep. Whole-archive reads (:meth:`~ArticleRecords.all`, :meth:`~ArticleRecords.ingested_after`)
page through the records; reads of given articles are reads by id.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from chromadb.api.models.Collection import Collection

from retrieval.records import ArticleInfo, day_number
from retrieval.store.client import translate_errors
from retrieval.store.collections import Collections
from retrieval.store.reads import read_by_ids, read_pages, rows
from retrieval.store.schema import ARTICLE_PREFIX, Kind
from retrieval.store.shapes import article_from

PAGE = 5000
"""Records read per call, by page or by id."""


def read_records(articles: Collection, article_ids: Sequence[str], size: int) -> dict[str, Mapping[str, Any]]:
    """The records of those articles that exist in the ``-articles`` collection (visible or being
    written), by article id: reads by id, ``size`` a read."""
    ids = [ARTICLE_PREFIX + a for a in dict.fromkeys(article_ids)]
    return {
        row.id[len(ARTICLE_PREFIX) :]: row.metadata
        for batch in read_by_ids(articles, ids, size, include=["metadatas"])
        for row in batch
    }


def visible(records: Mapping[str, Mapping[str, Any]]) -> dict[str, ArticleInfo]:
    """The visible articles among these records (by article id)."""
    return {aid: article_from(aid, meta) for aid, meta in records.items() if meta.get("kind") == Kind.ARTICLE}


class ArticleRecords:
    """The article records of one archive."""

    def __init__(self, collections: Collections) -> None:
        self.collections = collections
        self.location = collections.location

    @translate_errors
    def all(self) -> dict[str, ArticleInfo]:
        """Every visible article, by id."""
        return {aid: article_from(aid, meta) for aid, meta in self.rows()}

    @translate_errors
    def roots(self) -> dict[str, str]:
        """Article id -> the ingested root it came from (what ``--prune`` is scoped to)."""
        return {aid: str(meta.get("root", "")) for aid, meta in self.rows()}

    def rows(self) -> Iterator[tuple[str, Mapping[str, Any]]]:
        """Every visible article's record, with its id, page by page."""
        for row in read_pages(
            self.collections.articles(), PAGE, include=["metadatas"], where={"kind": Kind.ARTICLE}
        ):
            yield row.id[len(ARTICLE_PREFIX) :], row.metadata

    def records(self, article_ids: Sequence[str]) -> dict[str, Mapping[str, Any]]:
        """The records of those articles that exist (visible or being written), by article id."""
        return read_records(self.collections.articles(), article_ids, PAGE)

    @translate_errors
    def infos(self, article_ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """The visible ones of these articles, by id."""
        return visible(self.records(article_ids))

    @translate_errors
    def ingested_after(self, since: float) -> list[ArticleInfo]:
        """The visible articles switched in after ``since`` (epoch seconds), earliest first: what is new
        to the archive, whichever process ingested it (a ``$gt`` read of the article records)."""
        clause: Any = {"$and": [{"kind": Kind.ARTICLE}, {"ingested": {"$gt": since}}]}
        rows = read_pages(self.collections.articles(), PAGE, include=["metadatas"], where=clause)
        infos = [article_from(row.id[len(ARTICLE_PREFIX) :], row.metadata) for row in rows]
        return sorted(infos, key=lambda a: a.ingested or 0.0)

    @translate_errors
    def versions(self, article_ids: Sequence[str]) -> dict[str, str]:
        """The visible version of each of these articles that the archive holds."""
        return {
            aid: str(meta.get("version"))
            for aid, meta in self.records(article_ids).items()
            if meta.get("kind") == Kind.ARTICLE
        }

    @translate_errors
    def outlets_active(self, since: date, until: date, outlets: Iterable[str]) -> list[str]:
        """Those of ``outlets`` with a visible article dated from ``since`` to ``until`` (inclusive): one
        read of at most one record per outlet (a filter on its outlet and days), so the cost follows the
        outlets asked about, not the articles of those days."""
        days: list[Any] = [{"day": {"$gte": day_number(since)}}, {"day": {"$lte": day_number(until)}}]
        articles = self.collections.articles()

        def active(outlet: str) -> bool:
            clause: Any = {"$and": [{"kind": Kind.ARTICLE}, {"source": outlet}, *days]}
            return bool(rows(articles.get(where=clause, limit=1, include=[])))

        return [outlet for outlet in dict.fromkeys(outlets) if active(outlet)]
