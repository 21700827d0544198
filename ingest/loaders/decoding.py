"""Bytes to text: the one place that decides a file's encoding.

Encodings are detected, not assumed. In order:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32) decides outright;
2. NUL bytes without a BOM mean a binary file;
3. strict UTF-8, which almost every file passes, so detection costs nothing for them;
4. ``charset_normalizer``'s best guess (Windows-1251, KOI8-R, Latin-1 and the rest) when it is sure
   of the language. When it is not (short texts: it guesses Big5 for a single Russian word), the
   guess and the Windows-1251, KOI8-R and CP866 readings are compared by how much they read like
   Russian prose (:func:`_prose_score`), Windows-1251 winning ties; with no Russian reading in
   sight, the guess stands.
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

__all__ = ["NotText", "decode_bytes"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


# Code pages tried for Russian text besides the detector's guess; on a tie the first wins.
_CYRILLIC = ("cp1251", "koi8_r", "cp866")
_CONFIDENT = 0.2  # a guess whose language is this clear is taken as it is (KOI8-R, Greek, Ukrainian)
_PROSE_SCORE = 0.7
_MIXED_WORDS = 5  # Cyrillic text may have one word in this many mixing in Latin letters
_WORD = re.compile(r"[^\W\d_]+")  # below this share of lower-case Cyrillic, a reading is not Russian prose


class NotText(ValueError):
    """The bytes are not text in any encoding we recognise (a binary file)."""


def decode_bytes(data: bytes) -> str:
    """The text of a file's bytes, without a BOM. Raises :class:`NotText` for binary content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise NotText("binary file") from exc
    if b"\x00" in data:
        raise NotText("binary file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_guessed(data)


def _decode_guessed(data: bytes) -> str:
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.coherence >= _CONFIDENT:
        return str(best)
    guess = [str(best)] if best is not None else []
    readings = guess + [text for encoding in _CYRILLIC if (text := _try_decode(data, encoding))]
    scored = [(_prose_score(text), text) for text in readings if _is_cyrillic_heavy(text)]
    russian = [(score, text) for score, text in scored if score >= _PROSE_SCORE]
    if russian:
        return max(russian, key=lambda pair: pair[0])[1]  # the first of equals wins
    if not guess:
        raise NotText("binary file")
    return guess[0]


def _try_decode(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _is_cyrillic_heavy(text: str) -> bool:
    """Cyrillic words, and hardly any that mix in Latin letters.

    Western text read in a Cyrillic code page turns its accented letters into Cyrillic ones inside
    Latin words ("Cafй"); Russian text, even with Latin names in it, keeps its words in one script.
    """
    cyrillic = mixed = 0
    for word in _WORD.findall(text):
        if any(_is_cyrillic(c) for c in word):
            cyrillic += 1
            mixed += any("a" <= c.lower() <= "z" for c in word)
    return cyrillic > 0 and mixed * _MIXED_WORDS <= cyrillic


def _prose_score(text: str) -> float:
    """Share of lower-case Cyrillic letters among the non-ASCII characters: high for Russian prose.

    Reading bytes in the wrong Cyrillic code page swaps the cases (KOI8-R read as Windows-1251 comes out
    in capitals) or scatters symbols and box drawing, so the right reading scores highest.
    """
    non_ascii = [c for c in text if not c.isascii()]
    if not non_ascii:
        return 0.0
    return sum(1 for c in non_ascii if _is_cyrillic(c) and c.islower()) / len(non_ascii)


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"
