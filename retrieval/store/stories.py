"""Stories: near-duplicate articles (one story syndicated or reprinted with small edits) grouped as they
are written, with the index that finds them kept in the store.

An article's text is shingled into word n-grams (:data:`SHINGLE` consecutive stems of
:func:`retrieval.terms.tokenize`: case, inflection and stop words aside, so a reprint's small edits touch
few shingles) and summarised by a MinHash of :data:`NUM_PERM` permutations (datasketch). Its article
fingerprint record (``f:<id>``, beside its article record ``a:<id>``, which only gains its ``story``)
keeps the signature and :data:`BANDS` band keys (``b0``, ``b1``, …: a digest of each band of
:data:`ROWS` values): two articles share a band key with probability ``1 - (1 - J**ROWS)**BANDS``
for a Jaccard similarity ``J`` of their shingles, so a copy finds its earlier copies by one ``$or`` of
equality filters over the fingerprint records, answered from the store's metadata index, whichever
process wrote them. A candidate counts when the signatures estimate ``J`` at :data:`THRESHOLD` or more (the
figures behind these choices: ``bench/duplicates.py``).

An article that matches none starts a story named by its own id (``<id>@<version>`` when articles of an
earlier version of it still carry its id: it was edited away from them); one that matches joins the
story most of its matches tell (the best match's on a tie). Nothing is deleted or rewritten when an
article leaves: removing the article that named a story leaves the label on the others, which stay
grouped; an edited article is filed afresh (it stays in its story while it still matches). Articles
written before stories existed carry no band keys: they stand alone until the archive is rebuilt.

A write looks up the stories of its batch in a few reads (the fingerprints sharing a band with its
articles and their article records; the labels its new stories would take). Only a story's first
:data:`BANDED_PER_STORY` articles keep their band keys, so that what a lookup returns does not grow
with the copies of a story. Each story keeps a member record (``s:<label>``: the ids of the articles
ever filed in it, appended by each write), so that a question reads its candidates' article records
(their labels), the stories' member records and the members' article records, all by id (a metadata
filter costs a large collection far more than a read by id, even when nothing matches). The
members that are visible and still carry the label are the story, so a half-written article does no
harm; a question reads the first :data:`COPIES_READ` and counts the rest, and for that count to stay
true a removal, or an edit that files an article in another story, takes it off the record
(:meth:`Stories.leave`). A story without a member record (written before they existed) is read by its
label, and its record is seeded from that read when a write next files an article in it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from chromadb.api.models.Collection import Collection
from datasketch import MinHash

from retrieval.records import ArticleInfo, Chunk, Copy, Story
from retrieval.store.client import update_metadata, upsert_without_vectors
from retrieval.store.reads import read_by_ids, rows
from retrieval.store.schema import ARTICLE_PREFIX, FINGERPRINT_PREFIX, STORY_PREFIX, Kind
from retrieval.store.shapes import article_from
from retrieval.terms import tokenize

SHINGLE = 2
"""Stems per shingle. Word pairs: distinct articles on one subject share many words but few pairs (on
the dev archive the 200 closest distinct pairs reach a Jaccard of 0.36 over single stems, 0.13 over
pairs), while a reprint's edits cost it fewer pairs than triples."""
NUM_PERM = 126
"""MinHash permutations..."""
BANDS = 42
ROWS = 3
"""...split into BANDS bands of ROWS values (BANDS * ROWS == NUM_PERM): a pair of Jaccard 0.4 shares
a band with probability 0.94, one of 0.5 with 0.996, one of 0.2 with 0.29 (a candidate only)."""
THRESHOLD = 0.4
"""Estimated Jaccard similarity of shingles from which two articles tell the same story: above an
article that repeats another's lead paragraph as background (at most 0.30 on the bench set), below
most reprints that were trimmed, edited and given an outlet's lines (their 10th percentile: 0.42)."""
BANDED_PER_STORY = 8
"""A story's articles keep their band keys up to this many; later copies are filed without them. A new
copy needs to meet only a few of a story's articles to join it, and a wire story reprinted a hundred
times would otherwise make every new copy read every earlier one (the lookup grew with the archive)."""
COPIES_READ = 20
"""The most of a story's articles a question reads for "also in": the first filed in it (and the
candidates'). The others are counted from the story's member record, not read: a wire story reprinted a
hundred times would cost every question that meets it a hundred records."""
_SEED = 1
_READ = 1000
_FILTER_VALUES = 8000
"""At most this many values in one lookup's filter (SQLite, under embedded Chroma and ``chroma run``,
refuses more than 32,766 variables in a statement)."""
_BAND = "b"


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """An article's MinHash signature and its band keys (empty for a text without words)."""

    signature: np.ndarray
    bands: tuple[str, ...]

    def similarity(self, other: Fingerprint) -> float:
        """The estimated Jaccard similarity of the two articles' shingles."""
        if not self.bands or not other.bands or self.signature.shape != other.signature.shape:
            return 0.0
        return float(np.mean(self.signature == other.signature))


def shingles(text: str, n: int = SHINGLE) -> set[str]:
    """The word n-grams of ``text`` (stems without stop words); a shorter text is one shingle."""
    tokens = tokenize(text)
    if len(tokens) <= n:
        return {" ".join(tokens)} if tokens else set()
    return {" ".join(tokens[i : i + n]) for i in range(len(tokens) - n + 1)}


def fingerprint(text: str, *, n: int = SHINGLE, num_perm: int = NUM_PERM, bands: int = BANDS) -> Fingerprint:
    """The MinHash of ``text``'s shingles and its ``bands`` band keys."""
    grams = shingles(text, n)
    if not grams:
        return Fingerprint(np.zeros(0, np.uint32), ())
    minhash = MinHash(num_perm=num_perm, seed=_SEED)
    minhash.update_batch([g.encode("utf-8") for g in sorted(grams)])
    signature = np.asarray(minhash.hashvalues, dtype=np.uint32)
    return Fingerprint(signature, band_keys(signature, bands))


def band_keys(signature: np.ndarray, bands: int = BANDS) -> tuple[str, ...]:
    rows = len(signature) // bands
    return tuple(
        hashlib.blake2b(
            signature[i * rows : (i + 1) * rows].astype("<u4").tobytes(), digest_size=6
        ).hexdigest()
        for i in range(bands)
    )


def encode_signature(signature: np.ndarray) -> str:
    return base64.b64encode(signature.astype("<u4").tobytes()).decode() if len(signature) else ""


def decode_signature(text: str) -> np.ndarray:
    return (
        np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint32)
        if text
        else np.zeros(0, np.uint32)
    )


@dataclass(frozen=True, slots=True)
class Filed:
    """An article as the story index knows it: its version, its story and its fingerprint."""

    article_id: str
    version: str
    story: str
    fingerprint: Fingerprint


def fingerprint_metadata(filed: Filed) -> dict[str, Any]:
    """An article's fingerprint record (``f:<id>``): its version, signature and band keys ``b0``, ``b1``, …"""
    meta: dict[str, Any] = {
        "kind": Kind.FINGERPRINT,
        "article": filed.article_id,
        "version": filed.version,
        "minhash": encode_signature(filed.fingerprint.signature),
    }
    meta.update({f"{_BAND}{i}": key for i, key in enumerate(filed.fingerprint.bands)})
    return meta


def fingerprint_from(meta: Mapping[str, Any]) -> tuple[str, str, Fingerprint]:
    """(article id, version, fingerprint) of a fingerprint record."""
    bands: list[str] = []
    while (key := meta.get(f"{_BAND}{len(bands)}")) is not None:
        bands.append(str(key))
    signature = decode_signature(str(meta.get("minhash", "")))
    return str(meta.get("article", "")), str(meta.get("version", "")), Fingerprint(signature, tuple(bands))


def article_text(chunks: Sequence[Chunk]) -> str:
    """An article's text as its chunks hold it (``chunk.text == text[start:end]``; chunks may overlap)."""
    parts: list[str] = []
    covered = 0
    for c in sorted(chunks, key=lambda c: c.start):
        if c.end <= covered:
            continue
        parts.append(c.text[max(0, covered - c.start) :])
        covered = c.end
    return " ".join(parts)


def choose_story(fp: Fingerprint, candidates: Sequence[Filed], threshold: float = THRESHOLD) -> str:
    """The story that the candidates matching ``fp`` (at ``threshold`` or more) mostly tell, the best
    match's on a tie; "" when none matches."""
    scored = [(fp.similarity(c.fingerprint), c) for c in candidates if c.story]
    matches = sorted(((s, c) for s, c in scored if s >= threshold), key=lambda sc: -sc[0])
    if not matches:
        return ""
    votes = Counter(c.story for _, c in matches)
    most = max(votes.values())
    return next(c.story for _, c in matches if votes[c.story] == most)


class Stories:
    """The stories of an archive's articles: the ``story`` of their article records and their fingerprint
    records (``f:<id>``, kept apart so that the article records a question reads stay small), in the
    ``<name>-articles`` collection."""

    def __init__(self, articles: Collection, batch: int) -> None:
        self.articles = articles
        self.batch = batch

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
        self._add_members(filed, new={f.story for f in filed} - {c.story for c in stored})
        return [replace(i, story=f.story) for i, f in zip(infos, filed, strict=True)]

    def _add_members(self, filed: Sequence[Filed], new: set[str]) -> None:
        """Append the filed articles to their stories' member records (``new``: labels no stored article
        carried, whose records start empty; any other story without a record is seeded by its label)."""
        joining: dict[str, list[str]] = defaultdict(list)
        for f in filed:
            joining[f.story].append(f.article_id)
        held = self._members(list(joining))
        unrecorded = [label for label in joining if label not in held and label not in new]
        for label, carriers in self._carrying(unrecorded).items():
            held[label] = [a.id for a in carriers]
        labels = list(joining)
        upsert_without_vectors(
            self.articles,
            [STORY_PREFIX + label for label in labels],
            [members_metadata([*held.get(label, ()), *joining[label]]) for label in labels],
            self.batch,
        )

    def _members(self, labels: Sequence[str]) -> dict[str, list[str]]:
        """The article ids each of these stories' member records lists (stories without one left out)."""
        ids = [STORY_PREFIX + label for label in labels]
        return {
            row.id[len(STORY_PREFIX) :]: members_from(row.metadata)
            for batch in read_by_ids(self.articles, ids, _READ, include=["metadatas"])
            for row in batch
        }

    def _sharing_bands(self, prints: Sequence[Fingerprint]) -> list[Filed]:
        """The visible articles that share a band key with any of ``prints`` (an ``$or`` of ``$in``
        equality filters, one per band, over the fingerprint records; then their article records by id,
        which say whether that version is visible and its story)."""
        found: dict[str, tuple[str, Fingerprint]] = {}  # article -> (version, fingerprint)
        step = max(1, _FILTER_VALUES // BANDS)  # a filter's values are SQL variables: the store caps them
        for start in range(0, len(prints), step):
            per_band: dict[int, set[str]] = {}
            for fp in prints[start : start + step]:
                for i, key in enumerate(fp.bands):
                    per_band.setdefault(i, set()).add(key)
            if not per_band:
                continue
            ors = [{f"{_BAND}{i}": {"$in": sorted(keys)}} for i, keys in sorted(per_band.items())]
            clause: dict[str, Any] = {"$or": ors} if len(ors) > 1 else ors[0]
            # only fingerprint records carry band keys; BANDED_PER_STORY bounds what the read returns
            for _, m in self._rows(clause):
                aid, version, fp = fingerprint_from(m)
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
            for label, carriers in self._carrying(labels).items()
            if any(a.id not in besides for a in carriers)
        }

    def _carrying(self, labels: Sequence[str]) -> dict[str, list[ArticleInfo]]:
        """The visible articles that carry each of ``labels`` as their story, by label (a filter on the
        label: the read for stories without a member record, and for the labels a write would take)."""
        out: dict[str, list[ArticleInfo]] = {}
        for start in range(0, len(labels), _FILTER_VALUES):
            for rid, m in self._rows({"story": {"$in": list(labels[start : start + _FILTER_VALUES])}}):
                if m.get("kind") == Kind.ARTICLE:  # not an article being removed
                    info = article_from(rid[len(ARTICLE_PREFIX) :], m)
                    out.setdefault(info.story, []).append(info)
        return out

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
        listed = self._members(labels) if labels else {}
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
        members |= self._carrying([label for label in labels if label not in listed])
        return {i.id: _story(i, members.get(i.story, []), unread.get(i.story, 0)) for i in infos}

    def leave(self, departed: Mapping[str, Sequence[str]]) -> None:
        """Take articles off their stories' member records (by label: articles removed, or edited into
        another story), so that a story's count of copies stays true."""
        if not departed:
            return
        held = self._members(list(departed))
        gone = {label: set(ids) for label, ids in departed.items()}
        changed = [label for label, ids in held.items() if gone[label] & set(ids)]
        update_metadata(
            self.articles,
            [STORY_PREFIX + label for label in changed],
            [members_metadata([a for a in held[label] if a not in gone[label]]) for label in changed],
            self.batch,
        )

    def _records(self, article_ids: Sequence[str]) -> dict[str, ArticleInfo]:
        """The visible ones of these articles, by id."""
        ids = [ARTICLE_PREFIX + a for a in article_ids]
        return {
            row.id[len(ARTICLE_PREFIX) :]: article_from(row.id[len(ARTICLE_PREFIX) :], row.metadata)
            for batch in read_by_ids(self.articles, ids, _READ, include=["metadatas"])
            for row in batch
            if row.metadata.get("kind") == Kind.ARTICLE
        }

    def _rows(self, clause: Mapping[str, Any]) -> list[tuple[str, Mapping[str, Any]]]:
        """The records that match ``clause``, in one read (every caller wants them all, and reading
        them in pages runs the filter again for each page)."""
        return [
            (row.id, row.metadata)
            for row in rows(self.articles.get(where=dict(clause), include=["metadatas"]))
        ]


def members_metadata(article_ids: Sequence[str]) -> dict[str, Any]:
    """A story's member record: the ids of the articles filed in it, each once, in filing order."""
    return {
        "kind": Kind.STORY,
        "members": json.dumps(list(dict.fromkeys(article_ids)), separators=(",", ":")),
    }


def members_from(meta: Mapping[str, Any]) -> list[str]:
    """A story's member record's article ids, each once, in filing order."""
    return list(dict.fromkeys(str(a) for a in json.loads(str(meta.get("members", "[]")))))


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
