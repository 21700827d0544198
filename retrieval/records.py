"""Plain records that flow through newsbot.

``ingest`` turns files into :class:`Article` and :class:`Chunk`; the store keeps chunks and hands back
:class:`Passage`; ``retrieval.answer.answerer`` turns passages into an :class:`Answer` with :class:`Citation`.
Nothing here knows about Chroma, Telegram or a model engine.
"""

from __future__ import annotations

import hashlib
from dataclasses import MISSING, dataclass, field, fields
from datetime import date
from typing import Any

import numpy as np


def day_number(d: date) -> int:
    """The date as an integer ``YYYYMMDD``: orderable, and usable in Chroma ``$gte``/``$lte`` filters."""
    return d.year * 10000 + d.month * 100 + d.day


def day_from_number(n: int) -> date:
    return date(n // 10000, n // 100 % 100, n % 100)


def with_defaults(self: Any, state: list[Any]) -> None:
    """``__setstate__`` of a record the bot keeps across restarts (its buttons' answers and passages,
    pickled): a field added since the state was saved takes its default."""
    for n, f in enumerate(fields(self)):
        if n < len(state):
            value = state[n]
        elif f.default_factory is not MISSING:
            value = f.default_factory()
        else:
            value = f.default
        object.__setattr__(self, f.name, value)


@dataclass(frozen=True, slots=True)
class Article:
    """One news article, as a loader read it.

    ``origin`` says where it came from (``path`` or ``path:line``) for messages; it is not part of the
    content and does not change the article's hash.
    """

    id: str
    title: str
    text: str
    date: date | None = None
    url: str | None = None
    source: str | None = None
    origin: str = ""

    @property
    def content_hash(self) -> str:
        """A digest of everything that ends up in the store: a changed hash means re-embedding."""
        h = hashlib.sha256()
        for part in (
            self.title,
            self.date.isoformat() if self.date else "",
            self.url or "",
            self.source or "",
            self.text,
        ):
            h.update(part.encode("utf-8"))
            h.update(b"\x1f")
        return h.hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class Chunk:
    """A contiguous span ``text == article.text[start:end]`` of one article, the unit that is embedded."""

    article_id: str
    index: int
    text: str
    start: int
    end: int
    title: str
    date: date | None = None
    url: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class SparseVector:
    """A sparse "latent terms" vector: feature indices (int32) and their weights (float32)."""

    indices: np.ndarray
    values: np.ndarray


@dataclass(frozen=True, slots=True)
class Passage:
    """A retrieved chunk (or the paragraph around it) with its score (higher is better)."""

    chunk: Chunk
    score: float
    focus: tuple[int, int] | None = None
    """Where in ``chunk.text`` the best-matching part lies, when the passage shows context around it."""
    similarity: float = 0.0
    """Dense cosine similarity of the matching chunk to the query."""
    strength: str = ""
    """How well it matches, for people: ``strong``, ``related`` or ``weak`` (see retrieval.answer)."""
    copies: tuple[Copy, ...] = ()
    """The other articles that tell the same story (reprints, syndicated copies): "also in"..."""
    more_copies: int = 0
    """...and how many more there are (see :attr:`Story.more`)."""
    origin: str = ""
    """Where the article came from (:attr:`Article.origin`: ``path`` or ``path:line`` of the ingested
    file; set by search from the article's record): what a source line names when there is no link and
    no outlet."""
    entities: tuple[str, ...] = ()
    """The ids of the entities its article names (set by search from the article's record)."""

    __setstate__ = with_defaults

    @property
    def article_id(self) -> str:
        return self.chunk.article_id


@dataclass(frozen=True, slots=True)
class Copy:
    """An article of a story, as a reader is pointed to it ("also in: outlet, link")."""

    article_id: str
    title: str
    date: date | None = None
    source: str | None = None
    url: str | None = None
    origin: str = ""
    """Where it came from (:attr:`Article.origin`), for a copy with neither outlet nor link."""

    __setstate__ = with_defaults


@dataclass(frozen=True, slots=True)
class Story:
    """Near-duplicate articles grouped at ingestion (see :mod:`retrieval.store.stories`): its label and
    its articles, earliest first."""

    id: str
    copies: tuple[Copy, ...]
    more: int = 0
    """Its articles beyond ``copies``, counted but not read: a question reads the first few that were
    filed in it (a wire story may have hundreds of copies)."""


@dataclass(frozen=True, slots=True)
class ArticleInfo:
    """What the store keeps about an article besides its chunks: enough to skip, replace or prune it."""

    id: str
    content_hash: str
    chunks: int
    title: str
    date: date | None = None
    source: str | None = None
    url: str | None = None
    origin: str = ""
    ingested: float | None = field(default=None, compare=False)
    """When this version was switched in (epoch seconds; set by the store's write): what follows watch.
    Not part of equality: two stores that hold the same articles are equal whenever they were written."""
    story: str = ""
    """The story this article tells (its near-duplicates share it; set by the store's write)."""
    entities: tuple[str, ...] = field(default=(), compare=False)
    """The ids of the entities the article is filed under (``person:<key>``…: set by ingestion's entity
    filing, :mod:`retrieval.store.entities`). Not part of equality, as ``ingested``."""


@dataclass(frozen=True, slots=True)
class StoreStats:
    articles: int
    chunks: int
    min_date: date | None
    max_date: date | None
    sources: dict[str, int]
    embedding: str
    location: str
    last_ingest: str | None = None


@dataclass(frozen=True, slots=True)
class Problem:
    """A piece of input and what was wrong with it. ``where`` is ``path`` or ``path:line``.

    In :attr:`LoadResult.skipped` the piece was not ingested; in :attr:`LoadResult.warnings` it was
    ingested anyway (say, without its unparseable date).
    """

    where: str
    reason: str

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass(slots=True)
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class IngestReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    pruned: int = 0
    chunks_written: int = 0
    seconds: float = 0.0
    cancelled: bool = False
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    undated: int = 0
    """Articles read from the files without a date (date filters leave them out)."""
    no_outlet: int = 0
    """Articles read from the files that name no outlet (nor got one from ``--source``)."""


@dataclass(frozen=True, slots=True)
class SearchFilters:
    """Hard filters on what may be retrieved: inclusive day range and outlets (exact stored names), which
    each chunk says, and the person, organisation or place an article must name (``who``), which its
    record says (:mod:`retrieval.search.named`)."""

    since: date | None = None
    until: date | None = None
    sources: tuple[str, ...] = ()
    who: str = ""
    """A name as typed (``who:Путин``, ``--who Putin``): only the articles that name its entity, in any
    form. Kept as typed and resolved when used, so that names filed later count too."""

    __setstate__ = with_defaults

    @property
    def empty(self) -> bool:
        """Nothing to check per chunk (no dates, no outlets; ``who`` is checked per article)."""
        return self.since is None and self.until is None and not self.sources

    def matches(self, chunk: Chunk) -> bool:
        if self.since is not None or self.until is not None:
            if chunk.date is None:
                return False
            if self.since is not None and chunk.date < self.since:
                return False
            if self.until is not None and chunk.date > self.until:
                return False
        return not self.sources or chunk.source in self.sources


@dataclass(frozen=True, slots=True)
class Citation:
    """Source ``n`` of an answer: the article and the exact quote from it that the answer relies on."""

    n: int
    article_id: str
    title: str
    date: date | None
    url: str | None
    source: str | None
    quote: str
    copies: tuple[Copy, ...] = ()
    """The other articles of the cited article's story: "also in"..."""
    more_copies: int = 0
    """...and how many more there are (see :attr:`Story.more`)."""
    origin: str = ""
    """Where the article came from (:attr:`Passage.origin`): named when there is no link and no outlet."""

    __setstate__ = with_defaults


@dataclass(frozen=True, slots=True)
class ShortAnswer:
    """The words of a quote that answer a factoid question ("who", "when", "how many"…), typed, as the
    answer's first line shows them: ``text`` in the reader's language and script, ``original`` the
    quoted words it renders, ``citation`` the ``[n]`` of the quote they come from."""

    text: str
    original: str
    kind: str
    """``person``, ``organization``, ``place``, ``date``, ``number`` or ``other``."""
    citation: int


@dataclass(frozen=True, slots=True)
class Answer:
    question: str
    text: str
    """The answer body with ``[n]`` markers, without the sources list."""
    abstained: bool
    citations: tuple[Citation, ...] = ()
    passages: tuple[Passage, ...] = ()
    note: str | None = None
    """Why the answer is what it is, when that matters (e.g. the LLM endpoint failed: offline answer)."""
    mode: str = "offline"
    read_as: str | None = None
    """A follow-up rewritten by the LLM into a question of its own, which was answered (shown in small
    print)."""
    short: ShortAnswer | None = None
    """The short answer that ``text`` opens with, when the question asks for a fact the quotes hold."""

    __setstate__ = with_defaults
