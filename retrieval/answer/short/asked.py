"""What kind of fact a question asks for, Russian or English: a person, an organisation, a place, a date,
a number or amount, or a name ("what is X called"); ``None`` for questions that want an explanation
("why", "how", "what happened") or ask about nothing in particular.

    asked_kind("who represents the US in Paris?") -> "person"
    asked_kind("В каком году основан город?") -> "date"
    asked_kind("Which company bought the network?") -> "organization"
    asked_kind("Почему выросли цены?") -> None

"what / which / какой X" questions are typed by their head noun X ("which city" wants a place, "какой
игрок" a person); an unknown X is left untyped (``None``), since "what was the result" wants no name.
"""

from __future__ import annotations

import re

_EXPLAIN = re.compile(
    r"^\s*(why|how (?:did|does|do|is|was|were|can|could|are|has|have|would|should)\b)|\bwhat happen"
    r"|^\s*(почему|зачем|каким образом|как (?!назыв|зову|звал|много|долго|далеко|часто))"
    r"|\bчто (?:случилось|произошло)",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\bhow (?:many|much|old|long|far|large|big|tall|high|often)\b"
    r"|\bwhat (?:percent|percentage|proportion|share|number|amount|fraction)\b"
    r"|\bсколько\b|\bкак (?:много|долго|далеко|часто)\b|\bкакой процент\b"
    r"|\bкаков[аоы]? (?:был[аои]? )?(?:доля|численность|сумма|количество|стоимость|процент|площадь)"
    r"|\bкакое количество\b|\bкакая (?:доля|часть|сумма)\b",
    re.IGNORECASE,
)
_DATE = re.compile(
    r"^\s*when\b|\bwhen (?:did|was|were|is|does|do|will|had|has)\b"
    r"|\b(?:what|which) (?:year|date|day|month|century|decade)\b"
    r"|\bкогда\b|\bв как(?:ом|ой|ие) (?:году|веке|месяце|день|годы|годах)\b|\bкакого числа\b"
    r"|\bс какого (?:года|времени)\b|\bв какую (?:эпоху|дату)\b|\bкакой (?:год|датой)\b",
    re.IGNORECASE,
)
_PLACE = re.compile(
    r"^\s*where\b|\bwhere (?:did|was|were|is|does|do|are|will)\b|\b(?:где|куда|откуда)\b", re.IGNORECASE
)
_PERSON = re.compile(
    r"^\s*(?:who|whom|whose)\b|\b(?:who|whom) (?:was|is|did|were|has|had)\b"
    r"|\b(?:кто|кого|кому|кем|чей|чья|чьё|чьи)\b|\bкак (?:зовут|звали)\b",
    re.IGNORECASE,
)
_NAMED = re.compile(
    r"\bwhat (?:is|was|are|were) (?:the )?(?:\w+ )?(?:name|title)\b"
    r"|\bwhat (?:is|was|are|were) .{1,60} called\b"
    r"|\bкак (?:называ|назван)\w*\b|\bкакое (?:название|имя)\b|\bкак(?:ое|ую) (?:прозвище|псевдоним)\b",
    re.IGNORECASE,
)
_WHICH = re.compile(
    r"\b(?:which|what)\s+(?:(?:\w+)\s+)?(?P<en>\w+)|\bкак(?:ой|ая|ое|ие|ого|ом|ую|их|ому|им|ой)\s+(?:(?:\w+)\s+)?(?P<ru>\w+)",
    re.IGNORECASE,
)

# Head nouns of "which X" questions, by the first letters of the word (English and Russian stems).
_HEADS = {
    "person": (
        "person people player president king queen emperor writer author poet scientist leader man woman "
        "coach quarterback minister general composer artist actor singer doctor philosopher physicist "
        "chemist founder owner inventor architect pope prince duke explorer economist politician "
        "человек люд игрок президент корол царь император писател автор поэт учен лидер мужчин женщин "
        "тренер квотербек министр генерал композитор художник актер актрис певец певиц врач философ "
        "физик химик основател владел изобретател архитектор пап принц герцог исследовател экономист "
        "политик"
    ),
    "organization": (
        "company companies organization organisation team party university network group agency club "
        "corporation firm band newspaper channel institution church school college bank league "
        "компани организаци команд парти университет сет групп агентств клуб корпораци фирм газет "
        "канал учрежден церк школ колледж банк лиг издательств"
    ),
    "place": (
        "city country state county region place town river island continent area province district "
        "village street mountain lake ocean sea location "
        "город стран штат округ регион мест провинци район деревн улиц гор озер океан мор остров "
        "континент поселен территори"
    ),
    "date": "year date day month century decade period год дат день месяц век десятилет",
    "number": "number amount percentage population size length weight cost price число сумм размер процент",
}
_HEAD_KINDS = [(stem, kind) for kind, stems in _HEADS.items() for stem in stems.split()]


def asked_kind(question: str) -> str | None:
    """The kind of answer ``question`` asks for: ``person``, ``organization``, ``place``, ``date``,
    ``number``, ``other`` (a name: "what is X called"), or ``None``."""
    if _EXPLAIN.search(question):
        return None
    for kind, pattern in (("number", _NUMBER), ("date", _DATE)):
        if pattern.search(question):
            return kind
    headed = _head_kind(question)
    if headed:
        return headed
    for kind, pattern in (("place", _PLACE), ("person", _PERSON), ("other", _NAMED)):
        if pattern.search(question):
            return kind
    return None


def _head_kind(question: str) -> str | None:
    """The kind named by the head noun of a "which X" / "какой X" question, if it is a known one."""
    for match in _WHICH.finditer(question):
        for word in _head_words(match):
            lowered = word.lower()
            for stem, kind in _HEAD_KINDS:
                if lowered.startswith(stem) and len(lowered) - len(stem) <= 4:
                    return kind
    return None


def _head_words(match: re.Match[str]) -> list[str]:
    """The word after "which" / "какой" and the one after it (an adjective may come first)."""
    words = match.group(0).split()[1:]
    return words[::-1] if len(words) > 1 else words
