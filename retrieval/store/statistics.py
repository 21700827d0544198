"""What search needs to know of the whole archive, kept current by ingestion: pure records and arithmetic.

- **Totals**: articles, chunks and tokens (BM25's average chunk length).
- **Document frequencies**: in how many chunks each search term (stem or name key) occurs. They live in
  one store record per term, read a question's terms at a time. A write does not touch those records: it
  adds one *term delta* record (its changes to every term) and lists it as ``pending`` here; a reader
  adds the pending deltas a term record has not seen, and every so often the store *folds* them into the
  term records (:class:`TermDelta`, :func:`folded_count`). A write's cost then does not grow with the
  number of distinct terms it touches, and a batch's switch stays one small atomic upsert.
- **Days and outlets**: chunks per day (the archive's date range, whether a named day has articles, how
  selective a date filter is), articles per outlet, and undated articles per outlet (what a date filter
  leaves out; an article is counted by its first chunk). An archive whose figures were written before
  that count existed has ``undated=None`` until ``newsbot ingest --rebuild``. Dated articles per outlet
  and day (``article_days``: what a timeline's shares divide by), counted the same way and ``None`` in
  the same case.
- **Background moments**: the count, sum and sum of outer products of every chunk's vector, so that a
  question's similarity to the archive in general has mean ``m·q`` and variance ``qᵀCq`` (abstention).

Ingestion computes a :class:`StatsDelta` for what it adds (+) and removes (-) and the store applies it
in the same write that switches the articles, so the figures always describe the visible archive.
"""

from __future__ import annotations

import base64
import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from retrieval.records import Chunk, day_from_number, day_number
from retrieval.store.schema import Kind
from retrieval.terms import KEY_PREFIX, chunk_analysis


def chunk_terms(text: str) -> tuple[set[str], int]:
    """The distinct terms a chunk is counted under (stems and consonant name keys) and its token count."""
    tokens, keys = chunk_analysis(text)
    terms = set(tokens)
    terms.update(k for k in keys if k.startswith(KEY_PREFIX))
    return terms, len(tokens)


@dataclass(slots=True)
class Moments:
    """Count, sum and upper triangle of the sum of outer products of vectors (float64)."""

    count: int
    total: np.ndarray
    outer: np.ndarray

    @classmethod
    def zero(cls, dim: int) -> Moments:
        return cls(0, np.zeros(dim), np.zeros(dim * (dim + 1) // 2))

    @classmethod
    def of(cls, vectors: np.ndarray, sign: int = 1) -> Moments:
        v = np.asarray(vectors, dtype=np.float64)
        dim = v.shape[1]
        outer = (v.T @ v)[np.triu_indices(dim)]
        return cls(sign * len(v), sign * v.sum(axis=0), sign * outer)

    def __add__(self, other: Moments) -> Moments:
        return Moments(self.count + other.count, self.total + other.total, self.outer + other.outer)

    @property
    def dim(self) -> int:
        return len(self.total)

    def mean_and_covariance(self) -> tuple[np.ndarray, np.ndarray]:
        mean = self.total / self.count
        second = np.zeros((self.dim, self.dim))
        second[np.triu_indices(self.dim)] = self.outer
        second = second + np.triu(second, 1).T
        return mean.astype(np.float32), (second / self.count - np.outer(mean, mean)).astype(np.float32)

    def encode(self) -> str:
        raw = np.concatenate([[float(self.count)], self.total, self.outer]).astype("<f8").tobytes()
        return base64.b64encode(raw).decode()

    @classmethod
    def decode(cls, text: str) -> Moments:
        raw = np.frombuffer(base64.b64decode(text), dtype="<f8")
        dim = int((-3 + np.sqrt(9 + 8 * (len(raw) - 1))) / 2)
        return cls(round(float(raw[0])), raw[1 : 1 + dim].copy(), raw[1 + dim :].copy())


@dataclass(slots=True)
class StatsDelta:
    """A change to the archive's statistics: chunks and articles added (positive) or removed (negative)."""

    articles: int = 0
    chunks: int = 0
    tokens: int = 0
    terms: Counter[str] = field(default_factory=Counter)
    days: Counter[int] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    undated: Counter[str] = field(default_factory=Counter)
    article_days: Counter[tuple[str, int]] = field(default_factory=Counter)
    moments: Moments | None = None

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray, *, sign: int, articles: int) -> None:
        """Count ``chunks`` (with their ``vectors``) in (``sign=1``) or out (``sign=-1``)."""
        self.articles += sign * articles
        self.chunks += sign * len(chunks)
        for chunk in chunks:
            terms, length = chunk_terms(chunk.text)
            self.tokens += sign * length
            for term in terms:
                self.terms[term] += sign
            if chunk.date is not None:
                self.days[day_number(chunk.date)] += sign
                if chunk.index == 0:  # each article once, by its first chunk
                    self.article_days[chunk.source or "", day_number(chunk.date)] += sign
            elif chunk.index == 0:  # each article once, by its first chunk
                self.undated[chunk.source or ""] += sign
        if len(chunks):
            moments = Moments.of(vectors, sign)
            self.moments = moments if self.moments is None else self.moments + moments

    def add_outlets(self, sources: Iterable[str | None], sign: int) -> None:
        for source in sources:
            self.sources[source or ""] += sign


@dataclass(slots=True)
class ArchiveStats:
    """The archive's figures as stored with the collection (see the module docstring)."""

    articles: int = 0
    chunks: int = 0
    tokens: int = 0
    days: dict[int, int] = field(default_factory=dict)
    sources: dict[str, int] = field(default_factory=dict)
    undated: dict[str, int] | None = field(default_factory=dict)
    """Articles without a date per outlet (``""``: no outlet); None when the figures predate the count."""
    article_days: dict[str, dict[int, int]] | None = field(default_factory=dict)
    """Dated articles per outlet (``""``: no outlet) and day number; None when the figures predate it."""
    moments: Moments | None = None
    pending: tuple[str, ...] = ()
    """Ids of the term delta records written since the last fold, oldest first."""
    seq: int = 0
    """The sequence number of the last term delta written (it orders deltas against term records)."""

    @property
    def average_tokens(self) -> float:
        return self.tokens / self.chunks if self.chunks else 0.0

    @property
    def date_range(self) -> tuple[date | None, date | None]:
        if not self.days:
            return None, None
        return day_from_number(min(self.days)), day_from_number(max(self.days))

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(sorted(s for s in self.sources if s))

    def undated_articles(self, sources: Sequence[str] = ()) -> int | None:
        """How many articles have no date (of these outlets, when given); None when not counted."""
        if self.undated is None:
            return None
        return sum(n for s, n in self.undated.items() if not sources or s in sources)

    def chunks_between(self, since: date | None, until: date | None) -> int:
        """How many dated chunks lie in the inclusive range (open ends allowed)."""
        lo = day_number(since) if since else 0
        hi = day_number(until) if until else 99999999
        return sum(n for day, n in self.days.items() if lo <= day <= hi)

    def applied(
        self, delta: StatsDelta, *, pending: Sequence[str] | None = None, seq: int | None = None
    ) -> ArchiveStats:
        days = Counter(self.days)
        days.update(delta.days)
        sources = Counter(self.sources)
        sources.update(delta.sources)
        undated = None
        if self.undated is not None:
            undated = Counter(self.undated)
            undated.update(delta.undated)
        article_days = None
        if self.article_days is not None:
            article_days = _per_outlet_day(self.article_days, delta.article_days)
        moments = self.moments
        if delta.moments is not None:
            moments = delta.moments if moments is None else moments + delta.moments
        return ArchiveStats(
            articles=self.articles + delta.articles,
            chunks=self.chunks + delta.chunks,
            tokens=self.tokens + delta.tokens,
            days={d: n for d, n in sorted(days.items()) if n > 0},
            sources={s: n for s, n in sorted(sources.items()) if n > 0},
            undated=None if undated is None else {s: n for s, n in sorted(undated.items()) if n > 0},
            article_days=article_days,
            moments=moments if moments is not None and moments.count > 0 else None,
            pending=tuple(self.pending if pending is None else pending),
            seq=self.seq if seq is None else seq,
        )

    def to_metadata(self) -> dict[str, Any]:
        meta: dict[str, Any] = {
            "kind": Kind.STATS,
            "articles": self.articles,
            "chunks": self.chunks,
            "tokens": self.tokens,
            "days": json.dumps(self.days, separators=(",", ":")),
            "sources": json.dumps(self.sources, ensure_ascii=False, separators=(",", ":")),
            "pending": json.dumps(self.pending, separators=(",", ":")),
            "seq": self.seq,
        }
        if self.undated is not None:
            meta["undated"] = json.dumps(self.undated, ensure_ascii=False, separators=(",", ":"))
        if self.article_days is not None:
            meta["article_days"] = json.dumps(self.article_days, ensure_ascii=False, separators=(",", ":"))
        if self.moments is not None:
            meta["moments"] = self.moments.encode()
        return meta

    @classmethod
    def from_metadata(cls, meta: Mapping[str, Any] | None) -> ArchiveStats:
        if not meta:
            return cls()
        moments = meta.get("moments")
        undated = meta.get("undated")
        article_days = meta.get("article_days")
        articles = int(meta.get("articles", 0))
        return cls(
            articles=articles,
            chunks=int(meta.get("chunks", 0)),
            tokens=int(meta.get("tokens", 0)),
            days={int(d): int(n) for d, n in json.loads(str(meta.get("days", "{}"))).items()},
            sources={str(s): int(n) for s, n in json.loads(str(meta.get("sources", "{}"))).items()},
            undated=(
                {str(s): int(n) for s, n in json.loads(str(undated)).items()}
                if undated is not None
                else (None if articles else {})
            ),
            article_days=(
                {
                    str(s): {int(d): int(n) for d, n in days.items()}
                    for s, days in json.loads(str(article_days)).items()
                }
                if article_days is not None
                else (None if articles else {})
            ),
            moments=Moments.decode(str(moments)) if moments else None,
            pending=tuple(str(p) for p in json.loads(str(meta.get("pending", "[]")))),
            seq=int(meta.get("seq", 0)),
        )


def _per_outlet_day(
    counts: Mapping[str, Mapping[int, int]], delta: Mapping[tuple[str, int], int]
) -> dict[str, dict[int, int]]:
    """``counts`` (outlet -> day -> articles) with ``delta`` ((outlet, day) -> change) added; no zeros."""
    flat = Counter({(s, d): n for s, days in counts.items() for d, n in days.items()})
    flat.update(delta)
    out: dict[str, dict[int, int]] = {}
    for (source, day), n in sorted(flat.items()):
        if n > 0:
            out.setdefault(source, {})[day] = n
    return out


@dataclass(frozen=True, slots=True)
class TermDelta:
    """One write's changes to the document frequencies, as its delta record holds them."""

    seq: int
    terms: Mapping[str, int]

    def to_metadata(self) -> dict[str, Any]:
        return {
            "kind": Kind.DELTA,
            "seq": self.seq,
            "terms": json.dumps(dict(self.terms), ensure_ascii=False, separators=(",", ":")),
        }

    @classmethod
    def from_metadata(cls, meta: Mapping[str, Any]) -> TermDelta:
        terms = json.loads(str(meta.get("terms", "{}")))
        return cls(int(meta.get("seq", 0)), {str(t): int(n) for t, n in terms.items()})


def folded_count(stored: int, seen: int, term: str, deltas: Iterable[TermDelta]) -> int:
    """A term's document frequency: its record's count (``stored``, which has seen the deltas up to
    sequence number ``seen``) plus what the later deltas add. The order of a fold's steps then cannot
    count a delta twice or lose one, whatever step a crash interrupts."""
    return stored + sum(d.terms.get(term, 0) for d in deltas if d.seq > seen)
