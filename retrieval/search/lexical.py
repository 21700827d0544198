"""Lexical retrieval: a BM25 index over chunk texts, for Russian and English.

Text is lower-cased and split into runs of Unicode letters and digits (numbers such as ``308`` or
``2026`` are kept); a hyphenated word gives its parts and the joined form (``северо-запад`` ->
``северо``, ``запад``, ``северозапад``). Stop words of both languages are dropped, Cyrillic words are
reduced by the Russian Snowball stemmer and Latin words by the English one, so ``Уиткоффа`` finds
``Уиткофф`` and ``representing`` finds ``represents``. Scoring is ``bm25s`` (Lucene BM25).

The index lives in memory and is rebuilt from the store's chunks; keys are chunk ids.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_RUSSIAN

from retrieval.topk import top_keys

# bm25s' lists are NLTK's Russian list and Lucene's English one. Number words carry meaning in news
# ("три человека погибли"), so they stay; question words of English are added.
_RUSSIAN_STOP = frozenset(w.replace("ё", "е") for w in STOPWORDS_RUSSIAN) - {"один", "два", "три"} | {
    "это", "эта", "эти", "какие", "какое", "каких", "каким", "который", "которая", "которое", "которые",
    "также", "ее", "чей", "чья", "чье", "чьи",
}  # fmt: skip
_ENGLISH_STOP = frozenset(STOPWORDS_EN) | {
    "what", "who", "whom", "which", "when", "where", "why", "how", "did", "do", "does", "has", "have",
    "had", "were", "been", "being", "its", "his", "her", "he", "she", "we", "you", "i", "me", "my",
    "our", "your", "s", "t", "about", "from", "than", "so", "can", "would", "could", "should", "those",
}  # fmt: skip
_STOP_WORDS = _RUSSIAN_STOP | _ENGLISH_STOP

_WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")  # \w keeps "_": it is split off below, like a hyphen
_HYPHEN = re.compile(r"[-‐‑_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")

_russian = Stemmer.Stemmer("russian")
_english = Stemmer.Stemmer("english")
_stemmer_lock = threading.Lock()  # PyStemmer objects are not thread-safe; searches run in worker threads

_STEM_CACHE: dict[str, str] = {}
_STEM_CACHE_LIMIT = 1 << 20


def _stem(word: str) -> str:
    """The stem of one lower-cased word, or ``""`` for a stop word."""
    if word in _STOP_WORDS:
        stem = ""
    elif _CYRILLIC.search(word):
        with _stemmer_lock:
            stem = str(_russian.stemWord(word))
    elif _LATIN.search(word):
        with _stemmer_lock:
            stem = str(_english.stemWord(word))
    else:
        stem = word
    if len(_STEM_CACHE) >= _STEM_CACHE_LIMIT:
        _STEM_CACHE.clear()
    _STEM_CACHE[word] = stem
    return stem


def _words(text: str) -> list[str]:
    words: list[str] = _WORD.findall(text)
    if not _HYPHEN.search(text):
        return words
    expanded: list[str] = []
    for word in words:
        if _HYPHEN.search(word):
            parts = [part for part in _HYPHEN.split(word) if part]
            expanded += parts
            if len(parts) > 1:
                expanded.append("".join(parts))
        else:
            expanded.append(word)
    return expanded


def tokenize(text: str) -> list[str]:
    """Stemmed tokens of ``text`` without stop words, in order (the joined form follows a hyphenated
    word's parts)."""
    cache = _STEM_CACHE  # a dict lookup per word: building over 100k passages is dominated by this loop
    text = text.lower().replace("ё", "е")
    if "\u0301" in text:  # stress marks, common in encyclopedia text: "моло́ко"
        text = text.replace("\u0301", "")
    words = _words(text)
    stems = [stem if (stem := cache.get(word)) is not None else _stem(word) for word in words]
    return [stem for stem in stems if stem]


class LexicalIndex:
    """A read-only BM25 index of ``(key, text)`` items; build it with :meth:`build`."""

    def __init__(self, keys: Sequence[str], bm25: Any) -> None:
        self._keys = list(keys)
        self._bm25 = bm25  # a fitted bm25s.BM25, or None when there is nothing to search

    @classmethod
    def build(cls, items: Sequence[tuple[str, str]]) -> LexicalIndex:
        """Index ``(key, text)`` pairs; a key (a chunk id) must not repeat."""
        keys = [key for key, _ in items]
        if len(set(keys)) != len(keys):
            duplicates = sorted(key for key, n in Counter(keys).items() if n > 1)
            raise ValueError(f"lexical index: keys occur more than once: {', '.join(duplicates[:5])}")
        if not keys:
            return cls([], None)
        bm25 = bm25s.BM25()
        bm25.index([tokenize(text) for _, text in items], show_progress=False)
        return cls(keys, bm25)

    def __len__(self) -> int:
        return len(self._keys)

    def scores(self, query: str) -> np.ndarray[Any, np.dtype[np.floating[Any]]]:
        """BM25 scores of every item for ``query``, in the order the items were given to :meth:`build`."""
        if self._bm25 is None:
            return np.zeros(len(self._keys), dtype=np.float32)
        token_ids = self._bm25.get_tokens_ids(list(dict.fromkeys(tokenize(query))))
        if not token_ids:
            return np.zeros(len(self._keys), dtype=np.float32)
        result: np.ndarray[Any, np.dtype[np.floating[Any]]] = self._bm25.get_scores_from_ids(token_ids)
        return result

    def search(
        self, query: str, k: int, allowed: Callable[[str], bool] | None = None
    ) -> list[tuple[str, float]]:
        """The ``k`` best ``(key, score)`` pairs for ``query``, best first, scores above zero only.

        ``allowed`` (say, a date or source filter) is asked about candidates in score order until
        ``k`` keys pass or no scored candidate is left, so a selective filter still yields ``k``
        results when that many matching items contain a query term.
        """
        return self.top(self.scores(query), k, allowed) if k > 0 else []

    def top(
        self,
        scores: np.ndarray[Any, np.dtype[np.floating[Any]]],
        k: int,
        allowed: Callable[[str], bool] | None = None,
    ) -> list[tuple[str, float]]:
        """The ``k`` best ``(key, score)`` pairs of scores already computed by :meth:`scores`."""
        return top_keys(self._keys, scores, k, allowed)
