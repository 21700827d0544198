"""What the soak publishes and asks: generated Russian news pieces, some on followed topics, and questions.

A :class:`Piece` is one article as it is published (a feed entry with its page, a channel post, a record of
an ingested file): its key, its text, the topics it mentions and, once published, the article id and link
the archive will know it by. Texts are drawn from many sentence templates with random names, places and
numbers, so that two pieces are never near-duplicates (newsbot groups those into one story, which would
blur the alert count); a topic's pieces name the topic's word in their headline and first sentence, so a
follow of that word must alert on every one of them (the mention rule of :mod:`retrieval.follows.matching`).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

TOPIC_WORDS = {"airship": "дирижабль", "icebreaker": "ледокол", "observatory": "обсерватория"}
"""Each topic's follow: one word, which every piece on the topic names (inflected as Russian has it)."""

_HEADLINES = {
    "airship": "Дирижабль «{ship}» {did} над окрестностями {place_gen}",
    "icebreaker": "Ледокол «{ship}» {did} у берегов {place_gen}",
    "observatory": "Обсерватория под {place_ins} {did_obs}",
}
_DID = ["прошёл испытания", "завершил первый этап работ", "впервые показали журналистам", "сделал круг"]
_DID_OBS = [
    "получила новый телескоп",
    "открылась после ремонта",
    "начала ночные наблюдения",
    "сменила директора",
]
_TOPIC_SENTENCES = {
    "airship": [
        "Дирижабль «{ship}» провёл в воздухе {n2} часов над {place_ins}.",
        "Экипаж дирижабля из {n1} человек поднялся на высоту {n3} метров.",
        "Конструкторы обещают, что дирижабль поднимет до {n2} тонн груза.",
        "Следующий полёт дирижабля назначен на {day} {month}.",
    ],
    "icebreaker": [
        "Ледокол «{ship}» провёл караван из {n1} судов через льды толщиной {n1},{n1} метра.",
        "Экипаж ледокола насчитывает {n2} человек, капитан — {person}.",
        "Атомный ледокол вышел из порта {place_gen} {day} {month}.",
        "Ледокол прошёл {n3} морских миль за {n1} суток.",
    ],
    "observatory": [
        "Обсерватория под {place_ins} получила зеркало диаметром {n1},{n1} метра.",
        "Астрономы обсерватории открыли {n2} новых переменных звёзд.",
        "Директор обсерватории {person} рассказал о планах на {year} год.",
        "Экскурсии в обсерваторию начнутся {day} {month}.",
    ],
}
_GENERAL = [
    "{who} {place_gen} сообщили, что работы обойдутся в {n3} миллионов рублей.",
    "По словам {person}, проект займёт около {n1} месяцев.",
    "В обсуждении участвовали {n3} жителей {place_gen} и {n2} экспертов.",
    "Следующее заседание комиссии назначено на {day} {month} {year} года.",
    "{person} напомнил, что похожий план обсуждали ещё в {year} году.",
    "На площадке работают {n2} специалистов из {place_gen} и {place_gen2}.",
    "Первые результаты обещают показать до конца {month_gen}.",
    "Средняя температура в {place_prep} в эти дни держалась около минус {n1} градусов.",
    "Местные жители оставили {n3} отзывов на портале {who_gen}.",
    "Подрядчик из {place_gen} выиграл конкурс с предложением в {n3} миллионов.",
    "{who} обещают опубликовать отчёт о работе {day} {month}.",
    "Часть денег, {n2} процентов, выделит региональный бюджет.",
    "В проекте задействованы {n1} предприятий {place_gen} и {n2} подрядчиков.",
    "{person} назвал сроки реалистичными, но попросил {n1} дополнительные недели.",
    "Пресс-служба {who_gen} уточнила, что график не изменится.",
    "Волонтёры из {place_gen} собрали {n3} подписей в поддержку инициативы.",
    "Журналисты насчитали на открытии около {n3} гостей.",
    "По оценке экспертов, окупаемость составит {n1} лет.",
    "В {place_prep} для этого закупили {n2} единиц новой техники.",
    "Контракт на {n3} миллионов рублей подписан {day} {month}.",
]
_PEOPLE = [
    "Анна Зорина", "Игорь Белов", "Марина Крылова", "Павел Осипов", "Ольга Тихонова", "Денис Рябов",
    "Светлана Гусева", "Артём Ершов", "Нина Лаптева", "Глеб Соколов", "Вера Сафонова", "Роман Кудрин",
]  # fmt: skip
_PLACES = [  # (genitive, instrumental, prepositional)
    ("Архангельска", "Архангельском", "Архангельске"), ("Мурманска", "Мурманском", "Мурманске"),
    ("Казани", "Казанью", "Казани"), ("Твери", "Тверью", "Твери"), ("Омска", "Омском", "Омске"),
    ("Калуги", "Калугой", "Калуге"), ("Вологды", "Вологдой", "Вологде"), ("Перми", "Пермью", "Перми"),
    ("Самары", "Самарой", "Самаре"), ("Тулы", "Тулой", "Туле"), ("Кирова", "Кировом", "Кирове"),
    ("Иркутска", "Иркутском", "Иркутске"),
]  # fmt: skip
_SHIPS = ["Арктика", "Сибирь", "Ямал", "Таймыр", "Вайгач", "Урал", "Чукотка", "Памир", "Витязь", "Сокол"]
_WHO = [("Власти", "мэрии"), ("Чиновники", "министерства"), ("Организаторы", "организаторов")]
_MONTHS = [
    ("января", "января"), ("февраля", "февраля"), ("марта", "марта"), ("апреля", "апреля"),
    ("мая", "мая"), ("июня", "июня"), ("сентября", "сентября"), ("октября", "октября"),
]  # fmt: skip

SAMPLE_QUESTIONS = (
    "Кто представит США на переговорах в Париже?",
    "Какая ключевая ставка ЦБ?",
    "Что писали о морозах в Москве?",
    "Who set the course record at the winter marathon?",
    "Какая станция метро открылась в Казани?",
    "What did the chipmaker open in Dresden?",
)
"""About the bundled ``sample/`` archive, ingested before the load starts."""
TOPIC_QUESTIONS = (
    "Что известно о дирижабле?",
    "Какой ледокол провёл караван?",
    "Что открыли астрономы обсерватории?",
)
"""About what the soak publishes while it runs (answered once the pieces are in)."""


@dataclass(slots=True)
class Piece:
    """One generated article; ``article_id`` and ``url`` are set when it is published."""

    key: str
    channel: str
    """How it is published: ``feed:<n>``, ``channel`` or ``ingest``."""
    title: str
    text: str
    topics: frozenset[str]
    article_id: str = ""
    url: str = ""
    published_at: float | None = None
    extra: dict[str, str] = field(default_factory=dict)


class Writer:
    """Makes pieces from one seeded random generator (the same seed, the same pieces)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def topics(self) -> frozenset[str]:
        """About half the pieces are on one topic, a tenth on two, the rest on none."""
        roll = self.rng.random()
        if roll < 0.4:
            return frozenset()
        count = 2 if roll > 0.9 else 1
        return frozenset(self.rng.sample(sorted(TOPIC_WORDS), count))

    def piece(self, key: str, channel: str, topics: frozenset[str] | None = None) -> Piece:
        topics = self.topics() if topics is None else topics
        slots = self._slots()
        if topics:
            first = sorted(topics)[0]
            title = _HEADLINES[first].format(**slots)
        else:
            title = self._fill("{who} {place_gen} подвели итоги недели: {n3} обращений жителей", slots)
        sentences = [self._fill(self.rng.choice(_TOPIC_SENTENCES[t]), slots) for t in sorted(topics)]
        general = self.rng.sample(_GENERAL, self.rng.randint(4, 7))
        sentences += [self._fill(s, self._slots()) for s in general]
        if topics:
            sentences += [self._fill(self.rng.choice(_TOPIC_SENTENCES[t]), slots) for t in sorted(topics)]
        half = len(sentences) // 2
        text = " ".join(sentences[:half]) + "\n\n" + " ".join(sentences[half:])
        return Piece(key, channel, title, text, topics)

    def _fill(self, template: str, slots: dict[str, str]) -> str:
        fresh = self._slots()  # numbers differ from sentence to sentence
        return template.format(**(slots | {k: v for k, v in fresh.items() if k.startswith("n")}))

    def _slots(self) -> dict[str, str]:
        rng = self.rng
        place, other = rng.sample(_PLACES, 2)
        who, who_gen = rng.choice(_WHO)
        month, month_gen = rng.choice(_MONTHS)
        return {
            "ship": rng.choice(_SHIPS),
            "did": rng.choice(_DID),
            "did_obs": rng.choice(_DID_OBS),
            "place_gen": place[0],
            "place_ins": place[1],
            "place_prep": place[2],
            "place_gen2": other[0],
            "person": rng.choice(_PEOPLE),
            "who": who,
            "who_gen": who_gen,
            "month": month,
            "month_gen": month_gen,
            "day": str(rng.randint(2, 28)),
            "year": str(rng.randint(2019, 2027)),
            "n1": str(rng.randint(2, 9)),
            "n2": str(rng.randint(11, 99)),
            "n3": str(rng.randint(120, 990)),
        }
