"""What an archive's collections are called and what records each holds: the store's schema, in one place.

Pure names and constants; nothing here talks to Chroma (:class:`retrieval.store.collections.Collections`
opens every collection named here). An archive named ``<name>`` (``NEWSBOT_COLLECTION``) is these
collections, each named by a function below:

``<name>``: the chunks (:mod:`retrieval.store.writer` writes them, :mod:`retrieval.store.candidates`
reads them)
    One record per chunk of an article's version, id ``<article>|<version>|<index>``
    (:func:`~retrieval.store.shapes.chunk_id`): the chunk's text as its document, its dense vector, and
    the metadata of :func:`~retrieval.store.shapes.chunk_metadata` (``article_id``, ``version``,
    ``index``, ``start``, ``end``, ``title``, ``day``/``month``/``year``, ``url``, ``source``, and the
    sparse latent terms as ``sparse``). A chunk is visible to search only while its ``version`` is the
    one its article record names. The collection's own metadata holds the ``META_*`` keys below and the
    ingestion lease (``newsbot_lock_*``: :mod:`ingest.locking`).

``<name>-keys``: the name index (:mod:`retrieval.store.postings`)
    One record per key (a name, number or rarer word), id ``k:<key>`` (:data:`POSTING_PREFIX`):
    ``ids``, the JSON list of the chunks filed under it.

``<name>-entities``: the entity index (:mod:`retrieval.store.entities`)
    The people, organisations and places articles name, each read by id: ``e:<kind>:<key>`` an entity,
    ``p:<kind>:<key>:<YYYYMM>`` its articles of a month, ``w:<key>`` the entities under a word's consonant
    key, ``m:<YYYYMM>`` (and ``m:<YYYYMM>|<outlet>``) how many articles of a month name each entity; the
    records' fields are :mod:`retrieval.entities.index`'s. An article record's ``entities`` lists the ids
    of the entities it is filed under.

``<name>-m<YYYYMM>``: the month index (:mod:`retrieval.store.months`), one collection per calendar month
    One record per dated chunk of that month, with the chunk's id and vector; metadata ``day`` and
    ``source`` (what a date or outlet filter needs).

``<name>-articles``: everything else, told apart by the record's ``kind`` (:class:`Kind`):

    ====================  ===============  =========================================================
    id                    ``kind``         what it holds
    ====================  ===============  =========================================================
    ``a:<article>``       ``article``      a visible article: its version, chunk count, title, day,
                                           outlet, url, origin, root, ``ingested``, ``story``,
                                           ``writing`` (:func:`~retrieval.store.shapes.article_metadata`)
    ``a:<article>``       ``pending``      an article's first version being written (not visible yet)
    ``a:<article>``       ``removed``      an article being removed (no longer visible)
    ``f:<article>``       ``fingerprint``  its MinHash signature and band keys
                                           (:mod:`~retrieval.store.fingerprints`)
    ``s:<story>``         ``story``        the ids of the articles filed in a story
                                           (:mod:`~retrieval.store.stories`)
    ``t:<term>``          ``term``         a search term's document frequency (``df``) as of delta ``seq``
    ``d:<seq>:<tag>``     ``delta``        one write's changes to the document frequencies, not yet folded
    ``stats``             ``stats``        the archive's figures
                                           (:class:`~retrieval.store.statistics.ArchiveStats`)
    ====================  ===============  =========================================================

Beside the archive, not part of it (a rebuild keeps them), records without vectors of their own, told
apart by ``kind`` too:

``<name>-feeds``: the feed list and the poller's state (:mod:`ingest.feeds.registry`, :class:`FeedKind`)
    ``f:<feed>`` (``feed``: its URL, outlet, the poller's state) and ``e:<feed>:<entry>`` (``entry``: an
    entry ingested from it, its fingerprint and article), ``<feed>`` and ``<entry>`` digests of the
    feed's URL and the entry's id. The collection's metadata holds the poller's lease
    (``newsbot_feeds_lock_*``).

``<name>-follows``: the follows (:mod:`retrieval.follows.store`, :class:`FollowKind`)
    ``f:<follow>`` (``follow``), ``s:<follow>:<article>`` (``sent``: that article was sent for that
    follow), ``c:<chat>:<n>`` and ``u:<user>:<n>`` (``slot``: a chat's and a user's ``n``-th place, held
    by one follow), ``cursor`` and ``cursor:<bot>`` (``cursor``: how far the bot's matching got). The
    collection's metadata holds each bot's alert-sending lease (``newsbot_alerts:<bot>_lock_*``).
"""

from __future__ import annotations

import re

SCHEMA = 3
"""The store layout this code writes and reads; an archive written with another must be rebuilt."""

ARTICLES_SUFFIX = "-articles"
KEYS_SUFFIX = "-keys"
FEEDS_SUFFIX = "-feeds"
FOLLOWS_SUFFIX = "-follows"
ENTITIES_SUFFIX = "-entities"


def chunks_collection(archive: str) -> str:
    """The chunk collection bears the archive's own name."""
    return archive


def articles_collection(archive: str) -> str:
    return archive + ARTICLES_SUFFIX


def keys_collection(archive: str) -> str:
    return archive + KEYS_SUFFIX


def month_collection(archive: str, month: int) -> str:
    """The month index's collection of ``month`` (``YYYYMM``)."""
    return f"{archive}-m{month:06d}"


def is_month_collection(archive: str, name: str) -> bool:
    return re.fullmatch(re.escape(archive) + r"-m\d{6}", name) is not None


def entities_collection(archive: str) -> str:
    return archive + ENTITIES_SUFFIX


def feeds_collection(archive: str) -> str:
    return archive + FEEDS_SUFFIX


def follows_collection(archive: str) -> str:
    return archive + FOLLOWS_SUFFIX


# -- the chunk collection's metadata ---------------------------------------------------------------------

META_EMBEDDING = "newsbot_embedding"
"""The embedding model the archive was written with."""
META_DIM = "newsbot_dim"
META_SCHEMA = "newsbot_schema"
"""The :data:`SCHEMA` it was written with (1 when absent)."""
META_GENERATION = "newsbot_generation"
"""Bumped on every change, so that a process can tell that what it read of the archive is stale."""
META_LAST_INGEST = "newsbot_last_ingest"
"""When the last ingestion ended (ISO 8601, UTC)."""
META_MONTHS = "newsbot_months"
"""Whether the archive keeps a month index (archives written before it existed have none)."""


# -- the records of the -articles collection -----------------------------------------------------------

ARTICLE_PREFIX = "a:"
FINGERPRINT_PREFIX = "f:"
STORY_PREFIX = "s:"
TERM_PREFIX = "t:"
DELTA_PREFIX = "d:"
STATS_ID = "stats"
ENTITIES_FIELD = "entities"
"""An article record's field: the JSON list of the ids of the entities it is filed under."""

POSTING_PREFIX = "k:"
"""The id prefix of the name index's records (the ``-keys`` collection)."""


class Kind:
    """The ``kind`` of each record of the ``-articles`` collection (see the module docstring)."""

    ARTICLE = "article"
    PENDING = "pending"
    REMOVED = "removed"
    FINGERPRINT = "fingerprint"
    STORY = "story"
    TERM = "term"
    DELTA = "delta"
    STATS = "stats"


# -- the records of the -feeds collection ----------------------------------------------------------------

FEED_PREFIX = "f:"
ENTRY_PREFIX = "e:"


class FeedKind:
    """The ``kind`` of each record of the ``-feeds`` collection (see the module docstring)."""

    FEED = "feed"
    ENTRY = "entry"


# -- the records of the -follows collection --------------------------------------------------------------

FOLLOW_PREFIX = "f:"
SENT_PREFIX = "s:"
CHAT_PLACE_PREFIX = "c:"
USER_PLACE_PREFIX = "u:"
CURSOR_ID = "cursor"
"""The cursor kept for all bots before each kept its own (``cursor:<bot>``)."""


class FollowKind:
    """The ``kind`` of each record of the ``-follows`` collection (see the module docstring)."""

    FOLLOW = "follow"
    SENT = "sent"
    SLOT = "slot"
    CURSOR = "cursor"
