"""Bytes to text: the one place that decides a file's encoding.

Encodings are detected, not assumed. In order:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32) decides outright;
2. NUL bytes without a BOM mean a binary file;
3. strict UTF-8, which almost every file passes, so detection costs nothing for them;
4. ``charset_normalizer``'s best guess (Windows-1251, KOI8-R, Latin-1 and the rest). Short Cyrillic
   texts are where detectors waver between related code pages, so when the guess is a Cyrillic one
   Windows-1251 wins unless the guess reads more like ordinary prose (see :func:`_lowercase_share`).
"""

from __future__ import annotations

import codecs

import charset_normalizer

__all__ = ["NotText", "decode_bytes"]

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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
    if best is None:
        raise NotText("binary file")
    text = str(best)
    if best.encoding != "cp1251" and _is_cyrillic_heavy(text):
        try:
            as_cp1251 = data.decode("cp1251")
        except UnicodeDecodeError:
            return text
        if _lowercase_share(as_cp1251) >= _lowercase_share(text):
            return as_cp1251
    return text


def _is_cyrillic_heavy(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    cyrillic = sum(1 for c in letters if "\u0400" <= c <= "\u04ff")
    return bool(letters) and cyrillic * 2 >= len(letters)


def _lowercase_share(text: str) -> float:
    """Share of lower-case among Cyrillic letters: prose is mostly lower-case.

    Decoding in the wrong Cyrillic code page swaps the cases (KOI8-R read as Windows-1251 comes out in
    capitals) or scatters symbols, so the reading with more lower-case letters is the right one.
    """
    cyrillic = [c for c in text if "\u0400" <= c <= "\u04ff" and c.isalpha()]
    if not cyrillic:
        return 0.0
    return sum(1 for c in cyrillic if c.islower()) / len(cyrillic)
