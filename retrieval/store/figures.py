"""The archive's figures as the store keeps them: the statistics record, the term records and the pending
term deltas in the ``-articles`` collection (:mod:`retrieval.store.statistics` holds the arithmetic).

- The statistics record (``stats``) is changed only in the same upsert that switches a write's or a
  removal's article records (:meth:`Figures.delta_records` makes its records), so figures and visible
  chunks never disagree.
- A write's changes to the document frequencies go into a term delta record of its own
  (``d:<seq>:<tag>``), listed as pending in the statistics record; readers add the pending deltas that a
  term record (``t:<term>``) has not seen. Every :data:`FOLD_AFTER` writes, and at the end of an
  ingestion, :meth:`Figures.fold` folds them into the term records: many writes' changes to a common term
  become one record write, and a write's cost does not grow with its vocabulary. Each step of a fold
  leaves correct counts behind, wherever a crash stops it.
- A delta never changes once written: a process reads each one once and keeps it until it is folded.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from retrieval.records import StoreStats
from retrieval.store.client import translate_errors, upsert_without_vectors
from retrieval.store.collections import Collections
from retrieval.store.reads import read_by_ids, rows
from retrieval.store.schema import DELTA_PREFIX, META_EMBEDDING, META_LAST_INGEST, STATS_ID, TERM_PREFIX, Kind
from retrieval.store.statistics import ArchiveStats, StatsDelta, TermDelta, folded_count

FOLD_AFTER = 16
"""Pending term deltas after which a write folds them into the term records."""
_READ = 5000
"""Term records and term deltas read per call by id."""


class Figures:
    """The figures of one archive."""

    def __init__(self, collections: Collections) -> None:
        self.collections = collections
        self.location = collections.location
        self._deltas: dict[str, TermDelta | None] = {}  # pending term deltas read (None: folded since)
        self._deltas_lock = threading.Lock()

    @translate_errors
    def archive_stats(self) -> ArchiveStats:
        """The archive's figures, as ingestion keeps them (one small read)."""
        got = rows(self.collections.articles().get(ids=[STATS_ID], include=["metadatas"]))
        return ArchiveStats.from_metadata(got[0].metadata if got else None)

    def store_stats(self) -> StoreStats:
        """The archive's figures with what the chunk collection's metadata says of it, for people."""
        figures = self.archive_stats()
        since, until = figures.date_range
        meta = self.collections.metadata()
        return StoreStats(
            articles=figures.articles,
            chunks=figures.chunks,
            min_date=since,
            max_date=until,
            sources=dict(
                sorted(((s or "unknown", n) for s, n in figures.sources.items()), key=lambda x: -x[1])
            ),
            embedding=str(meta.get(META_EMBEDDING, "")),
            location=self.location,
            last_ingest=meta.get(META_LAST_INGEST),
        )

    @translate_errors
    def document_frequencies(self, terms: Sequence[str], stats: ArchiveStats | None = None) -> dict[str, int]:
        """In how many visible chunks each term occurs (absent terms occur in none): the term records
        and the pending deltas they have not seen (those ``stats`` lists, read afresh when not given)."""
        if not terms:
            return {}
        unique = list(dict.fromkeys(terms))
        pending = self._pending_deltas((stats or self.archive_stats()).pending)
        records = self._term_records(unique)
        counts = {t: folded_count(*records.get(t, (0, 0)), t, pending) for t in unique}
        return {t: n for t, n in counts.items() if n > 0}

    def _term_records(self, terms: Sequence[str]) -> dict[str, tuple[int, int]]:
        """Term -> (count, the last delta sequence number folded into it), for terms that have a record."""
        ids = [TERM_PREFIX + t for t in terms]
        return {
            row.id[len(TERM_PREFIX) :]: (
                int(str(row.metadata.get("df", 0))),
                int(str(row.metadata.get("seq", 0))),
            )
            for batch in read_by_ids(self.collections.articles(), ids, _READ, include=["metadatas"])
            for row in batch
        }

    def _pending_deltas(self, ids: Sequence[str]) -> list[TermDelta]:
        """The pending term deltas with these ids (each read once per process: a delta never changes);
        one folded and deleted since the ids were listed is left out (the term records hold it)."""
        with self._deltas_lock:
            missing = [i for i in ids if i not in self._deltas]
            if missing:
                articles = self.collections.articles()
                for batch in read_by_ids(articles, missing, _READ, include=["metadatas"]):
                    self._deltas |= {row.id: TermDelta.from_metadata(row.metadata) for row in batch}
                for rid in missing:
                    self._deltas.setdefault(rid, None)
            self._deltas = {i: self._deltas[i] for i in ids}
            return [d for d in self._deltas.values() if d is not None]

    def delta_records(self, delta: StatsDelta) -> tuple[list[str], list[dict[str, Any]]]:
        """The records that apply ``delta``: the statistics record and the write's term delta record."""
        stats = self.archive_stats()
        changed = {t: n for t, n in sorted(delta.terms.items()) if n}
        if not changed:
            return [STATS_ID], [stats.applied(delta).to_metadata()]
        seq = stats.seq + 1
        rid = f"{DELTA_PREFIX}{seq}:{uuid.uuid4().hex[:8]}"
        applied = stats.applied(delta, pending=(*stats.pending, rid), seq=seq)
        return [STATS_ID, rid], [applied.to_metadata(), TermDelta(seq, changed).to_metadata()]

    @translate_errors
    def fold(self) -> None:
        """Fold the pending term deltas into the term records. Each step leaves correct counts behind
        (:func:`~retrieval.store.statistics.folded_count`): the term records first (each marked with the
        last sequence number it has seen), then the statistics record's pending list, then the deltas and
        the records of terms that no chunk holds any more are deleted."""
        stats = self.archive_stats()
        if not stats.pending:
            return
        articles = self.collections.articles()
        batch = self.collections.batch
        deltas = self._pending_deltas(stats.pending)
        terms = sorted({t for d in deltas for t in d.terms})
        records = self._term_records(terms)
        counts = {t: folded_count(*records.get(t, (0, 0)), t, deltas) for t in terms}
        upsert_without_vectors(
            articles,
            [TERM_PREFIX + t for t in counts],
            [{"kind": Kind.TERM, "df": max(n, 0), "seq": stats.seq} for n in counts.values()],
            batch(),
        )
        upsert_without_vectors(articles, [STATS_ID], [replace(stats, pending=()).to_metadata()], batch())
        gone = [TERM_PREFIX + t for t, n in counts.items() if n <= 0] + list(stats.pending)
        for i in range(0, len(gone), batch()):
            articles.delete(ids=gone[i : i + batch()])
        self.collections.bump_generation()  # readers drop the folded deltas from their figures

    def fold_when_due(self) -> None:
        """Fold when :data:`FOLD_AFTER` term deltas are pending."""
        if len(self.archive_stats().pending) >= FOLD_AFTER:
            self.fold()
