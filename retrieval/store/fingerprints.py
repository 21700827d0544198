"""Near-duplicate detection by MinHash: an article's fingerprint, its band keys, and which story a set of
candidates tells. Pure functions over texts and records; :mod:`retrieval.store.stories` reads and writes
the fingerprint records in the store.

An article's text is shingled into word n-grams (:data:`SHINGLE` consecutive stems of
:func:`retrieval.terms.tokenize`: case, inflection and stop words aside, so a reprint's small edits touch
few shingles) and summarised by a MinHash of :data:`NUM_PERM` permutations (datasketch). Its fingerprint
record (``f:<id>`` in the ``-articles`` collection: :mod:`retrieval.store.schema`) keeps the signature and
:data:`BANDS` band keys (``b0``, ``b1``, …: a digest of each band of :data:`ROWS` values): two articles
share a band key with probability ``1 - (1 - J**ROWS)**BANDS`` for a Jaccard similarity ``J`` of their
shingles, so a copy finds its earlier copies by one ``$or`` of equality filters over the fingerprint
records (:func:`band_clauses`), answered from the store's metadata index, whichever process wrote them.
A candidate counts when the signatures estimate ``J`` at :data:`THRESHOLD` or more
(:func:`choose_story`; the figures behind these choices: ``bench/duplicates.py``).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from datasketch import MinHash

from retrieval.records import Chunk
from retrieval.store.schema import Kind
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
_SEED = 1
_BAND = "b"
"""The prefix of a fingerprint record's band keys (``b0``, ``b1``, …)."""


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


def article_text(chunks: Iterable[Chunk]) -> str:
    """An article's text put back together from its chunks (each ``text[start:end]`` of it; chunks
    that overlap give the shared part once, a gap between two is a space): what its story is
    fingerprinted by, its entities recognised in, and its operators checked against."""
    parts: list[str] = []
    end = 0
    for c in sorted(chunks, key=lambda c: (c.start, c.end)):
        if c.end <= end:
            continue
        if c.start > end and parts:
            parts.append(" ")
        parts.append(c.text[max(0, end - c.start) :])
        end = c.end
    return "".join(parts)


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


def band_clauses(prints: Sequence[Fingerprint], most_values: int) -> Iterator[dict[str, Any]]:
    """The ``where`` clauses that find the fingerprint records sharing a band key with any of ``prints``:
    an ``$or`` of ``$in`` equality filters, one per band, each clause with at most about ``most_values``
    values (a filter's values are SQL variables: the store caps them)."""
    step = max(1, most_values // BANDS)
    for start in range(0, len(prints), step):
        per_band: dict[int, set[str]] = {}
        for fp in prints[start : start + step]:
            for i, key in enumerate(fp.bands):
                per_band.setdefault(i, set()).add(key)
        if not per_band:
            continue
        ors = [{f"{_BAND}{i}": {"$in": sorted(keys)}} for i, keys in sorted(per_band.items())]
        yield {"$or": ors} if len(ors) > 1 else ors[0]
