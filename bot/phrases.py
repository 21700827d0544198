"""What the bot says besides answers: help, refusals, apologies; in Russian or English.

The language follows the Telegram client's (``language_code``): Russian for ``ru``, ``uk`` and ``be``,
English otherwise. Texts are HTML; ``{…}`` fields are filled with already escaped values.
"""

from __future__ import annotations

from bot.render import escape
from retrieval.answer.answerer import Overview

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
        "no_follows": "This chat follows nothing yet: <code>/follow words</code> starts.",
        "following": "🔔 This chat follows (✖ stops one):",
        "unfollowed": "Stopped following «{words}».",
        "not_following": "This chat does not follow «{words}»; /following lists what it does.",
        "alert": "🔔 New on {follows}:",
        "alert_more": "{follows} and {n} more",
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
        "no_follows": "Этот чат пока ни за чем не следит: начните с <code>/follow слова</code>.",
        "following": "🔔 Этот чат следит за (✖ отменяет):",
        "unfollowed": "Больше не слежу за «{words}».",
        "not_following": "Этот чат не следит за «{words}»; список: /following.",
        "alert": "🔔 Новое по {follows}:",
        "alert_more": "{follows} и ещё {n}",
    },
}


def language(language_code: str | None) -> str:
    return "ru" if (language_code or "").split("-")[0].lower() in _RUSSIAN_CLIENTS else "en"


def say(key: str, language_code: str | None, **fields: object) -> str:
    return PHRASES[language(language_code)][key].format(**fields)


# The command menu (``setMyCommands``): each language's descriptions, the admins' commands last. Telegram
# shows the menu of the client's language_code, "" (the default) to everyone else.
MENU: dict[str, dict[str, str]] = {
    "en": {
        "ask": "a short answer with sources",
        "search": "passages with date, outlet and link",
        "timeline": "when was it in the news: a chart per week or month",
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
ADMIN_ONLY_COMMANDS = ("reingest", "cancel", "feeds", "addfeed", "removefeed", "pollfeeds")
MENU_LANGUAGE_CODES = ("", *_RUSSIAN_CLIENTS)


HELP = """\
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
/stats — what the archive holds
/new — a new conversation: the next question does not follow up the earlier ones
/follow <i>words</i> — I write here when newly added articles match them (filters apply)
/following — what this chat follows, with buttons to stop; /unfollow <i>words</i> stops one
/help — this message

<b>Filters</b> (in a question, /ask, /search or /timeline)
<code>since:2026-01-01</code> <code>until:31.01.2026</code> — dates (also "January 2026", yesterday)
<code>source:"Example Wire"</code> — an outlet, or the start of its name; repeat for several
Russian keys work too: <code>от:</code> <code>до:</code> <code>источник:</code>
e.g. <code>/search ключевая ставка since:2025-12-01 source:Экономика</code>"""

ADMIN_HELP = """

<b>Administrators</b>
/reingest — re-read the archive folder (<code>/reingest prune</code> also drops articles gone from it)
/cancel — stop a running ingestion
/feeds — the news feeds (RSS, Atom) I poll, with their last poll, success and error
/addfeed <i>URL</i> [<i>source</i>] — add a feed; /removefeed <i>URL</i> removes one (its articles stay)
/pollfeeds — poll the feeds now (otherwise every NEWSBOT_FEED_INTERVAL minutes)
Posts in the channels of NEWSBOT_CHANNELS (where I am an admin) are added to the archive as they appear.
Send a .txt .md .json .jsonl .csv .html file, or a .zip of them, to add it to the archive."""


def render_help(overview: Overview | None, bot_username: str | None, *, admin: bool) -> str:
    if overview is None:
        archive = "<i>The archive cannot be reached right now; I will answer as soon as it is back.</i>"
    elif overview.articles == 0:
        archive = "The archive is empty for now."
    else:
        span = (
            f", from {overview.since.isoformat()} to {overview.until.isoformat()}"
            if overview.since and overview.until
            else ""
        )
        outlets = ", ".join(escape(s) for s in overview.sources[:8])
        more = f" and {len(overview.sources) - 8} more" if len(overview.sources) > 8 else ""
        archive = f"It holds <b>{overview.articles}</b> articles{span}."
        if outlets:
            archive += f"\nOutlets: {outlets}{more}."
    mention = f"@{escape(bot_username)}" if bot_username else "@me"
    text = HELP.format(archive=archive, mention=mention)
    return text + ADMIN_HELP if admin else text
