"""Dates understood from a question, in Russian and English.

``parse_question_dates("Что писали в январе 2026?", today=...)`` gives the range 2026-01-01..2026-01-31;
``parse_date_arg`` reads one date for ``--since``/``--until`` and the bot's filters.

dateparser's ``search_dates`` finds dates where there are none ("May I ask" -> May, "Super Bowl 50" ->
1950) and misses Russian ones ("в 2025 году" -> year 1, "в январе 2026" -> only "2026"). So a question
is scanned with a strict grammar (the patterns below): a date needs a month name, a year in a date
context ("в 2025 году", "in 2025", "с 2020 по 2022 год"), a numeric date ("06.01.2026") or a known
relative phrase ("вчера", "last week", "за последние 3 дня"). Each match's calendar part is then
handed to dateparser as a short canonical text ("6 января 2026", "january") and kept only if
dateparser reads it at the granularity the grammar expects; relative periods are plain arithmetic.

A day without a year is the most recent such day not after ``today``; a month without a year likewise.
Several expressions in one question give the smallest range covering them all.

The archive's calendar is :data:`CALENDAR`, 1800-01-01 to 2999-12-31: no article is dated before 1800
(ingestion keeps such a date out, :mod:`ingest.loaders.dates`), and a question's grammar reads years of
four digits from 1000 to 2999. :func:`parse_date_arg` refuses a typed date outside it with
:class:`DateOutOfRange` (a clear message, never an overflow further on), and a timeline places no
article outside it (:mod:`retrieval.search.timeline`). A question's dates need no check: every one its
grammar reads lies within Python's calendar, and so does its arithmetic.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import lru_cache

from dateparser.date import DateDataParser


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive on both ends; ``None`` leaves that end open."""

    since: date | None
    until: date | None

    def __contains__(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


@dataclass(frozen=True, slots=True)
class DateIntent:
    """What a question says about time: a range to filter on, and whether it asks for the latest state."""

    range: DateRange | None
    prefer_recent: bool
    matched: str | None  # the question's text that produced ``range``


CALENDAR = DateRange(date(1800, 1, 1), date(2999, 12, 31))
"""The dates :func:`parse_date_arg` accepts (a filter, a command-line option) and a timeline places."""


class DateOutOfRange(ValueError):
    """A date a person typed lies outside :data:`CALENDAR`; the message says so, for the user."""

    def __init__(self, day: date) -> None:
        self.day = day
        super().__init__(f"{day.isoformat()} {OUT_OF_RANGE}")


OUT_OF_RANGE = f"is out of range ({CALENDAR.since} to {CALENDAR.until})"


# --- the grammar -------------------------------------------------------------------------------------

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


_RECENT = re.compile(
    r"(?<!\w)(?:сейчас(?!\s+(?:известн|называ))|теперь|даже\s+сегодня|по\s+сей\s+день|ныне\w*|текущ\w*|в\s+настоящее\s+время|на\s+данный\s+момент"
    r"|на\s+текущий\s+момент|на\s+сегодня(?:шний\s+день)?|до\s+сих\s+пор|на\s+днях|недавн\w*"
    r"|в\s+последн(?:ее\s+время|ие\s+дни)|последн\w+\s+(?:новост|событи|данн|извест|сведени|информаци)\w*"
    r"|свеж\w+|now(?!\s+known)|nowadays|even\s+today|to\s+this\s+day|current|currently|latest|most\s+recent|recent|recently|these\s+days"
    r"|at\s+(?:the\s+moment|present)|presently|as\s+of\s+(?:today|now)|to\s+date|so\s+far)(?!\w)"
)

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


# --- reading the calendar parts with dateparser --------------------------------------------------------


@lru_cache(maxsize=8)
def _dateparser(today: date) -> DateDataParser:
    settings = {
        "PREFER_DATES_FROM": "past",
        "RELATIVE_BASE": datetime(today.year, today.month, today.day),
        "PREFER_DAY_OF_MONTH": "first",
        "DATE_ORDER": "DMY",
    }
    return DateDataParser(languages=["ru", "en"], settings=settings)


def _read(text: str, period: str, today: date) -> date | None:
    """``text`` as dateparser reads it, or ``None`` unless it reads a date of this ``period``."""
    data = _dateparser(today).get_date_data(text)
    if data.date_obj is None or data.period != period:
        return None
    return data.date_obj.date()


_GENITIVE = {"ма": "мая", "март": "марта", "август": "августа"}


def _canonical_month(word: str) -> str:
    """Russian month names in the genitive ("январе" -> "января"), which dateparser reads; others as is."""
    word = word.rstrip(".")
    if stem := re.fullmatch(r"(январ|феврал|апрел|июн|июл|сентябр|октябр|ноябр|декабр)[ьяею]", word):
        return stem[1] + "я"
    if stem := re.fullmatch(r"(март|август|ма)[айяеу]?", word):
        return _GENITIVE[stem[1]]
    return word


@dataclass(frozen=True, slots=True)
class _Point:
    """A month word as written, maybe with a day and a year."""

    month: str
    day: int | None = None
    year: int | None = None


def _resolve(point: _Point, today: date) -> DateRange | None:
    """The day or month ``point`` names; without a year, the most recent one not after ``today``."""
    parts = (point.day, _canonical_month(point.month), point.year)
    first = _read(" ".join(str(part) for part in parts if part), "day" if point.day else "month", today)
    if first is None:
        return None
    if point.year is None and first > today:  # dateparser prefers the past already; make sure of it
        return _resolve(replace(point, year=first.year - 1), today)
    return DateRange(first, first if point.day else _month_end(first))


def _between(a: _Point, b: _Point, today: date) -> DateRange | None:
    """From ``a`` to ``b``; a missing year is taken from the other end, ``a`` falling before ``b``."""
    if b.year is not None:
        end = _resolve(b, today)
        if end is None or end.until is None:
            return None
        start = _resolve(replace(a, year=a.year or end.until.year), today)
        if start and start.since and a.year is None and start.since > end.until:
            start = _resolve(replace(a, year=end.until.year - 1), today)
    else:
        start = _resolve(a, today)
        if start is None or start.since is None:
            return None
        end = _resolve(replace(b, year=start.since.year), today)
        if end and end.until and end.until < start.since:
            end = _resolve(replace(b, year=start.since.year + 1), today)
    if not (start and end and start.since and end.until and start.since <= end.until):
        return None
    return DateRange(start.since, end.until)


# --- arithmetic ----------------------------------------------------------------------------------------


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _days_back(today: date, days: int) -> DateRange:
    day = today - timedelta(days=days)
    return DateRange(day, day)


def _weeks_back(today: date, weeks_back: int) -> DateRange:
    monday = today - timedelta(days=today.weekday(), weeks=weeks_back)
    return DateRange(monday, monday + timedelta(days=6))


def _months_back(today: date, months_back: int) -> DateRange:
    first = _add_months(today.replace(day=1), -months_back)
    return DateRange(first, _month_end(first))


def _whole_year(year: int) -> DateRange:
    return DateRange(date(year, 1, 1), date(year, 12, 31))


def _number(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[re.sub(r"\s+", " ", word)]


def _rolling(today: date, count: int, unit: str) -> DateRange:
    """The last ``count`` units up to today: "за последние 3 дня" on the 10th is the 7th..10th."""
    if unit.startswith(("недел", "week")):
        since = today - timedelta(weeks=count)
    elif unit == "fortnight":
        since = today - timedelta(weeks=2 * count)
    elif unit.startswith(("месяц", "month")):
        since = _add_months(today, -count)
    elif unit.startswith(("год", "лет", "year")):
        since = _add_months(today, -12 * count)
    elif unit.startswith(("час", "hour")):
        since = today - timedelta(days=max(1, -(-count // 24)))
    else:
        since = today - timedelta(days=count)
    return DateRange(since, today)


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


def _point_of(m: re.Match[str], s: str) -> _Point:
    """The point named ``s`` in a match of :func:`_point` or :func:`_month_year`."""
    year = int(m[f"y{s}"]) if m[f"y{s}"] else None
    if m[f"m{s}"]:
        return _Point(m[f"m{s}"], _day_number(m.groupdict().get(f"d{s}")), year)
    return _Point(m[f"n{s}"], _day_number(m[f"e{s}"]), year)


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
    return _between(replace(end, day=_day_number(m["d1"] or m["d0"])), end, today)


@_pattern(
    rf"(?:(?:from|between)\s+)?(?P<m>{_MONTH_D})\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?{_TO}"
    rf"(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y>[12]\d{{3}}))?"
)
def _day_range_en(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Days of one month, English order: "January 1-5", "from January 1 to 5, 2026"."""
    year = int(m["y"]) if m["y"] else None
    return _between(_Point(m["m"], int(m["d1"]), year), _Point(m["m"], int(m["d2"]), year), today)


@_pattern(rf"{_FROM}{_point('1')}{_TO}{_point('2')}|{_point('3')}\s*[-–—]\s*{_point('4')}")
def _point_range(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Two days: "с 25 декабря по 5 января", "between January 1 and January 5", "1 января – 5 февраля"."""
    first, second = ("1", "2") if m["m1"] or m["n1"] else ("3", "4")
    return _between(_point_of(m, first), _point_of(m, second), today)


@_pattern(rf"{_FROM}{_month_year('1')}{_TO}{_month_year('2')}")
def _month_range(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """Months: "с января по март 2025", "between March and May"."""
    return _between(_point_of(m, "1"), _point_of(m, "2"), today)


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
    return _bounded(m, _resolve(point, today))


@_pattern(
    rf"{_BOUND}(?:(?P<d>[0-3]?\d)\.(?P<mo>[01]?\d)\.(?P<y>[12]\d{{3}})|(?P<iso>[12]\d{{3}}-[01]\d-[0-3]\d))"
)
def _numeric(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """A day in digits: "06.01.2026", "2026-01-06"."""
    text = m["iso"] or f"{m['d']}.{m['mo']}.{m['y']}"
    day = _read(text, "day", today)
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
    return _bounded(m, _resolve(_Point(word, None, int(m["y"]) if m["y"] else None), today))


@_pattern(
    rf"{_BOUND}(?:(?P<lead>в|во|за|in|during|throughout|the\s+year|year)\s+)?(?:(?:early|late|mid)[\s-]+)?"
    rf"(?P<y>[12]\d{{3}}|[1-9]\d{{2}}(?=-?(?:го|м)?\s+год))(?P<t>{_YEAR_TAIL})"
)
def _year_of(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """A year: "в 2025 году", "in 2025", "с 2020 года"; not "in 2000 cities", "Super Bowl 50", "308 games"."""
    if not m["t"] and not ((m["b"] or m["lead"]) and _free_standing(question, m.end())):
        return None  # without "года" a number is a year only by its context
    return _bounded(m, _whole_year(int(m["y"])))


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
    (r"позавчера|(?:the\s+)?day\s+before\s+yesterday", lambda t: _days_back(t, 2)),
    (r"вчера\w*|yesterday(?:'s)?", lambda t: _days_back(t, 1)),
    (r"(?<!на\s)(?<!даже\s)(?<!as\sof\s)(?<!even\s)(?:сегодня\w*|today(?:'s)?)", lambda t: _days_back(t, 0)),
    (rf"(?:на|за)\s+{_THIS}\s+недел[еюи]|this\s+week", lambda t: _weeks_back(t, 0)),
    (rf"(?:на|за)\s+{_LAST}\s+недел[еюи]|(?<!the\s)(?:last|previous)\s+week", lambda t: _weeks_back(t, 1)),
    (rf"(?:в|за)\s+{_THIS}\s+месяц[еа]?|this\s+month", lambda t: _months_back(t, 0)),
    (rf"(?:в|за)\s+{_LAST}\s+месяц[еа]?|(?<!the\s)(?:last|previous)\s+month", lambda t: _months_back(t, 1)),
    (rf"(?:в|за)\s+{_THIS}\s+год[уа]?|this\s+year", lambda t: _whole_year(t.year)),
    (rf"(?:в|за)\s+{_LAST}\s+год[уа]?|(?<!the\s)(?:last|previous)\s+year", lambda t: _whole_year(t.year - 1)),
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
    return _rolling(today, _number(count) if count else 1, unit)


@_pattern(rf"(?P<n>{_NUMBER})\s+(?:дн\w*|день|days?)\s+(?:назад|ago)", relative=True)
def _days_ago(m: re.Match[str], question: str, today: date) -> DateRange | None:
    """One day back: "3 дня назад", "two days ago"."""
    return _days_back(today, _number(m["n"]))


# --- the entry points ----------------------------------------------------------------------------------


def _scan(text: str, question: str, today: date, calendar_today: date) -> list[tuple[int, int, DateRange]]:
    """Non-overlapping matches, the longest at each place; a day or month without a year is the latest
    one not after ``calendar_today``."""
    found: list[tuple[int, int, DateRange]] = []
    for regex, handler, relative in _PATTERNS:
        for m in regex.finditer(text):
            if (span := handler(m, question, today if relative else calendar_today)) is not None:
                found.append((m.start(), m.end(), span))
    found.sort(key=lambda item: (item[0], item[0] - item[1]))
    kept: list[tuple[int, int, DateRange]] = []
    for start, end, span in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end, span))
    return kept


def parse_question_dates(question: str, *, today: date) -> DateIntent:
    """The date range a question asks about, if it names one, and whether it asks for the latest state."""
    text = question.lower().replace("ё", "е")
    if len(text) != len(question):  # a rare character changed length when lower-cased
        question = text
    kept = _scan(text, question, today, today)
    years = {
        year for start, end, _ in kept for year in re.findall(r"(?<!\d)[12]\d{3}(?!\d)", text[start:end])
    }
    if len(years) == 1 and (year := int(years.pop())) < today.year:
        # "1 июля ... чемпионата Европы 2012 года": a day without a year falls in the year named
        kept = _scan(text, question, today, date(year, 12, 31))
    recent = _RECENT.search(text) is not None
    if not kept:
        return DateIntent(None, recent, None)
    sinces = [span.since for _, _, span in kept]
    untils = [span.until for _, _, span in kept]
    covering = DateRange(
        None if None in sinces else min(d for d in sinces if d is not None),
        None if None in untils else max(d for d in untils if d is not None),
    )
    matched = "; ".join(question[start:end].strip() for start, end, _ in kept)
    return DateIntent(covering, recent, matched)


def date_spans(text: str, *, today: date) -> list[tuple[int, int]]:
    """Where ``text`` names calendar dates ("6 января 2026 года", "в феврале 2015 года", "March 2017"):
    the start and end of each, relative phrases ("вчера", "last week") left out; what a short answer to
    "when" quotes."""
    lowered = text.lower().replace("ё", "е")
    if len(lowered) != len(text):
        return []
    found: list[tuple[int, int]] = []
    for regex, handler, relative in _PATTERNS:
        if relative:
            continue
        for m in regex.finditer(lowered):
            if handler(m, lowered, today) is not None:
                found.append((m.start(), m.end()))
    found.sort(key=lambda item: (item[0], item[0] - item[1]))
    kept: list[tuple[int, int]] = []
    for start, end in found:
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return [(start + len(text[start:end]) - len(text[start:end].lstrip()), end) for start, end in kept]


def _only_prepositions(text: str) -> bool:
    return all(word in ("в", "во", "за", "in", "on", "during", "of", "the") for word in text.lower().split())


def parse_date_arg(value: str, *, today: date, end: bool = False) -> date:
    """One date from a command-line option or a bot filter.

    Accepts "2026-01-06", "06.01.2026", "6 января 2026", "January 2026", "2026", "yesterday", "вчера",
    "last week". A month, a year or a week stands for its first day, or its last day when ``end``.
    Raises :class:`ValueError` for anything else, :class:`DateOutOfRange` for a date outside
    :data:`CALENDAR`.
    """
    day = _date_arg(value, today=today, end=end)
    if day not in CALENDAR:
        raise DateOutOfRange(day)
    return day


def _date_arg(value: str, *, today: date, end: bool) -> date:
    cleaned = value.strip().strip(".,;!?").strip()
    if not cleaned:
        raise ValueError(
            "empty date: use YYYY-MM-DD, DD.MM.YYYY, a month such as 'January 2026' or 'yesterday'"
        )
    try:
        return date.fromisoformat(cleaned)
    except ValueError:
        pass
    intent = parse_question_dates(cleaned, today=today)
    if (
        intent.range is not None
        and intent.matched
        and _only_prepositions(cleaned.replace(intent.matched, " ", 1))
    ):
        bound = intent.range.until if end else intent.range.since
        if bound is not None:
            return bound
    if not re.fullmatch(r"\d{1,3}", cleaned):  # "50" is no date, whatever dateparser says
        data = _dateparser(today).get_date_data(cleaned)
        if data.date_obj is not None:
            day = data.date_obj.date()
            if end and data.period == "month":
                return _month_end(day)
            if end and data.period == "year":
                return day.replace(month=12, day=31)
            return day
    raise ValueError(
        f"cannot understand the date {value!r}: use YYYY-MM-DD, DD.MM.YYYY, a month such as "
        "'January 2026', or a word such as 'yesterday'"
    )
