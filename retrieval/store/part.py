"""What each job of the store works on: the archive's collections, its article records and its figures."""

from __future__ import annotations

from retrieval.store.articles import ArticleRecords
from retrieval.store.collections import Collections
from retrieval.store.figures import Figures


class ArchivePart:
    """A job of the store over one archive (the base of :class:`~retrieval.store.candidates.Candidates`,
    :class:`~retrieval.store.scans.Scans`, :class:`~retrieval.store.removal.Removal` and
    :class:`~retrieval.store.writer.Writer`), with the parts it builds on."""

    def __init__(self, collections: Collections, articles: ArticleRecords, figures: Figures) -> None:
        self.collections = collections
        self.articles = articles
        self.figures = figures
        self.location = collections.location
        """Where the store is, for the messages of :func:`~retrieval.store.client.translate_errors`."""

    def per_switch(self) -> int:
        """The most articles one switch takes (:mod:`retrieval.store.writer`): its one upsert holds their
        records, the statistics record and a term delta record."""
        return self.collections.batch() - 2
