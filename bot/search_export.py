"""A search's results for export (``newsbot search --csv``, the bot's 📎): up to a limit, as CSV rows.

    answerer = exporting(answerer, embeddings, limit=1000)
    for row in search_rows(answerer, "ключевая ставка", filters, limit=1000): ...

A search reads a fixed pool of candidates per question, enough for a page of results: asked for a
thousand passages it would still find a few dozen. :func:`exporting` gives the answerer a searcher whose
pool grows with the limit (:data:`POOL_PER_RESULT` nearest chunks per row asked for; the same ranking,
filters and grouping of stories). The rows are then written :data:`PAGE` passages at a time: each page's
stories read by id from the store (the labels the CSV groups copies by), its rows yielded before the
next page is read, so that the output grows as the rows come.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from bot.present.csv_export import Cell, passage_row
from retrieval.answer.answerer import Answerer
from retrieval.embeddings import NewsEmbeddings
from retrieval.records import SearchFilters
from retrieval.search.searcher import Searcher

EXPORT_LIMIT = 1000
"""The rows an export holds at most unless told otherwise (``--limit``; the bot's 📎 always)."""
POOL_PER_RESULT = 2
"""Nearest chunks read per row asked for: a story's copies, an article's other chunks and the
neighbours a passage grows into are among the nearest too (1,000 rows: 2,000 chunks; a kNN answers it
in one call, Chroma has no offset to page a nearest-neighbour query by)."""
PAGE = 200
"""Rows whose stories are read from the store at a time."""


def exporting(answerer: Answerer, embeddings: NewsEmbeddings, limit: int) -> Answerer:
    """``answerer`` with a searcher that reads candidates enough for ``limit`` rows."""
    config = answerer.searcher.config
    pool = max(config.dense_pool, int(POOL_PER_RESULT * limit))
    searcher = Searcher(answerer.store, embeddings, config=replace(config, dense_pool=pool))
    return replace(answerer, searcher=searcher)


def search_rows(
    answerer: Answerer,
    query: str,
    filters: SearchFilters | None,
    limit: int,
    *,
    all_copies: bool = False,
) -> Iterator[tuple[Cell, ...]]:
    """The search's passages, best first, at most ``limit``, as rows of
    :data:`~bot.present.csv_export.SEARCH_COLUMNS` (weak matches too: the ``strength`` column says so)."""
    passages = answerer.search(query, limit, filters, all_copies=all_copies).passages[:limit]
    for start in range(0, len(passages), PAGE):
        page = passages[start : start + PAGE]
        infos = answerer.store.article_infos(sorted({p.article_id for p in page}))
        for p in page:
            info = infos.get(p.article_id)
            yield passage_row(p, info.story if info is not None and info.story else p.article_id)
