"""Files to :class:`~retrieval.records.Article`: text, Markdown, JSON, JSON Lines, CSV and HTML.

    load_paths(["archive/"])  ->  LoadResult(articles, skipped, warnings)

The modules, one concept each:

- :mod:`.walk`: folders and files, reading, dispatch by suffix, duplicate ids;
- :mod:`.decoding`: bytes to text (BOM, UTF-8, nearly UTF-8, detected code pages), binary files refused;
- :mod:`.text`, :mod:`.structured`, :mod:`.html`: each file type's layout to raw fields;
- :mod:`.fields`: field names and their aliases in structured records;
- :mod:`.article`: raw fields to an article (ids, titles, dates, text normalisation, length limits);
- :mod:`.dates`: dates as archives write them.

Nothing here raises on bad input: each problem lands in ``LoadResult.skipped`` (not loaded) or
``LoadResult.warnings`` (loaded anyway) with its ``path`` or ``path:line``.
"""

from __future__ import annotations

from .article import DEFAULT_LIMITS, ArticleLimits
from .dates import parse_article_date
from .walk import SUPPORTED_SUFFIXES, load_file, load_paths

__all__ = [
    "DEFAULT_LIMITS",
    "SUPPORTED_SUFFIXES",
    "ArticleLimits",
    "load_file",
    "load_paths",
    "parse_article_date",
]
