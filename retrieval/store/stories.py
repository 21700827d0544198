"""Stories: near-duplicate articles (one story syndicated or reprinted with small edits) grouped as they
are written, and read back for a question's "also in".

Filing (:meth:`Stories.file`, as a write switches its articles in): each article's fingerprint
(:mod:`retrieval.store.fingerprints`) is written as its fingerprint record (``f:<id>``, beside its
article record ``a:<id>``, which only gains its ``story``), and matched against the visible articles
written before that share a band key with it (one filtered read of the fingerprint records, then their
article records by id) and against those before it in the same write. An article that matches none starts
a story named by its own id (``<id>@<version>`` when articles of an earlier version of it still carry its
id: it was edited away from them); one that matches joins the story most of its matches tell (the best
match's on a tie). Only a story's first :data:`BANDED_PER_STORY` articles keep their band keys, so that
what a lookup returns does not grow with the copies of a story. The filed articles are appended to their
stories' member records (:mod:`retrieval.store.story_members`).

Nothing is deleted or rewritten when an article leaves: removing the article that named a story leaves
the label on the others, which stay grouped; an edited article is filed afresh (it stays in its story
while it still matches). Articles written before stories existed carry no band keys: they stand alone
until the archive is rebuilt.

Reading (:meth:`Stories.of`): a question reads its candidates' stories by id (their member records, then
the first :data:`COPIES_READ` members' article records) and counts the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace

from chromadb.api.models.Collection import Collection

from retrieval.records import ArticleInfo, Copy, Story
from retrieval.store.articles import read_records, visible
from retrieval.store.client import upsert_without_vectors
from retrieval.store.fingerprints import (
    BANDS,
    NUM_PERM,
    SHINGLE,
    THRESHOLD,
    Filed,
    Fingerprint,
    article_text,
    band_clauses,
    choose_story,
    fingerprint,
    fingerprint_from,
    fingerprint_metadata,
    shingles,
)
from retrieval.store.reads import rows
from retrieval.store.schema import FINGERPRINT_PREFIX
from retrieval.store.story_members import FILTER_VALUES, READ, StoryMembers

__all__ = [  # the MinHash names too: bench/duplicates.py reads them here
    "BANDED_PER_STORY",
    "BANDS",
    "COPIES_READ",
    "NUM_PERM",
    "SHINGLE",
    "THRESHOLD",
    "Filed",
    "Stories",
    "article_text",
    "choose_story",
    "fingerprint",
    "shingles",
    "story_label",
]

BANDED_PER_STORY = 8
"""A story's articles keep their band keys up to this many; later copies are filed without them. A new
copy needs to meet only a few of a story's articles to join it, and a wire story reprinted a hundred
times would otherwise make every new copy read every earlier one (the lookup grew with the archive)."""
COPIES_READ = 20
"""The most of a story's articles a question reads for "also in": the first filed in it (and the
candidates'). The others are counted from the story's member record, not read: a wire story reprinted a
hundred times would cost every question that meets it a hundred records."""


class Stories:
    """The stories of an archive's articles: the ``story`` of their article records, their fingerprint
    records (``f:<id>``, kept apart so that the article records a question reads stay small) and the
    stories' member records, in its ``-articles`` collection (``articles``), written ``batch`` records a
    call."""

    def __init__(self, articles: Collection, batch: int) -> None:
        self.articles = articles
        self.batch = batch
        self.members = StoryMembers(articles, batch)

    def file(self, infos: Sequence[ArticleInfo], texts: Sequence[str]) -> list[ArticleInfo]:
        """``infos`` (about to be written, with their texts) with their stories, each matched against the
        visible articles written before and those before it here; their fingerprint records are written
        now (a record whose version its article's record does not name is never matched)."""
        prints = [fingerprint(t) for t in texts]
        own = {i.id for i in infos}
        stored = [f for f in self._sharing_bands(prints) if f.article_id not in own]
        taken = self._labels_in_use([i.id for i in infos], own)
        filed: list[Filed] = []
        sharing: dict[str, list[tuple[int, Filed]]] = defaultdict(list)  # band key -> (order, article)
        for n, candidate in enumerate(stored):
            for key in candidate.fingerprint.bands:
                sharing[key].append((n, candidate))
        for info, fp in zip(infos, prints, strict=True):
            met = {n: c for key in fp.bands for n, c in sharing.get(key, ())}
            matched = [met[n] for n in sorted(met)]
            story = choose_story(fp, matched)
            if not story:
                story = info.id if info.id not in taken else f"{info.id}@{info.content_hash[:8]}"
            if sum(1 for c in matched if c.story == story) >= BANDED_PER_STORY:
                fp = replace(fp, bands=())  # the story's banded copies find the next ones
            filed.append(Filed(info.id, info.content_hash, story, fp))
            for key in fp.bands:
                sharing[key].append((len(stored) + len(filed), filed[-1]))
        upsert_without_vectors(
            self.articles,
            [FINGERPRINT_PREFIX + f.article_id for f in filed],
            [fingerprint_metadata(f) for f in filed],
            self.batch,
        )
        self.members.append(filed, new={f.story for f in filed} - {c.story for c in stored})
        return [replace(i, story=f.story) for i, f in zip(infos, filed, strict=True)]

    def _sharing_bands(self, prints: Sequence[Fingerprint]) -> list[Filed]:
        """The visible articles that share a band key with any of ``prints`` (the fingerprint records
        :func:`~retrieval.store.fingerprints.band_clauses` selects; then their article records by id,
        which say whether that version is visible and its story)."""
        found: dict[str, tuple[str, Fingerprint]] = {}  # article -> (version, fingerprint)
        for clause in band_clauses(prints, FILTER_VALUES):
            # only fingerprint records carry band keys; BANDED_PER_STORY bounds what the read returns
            for row in rows(self.articles.get(where=clause, include=["metadatas"])):
                aid, version, fp = fingerprint_from(row.metadata)
                found[aid] = (version, fp)
        records = self._records(list(found))
        return [
            Filed(aid, version, records[aid].story, fp)
            for aid, (version, fp) in found.items()
            if aid in records and records[aid].content_hash == version
        ]

    def _labels_in_use(self, labels: Sequence[str], besides: set[str]) -> set[str]:
        """Those of ``labels`` that articles other than ``besides`` carry as their story."""
        return {
            label
            for label, carriers in self.members.carrying(labels).items()
            if any(a.id not in besides for a in carriers)
        }

    def read(self, article_ids: Sequence[str]) -> dict[str, Story]:
        """The story of each of these visible articles, with all its visible articles (the articles by
        id, then as :meth:`of` reads their stories)."""
        return self.of(list(self._records(article_ids).values()))

    def of(self, infos: Sequence[ArticleInfo], most: int | None = COPIES_READ) -> dict[str, Story]:
        """The story of each of these visible articles (their records read already), with its visible
        articles: the stories' member records and the members' article records, by id (a story without
        a member record by an ``$in`` filter on its label). Of a story's members, ``infos`` and the first
        ``most`` filed are read (all when ``None``); the rest are its :attr:`Story.more`."""
        labels = sorted({i.story for i in infos if i.story})
        listed = self.members.read(labels) if labels else {}
        known = {i.id: i for i in infos}
        heads = {label: ids[:most] if most is not None else ids for label, ids in listed.items()}
        records = known | self._records([a for ids in heads.values() for a in ids if a not in known])
        members = {
            label: [records[a] for a in ids if a in records and records[a].story == label]
            for label, ids in listed.items()
        }
        unread = {
            label: sum(a not in known for a in ids[len(heads[label]) :]) for label, ids in listed.items()
        }
        members |= self.members.carrying([label for label in labels if label not in listed])
        return {i.id: _story(i, members.get(i.story, []), unread.get(i.story, 0)) for i in infos}

    def _records(self, article_ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """The visible ones of these articles, by id."""
        return visible(read_records(self.articles, article_ids, READ))


def story_label(info: ArticleInfo) -> str:
    """The label of the story an article tells (its own id when it was filed in none)."""
    return info.story or info.id


def _story(info: ArticleInfo, members: Sequence[ArticleInfo], more: int = 0) -> Story:
    articles = {m.id: m for m in (*members, info)}.values()
    ordered = sorted(
        articles, key=lambda a: (a.date.toordinal() if a.date else 1 << 30, a.ingested or 0.0, a.id)
    )
    return Story(story_label(info), tuple(_copy(a) for a in ordered), more)


def _copy(info: ArticleInfo) -> Copy:
    return Copy(info.id, info.title, info.date, info.source, info.url, info.origin)
