"""Organisations as news writes them: a name the recogniser found, or an institution named by a common
noun, with the words that make it one body ("российское правительство", "министерство юстиции США",
"пресс-служба МВД").

    forms("Об этом сообщила пресс-служба МВД Киргизии.", mvd, after=kirgizia)
    -> ["МВД", "МВД Киргизии"]

Each form is a mention: the organisation itself and the one it is part of, as annotators of nested
entities (NEREL) count them.
"""

from __future__ import annotations

import re

from retrieval.entities.morphology import analyser, normal_form
from retrieval.entities.recognise import Entity

_INSTITUTIONS_WORDS = (
    "правительство прокуратура парламент мэрия кабмин сенат конгресс госдума минобороны минздрав минфин "
    "мид мвд фсб"
)
INSTITUTIONS = frozenset(_INSTITUTIONS_WORDS.split())
"""Institutions news names by a common noun: organisations as much as a name is."""
_HEADS_WORDS = "министерство пресс-служба департамент управление посольство администрация"
HEADS = frozenset(_HEADS_WORDS.split())
"""Common nouns that name an organisation only with what follows them ("министерство юстиции")."""
_WORD = re.compile(r"[А-Яа-яЁё][А-Яа-яЁё]+(?:-[А-Яа-яЁё]+)?")
MOST_ADJECTIVES = 2
MOST_COMPLEMENTS = 3


def institutions(text: str, taken: list[tuple[int, int]]) -> list[Entity]:
    """Institutions named by a common noun (:data:`INSTITUTIONS`, :data:`HEADS`) outside the spans
    ``taken`` by recognised names."""
    out = []
    for m in _WORD.finditer(text):
        if any(lo <= m.start() < hi for lo, hi in taken):
            continue
        if normal_form(m.group(0).lower()) in INSTITUTIONS | HEADS:
            out.append(Entity("organization", m.group(0), m.start(), m.end()))
    return out


def forms(text: str, org: Entity, after: Entity | None) -> list[str]:
    """The mentions ``org`` makes: itself (unless it is a bare :data:`HEADS` noun) and, widened, with
    the adjectives before it, the genitive words after an institution, and a place or organisation that
    directly follows."""
    lo, hi = org.start, org.end
    common = normal_form(org.text.lower()) in INSTITUTIONS | HEADS
    out = [] if normal_form(org.text.lower()) in HEADS else [org.text]
    if common:
        lo = _adjectives_before(text, lo)
        hi = _genitives_after(text, hi)
    if after is not None and after.kind in ("place", "organization") and text[hi : after.start] == " ":
        hi = after.end
    if (lo, hi) != (org.start, org.end):
        out.append(text[lo:hi])
    return out


def _adjectives_before(text: str, lo: int) -> int:
    for _ in range(MOST_ADJECTIVES):
        m = re.search(r"([А-Яа-яЁё-]+) $", text[max(0, lo - 40) : lo])
        if m is None or not _is(m.group(1), "ADJF"):
            break
        lo -= len(m.group(0))
    return lo


def _genitives_after(text: str, hi: int) -> int:
    for _ in range(MOST_COMPLEMENTS):
        m = re.match(r" ([а-яё][а-яё-]+)", text[hi : hi + 40])
        if m is None or not _is(m.group(1), "NOUN", "ADJF", case="gent"):
            break
        hi += len(m.group(0))
    return hi


def _is(word: str, *pos: str, case: str | None = None) -> bool:
    parse = analyser().parse(word)[0]
    return parse.tag.POS in pos and (case is None or parse.tag.case == case)
