"""A deterministic archive of synthetic news articles in every layout the loaders read.

The tests that need an archive of realistic size (bookkeeping, crash safety, server mode) ingest one of
these instead of any real collection: the same ``seed`` and ``size`` always give the same files, and
:func:`write_archive` returns what the loaders must find in them, so counts and ids asserted by a test
come from what was generated. Texts are Russian and English sentences built from a small vocabulary,
several paragraphs each, so every article makes several chunks.

Layout of the archive written under ``root`` (ids are relative to ``root``, as when it is ingested)::

    feeds/wire.jsonl     Russian records  id,title,date,url,source,text  (some with only a URL, some
                         with neither: ids ``url`` and ``feeds/wire.jsonl#N``)
    feeds/world.jsonl    English records, the same fields
    feeds/digest.json    a JSON list of Russian records under the aliases headline, content, published,
                         link, outlet
    feeds/english.csv    English records, header ``id,title,date,url,source,text``
    nerel/NNN.txt        a headline line, a ``05/08/2008 10:35`` date line, the text (some without a date
                         line, some with a tab-only line or a photo credit under the headline, some with no
                         blank lines at all; some in Windows-1251, some with CRLF line ends)
    notes/NNN.txt        a ``date YYYY-MM-DD`` marker before the text, or one long paragraph of plain text
    pages/NNN.html       a saved web page: headline, canonical link, outlet and publication time
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

__all__ = ["Archive", "GeneratedArticle", "article_text", "write_archive"]


@dataclass(frozen=True, slots=True)
class GeneratedArticle:
    """One generated article and what the loaders must make of it."""

    id: str
    """The id the loaders give it when the archive's root is ingested."""
    file: str
    """The file that holds it, relative to the root."""
    layout: str
    """``jsonl``, ``json``, ``csv``, ``nerel``, ``seed``, ``plain`` or ``html``."""
    lang: str
    title: str
    date: date | None
    url: str | None
    source: str | None
    text: str


@dataclass(frozen=True, slots=True)
class Archive:
    """A generated archive: its folder and its articles, in the order the loaders read them."""

    root: Path
    articles: list[GeneratedArticle]

    @property
    def ids(self) -> set[str]:
        return {a.id for a in self.articles}

    def in_file(self, file: str) -> list[GeneratedArticle]:
        """The articles of one file (relative to the root), in file order."""
        return [a for a in self.articles if a.file == file]


# --- vocabulary ----------------------------------------------------------------------------------

_RU_SUBJECTS = [
    "Депутаты городской думы",
    "Власти области",
    "Жители района",
    "Строители",
    "Врачи областной больницы",
    "Учёные университета",
    "Представители компании",
    "Организаторы фестиваля",
    "Спасатели",
    "Школьники",
]
_RU_VERBS = ["обсудили", "одобрили", "представили", "отложили", "начали", "завершили", "поддержали"]
_RU_OBJECTS = [
    "новый бюджет",
    "проект моста через реку",
    "план ремонта дорог",
    "программу поддержки фермеров",
    "строительство школы",
    "реконструкцию набережной",
    "выставку старых карт",
    "маршрут нового трамвая",
    "проверку очистных сооружений",
    "конкурс молодых архитекторов",
]
_RU_PLACES = ["в Казани", "в Самаре", "в Туле", "в Перми", "в Омске", "в Твери", "в Калуге", "в Вологде"]
_RU_WHEN = ["в понедельник", "во вторник", "в среду", "в четверг", "в пятницу", "накануне"]
_RU_WHO = ["мэрии", "министерства", "организаторов", "экспертов", "пресс-службы"]
_RU_MONTHS = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
]
_RU_OUTLETS = ["Вестник Примера", "Городские новости", "Региональное агентство", "Утренняя газета"]

_EN_SUBJECTS = [
    "City council members",
    "Regional officials",
    "Local residents",
    "Engineers",
    "Hospital doctors",
    "University researchers",
    "Company executives",
    "Festival organisers",
]
_EN_VERBS = ["discussed", "approved", "presented", "postponed", "started", "completed", "backed"]
_EN_OBJECTS = [
    "a new budget",
    "a bridge project",
    "a road repair plan",
    "a support scheme for farmers",
    "a new school",
    "the riverside renovation",
    "an exhibition of old maps",
    "a new tram route",
]
_EN_PLACES = ["in Leeds", "in Porto", "in Gdansk", "in Tampere", "in Lyon", "in Graz", "in Brno"]
_EN_WHEN = ["on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "last week"]
_EN_WHO = ["the mayor's office", "the ministry", "the organisers", "independent experts"]
_EN_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_EN_OUTLETS = ["Example Wire", "Morning Ledger", "Harbour Post"]

_PHOTO_CREDITS = ["Фото: Пример-Фото", "Фото: пресс-служба мэрии", "Фото: архив редакции"]
_FIRST_DAY = date(2008, 1, 1)
_DAYS = (date(2026, 1, 31) - _FIRST_DAY).days


# --- sentences and articles ----------------------------------------------------------------------


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _headline(rng: random.Random, lang: str) -> str:
    """A headline: subject, place, verb, object; no final full stop (it is not a sentence)."""
    if lang == "ru":
        subject, place = rng.choice(_RU_SUBJECTS), rng.choice(_RU_PLACES)
        return f"{subject} {place} {rng.choice(_RU_VERBS)} {rng.choice(_RU_OBJECTS)}"
    subject, place = rng.choice(_EN_SUBJECTS), rng.choice(_EN_PLACES)
    return f"{subject} {place} {rng.choice(_EN_VERBS)} {rng.choice(_EN_OBJECTS)}"


def _sentence(rng: random.Random, lang: str) -> str:
    kind = rng.randrange(7)
    if lang == "ru":
        subject, verb, obj = rng.choice(_RU_SUBJECTS), rng.choice(_RU_VERBS), rng.choice(_RU_OBJECTS)
        return [
            f"{subject} {rng.choice(_RU_PLACES)} {rng.choice(_RU_WHEN)} {verb} {obj}.",
            f"Стоимость работ оценили в {rng.randrange(20, 900)} миллионов рублей.",
            f"По словам {rng.choice(_RU_WHO)}, работы займут {rng.randrange(5, 12)} месяцев.",
            f"В обсуждении приняли участие около {rng.randrange(100, 900)} человек.",
            f"Следующее заседание назначено на {rng.randrange(5, 29)} {rng.choice(_RU_MONTHS)}.",
            f"Представители {rng.choice(_RU_WHO)} пообещали опубликовать подробности позже.",
            f"Ранее {_lower_first(subject)} уже {verb} {obj}.",
        ][kind]
    subject, verb, obj = rng.choice(_EN_SUBJECTS), rng.choice(_EN_VERBS), rng.choice(_EN_OBJECTS)
    return [
        f"{subject} {rng.choice(_EN_PLACES)} {rng.choice(_EN_WHEN)} {verb} {obj}.",
        f"The work is expected to cost {rng.randrange(20, 900)} million euros.",
        f"According to {rng.choice(_EN_WHO)}, the work will take {rng.randrange(5, 12)} months.",
        f"About {rng.randrange(100, 900)} people took part in the discussion.",
        f"The next meeting is scheduled for {rng.choice(_EN_MONTHS)} {rng.randrange(5, 29)}.",
        f"A spokesperson for {rng.choice(_EN_WHO)} promised to publish details later.",
        f"Earlier, {_lower_first(subject)} had already {verb} {obj}.",
    ][kind]


def article_text(rng: random.Random, lang: str, paragraphs: tuple[int, int] = (2, 4)) -> str:
    """A few paragraphs (blank-line separated) of two to five sentences: several chunks' worth."""
    return "\n\n".join(
        " ".join(_sentence(rng, lang) for _ in range(rng.randint(2, 5)))
        for _ in range(rng.randint(*paragraphs))
    )


def _day(rng: random.Random) -> date:
    return _FIRST_DAY + timedelta(days=rng.randrange(_DAYS))


def _url(outlet_index: int, day: date, number: int, lang: str) -> str:
    return f"https://{lang}{outlet_index}.example.org/{day:%Y/%m/%d}/story-{number}"


# --- files ---------------------------------------------------------------------------------------


def _records(
    rng: random.Random, file: str, lang: str, count: int, start: int, *, csv_dates: bool = False
) -> list[GeneratedArticle]:
    """Records with an id (most), with only a URL (every fifth), or with neither (every seventh)."""
    outlets = _RU_OUTLETS if lang == "ru" else _EN_OUTLETS
    made = []
    for i in range(count):
        number = start + i
        day = _day(rng) if i % 6 != 5 else None
        outlet = rng.randrange(len(outlets))
        url = _url(outlet, day or _FIRST_DAY, number, lang) if i % 7 != 6 else None
        explicit = f"{Path(file).stem}-{number:05d}" if i % 5 != 4 and url is not None else None
        made.append(
            GeneratedArticle(
                id=explicit or url or f"{file}#{i + 1}",
                file=file,
                layout=Path(file).suffix.lstrip("."),
                lang=lang,
                title=_headline(rng, lang),
                date=day,
                url=url,
                source=outlets[outlet],
                text=article_text(rng, lang),
            )
        )
    return made


def _record_fields(article: GeneratedArticle, *, written_date: str | None) -> dict[str, str | None]:
    numbered = article.id.startswith(f"{article.file}#")
    return {
        "id": None if numbered or article.id == article.url else article.id,
        "title": article.title,
        "date": written_date,
        "url": article.url,
        "source": article.source,
        "text": article.text,
    }


def _iso(day: date | None, i: int) -> str | None:
    """Dates as feeds write them: a plain day, a timestamp, or a timestamp with its zone."""
    if day is None:
        return None
    return [f"{day:%Y-%m-%d}", f"{day:%Y-%m-%d} 10:{i % 60:02d}:00", f"{day:%Y-%m-%d}T08:30:00+03:00"][i % 3]


def _write_jsonl(path: Path, articles: Sequence[GeneratedArticle]) -> None:
    lines = [
        json.dumps(_record_fields(a, written_date=_iso(a.date, i)), ensure_ascii=False)
        for i, a in enumerate(articles)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_json(path: Path, articles: Sequence[GeneratedArticle]) -> None:
    aliases = {"title": "headline", "text": "content", "date": "published", "url": "link", "source": "outlet"}
    records = []
    for i, a in enumerate(articles):
        fields = _record_fields(a, written_date=f"{a.date:%d.%m.%Y}" if a.date and i % 2 else _iso(a.date, i))
        records.append({aliases.get(k, k): v for k, v in fields.items() if v is not None})
    path.write_text(json.dumps(records, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def _write_csv(path: Path, articles: Sequence[GeneratedArticle]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, ["id", "title", "date", "url", "source", "text"], lineterminator="\n")
    writer.writeheader()
    for a in articles:
        written = f"{_EN_MONTHS[a.date.month - 1]} {a.date.day}, {a.date.year}" if a.date else None
        writer.writerow({k: v or "" for k, v in _record_fields(a, written_date=written).items()})
    path.write_text(out.getvalue(), encoding="utf-8")


def _nerel(rng: random.Random, number: int) -> tuple[GeneratedArticle, bytes]:
    """One NEREL-style file: headline line, then (mostly) a day-first date line, then the text."""
    name = f"nerel/{number:03d}.txt"
    headline, body = _headline(rng, "ru"), article_text(rng, "ru")
    day: date | None = None
    variant = number % 8
    if variant == 1:  # a tab-only line under the headline, no date
        content, text = f"{headline}\n\t\n{body}\n", body
    elif variant == 2:  # a leading empty line, a photo credit right under the headline
        credit = rng.choice(_PHOTO_CREDITS)
        content, text = f"\n{headline}\n{credit}\n\n{body}\n", f"{credit}\n\n{body}"
    elif variant == 3:  # no blank lines at all
        text = body.replace("\n\n", "\n")
        content = f"{headline}\n{text}\n"
    else:
        day = _day(rng)
        content = f"{headline}\n\n{day:%d/%m/%Y} {rng.randrange(24):02d}:{rng.randrange(60):02d}\n\n{body}\n"
        text = body
    if number % 9 == 0:
        content = content.replace("\n", "\r\n")
    encoding = "cp1251" if number % 7 == 4 else "utf-8"
    article = GeneratedArticle(name, name, "nerel", "ru", headline, day, None, None, text)
    return article, content.encode(encoding)


def _note(rng: random.Random, number: int) -> tuple[GeneratedArticle, str]:
    """A text file without a headline: a ``date YYYY-MM-DD`` marker before the text, or plain text whose
    first paragraph is too long to be a headline. Either way the title is the first sentence."""
    name = f"notes/{number:03d}.txt"
    lang = "ru" if number % 3 else "en"
    body = article_text(rng, lang)
    while len(body.split("\n\n")[0]) <= 250:
        body = f"{_sentence(rng, lang)} {body}"
    title = body.split(". ")[0] + "."
    if number % 2:
        day = _day(rng)
        article = GeneratedArticle(name, name, "seed", lang, title, day, None, None, body)
        return article, f" date {day:%Y-%m-%d} {body}\n"
    return GeneratedArticle(name, name, "plain", lang, title, None, None, None, body), body + "\n"


def _page(rng: random.Random, number: int) -> tuple[GeneratedArticle, str]:
    name = f"pages/{number:03d}.html"
    day, outlet = _day(rng), rng.randrange(len(_RU_OUTLETS))
    url, headline = _url(outlet, day, number, "ru"), _headline(rng, "ru")
    paragraphs = article_text(rng, "ru").split("\n\n")
    site = _RU_OUTLETS[outlet]
    html = (
        '<!DOCTYPE html>\n<html lang="ru"><head><meta charset="utf-8">\n'
        f"<title>{headline} | {site}</title>\n"
        f'<link rel="canonical" href="{url}">\n'
        f'<meta property="og:site_name" content="{site}">\n'
        f'<meta property="article:published_time" content="{day:%Y-%m-%d}T09:00:00+03:00">\n'
        '</head><body>\n<header><nav><a href="/">Главная</a> <a href="/city">Город</a></nav></header>\n'
        f"<article><h1>{headline}</h1>\n"
        + "".join(f"<p>{p}</p>\n" for p in paragraphs)
        + f"</article>\n<footer>© {site}. Все права защищены.</footer>\n</body></html>\n"
    )
    article = GeneratedArticle(url, name, "html", "ru", headline, day, url, site, "\n\n".join(paragraphs))
    return article, html


def write_archive(root: Path, size: int = 300, *, seed: int = 0) -> Archive:
    """Write an archive of ``size`` articles under ``root``; returns them in the order they are read.

    About two fifths are Russian JSON Lines records, a quarter NEREL-style text files, the rest English
    records, a JSON list, a CSV file, text notes and a few HTML pages (every kind, and every
    NEREL variant, at least once). The same ``size`` and ``seed`` give the same files byte for byte.
    """
    if size < 20:
        raise ValueError(f"an archive with every layout needs at least 20 articles, not {size}")
    rng = random.Random(seed)
    pages = max(1, size // 40)
    notes = max(2, size // 20)
    nerel = size // 4
    digest = max(1, size // 20)
    english = max(1, size // 10)
    world = max(1, size // 10)
    wire = size - pages - notes - nerel - digest - english - world

    feeds = root / "feeds"
    feeds.mkdir(parents=True, exist_ok=True)
    made: list[GeneratedArticle] = []
    for name, lang, count, writer in (
        ("digest.json", "ru", digest, _write_json),
        ("english.csv", "en", english, _write_csv),
        ("wire.jsonl", "ru", wire, _write_jsonl),
        ("world.jsonl", "en", world, _write_jsonl),
    ):
        records = _records(rng, f"feeds/{name}", lang, count, start=len(made))
        writer(feeds / name, records)
        made += records

    for folder in ("nerel", "notes", "pages"):
        (root / folder).mkdir(exist_ok=True)
    for number in range(nerel):
        article, raw = _nerel(rng, number)
        (root / article.file).write_bytes(raw)
        made.append(article)
    for number in range(notes):
        article, content = _note(rng, number)
        (root / article.file).write_text(content, encoding="utf-8")
        made.append(article)
    for number in range(pages):
        article, content = _page(rng, number)
        (root / article.file).write_text(content, encoding="utf-8")
        made.append(article)
    return Archive(root, made)
