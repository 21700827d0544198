"""The stories' member records: which articles each story holds, kept so that a question reads a story by
id.

Each story keeps a member record (``s:<label>`` in the ``-articles`` collection:
:mod:`retrieval.store.schema`): the ids of the articles ever filed in it, appended by each write
(:meth:`StoryMembers.append`). A question then reads its candidates' article records (their labels), the
stories' member records and the members' article records, all by id: a metadata filter costs a large
collection far more than a read by id, even when nothing matches. The members that are visible and still
carry the label are the story, so a half-written article does no harm. A story's count of copies stays
true because a removal, or an edit that files an article in another story, takes the article off the
record (:meth:`StoryMembers.leave`).

A story without a member record (written before they existed) is read by its label
(:meth:`StoryMembers.carrying`, a filter), and its record is seeded from that read when a write next files
an article in it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from chromadb.api.models.Collection import Collection

from retrieval.records import ArticleInfo
from retrieval.store.articles import visible
from retrieval.store.client import update_records, upsert_without_vectors
from retrieval.store.fingerprints import Filed
from retrieval.store.reads import read_by_ids, rows
from retrieval.store.schema import ARTICLE_PREFIX, STORY_PREFIX, Kind

READ = 1000
"""Records read per call by id."""
FILTER_VALUES = 8000
"""At most this many values in one read's filter (SQLite, under embedded Chroma and ``chroma run``,
refuses more than 32,766 variables in a statement)."""


def members_metadata(article_ids: Sequence[str]) -> dict[str, Any]:
    """A story's member record: the ids of the articles filed in it, each once, in filing order."""
    return {
        "kind": Kind.STORY,
        "members": json.dumps(list(dict.fromkeys(article_ids)), separators=(",", ":")),
    }


def members_from(meta: Mapping[str, Any]) -> list[str]:
    """A story's member record's article ids, each once, in filing order."""
    return list(dict.fromkeys(str(a) for a in json.loads(str(meta.get("members", "[]")))))


class StoryMembers:
    """The member records of an archive's stories, in its ``-articles`` collection (``articles``), written
    ``batch`` records a call."""

    def __init__(self, articles: Collection, batch: int) -> None:
        self.articles = articles
        self.batch = batch

    def read(self, labels: Sequence[str]) -> dict[str, list[str]]:
        """The article ids each of these stories' member records lists (stories without one left out)."""
        ids = [STORY_PREFIX + label for label in labels]
        return {
            row.id[len(STORY_PREFIX) :]: members_from(row.metadata)
            for batch in read_by_ids(self.articles, ids, READ, include=["metadatas"])
            for row in batch
        }

    def append(self, filed: Sequence[Filed], new: set[str]) -> None:
        """Append the filed articles to their stories' member records (``new``: labels no stored article
        carried, whose records start empty; any other story without a record is seeded by its label)."""
        joining: dict[str, list[str]] = defaultdict(list)
        for f in filed:
            joining[f.story].append(f.article_id)
        held = self.read(list(joining))
        unrecorded = [label for label in joining if label not in held and label not in new]
        for label, carriers in self.carrying(unrecorded).items():
            held[label] = [a.id for a in carriers]
        labels = list(joining)
        upsert_without_vectors(
            self.articles,
            [STORY_PREFIX + label for label in labels],
            [members_metadata([*held.get(label, ()), *joining[label]]) for label in labels],
            self.batch,
        )

    def leave(self, departed: Mapping[str, Sequence[str]]) -> None:
        """Take articles off their stories' member records (by label: articles removed, or edited into
        another story), so that a story's count of copies stays true."""
        if not departed:
            return
        held = self.read(list(departed))
        gone = {label: set(ids) for label, ids in departed.items()}
        changed = [label for label, ids in held.items() if gone[label] & set(ids)]
        update_records(
            self.articles,
            [STORY_PREFIX + label for label in changed],
            [members_metadata([a for a in held[label] if a not in gone[label]]) for label in changed],
            self.batch,
        )

    def carrying(self, labels: Sequence[str]) -> dict[str, list[ArticleInfo]]:
        """The visible articles that carry each of ``labels`` as their story, by label: a filter on the
        label, in one read a :data:`FILTER_VALUES` labels (every caller wants them all, and reading them
        in pages runs the filter again for each page). The read for stories without a member record, and
        for the labels a write would take."""
        out: dict[str, list[ArticleInfo]] = {}
        for start in range(0, len(labels), FILTER_VALUES):
            clause: dict[str, Any] = {"story": {"$in": list(labels[start : start + FILTER_VALUES])}}
            got = rows(self.articles.get(where=clause, include=["metadatas"]))
            for info in visible({row.id[len(ARTICLE_PREFIX) :]: row.metadata for row in got}).values():
                out.setdefault(info.story, []).append(info)
        return out
