"""The date grammar: the patterns by which a question's dates are found, and what each match means.

dateparser's ``search_dates`` finds dates where there are none ("May I ask" -> May, "Super Bowl 50" ->
1950) and misses Russian ones ("в 2025 году" -> year 1, "в январе 2026" -> only "2026"). So a question
is scanned with a strict grammar (the patterns below): a date needs a month name, a year in a date
context ("в 2025 году", "in 2025", "с 2020 по 2022 год"), a numeric date ("06.01.2026") or a known
relative phrase ("вчера", "last week", "за последние 3 дня"). A match's calendar part is read by
dateparser (:mod:`~retrieval.search.dates.points`); relative periods are plain arithmetic
(:mod:`~retrieval.search.dates.periods`). Every date the grammar reads lies within Python's calendar (it
reads years of four digits from 1000 to 2999), and so does its arithmetic.

:func:`scan` gives the non-overlapping matches of a text, the longest at each place.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta

from retrieval.search.dates.periods import DateRange, days_back, months_back, rolling, weeks_back, whole_year
from retrieval.search.dates.points import Point, between, read_as, resolve

# --- the vocabulary ----------------------------------------------------------------------------------

_RU_MONTH = r"(?:январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)[ьяею]|(?:март|август)[аеу]?|ма[йяею]"
_EN_MONTH = r"january|february|march|april|may|june|july|august|september|october|november|december"
_ABBR = r"(?:янв|февр?|мар|апр|авг|сент?|окт|нояб?|дек|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"
_MONTH = rf"(?:{_RU_MONTH}|{_EN_MONTH})(?!\w)"  # alone or with a year
_MONTH_D = rf"(?:{_RU_MONTH}|{_EN_MONTH}|{_ABBR})(?!\w)"  # with a day, abbreviations are safe
_DAY = r"(?<![\d.])[0-3]?\d(?:-?(?:го|е|ое)|st|nd|rd|th)?"
_YEAR_TAIL = r"(?:-?(?:го|м))?(?:\s+(?:года|году|год|г\.?)(?!\w))?"
_TO = r"\s*(?:-|–|—|по|до|и|to|and|through|till|until)\s*"
_FROM = r"(?:с|со|от|между|from|between)\s+"
_BOUND = r"(?:(?P<b>начиная\s+с|с|со|после|до|к|since|after|before|until|till)\s+)?"
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "couple of": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "один": 1, "одна": 1, "одну": 1, "одни": 1, "два": 2, "две": 2, "двух": 2, "пару": 2, "пары": 2,
    "три": 3, "трех": 3, "четыре": 4, "четырех": 4, "пять": 5, "пяти": 5, "шесть": 6, "шести": 6,
    "семь": 7, "семи": 7, "восемь": 8, "восьми": 8, "девять": 9, "девяти": 9, "десять": 10, "десяти": 10,
}  # fmt: skip
_NUMBER = r"\d{1,3}|" + "|".join(sorted((w.replace(" ", r"\s+") for w in _NUMBERS), key=len, reverse=True))
_UNIT = r"дн\w*|день|сут\w*|недел\w*|месяц\w*|год\w*|лет|час\w*|days?|weeks?|fortnight|months?|years?|hours?"


def _point(s: str) -> str:
    """A day with its month, and maybe a year: "6 января 2026 года", "6th of January", "Jan 6, 2025"."""
    return (
        rf"(?:(?P<d{s}>{_DAY})(?:\s+of)?\s+(?P<m{s}>{_MONTH_D})"
        rf"|(?P<n{s}>{_MONTH_D})\s+(?P<e{s}>[0-3]?\d)(?:st|nd|rd|th)?(?!\d))"
        rf"(?:,?\s+(?P<y{s}>[12]\d{{3}}){_YEAR_TAIL})?"
    )


def _month_year(s: str) -> str:
    return rf"(?P<m{s}>{_MONTH})(?:,?\s+(?:of\s+)?(?P<y{s}>[12]\d{{3}}){_YEAR_TAIL})?"


RECENT = re.compile(
    r"(?<!\w)(?:сейчас(?!\s+(?:известн|называ))|теперь|даже\s+сегодня|по\s+сей\s+день|ныне\w*|текущ\w*|в\s+настоящее\s+время|на\s+данный\s+момент"
    r"|на\s+текущий\s+момент|на\s+сегодня(?:шний\s+день)?|до\s+сих\s+пор|на\s+днях|недавн\w*"
    r"|в\s+последн(?:ее\s+время|ие\s+дни)|последн\w+\s+(?:новост|событи|данн|извест|сведени|информаци)\w*"
    r"|свеж\w+|now(?!\s+known)|nowadays|even\s+today|to\s+this\s+day|current|currently|latest|most\s+recent|recent|recently|these\s+days"
    r"|at\s+(?:the\s+moment|present)|presently|as\s+of\s+(?:today|now)|to\s+date|so\s+far)(?!\w)"
)
"""Words that ask for the latest state ("сейчас", "latest"): read apart from any range."""

# Words that may follow a bare year ("in 2025 the company", "в 2025 в Москве"); any other lower-case
# word makes the number a quantity ("in 2000 cities", "в 2000 городах").
_AFTER_YEAR = frozenset(
    re.findall(
        r"\w+",
        "and or in at on the a an when what who whom where why how did was were is are had has have to for of"
        " with by during after before from until compared vs versus season year"
        " и или а в во на по с со за у при из до после когда что кто где как какой какие был была было были",
    )
)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[re.sub(r"\s+", " ", word)]


# --- the patterns and what each match means ------------------------------------------------------------

_Handler = Callable[[re.Match[str], str, date], DateRange | None]
_PATTERNS: list[tuple[re.Pattern[str], _Handler, bool]] = []


def _pattern(regex: str, *, relative: bool = False) -> Callable[[_Handler], _Handler]:
    """Register a handler for ``regex``; a ``relative`` one counts from today ("вчера", "last week")."""

    def register(handler: _Handler) -> _Handler:
        _PATTERNS.append((re.compile(rf"(?<!\w)(?:{regex})(?!\w)"), handler, relative))
        return handler

    return register


def _day_number(text: str | None) -> int | None:
    return int(re.sub(r"\D", "", text)) if text else None  # "6-го" -> 6, "1st" -> 1


def _point_of(m: re.Match[str], s: str) -> Point:
    """The point named ``s`` in a match of :func:`_point` or :func:`_month_year`."""
    year = int(m[f"y{s}"]) if m[f"y{s}"] else None
    if m[f"m{s}"]:
        return Point(m[f"m{s}"], _day_number(m.groupdict().get(f"d{s}")), year)
    return Point(m[f"n{s}"], _day_number(m[f"e{s}"]), year)


def _bounded(m: re.Match[str], found: DateRange | None) -> DateRange | None:
    """Apply a leading "с"/"since", "после"/"after", "до"/"before" or "к"/"until" to ``found``."""
    bound = m["b"]
    if found is None or bound is None:
        return found
    if bound in ("после", "after"):
        return DateRange(found.until and found.until + timedelta(days=1), None)
    if bound in ("до", "before"):
        return DateRange(None, found.since and found.since - timedelta(days=1))
    if bound in ("к", "until", "till"):
        return DateRange(None, found.until)
    return DateRange(found.since, None)


def _may_or_march_verb(question: str, start: int, word: str) -> bool:
    """English "may"/"march" in lower case are a verb: "May I ask", "the march on Washington"."""
    return word in ("may", "march") and question[start : start + 1].islower()


@_pattern(rf"{_FROM}(?P<d1>{_DAY}){_TO}{_point('2')}|(?P<d0>{_DAY}){_TO}{_point('3')}")
def _day_range(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Days of one month: "с 1 по 5 января", "1–5 января 2026", "between 1 and 5 January"."""
    s = "2" if m["d1"] else "3"
    end = _point_of(m, s)
    return between(replace(end, day=_day_number(m["d1"] or m["d0"])), end, today)


@_pattern(
    rf"(?:(?:from|between)\s+)?(?P<m>{_MONTH_D})\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?{_TO}"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y>[12]\d{{3}}))?"
)
def _day_range_en(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Days of one month, English order: "January 1-5", "from January 1 to 5, 2026"."""
    year = int(m["y"]) if m["y"] else None
    return between(Point(m["m"], int(m["d1"]), year), Point(m["m"], int(m["d2"]), year), today)


@_pattern(rf"{_FROM}{_point('1')}{_TO}{_point('2')}|{_point('3')}\s*[-–—]\s*{_point('4')}")
def _point_range(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Two days: "с 25 декабря по 5 января", "between January 1 and January 5", "1 января – 5 февраля"."""
    first, second = ("1", "2") if m["m1"] or m["n1"] else ("3", "4")
    return between(_point_of(m, first), _point_of(m, second), today)


@_pattern(rf"{_FROM}{_month_year('1')}{_TO}{_month_year('2')}")
def _month_range(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Months: "с января по март 2025", "between March and May"."""
    return between(_point_of(m, "1"), _point_of(m, "2"), today)


@_pattern(
    rf"(?:(?P<p>{_FROM}|(?:в|во|in|during)\s+))?(?P<y1>[12]\d{{3}})(?:\s*(?:года|г\.))?{_TO}(?P<y2>[12]\d{{3}})"
    r"(?P<t>\s*(?:годы|годах|годов|годам|года|год|гг\.?|г\.?)(?!\w))?"
)
def _year_range(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Years: "с 2020 по 2022 год", "between 2020 and 2022", "в 2024–2025 годах".

    Not "от 1000 до 2000 рублей".
    """
    first, last = int(m["y1"]), int(m["y2"])
    if not (m["t"] or (m["p"] and _free_standing(question, m.end()))) or first > last:
        return None
    return DateRange(date(first, 1, 1), date(last, 12, 31))


@_pattern(rf"{_BOUND}{_point('')}")
def _day(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """A day: "6 января", "6 января 2026 года", "on January 6", "с 5 января"."""
    point = _point_of(m, "")
    if m["n"] and _may_or_march_verb(question, m.start("n"), m["n"]):
        return None
    return _bounded(m, resolve(point, today))


@_pattern(
    rf"{_BOUND}(?:(?P<d>[0-3]?\d)\.(?P<mo>[01]?\d)\.(?P<y>[12]\d{{3}})|(?P<iso>[12]\d{{3}}-[01]\d-[0-3]\d))"
)
def _numeric(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """A day in digits: "06.01.2026", "2026-01-06"."""
    text = m["iso"] or f"{m['d']}.{m['mo']}.{m['y']}"
    day = read_as(text, "day", today)
    return _bounded(m, DateRange(day, day) if day else None)


_EN_MONTH_CONTEXT = re.compile(
    r"(?:in|during|since|until|till|from|by|of|before|after|through|throughout|early|late|mid|last|this)[\s-]+$"
)


@_pattern(rf"{_BOUND}{_month_year('')}")
def _month_named(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """A month: "в январе 2026", "in January 2026", "в январе", "in March".

    Not "May I ask", "the march on", "Марта" (a name), nor "31 февраля" (no such day: not all February).
    """
    word, start = m["m"], m.start("m")
    if re.search(r"\d\S*\s+(?:of\s+)?$", question[:start]):
        return None  # a day's month: the day patterns decide
    if m["y"] is None:
        if re.fullmatch(_RU_MONTH, word) and question[start : start + 1].isupper() and start > 0:
            return None
        after_preposition = _EN_MONTH_CONTEXT.search(question[: m.start()].lower()) is not None
        if re.fullmatch(_EN_MONTH, word) and (
            not after_preposition or _may_or_march_verb(question, start, word)
        ):
            return None
    return _bounded(m, resolve(Point(word, None, int(m["y"]) if m["y"] else None), today))


@_pattern(
    rf"{_BOUND}(?:(?P<lead>в|во|за|in|during|throughout|the\s+year|year)\s+)?(?:(?:early|late|mid)[\s-]+)?"
    rf"(?P<y>[12]\d{{3}}|[1-9]\d{{2}}(?=-?(?:го|м)?\s+год))(?P<t>{_YEAR_TAIL})"
)
def _year_of(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """A year: "в 2025 году", "in 2025", "с 2020 года"; not "in 2000 cities", "Super Bowl 50", "308 games"."""
    if not m["t"] and not ((m["b"] or m["lead"]) and _free_standing(question, m.end())):
        return None  # without "года" a number is a year only by its context
    return _bounded(m, whole_year(int(m["y"])))


@_pattern(
    rf"{_BOUND}(?:(?:в|во|in\s+the|during\s+the|the)\s+)?(?P<y>[12]\d{{2}}0)(?:-?(?:х|е|ые|ых)|'?s)"
    r"(?:\s+(?:годах|годов|годы|годам|гг\.?))?"
)
def _decade(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """A decade: "в 1970-х годах", "in the 1990s", "с 1980-х"; "the 1700s" is a century."""
    first = int(m["y"])
    years = 100 if m[0].endswith("00s") and first % 100 == 0 and first < 2000 else 10
    return _bounded(m, DateRange(date(first, 1, 1), date(first + years - 1, 12, 31)))


def _free_standing(question: str, end: int) -> bool:
    """Whether a number that ends at ``end`` stands alone like a year: not "2000 cities", "1970-х"."""
    rest = question[end:]
    if re.match(r"\s*[%$€₽]|[-–.,:/]\w|\s*\d|'?s\b", rest):
        return False
    word = re.match(r"\s*([^\W\d_]+)", rest)
    return word is None or word[1][0].isupper() or word[1].lower() in _AFTER_YEAR


_THIS, _LAST = r"(?:этой|эту|этом|этот|текущ\w+|нынешн\w+)", r"(?:прошл\w+|предыдущ\w+|минувш\w+)"
# fmt: off
_RELATIVE: list[tuple[str, Callable[[date], DateRange]]] = [
    (r"позавчера|(?:the\s+)?day\s+before\s+yesterday", lambda t: days_back(t, 2)),
    (r"вчера\w*|yesterday(?:'s)?", lambda t: days_back(t, 1)),
    (r"(?<!на\s)(?<!даже\s)(?<!as\sof\s)(?<!even\s)(?:сегодня\w*|today(?:'s)?)", lambda t: days_back(t, 0)),
    (rf"(?:на|за)\s+{_THIS}\s+недел[еюи]|this\s+week", lambda t: weeks_back(t, 0)),
    (rf"(?:на|за)\s+{_LAST}\s+недел[еюи]|(?<!the\s)(?:last|previous)\s+week", lambda t: weeks_back(t, 1)),
    (rf"(?:в|за)\s+{_THIS}\s+месяц[еа]?|this\s+month", lambda t: months_back(t, 0)),
    (rf"(?:в|за)\s+{_LAST}\s+месяц[еа]?|(?<!the\s)(?:last|previous)\s+month", lambda t: months_back(t, 1)),
    (rf"(?:в|за)\s+{_THIS}\s+год[уа]?|this\s+year", lambda t: whole_year(t.year)),
    (rf"(?:в|за)\s+{_LAST}\s+год[уа]?|(?<!the\s)(?:last|previous)\s+year", lambda t: whole_year(t.year - 1)),
]
# fmt: on


def _fixed(period: Callable[[date], DateRange]) -> _Handler:
    def handler(m: re.Match[str], question: str, today: date) -> DateRange | None:
        return period(today)

    return handler


for _regex, _period in _RELATIVE:
    _pattern(_regex, relative=True)(_fixed(_period))


_ONE_UNIT = frozenset(("день", "сутки", "неделю", "неделя", "неделе", "месяц", "год", "году", "час"))
_ONE_UNIT |= {"day", "week", "fortnight", "month", "year", "hour"}


@_pattern(
    rf"(?:за|в|на)\s+(?:последн|прошедш|минувш)\w*\s+(?:(?P<n>{_NUMBER})\s+)?(?P<u>{_UNIT})"
    rf"|(?:(?:in|over|during|for|within)\s+)?(?:(?:the|this)\s+(?:last|past)|past|last(?=\s+(?:{_NUMBER})\s))"
    rf"\s+(?:(?P<k>{_NUMBER})\s+)?(?P<v>{_UNIT})",
    relative=True,
)
def _last_units(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Up to today: "за последние 3 дня", "за последнюю неделю", "in the last 3 days", "past two weeks"."""
    count, unit = m["n"] or m["k"], m["u"] or m["v"]
    if count is None and unit not in _ONE_UNIT:  # "в последние дни", "the past weeks": recent, no range
        return None
    return rolling(today, _number(count) if count else 1, unit)


@_pattern(rf"(?P<n>{_NUMBER})\s+(?:дн\w*|день|days?)\s+(?:назад|ago)", relative=True)
def _days_ago(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """One day back: "3 дня назад", "two days ago"."""
    return days_back(today, _number(m["n"]))


def scan(
    text: str, question: str, today: date, calendar_today: date, *, relative: bool = True
) -> list[tuple[int, int, DateRange]]:
    """The matches in ``text`` (``question`` as written), non-overlapping, the longest at each place,
    with their ranges; a day or month without a year is the latest one not after ``calendar_today``,
    a relative phrase counts from ``today`` (and is left out unless ``relative``)."""
    found: list[tuple[int, int, DateRange]] = []
    for regex, handler, counts_back in _PATTERNS:
        if counts_back and not relative:
            continue
        for m in regex.finditer(text):
            if (span := handler(m, question, today if counts_back else calendar_today)) is not None:
                found.append((m.start(), m.end(), span))
    found.sort(key=lambda item: (item[0], item[0] - item[1]))
    kept: list[tuple[int, int, DateRange]] = []
    for start, end, span in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, span))
    return kept
