"""Countries and cities across English and Russian: the names no transcription finds.

"Paris" is "Париж", "Germany" "Германия", "US" "США" or "Соединенные Штаты": an English question names
them one way and a Russian sentence another, and the letters share too little to match. The names come
from CLDR, the Unicode locale data babel ships: the country names of both locales, and the cities the
time zones are named for (``Europe/Paris``: "Париж"); beside them the abbreviations and older names news
writes, which CLDR does not list (:data:`NEWS_NAMES`).

    russian_names("Paris") -> ("Париж",)
    russian_names("US") -> ("США", "Соединенные Штаты", "Штаты")
    other_names("США") -> ("Соединенные Штаты", "Штаты")
"""

from __future__ import annotations

import functools

from babel import Locale

NEWS_NAMES: dict[str, tuple[str, ...]] = {
    "us": ("США", "Соединенные Штаты", "Штаты"),
    "usa": ("США", "Соединенные Штаты", "Штаты"),
    "uk": ("Великобритания", "Британия"),
    "britain": ("Великобритания", "Британия"),
    "eu": ("ЕС", "Евросоюз", "Европейский союз"),
    "un": ("ООН",),
    "nato": ("НАТО",),
    "uae": ("ОАЭ",),
    "turkey": ("Турция",),
    "kiev": ("Киев",),
}


def russian_names(english: str) -> tuple[str, ...]:
    """The Russian names of the country or city ``english`` names (any case), or none."""
    return _table().get(english.lower(), ())


def other_names(russian: str) -> tuple[str, ...]:
    """The other Russian names of the place ``russian`` names ("США": "Соединенные Штаты", "Штаты")."""
    names = _siblings().get(russian.lower(), ())
    return tuple(name for name in names if name.lower() != russian.lower())


@functools.cache
def _siblings() -> dict[str, tuple[str, ...]]:
    siblings: dict[str, dict[str, None]] = {}
    for names in NEWS_NAMES.values():
        for name in names:
            siblings.setdefault(name.lower(), {}).update(dict.fromkeys(names))
    return {name: tuple(names) for name, names in siblings.items()}


@functools.cache
def _table() -> dict[str, tuple[str, ...]]:
    english, russian = Locale("en"), Locale("ru")
    table: dict[str, tuple[str, ...]] = {}
    for code, name in english.territories.items():
        if code.isalpha() and code in russian.territories:
            table[name.lower()] = (russian.territories[code],)
    for zone, names in russian.time_zones.items():
        if city := names.get("city"):
            table.setdefault(zone.rsplit("/", 1)[-1].replace("_", " ").lower(), (city,))
    table.update(NEWS_NAMES)
    return table
