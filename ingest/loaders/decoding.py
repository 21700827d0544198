"""Bytes to text: the one place that decides a file's encoding.

Encodings are detected, not assumed. In order:

1. a byte-order mark (UTF-8, UTF-16 or UTF-32) decides outright;
2. NUL bytes without a BOM mean a binary file, unless they are strays in text: at most one in
   ``_NUL_SPACING`` bytes (and one at least), and what is left once they are dropped reads cleanly,
   as strict UTF-8 or as a reading the detector is sure of (steps 3 and 5, never a mere guess). A
   Russian article with a NUL pasted into it is read, the NULs dropped; an executable, an image or an
   archive, with NULs in every header and table, or compressed bytes that read as nothing, is not;
3. strict UTF-8, which almost every file passes, so detection costs nothing for them;
4. nearly UTF-8: text that is UTF-8 but for a few bytes (a stray Windows-1252 quote, a character cut in
   half) is read as UTF-8 with U+FFFD in their place, when its valid multi-byte characters outnumber
   its invalid bytes ``_UTF8_MAJORITY`` to one. A legacy code page forms valid UTF-8 sequences only by
   chance: in Russian news read as UTF-8, Windows-1251, KOI8-R and CP866 bytes give at most one valid
   character for five invalid bytes, and Western code pages next to none;
5. ``charset_normalizer``'s best guess (Windows-1251, KOI8-R, Latin-1 and the rest) when it is sure
   of the language. When it is not (short texts: it guesses Big5 for a single Russian word), the
   guess and the Windows-1251, KOI8-R and CP866 readings are compared by how much they read like
   Russian prose (:func:`_prose_score`), Windows-1251 winning ties; with no Russian reading in
   sight, the guess stands.

Bytes replaced in a Unicode reading (cases 1 and 4) and NUL bytes dropped (case 2) are reported by
:attr:`Decoded.warning`, with the byte offset of the first; a file in which more than ``_MAX_DAMAGE`` of
the bytes are invalid in the encoding its BOM names is binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

import charset_normalizer

__all__ = ["Decoded", "NotText", "decode_bytes"]

# Each BOM with the codec that reads what follows it (the byte order is the BOM's, so none is needed).
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_UNICODE_NAMES = {"utf-8": "UTF-8", "utf-16-le": "UTF-16", "utf-16-be": "UTF-16"}
_UNICODE_NAMES |= {"utf-32-le": "UTF-32", "utf-32-be": "UTF-32"}

# An invalid byte, marked by the error handler below: a lone surrogate, which no valid UTF-8, UTF-16 or
# UTF-32 decodes to, so the marks count exactly the bytes the codec could not read.
_MARK = "\udcff"
_MARKING = "newsbot.mark-invalid"
_UTF8_MAJORITY = 3  # nearly UTF-8: at least this many valid non-ASCII characters per invalid byte
_MAX_DAMAGE = 0.25  # with a BOM: more than this share of invalid bytes means a binary file
_NUL_SPACING = 100  # without a BOM: more than one NUL byte in this many means a binary file

# Code pages tried for Russian text besides the detector's guess; on a tie the first wins.
_CYRILLIC = ("cp1251", "koi8_r", "cp866")
_CONFIDENT = 0.2  # a guess whose language is this clear is taken as it is (KOI8-R, Greek, Ukrainian)
_PROSE_SCORE = 0.7
_MIXED_WORDS = 5  # Cyrillic text may have one word in this many mixing in Latin letters
_WORD = re.compile(r"[^\W\d_]+")  # below this share of lower-case Cyrillic, a reading is not Russian prose


class NotText(ValueError):
    """The bytes are not text in any encoding we recognise (a binary file)."""


@dataclass(frozen=True, slots=True)
class Decoded:
    """A file's text and how it was read: ``replaced`` bytes were invalid and became U+FFFD, the
    first at byte offset ``first_invalid`` of the file."""

    text: str
    encoding: str
    replaced: int = 0
    first_invalid: int = 0
    dropped_nuls: int = 0
    """NUL bytes left out of the text (strays in it), the first at byte offset ``first_nul``."""
    first_nul: int = 0

    @property
    def warning(self) -> str | None:
        """What to tell the user about the replaced or dropped bytes, if any (the caller names the file)."""
        if self.dropped_nuls:
            count = "1 NUL byte" if self.dropped_nuls == 1 else f"{self.dropped_nuls} NUL bytes"
            return f"{count} dropped from the text, the first at byte offset {self.first_nul}"
        if not self.replaced:
            return None
        name = _UNICODE_NAMES.get(self.encoding, self.encoding)
        count = "1 byte" if self.replaced == 1 else f"{self.replaced} bytes"
        return f"{count} not valid {name} replaced with U+FFFD, the first at byte offset {self.first_invalid}"


def decode_bytes(data: bytes) -> Decoded:
    """The text of a file's bytes, without a BOM. Raises :class:`NotText` for binary content."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            decoded, _ = _read_unicode(data, encoding, len(bom))
            if decoded.replaced > _MAX_DAMAGE * (len(data) - len(bom)):
                raise NotText("binary file")
            return decoded
    if b"\x00" in data:
        return _without_stray_nuls(data)
    decoded, valid_non_ascii = _read_unicode(data, "utf-8", 0)
    if decoded.replaced * _UTF8_MAJORITY <= valid_non_ascii:
        return decoded
    return _decode_guessed(data)


def _without_stray_nuls(data: bytes) -> Decoded:
    """Text with a few NUL bytes strayed into it, read without them; NotText for anything else."""
    nuls = data.count(0)
    if nuls > max(1, len(data) // _NUL_SPACING):
        raise NotText("binary file")
    rest = data.replace(b"\x00", b"")
    try:
        text, encoding = rest.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        read = _decode_guessed(rest, sure=True)
        text, encoding = read.text, read.encoding
    return Decoded(text, encoding, dropped_nuls=nuls, first_nul=data.index(0))


def _mark_invalid(exc: UnicodeError) -> tuple[str, int]:
    """A codec error handler: one :data:`_MARK` for each byte the codec could not read."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    return _MARK * (exc.end - exc.start), exc.end


codecs.register_error(_MARKING, _mark_invalid)


def _read_unicode(data: bytes, encoding: str, start: int) -> tuple[Decoded, int]:
    """``data[start:]`` in ``encoding``, invalid bytes replaced and counted; and how many characters
    beyond ASCII it holds in valid sequences (counted only when some bytes are invalid, else 0)."""
    body = memoryview(data)[start:]
    try:
        return Decoded(codecs.decode(body, encoding), encoding), 0
    except UnicodeDecodeError as exc:
        first = start + exc.start
    marked = codecs.decode(body, encoding, _MARKING)
    replaced = marked.count(_MARK)
    valid_non_ascii = len(marked) - len(marked.encode("ascii", "ignore")) - replaced
    decoded = Decoded(codecs.decode(body, encoding, "replace"), encoding, replaced, first)
    return decoded, valid_non_ascii


def _decode_guessed(data: bytes, *, sure: bool = False) -> Decoded:
    """The detector's reading of ``data`` (see the module's step 5); with ``sure``, only one it is sure
    of or a reading as Russian prose, never its mere guess."""
    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.coherence >= _CONFIDENT:
        return Decoded(str(best), best.encoding)
    guess = [(str(best), best.encoding)] if best is not None else []
    readings = guess + [(text, name) for name in _CYRILLIC if (text := _try_decode(data, name))]
    scored = [(_prose_score(text), text, name) for text, name in readings if _is_cyrillic_heavy(text)]
    russian = [reading for reading in scored if reading[0] >= _PROSE_SCORE]
    if russian:
        _, text, name = max(russian, key=lambda reading: reading[0])  # the first of equals wins
        return Decoded(text, name)
    if not guess or sure:
        raise NotText("binary file")
    return Decoded(*guess[0])


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
