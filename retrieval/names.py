"""Names across scripts: an English name in Cyrillic letters, and the consonant key both spellings share.

English names are transcribed into Cyrillic by a small rule table ("Witkoff" -> "уиткофф"), good enough
for loose matching, since Russian spellings vary ("Luther" is "Лютер", "Turing" is "Тьюринг"). The
*consonant key* of a word drops its vowels and doubled letters ("Уиткоффа" and "Witkoff" both give
"ткф", "Трамп" and "Trump" "трмп"): the store files chunks under the keys of their names, so that an
English question finds a Russian article's names by an equality lookup.
"""

from __future__ import annotations

import functools
import re

_DIGRAPHS = (
    ("shch", "щ"),
    ("sch", "ш"),
    ("tch", "ч"),
    ("ch", "ч"),
    ("sh", "ш"),
    ("zh", "ж"),
    ("kh", "х"),
    ("ts", "ц"),
    ("tz", "ц"),
    ("ya", "я"),
    ("yu", "ю"),
    ("yo", "йо"),
    ("ph", "ф"),
    ("th", "т"),
    ("oo", "у"),
    ("ee", "и"),
    ("ck", "к"),
    ("gh", "г"),
    ("ou", "у"),
    ("ew", "ью"),
    ("aw", "о"),
    ("qu", "кв"),
)
_LETTERS = dict(zip("abcdefghijklmnopqrstuvwxyz", "абкдефгхижклмнопкрстувукиз", strict=True))
_LETTERS.update(j="дж", x="кс")
_VOWELS = frozenset("аеёиоуыэюяьъй")
_CYRILLIC = re.compile(r"[а-яё]")


@functools.lru_cache(maxsize=1 << 14)
def transcribe(word: str) -> str:
    """A Cyrillic transcription of an English word, good enough for loose matching."""
    w = word.lower()
    out: list[str] = []
    i = 0
    while i < len(w):
        for latin, cyrillic in _DIGRAPHS:
            if w.startswith(latin, i):
                out.append(cyrillic)
                i += len(latin)
                break
        else:
            ch = w[i]
            soft_c = ch == "c" and i + 1 < len(w) and w[i + 1] in "eiy"
            out.append("с" if soft_c else _LETTERS.get(ch, ""))
            i += 1
    return "".join(out)


def consonant_key(word: str) -> str:
    """The consonants of a word in Cyrillic letters, a doubled one once: "Уиткофф", "Witkoff" -> "ткф"."""
    w = word.lower().replace("ё", "е")
    cyrillic = w if _CYRILLIC.search(w) else transcribe(w)
    out: list[str] = []
    for ch in cyrillic:
        if ch in _VOWELS or not ch.isalpha():
            continue
        if not out or out[-1] != ch:
            out.append(ch)
    return "".join(out)


_SILENT_H = re.compile(r"(?<=[aeiou])h(?![aeiouy])")
"""An h after a vowel and before a consonant or at the end, which English leaves silent: "John", "Sarah"."""


def consonant_keys(word: str) -> tuple[str, ...]:
    """The consonant keys a word may have in Cyrillic letters: its :func:`consonant_key` and, for an
    English word with a silent h, the key without it ("Johnson": "джхнсн" and "джнсн", as "Джонсон")."""
    keys = [consonant_key(word)]
    if not _CYRILLIC.search(word.lower()):
        keys.append(consonant_key(_SILENT_H.sub("", word.lower())))
    return tuple(dict.fromkeys(keys))


@functools.lru_cache(maxsize=1 << 16)
def sounds_alike(transcribed: str, word: str) -> bool:
    """Loose equality of a transcription and a Russian word form: most letter pairs of the first six
    letters shared, or the same consonants in the same order (and both starting with a vowel or not)."""
    if not transcribed or not word:
        return False
    a, b = _pairs(transcribed[:6]), _pairs(word[:6])
    if a and b and 2 * len(a & b) >= 0.6 * (len(a) + len(b)):
        return True
    skeleton = _consonants(transcribed)
    same_start = (transcribed[0] in _VOWELS) == (word[0] in _VOWELS)
    return len(skeleton) >= 3 and same_start and _consonants(word)[: len(skeleton)] == skeleton


def _pairs(s: str) -> set[str]:
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _consonants(s: str) -> str:
    return "".join(ch for ch in s if ch not in _VOWELS)
