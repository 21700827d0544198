"""The typed spans of a sentence that could answer a question: names by kind (natasha's NER,
:mod:`retrieval.entities.recognise`), dates (the project's date grammar, :mod:`retrieval.search.dates`,
and bare years), numbers and amounts by rule (digits with their scale, unit or currency; Russian
numerals by pymorphy3's ``NUMR``), and names in quotation marks («…», "…").

    spans("Пачаури ушёл в отставку в феврале 2015 года.")
    -> [Span("date", "феврале 2015 года", 26, 43)]
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import date

from retrieval.entities.morphology import is_numeral, normal_form
from retrieval.entities.recognise import recognise
from retrieval.search.dates import date_spans


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a sentence of one kind: ``sentence[start:end] == text``."""

    kind: str
    text: str
    start: int
    end: int


_SCALE = (
    r"тыс\.|тысяч\w*|млн\.?|миллион\w*|млрд\.?|миллиард\w*|трлн\.?|триллион\w*"
    r"|thousand|million|billion|trillion"
)
_UNIT = (
    r"%|процент\w*|percent|долл\w*|доллар\w*|\$|руб\w*|евро|€|фунт\w*|£|юан\w*|иен\w*|dollars?|euros?|pounds?"
    r"|км²|кв\.\s*км|квадратн\w+\s+километр\w*|километр\w*|км|метр\w*|м²|гектар\w*|га|тонн\w*|кг|человек"
)
_NUMBER = re.compile(
    rf"(?<![\w.,])(?:\$|€|£)?\d{{1,3}}(?:[\s\u00a0]\d{{3}})+(?![\d])(?:[.,]\d+)?"  # 415 000
    rf"(?:\s*(?:{_SCALE}))?(?:\s*(?:{_UNIT})(?!\w))?"
    rf"|(?<![\w.,])(?:\$|€|£)?\d+(?:[.,]\d+)?(?:\s*(?:{_SCALE}))?(?:\s*(?:{_UNIT})(?!\w))?",
    re.IGNORECASE,
)
_YEAR = re.compile(
    r"(?<![\d.,])(1[0-9]\d\d|20\d\d)(?:\s*(?:-?(?:го|м)\s+)?(?:года?|году|г\.)(?!\w))?(?![\d])"
)
_QUOTED = re.compile(r"«([^«»]{2,80})»|“([^“”]{2,80})”|\"([^\"]{2,80})\"")
_WORD = re.compile(r"[А-Яа-яЁё]+")
_NUMERALS = {
    "ноль": 0, "один": 1, "два": 2, "три": 3, "четыре": 4, "пять": 5, "шесть": 6, "семь": 7, "восемь": 8,
    "девять": 9, "десять": 10, "одиннадцать": 11, "двенадцать": 12, "тринадцать": 13,
    "четырнадцать": 14, "пятнадцать": 15, "шестнадцать": 16, "семнадцать": 17, "восемнадцать": 18,
    "девятнадцать": 19, "двадцать": 20, "тридцать": 30, "сорок": 40, "пятьдесят": 50,
    "шестьдесят": 60, "семьдесят": 70, "восемьдесят": 80, "девяносто": 90, "сто": 100,
    "двести": 200, "триста": 300, "четыреста": 400, "пятьсот": 500, "оба": 2, "двое": 2, "трое": 3,
    "четверо": 4, "пятеро": 5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20, "hundred": 100,
}  # fmt: skip


@functools.lru_cache(maxsize=4096)
def spans(sentence: str) -> tuple[Span, ...]:
    """Every typed span of ``sentence``, in order of their start."""
    found = [_with_preposition(sentence, Span(e.kind, e.text, e.start, e.end)) for e in recognise(sentence)]
    found.extend(_with_preposition(sentence, span) for span in _dates(sentence))
    found.extend(_numbers(sentence, found))
    found.extend(_quoted(sentence))
    return tuple(sorted(found, key=lambda s: (s.start, -s.end)))


_PREPOSITION = re.compile(r"(?:в|во|к|с|со|до|по|от|на|за|in|on|by|since|from|at|of)\s+", re.IGNORECASE)
_IN = re.compile(r"(?<!\w)(?:в|во|на)\s+$", re.IGNORECASE)


def _with_preposition(sentence: str, span: Span) -> Span:
    """A place or date with the "в" / "на" before it ("в Эдинбурге", "в марте"): the words a reader
    would quote."""
    if span.kind not in ("place", "date"):
        return span
    lead = _IN.search(sentence, max(0, span.start - 4), span.start)
    if lead is None:
        return span
    return Span(span.kind, sentence[lead.start() : span.end], lead.start(), span.end)


def _dates(sentence: str) -> list[Span]:
    out = []
    for start, end in date_spans(sentence, today=date.today()):
        if lead := _PREPOSITION.match(sentence, start):
            start = lead.end()
        out.append(Span("date", sentence[start:end], start, end))
    for m in _YEAR.finditer(sentence):
        if not any(s.start <= m.start() < s.end + 1 for s in out):
            out.append(Span("date", m.group(0), m.start(), m.end()))
    return out


def _numbers(sentence: str, taken: list[Span]) -> list[Span]:
    out = []
    for m in _NUMBER.finditer(sentence):
        text = m.group(0).rstrip(" .,")
        if any(s.kind == "date" and s.start <= m.start() < s.end for s in taken) and not _has_unit(text):
            continue
        out.append(Span("number", text, m.start(), m.start() + len(text)))
    for m in _NUMERAL_WORDS.finditer(sentence):
        if is_numeral(m.group(1).lower()) and m.group(1).lower() not in _INDEFINITE:
            out.append(Span("number", m.group(0), m.start(), m.end()))
    return out


_NUMERAL_WORDS = re.compile(
    r"(?<![А-Яа-яЁё])((?:одн|дв|тр|четыр|пят|шест|сем|восем|девят|десят|сорок|девяност|сто|двест|трист"
    rf"|полтор|об[аеои]|тысяч|миллион|миллиард)[а-яё]*)(?:\s+(?:{_SCALE}))?(?!\w)",
    re.IGNORECASE,
)
"""Words that may be numerals (their first letters), checked by pymorphy3 (a parse each)."""
_INDEFINITE_WORDS = (
    "несколько нескольких нескольким несколькими сколько скольких столько стольких много многих многим "
    "мало немало немного многие"
)
_INDEFINITE = frozenset(_INDEFINITE_WORDS.split())


def _has_unit(text: str) -> bool:
    return bool(re.search(rf"(?:{_SCALE}|{_UNIT})\s*$", text, re.IGNORECASE)) and not text.strip().isdigit()


def _quoted(sentence: str) -> list[Span]:
    out = []
    for m in _QUOTED.finditer(sentence):
        out.append(Span("other", m.group(0), m.start(), m.end()))
    return out


def numeral_value(word: str) -> int | None:
    """The value of a numeral in its dictionary form ("девять", "nine"), or None."""
    return _NUMERALS.get(word.lower())


def values(text: str) -> set[float]:
    """The numbers ``text`` names, in digits or in words ("школы номер пять", "school five", "5")."""
    joined = re.sub(r"(?<=\d)[\s\u00a0](?=\d{3})", "", text)  # 415 000 -> 415000
    found = {float(d.replace(",", ".")) for d in re.findall(r"\d+(?:[.,]\d+)?", joined)}
    for word in re.findall(r"[A-Za-zА-Яа-яЁё]+", text):
        lowered = word.lower()
        value = numeral_value(lowered) if lowered.isascii() else numeral_value(normal_form(lowered))
        if value is not None:
            found.add(float(value))
    return found
