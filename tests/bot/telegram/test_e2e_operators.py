"""Operators and ``who:`` in the bot, through the Bot API emulator: ``/search`` keeps only the articles
that qualify, a follow with an operator or a ``who:`` name alerts only on new articles that qualify."""

from __future__ import annotations

from pathlib import Path

from ingest.loaders.article import RawArticle
from retrieval.embeddings import E5Embeddings
from tests.bot.conftest import running_bot
from tests.bot.telegram.test_e2e_follows import BASE, alert_round, ingest, ingest_elsewhere, say, settings_for
from tests.emulators.bot_api import BotApiEmulator


def news(aid: str, title: str, text: str, day: str) -> RawArticle:
    return RawArticle(text, id=aid, title=title, date=day, source="Лента-Пример")


HOUSE = news(
    "house", "Профсоюзы пришли в Белый дом", "В Белый дом пришли представители профсоюзов.", "2026-02-02"
)
HOUSES = news(
    "houses",
    "Заявление о профсоюзах",
    "Представитель Белого дома заявил о переговорах с профсоюзами.",
    "2026-02-03",
)
PUTIN = news("putin", "Визит в Минск", "Владимира Путина встретили в Минске на вокзале.", "2026-02-04")
TRUMP = news("trump", "Митинг в Огайо", "Дональд Трамп выступил на митинге в Огайо.", "2026-02-05")


async def test_search_shows_only_the_articles_that_hold_the_exact_phrase(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    alice = emu.user(111, "Alice", "alice")
    chat = emu.private_chat(alice)
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE, HOUSE, HOUSES, PUTIN)
    async with running_bot(settings, e5):
        exact = await say(emu, chat, alice, '/search "Белый дом" профсоюзы')
        loose = await say(emu, chat, alice, "/search Белый дом профсоюзы")
        unclosed = await say(emu, chat, alice, '/search "Белый дом профсоюзы')
        nobody = await say(emu, chat, alice, "/search визит кто:Пупкин")
        named = await say(emu, chat, alice, "/search визит вокзал кто:Putin")
    assert "Профсоюзы пришли в Белый дом" in exact.text and "Заявление о профсоюзах" not in exact.text
    assert "Профсоюзы пришли в Белый дом" in loose.text and "Заявление о профсоюзах" in loose.text
    assert unclosed.text.startswith("⚠️") and "unclosed quote" in unclosed.text
    assert nobody.text.startswith("⚠️ No article names «Пупкин».")
    assert "Визит в Минск" in named.text and "Профсоюзы" not in named.text


async def test_follows_with_an_operator_or_a_who_name_alert_only_on_articles_that_qualify(
    emu: BotApiEmulator, tmp_path: Path, e5: E5Embeddings
) -> None:
    bob = emu.user(222, "Bob", "bob")
    chat = emu.private_chat(bob)
    settings = settings_for(emu, tmp_path / "data")
    ingest(settings, e5, *BASE, TRUMP)
    async with running_bot(settings, e5) as app:
        phrase = await say(emu, chat, bob, '/follow "Белый дом"')
        person = await say(emu, chat, bob, "/follow кто:Путин")
        unknown = await say(emu, chat, bob, "/follow Минск кто:Пупкин")
        unread = await say(emu, chat, bob, "/follow Путин OR")
        assert phrase.text.startswith('🔔 Following «"Белый дом"»')
        assert person.text.startswith(
            "🔔 Following «who:Путин»"
        )  # nobody names him yet: followed all the same
        assert "No article names «Путин» yet" in person.text and "Nearest names: Трамп" not in person.text
        assert "No article names «Пупкин» yet" in unknown.text
        assert unread.text.startswith("⚠️") and "OR needs" in unread.text
        seen = len(emu.messages(chat))
        await ingest_elsewhere(settings, e5, HOUSES, PUTIN, HOUSE)
        await alert_round(app)
        alerts = "\n".join(m.text for m in emu.messages(chat)[seen:])
    assert "Профсоюзы пришли в Белый дом" in alerts  # the phrase as written
    assert "Заявление о профсоюзах" not in alerts  # «Белого дома» is another form
    assert "Визит в Минск" in alerts  # «Владимира Путина»: the entity, in another form
