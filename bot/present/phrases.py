"""Every localized word in one place, in Russian and English: what the bot says, the words around answers
and passages, the timeline's, and the command menu.

Two ways pick the language. What the bot says to someone (:data:`PHRASES`, through :func:`say`) follows
their Telegram client's (``language_code``): Russian for ``ru``, ``uk`` and ``be``, English otherwise
(:func:`language`). The words around an answer, a search or a timeline (:data:`WORDS`,
:data:`TIMELINE`) follow the language of the question itself, as the answer does. Phrases are HTML;
``{…}`` fields are filled with already escaped values.
"""

from __future__ import annotations

_RUSSIAN_CLIENTS = ("ru", "uk", "be")

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "not_allowed": ("Sorry, this bot answers only its members. Ask its owner to add your id: {user_id}."),
        "rate_limited": "You are asking faster than I can read 🙂 Please wait {seconds} s and ask again.",
        "empty_ask": (
            "Ask me something after the command, e.g. <code>/ask who represents the US in Paris?</code>"
        ),
        "empty_search": (
            "Give me words to look for, e.g. <code>/search ключевая ставка since:2025-12-01</code>"
        ),
        "bad_filter": "⚠️ {reason}",
        "sorry": "Sorry, something went wrong on my side. Please try again in a moment.",
        "store_down": "Sorry, the archive is unavailable right now. Please try again in a minute.",
        "expired": "This answer is too old for its buttons; please ask again.",
        "new_thread": "OK, a new conversation: your next question starts afresh.",
        "thanks_up": "Thanks! 👍 recorded.",
        "thanks_down": "Thanks! 👎 recorded; it helps to improve the answers.",
        "admin_only": "Sorry, only the archive's administrators can do that.",
        "no_archive_dir": "NEWSBOT_ARCHIVE_DIR is not set, so there is nothing to re-ingest.",
        "busy": "An ingestion is already running: {what}. Send /cancel to stop it.",
        "nothing_to_cancel": "No ingestion is running.",
        "cancelling": "Stopping within seconds; the archive stays consistent.",
        "receiving": "📥 Receiving {name}…",
        "kept_busy": "Saved {name}, but another ingestion started meanwhile; send /reingest later.",
        "download_failed": "❌ Could not get {name} from Telegram ({reason}); send it again, please.",
        "upload_failed": "❌ Could not take {name}: something went wrong on my side; the details are logged.",
        "inline_hint": "Type words to search the archive",
        "empty_timeline": (
            "Give me words to count, e.g. <code>/timeline Уиткофф since:2025-12-01</code>: a chart of the "
            "articles that mention them, per week or month"
        ),
        "no_words": "⚠️ «{words}» has only common words (в, и, the, of…); give names or other words.",
        "too_many_timelines": (
            "⚠️ At most {most} queries on one chart, separated by |: <code>/timeline Путин | Трамп</code>"
        ),
        "inline_down": "The archive is unavailable right now",
        "empty_follow": (
            "Give me words to follow, e.g. <code>/follow ключевая ставка</code>: when new articles match, "
            "I write here"
        ),
        "followed": "🔔 Following «{words}»: when new articles match, I write here. /following lists them.",
        "already_following": "You follow «{words}» already. /following lists your follows.",
        "follows_full": "This chat has {most} follows, the most it may have; remove one with /following.",
        "follows_full_user": (
            "You have started {most} follows across your chats, the most one person may have; remove one "
            "with /following in its chat."
        ),
        "follow_cut": "(Its words were cut to their first {n} characters, as a question's are.)",
        "follow_unnamed": (
            "(No article names «{name}» yet: the first one that does will be sent. Nearest names: {nearest})"
        ),
        "no_follows": "This chat follows nothing yet: <code>/follow words</code> starts.",
        "following": "🔔 This chat follows (✖ stops one):",
        "unfollowed": "Stopped following «{words}».",
        "not_following": "This chat does not follow «{words}»; /following lists what it does.",
        "alert": "🔔 New on {follows}:",
        "alert_more": "{follows} and {n} more",
        "empty_who": (
            "Give me a name, e.g. <code>/who Путин since:2025-01-01</code>: who or what it is, since when, "
            "where and with whom the archive names it"
        ),
        "empty_entities": (
            "<code>/entities</code> lists who and what the archive names most; add <code>person</code>, "
            "<code>organization</code> or <code>place</code> for one kind, and filters, e.g. "
            "<code>/entities person since:2025-03-01</code>"
        ),
    },
    "ru": {
        "not_allowed": (
            "Извините, бот отвечает только своим участникам. Попросите владельца добавить ваш id: {user_id}."
        ),
        "rate_limited": "Вы спрашиваете быстрее, чем я читаю 🙂 Подождите {seconds} с и спросите снова.",
        "empty_ask": (
            "Напишите вопрос после команды, например <code>/ask Что писали о морозах в январе?</code>"
        ),
        "empty_search": (
            "Напишите, что искать, например <code>/search ключевая ставка since:2025-12-01</code>"
        ),
        "bad_filter": "⚠️ {reason}",
        "sorry": "Извините, у меня что-то сломалось. Попробуйте ещё раз чуть позже.",
        "store_down": "Извините, архив сейчас недоступен. Попробуйте через минуту.",
        "expired": "Кнопки этого ответа устарели; задайте вопрос снова.",
        "new_thread": "Хорошо, начнём заново: следующий вопрос — новый разговор.",
        "thanks_up": "Спасибо! 👍 учтён.",
        "thanks_down": "Спасибо! 👎 учтён, это поможет улучшить ответы.",
        "admin_only": "Извините, это могут делать только администраторы архива.",
        "no_archive_dir": "NEWSBOT_ARCHIVE_DIR не задан: переиндексировать нечего.",
        "busy": "Индексация уже идёт: {what}. Остановить: /cancel.",
        "nothing_to_cancel": "Индексация не идёт.",
        "cancelling": "Останавливаю, это займёт несколько секунд; архив останется целостным.",
        "receiving": "📥 Получаю {name}…",
        "kept_busy": "Файл {name} сохранён, но уже началась другая индексация; отправьте /reingest позже.",
        "download_failed": "❌ Не удалось получить {name} из Telegram ({reason}); отправьте его ещё раз.",
        "upload_failed": "❌ Не удалось принять {name}: у меня что-то сломалось; подробности в журнале.",
        "inline_hint": "Напишите, что искать в архиве",
        "empty_timeline": (
            "Напишите, что считать, например <code>/timeline Уиткофф since:2025-12-01</code>: график "
            "статей, которые это упоминают, по неделям или месяцам"
        ),
        "no_words": "⚠️ В «{words}» только служебные слова (в, и, the, of…); напишите имена или другие слова.",
        "too_many_timelines": (
            "⚠️ Не больше {most} запросов на одном графике, через |: <code>/timeline Путин | Трамп</code>"
        ),
        "inline_down": "Архив сейчас недоступен",
        "empty_follow": (
            "Напишите, за чем следить, например <code>/follow ключевая ставка</code>: когда появятся "
            "подходящие статьи, я напишу сюда"
        ),
        "followed": "🔔 Слежу за «{words}»: о новых подходящих статьях напишу сюда. Список: /following.",
        "already_following": "Вы уже следите за «{words}». Список: /following.",
        "follows_full": "В этом чате уже {most} подписок, больше нельзя; уберите одну через /following.",
        "follows_full_user": (
            "Вы уже завели {most} подписок во всех своих чатах, больше нельзя; уберите одну через /following "
            "в её чате."
        ),
        "follow_cut": "(Слова сокращены до первых {n} символов, как у вопроса.)",
        "follow_unnamed": "(Пока ни одна статья не называет «{name}»: пришлю первую, которая назовёт. "
        "Ближайшие имена: {nearest})",
        "no_follows": "Этот чат пока ни за чем не следит: начните с <code>/follow слова</code>.",
        "following": "🔔 Этот чат следит за (✖ отменяет):",
        "unfollowed": "Больше не слежу за «{words}».",
        "not_following": "Этот чат не следит за «{words}»; список: /following.",
        "alert": "🔔 Новое по {follows}:",
        "alert_more": "{follows} и ещё {n}",
        "empty_who": (
            "Напишите имя, например <code>/who Путин since:2025-01-01</code>: кто это, с каких пор, где и "
            "с кем о нём пишут"
        ),
        "empty_entities": (
            "<code>/entities</code> — кого и что архив называет чаще всего; добавьте <code>люди</code>, "
            "<code>организации</code> или <code>места</code> для одного рода и фильтры, например "
            "<code>/entities люди since:2025-03-01</code>"
        ),
    },
}


def language(language_code: str | None) -> str:
    return "ru" if (language_code or "").split("-")[0].lower() in _RUSSIAN_CLIENTS else "en"


def say(key: str, language_code: str | None, **fields: object) -> str:
    return PHRASES[language(language_code)][key].format(**fields)


WORDS: dict[str, dict[str, str]] = {
    "en": {
        "sources": "Sources",
        "quotes": "Quoted passages",
        "button": "Quotes",
        "read_as": "Read as",
        "all_copies": "All copies",
        "nothing": "Nothing found",
        "undated": "undated",
        "strong": "strong match",
        "related": "related",
        "weak": "weak match",
        "hidden": "{n} weak matches hidden.",
        "show_all": "--all shows them.",
        "mentioned": "Most mentioned",
        "weak_below": "Weak matches below:",
        "also_in": "also in",
        "more_copies": "and {n} more",
        "left_out": "articles without a date left out by the date filter: {n}",
        "left_out_uncounted": "articles without a date are left out by the date filter",
        "csv_rows": "{n} results as CSV",
    },
    "ru": {
        "sources": "Источники",
        "quotes": "Цитаты источников",
        "button": "Цитаты",
        "read_as": "Понял вопрос так",
        "all_copies": "Все копии",
        "nothing": "Ничего не найдено",
        "undated": "без даты",
        "strong": "сильное совпадение",
        "related": "по теме",
        "weak": "слабое совпадение",
        "hidden": "Скрыто слабых совпадений: {n}.",
        "show_all": "--all покажет все.",
        "mentioned": "Чаще всего упоминаются",
        "weak_below": "Дальше — слабые совпадения:",
        "also_in": "также в",
        "more_copies": "и ещё {n}",
        "left_out": "статей без даты, не учтённых фильтром по дате: {n}",
        "left_out_uncounted": "статьи без даты фильтр по дате не учитывает",
        "csv_rows": "результатов в CSV: {n}",
    },
}
"""The words around answers, passages and searches (plain text and HTML alike), by the question's
language (:func:`retrieval.search.searcher.question_language`)."""

TIMELINE: dict[str, dict[str, str]] = {
    "en": {
        "all": "mention all of these words",
        "none": "no article mentions {them}",
        "it": "it",
        "them": "them all",
        "week": "by week",
        "month": "by month",
        "year": "by year",
        "week_of": "week of {day}",
        "busiest": "Busiest: {period} ({n})",
        "undated": "Undated: {n} of them, not on the chart",
        "earliest": "Earliest:",
        "other": "other",
        "axis_week": "week",
        "axis_month": "month",
        "axis_year": "year",
        "axis_count": "articles",
        "title": "“{words}”: articles {per}",
        "per_week": "per week",
        "per_month": "per month",
        "per_year": "per year",
        "unknown": "unknown outlet",
        "undated_short": "undated: {n}",
        "axis_share": "share of the period's articles, %",
        "compared": "articles {per}",
        "compared_share": "share of all articles {per}",
    },
    "ru": {
        "all": "упоминают все эти слова",
        "none": "ни одна статья {them} не упоминает",
        "it": "их",
        "them": "их все",
        "week": "по неделям",
        "month": "по месяцам",
        "year": "по годам",
        "week_of": "неделя с {day}",
        "busiest": "Больше всего: {period} ({n})",
        "undated": "Без даты: {n} из них, на графике их нет",
        "earliest": "Первые:",
        "other": "другие",
        "axis_week": "неделя",
        "axis_month": "месяц",
        "axis_year": "год",
        "axis_count": "статей",
        "title": "«{words}»: статьи {per}",
        "per_week": "по неделям",
        "per_month": "по месяцам",
        "per_year": "по годам",
        "unknown": "неизвестный источник",
        "undated_short": "без даты: {n}",
        "axis_share": "доля статей периода, %",
        "compared": "статьи {per}",
        "compared_share": "доля среди всех статей {per}",
    },
}
"""The timeline's caption and chart, by the language of the words counted."""

WHO: dict[str, dict[str, str]] = {
    "en": {
        "person": "person",
        "organization": "organisation",
        "place": "place",
        "written": "Also written",
        "first": "First",
        "last": "Last",
        "outlets": "Outlets",
        "with": "Named with (beyond chance)",
        "may_mean": "The name may also mean",
        "best": "Best articles",
        "by_month": "by month",
        "not_mentioned": "{name}: not mentioned in the archive.",
        "nearest": "Nearest names:",
        "timeline": "Timeline",
        "search": "Search",
        "most_named": "Most in the news",
        "none_named": "No one is named in these articles.",
    },
    "ru": {
        "person": "человек",
        "organization": "организация",
        "place": "место",
        "written": "Также пишут",
        "first": "Впервые",
        "last": "Последний раз",
        "outlets": "Издания",
        "with": "Упоминают вместе (чаще случайного)",
        "may_mean": "Это имя может значить и",
        "best": "Лучшие статьи",
        "by_month": "по месяцам",
        "not_mentioned": "{name}: в архиве не упоминается.",
        "nearest": "Ближайшие имена:",
        "timeline": "Хронология",
        "search": "Поиск",
        "most_named": "Чаще всего в новостях",
        "none_named": "В этих статьях никто не назван.",
    },
}
"""``/who`` and ``/entities``, by the asker's client language."""

KIND_WORDS = {
    "person": "person", "persons": "person", "people": "person", "люди": "person", "человек": "person",
    "персоны": "person", "organization": "organization", "organisation": "organization",
    "organizations": "organization", "organisations": "organization", "организации": "organization",
    "организация": "organization", "place": "place", "places": "place", "места": "place", "место": "place",
}  # fmt: skip
"""The words ``/entities`` takes for a kind of entity."""

ARTICLE_FORMS = {"en": ("article", "articles", "articles"), "ru": ("статья", "статьи", "статей")}


def articles(n: int, lang: str) -> str:
    """``n`` with the word for articles in the number's form: "1 article", "3 статьи", "5 статей"."""
    one, few, many = ARTICLE_FORMS[lang]
    if lang == "en":
        return f"{n} {one if n == 1 else many}"
    if n % 10 == 1 and n % 100 != 11:
        return f"{n} {one}"
    return f"{n} {few if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else many}"


# The command menu (``setMyCommands``): each language's descriptions, the admins' commands last. Telegram
# shows the menu of the client's language_code, "" (the default) to everyone else.
MENU: dict[str, dict[str, str]] = {
    "en": {
        "ask": "a short answer with sources",
        "search": "passages with date, outlet and link",
        "timeline": "when was it in the news: a chart per week or month",
        "who": "a person, organisation or place: since when, where, with whom",
        "entities": "who and what was most in the news",
        "stats": "what the archive holds",
        "new": "start a new conversation (follow-ups forget the earlier questions)",
        "follow": "tell me when new articles match these words",
        "following": "what this chat follows (buttons to stop)",
        "unfollow": "stop following these words",
        "help": "how to ask, filters, examples",
        "feeds": "the news feeds: last poll, last success, errors",
        "addfeed": "add a news feed: URL [source]",
        "removefeed": "remove a news feed: URL",
        "pollfeeds": "poll the news feeds now",
        "reingest": "re-read the archive folder (add 'prune' to drop what is gone)",
        "cancel": "stop a running ingestion",
    },
    "ru": {
        "ask": "короткий ответ с источниками",
        "search": "фрагменты с датой, изданием и ссылкой",
        "timeline": "когда об этом писали: график по неделям или месяцам",
        "who": "человек, организация или место: с каких пор, где, с кем",
        "entities": "кто и что чаще всего был в новостях",
        "stats": "что есть в архиве",
        "new": "начать новый разговор (уточнения забудут прежние вопросы)",
        "follow": "сообщать о новых статьях по этим словам",
        "following": "за чем следит этот чат (кнопки отмены)",
        "unfollow": "перестать следить за этими словами",
        "help": "как спрашивать, фильтры, примеры",
        "feeds": "новостные ленты: последний опрос, успех, ошибки",
        "addfeed": "добавить ленту: URL [источник]",
        "removefeed": "убрать ленту: URL",
        "pollfeeds": "опросить ленты сейчас",
        "reingest": "перечитать папку архива (добавьте 'prune', чтобы убрать исчезнувшее)",
        "cancel": "остановить идущую индексацию",
    },
}
MENU_LANGUAGE_CODES = ("", *_RUSSIAN_CLIENTS)

PICKUP: dict[str, dict[str, str]] = {
    "en": {
        "button": "Who ran it",
        "heading": "Who ran the story",
        "first": "First",
        "followed": "Followed",
        "nobody_followed": "No other outlet ran it.",
        "same_day": "the same day",
        "hours": "+{hours} h",
        "later": "{days} d later",
        "undated": "undated",
        "absent": "Active {since} … {until}, never ran it",
        "none_absent": "No other outlet has articles dated {since} … {until}.",
        "no_window": "The first copy has no date: no outlet is named absent.",
        "unknown_outlet": "unknown outlet",
        "not_found": "No article has the id «{what}», and a search for it finds no strong match.",
    },
    "ru": {
        "button": "Кто опубликовал",
        "heading": "Кто опубликовал сюжет",
        "first": "Первым",
        "followed": "Следом",
        "nobody_followed": "Больше никто его не публиковал.",
        "same_day": "в тот же день",
        "hours": "+{hours} ч",
        "later": "через {days} дн.",
        "undated": "без даты",
        "absent": "Писали {since} … {until}, но не его",
        "none_absent": "Других изданий со статьями за {since} … {until} нет.",
        "no_window": "У первой копии нет даты: отсутствующих не назвать.",
        "unknown_outlet": "издание не указано",
        "not_found": "Статьи с id «{what}» нет, и поиск по этим словам не нашёл сильных совпадений.",
    },
}
"""A story's pickup (``newsbot story``, the 📰 button), by the language of the question or query it came
from (the command line's: English)."""

# ``/help``: the page in each language (HTML; ``{archive}`` and ``{mention}`` filled in by
# :func:`bot.present.help.render_help`), the administrators' part, and the sentences on the archive.
HELP: dict[str, dict[str, str]] = {
    "en": {
        "page": """\
<b>I answer questions about a news archive and cite my sources.</b>
{archive}

<b>How to ask</b>
• In a private chat, just write your question.
• In a group, mention me ({mention}), reply to my message, or use /ask.
Examples:
  <code>Кто представит США на переговорах в Париже?</code>
  <code>Что писали о морозах в январе 2026?</code>
  <code>who represents the US in Paris?</code>
  <code>What did the central bank do with the key rate?</code>
Under each answer: 📄 shows the quoted passages, 👍 / 👎 tell us how it went.
Follow-ups: reply to my answer ("and when was it?"); in a private chat, just ask again soon after.

<b>Commands</b>
/ask <i>question</i> — a short answer with sources
/search <i>words</i> — passages with date, outlet and link, page by page (for journalists)
/timeline <i>words</i> — when it was in the news: a chart of the articles that mention them
/who <i>name</i> — a person, organisation or place: since when, where, with whom (any form: Путина, Putin)
/entities [<i>person</i>|<i>organization</i>|<i>place</i>] — who and what was most in the news
/stats — what the archive holds
/new — a new conversation: the next question does not follow up the earlier ones
/follow <i>words</i> — I write here when newly added articles match them (filters apply)
/following — what this chat follows, with buttons to stop; /unfollow <i>words</i> stops one
/help — this message

<b>Filters</b> (in a question, /ask, /search, /timeline, /who or /entities)
<code>since:2026-01-01</code> <code>until:31.01.2026</code> — dates (also "January 2026", yesterday)
<code>source:"Example Wire"</code> — an outlet, or the start of its name; repeat for several
Russian keys work too: <code>от:</code> <code>до:</code> <code>источник:</code>
e.g. <code>/search ключевая ставка since:2025-12-01 source:Экономика</code>
<code>who:Putin</code> — only articles that name this person, organisation or place, in any form
(Russian <code>кто:</code>); <code>/follow who:Путин</code> alerts on every new one

<b>Operators</b> (in a question, /search, /timeline, /follow and inline queries)
<code>"Белый дом"</code> — that exact phrase, as written (no other form, no transliteration)
<code>-Китай</code> — leave out articles with any form of the word; <code>-"Белый дом"</code> a phrase
<code>Путин OR Трамп</code> — either (<code>ИЛИ</code> too, in capitals)""",
        "admin": """

<b>Administrators</b>
/reingest — re-read the archive folder (<code>/reingest prune</code> also drops articles gone from it)
/cancel — stop a running ingestion
/feeds — the news feeds (RSS, Atom) I poll, with their last poll, success and error
/addfeed <i>URL</i> [<i>source</i>] — add a feed; /removefeed <i>URL</i> removes one (its articles stay)
/pollfeeds — poll the feeds now (otherwise every NEWSBOT_FEED_INTERVAL minutes)
Posts in the channels of NEWSBOT_CHANNELS (where I am an admin) are added to the archive as they appear.
Send a .txt .md .json .jsonl .csv .html file, or a .zip of them, to add it to the archive.""",
        "unreachable": "<i>The archive cannot be reached right now; I will answer as soon as it is back.</i>",
        "empty": "The archive is empty for now.",
        "holds": "It holds <b>{articles}</b>{span}.",
        "span": ", from {since} to {until}",
        "outlets": "Outlets: {outlets}{more}.",
        "more_outlets": " and {n} more",
    },
    "ru": {
        "page": """\
<b>Я отвечаю на вопросы по архиву новостей и называю источники.</b>
{archive}

<b>Как спрашивать</b>
• В личном чате просто напишите вопрос.
• В группе упомяните меня ({mention}), ответьте на моё сообщение или используйте /ask.
Примеры:
  <code>Кто представит США на переговорах в Париже?</code>
  <code>Что писали о морозах в январе 2026?</code>
  <code>who represents the US in Paris?</code>
  <code>What did the central bank do with the key rate?</code>
Под каждым ответом: 📄 показывает цитаты, 👍 / 👎 — ваша оценка ответа.
Уточнения: ответьте на мой ответ («а когда это было?»); в личном чате можно просто
спросить снова вскоре после ответа.

<b>Команды</b>
/ask <i>вопрос</i> — короткий ответ с источниками
/search <i>слова</i> — фрагменты с датой, изданием и ссылкой, постранично (для журналистов)
/timeline <i>слова</i> — когда об этом писали: график статей, которые их упоминают
/who <i>имя</i> — человек, организация или место: когда, где, с кем (в любой форме: Путина, Putin)
/entities [<i>люди</i>|<i>организации</i>|<i>места</i>] — кто и что чаще всего было в новостях
/stats — что есть в архиве
/new — новый разговор: следующий вопрос не продолжит прежние
/follow <i>слова</i> — напишу сюда, когда появятся подходящие новые статьи (с учётом фильтров)
/following — за чем следит этот чат, с кнопками отмены; /unfollow <i>слова</i> отменяет одну
/help — это сообщение

<b>Фильтры</b> (в вопросе, /ask, /search, /timeline, /who или /entities)
<code>от:2026-01-01</code> <code>до:31.01.2026</code> — даты (также «январь 2026», вчера)
<code>источник:"Example Wire"</code> — издание или начало его названия; можно несколько
Английские ключи тоже работают: <code>since:</code> <code>until:</code> <code>source:</code>
например <code>/search ключевая ставка от:2025-12-01 источник:Экономика</code>
<code>кто:Путин</code> — только статьи, где назван этот человек, организация или место, в любой форме
(<code>who:</code>); <code>/follow кто:Путин</code> пришлёт каждую новую

<b>Операторы</b> (в вопросе, /search, /timeline, /follow и встроенных запросах)
<code>"Белый дом"</code> — точная фраза, как написана (без других форм и транслитерации)
<code>-Китай</code> — без статей с этим словом в любой форме; <code>-"Белый дом"</code> — без фразы
<code>Путин ИЛИ Трамп</code> — любое из двух (<code>OR</code> тоже, заглавными)""",
        "admin": """

<b>Администраторам</b>
/reingest — перечитать папку архива (<code>/reingest prune</code> уберёт и статьи, которых в ней нет)
/cancel — остановить идущую индексацию
/feeds — новостные ленты (RSS, Atom), которые я опрашиваю: последний опрос, успех и ошибка
/addfeed <i>URL</i> [<i>источник</i>] — добавить ленту; /removefeed <i>URL</i> убирает её (статьи остаются)
/pollfeeds — опросить ленты сейчас (иначе раз в NEWSBOT_FEED_INTERVAL минут)
Посты каналов из NEWSBOT_CHANNELS (где я администратор) попадают в архив, как только выходят.
Пришлите файл .txt .md .json .jsonl .csv .html или .zip с ними, чтобы добавить его в архив.""",
        "unreachable": "<i>Архив сейчас недоступен; я отвечу, как только он вернётся.</i>",
        "empty": "Архив пока пуст.",
        "holds": "В архиве <b>{articles}</b>{span}.",
        "span": ", с {since} по {until}",
        "outlets": "Издания: {outlets}{more}.",
        "more_outlets": " и ещё {n}",
    },
}

STATS: dict[str, dict[str, str]] = {
    "en": {
        "archive": "Archive",
        "articles": "Articles",
        "chunks": "Chunks",
        "dates": "Dates",
        "no_dates": "no dated articles",
        "model": "Embedding model",
        "no_model": "none yet",
        "store": "Store",
        "last_ingest": "Last ingestion",
        "never": "never",
        "sources": "Sources",
        "more_sources": "… and {n} more",
    },
    "ru": {
        "archive": "Архив",
        "articles": "Статей",
        "chunks": "Фрагментов",
        "dates": "Даты",
        "no_dates": "статей с датой нет",
        "model": "Модель эмбеддингов",
        "no_model": "пока нет",
        "store": "Хранилище",
        "last_ingest": "Последняя индексация",
        "never": "не было",
        "sources": "Издания",
        "more_sources": "… и ещё {n}",
    },
}
"""The archive's figures (``/stats`` in the user's language; ``newsbot stats`` in English)."""
