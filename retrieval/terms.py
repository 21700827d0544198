"""Words of Russian and English text as search terms: stems for BM25, and keys for exact-name lookups.

Text is lower-cased and split into runs of Unicode letters and digits (numbers such as ``308`` or
``2026`` are kept); a hyphenated word gives its parts and the joined form (``северо-запад`` ->
``северо``, ``запад``, ``северозапад``). Stop words of both languages are dropped, Cyrillic words are
reduced by the Russian Snowball stemmer and Latin words by the English one, so ``Уиткоффа`` finds
``Уиткофф`` and ``representing`` finds ``represents``.

:func:`name_keys` gives the keys under which the store files a chunk's names and numbers, so that a
question's names find every chunk that mentions them by an equality lookup (across scripts: "Witkoff"
and "Уиткофф" share the key of their consonants, see :mod:`retrieval.names`).
"""

from __future__ import annotations

import functools
import re
import threading

import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_RUSSIAN

from retrieval.names import consonant_key

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


_NAME_WORD = re.compile(r"\b[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё]+|\b\d{2,}\b")
RARE_WORD = 6
_LONG_WORD = re.compile(rf"\b[a-zа-яё][a-zа-яё]{{{RARE_WORD - 1},}}\b")
KEY_PREFIX = "~"
"""Consonant keys are filed with this prefix, apart from the exact stems."""


def name_keys(text: str) -> list[str]:
    """The keys a chunk is filed under: the stem of each capitalised word and each number of two digits or
    more, and the consonant key of each capitalised word (``~ткф`` for "Уиткоффа" and "Witkoff"); and
    the stem of each longer lower-case word (``RARE_WORD`` letters or more), since keyword queries name
    rare words too ("буллиты овертайм"). Common stems are filed as well but never looked up."""
    keys: dict[str, None] = {}
    text = text.replace("\u0301", "")
    for word in _NAME_WORD.findall(text):
        _add_keys(word, keys)
    for word in _LONG_WORD.findall(text):
        keys.update(dict.fromkeys(tokenize(word)))
    return list(keys)


def query_keys(question: str) -> list[str]:
    """The keys of a question's words that may be names or numbers (see :func:`query_key_groups`)."""
    return list(dict.fromkeys(key for group in query_key_groups(question) for key in group))


def query_key_groups(question: str) -> list[list[str]]:
    """The keys of each of a question's words that may be names or numbers: every word of a short keyword
    query (people type names in lower case), else the capitalised words after the first and the numbers."""
    words = _WORD.findall(question.replace("\u0301", ""))
    content = [w for w in words if w.lower().replace("ё", "е") not in _STOP_WORDS]
    keywords = len(content) <= 4 and "?" not in question
    groups: list[list[str]] = []
    for i, word in enumerate(words):
        asked = keywords or word.isdigit() or (i > 0 and word[:1].isupper())
        if asked and len(word) >= 2 and (word.isdigit() or word.lower() not in _STOP_WORDS):
            keys: dict[str, None] = {}
            _add_keys(word, keys)
            if keys:
                groups.append(list(keys))
    return groups


def _add_keys(word: str, keys: dict[str, None]) -> None:
    keys.update(dict.fromkeys(_word_keys(word)))


@functools.lru_cache(maxsize=1 << 16)
def _word_keys(word: str) -> tuple[str, ...]:
    keys: list[str] = []
    for stem in tokenize(word):
        keys.append(stem)
        if not stem.isdigit():
            consonants = consonant_key(stem)
            if len(consonants) >= 2:
                keys.append(KEY_PREFIX + consonants)
    return tuple(keys)


@functools.lru_cache(maxsize=1 << 14)
def chunk_analysis(text: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """A chunk's tokens and name keys, remembered for the chunks searched most recently (the same
    chunks come back as candidates of many questions)."""
    return tuple(tokenize(text)), frozenset(name_keys(text))
