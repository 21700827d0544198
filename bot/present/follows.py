"""Follows as the bot shows them: a follow's words, and a round's alerts for one chat as messages.

    render_alerts(alerts)      # each article once, under the follows it matches; split under the limit

Alerts are in the language the follow was made in (its ``/follow`` sender's client); each article is
shown as ``/search`` shows a passage: title (linked), date, outlet, the matching passage.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.present.cut import clip
from bot.present.html import passage_block
from bot.present.markup import escape
from bot.present.phrases import WORDS, language, say
from bot.present.split import split_html

if TYPE_CHECKING:
    from retrieval.follows.matching import Alert
    from retrieval.follows.store import Follow

WORDS_SHOWN = 80
"""The most of a follow's words the bot repeats."""
FOLLOWS_NAMED = 5
"""Follows named over an alert at most ("«a», «b», … and 3 more")."""


def render_alerts(alerts: Sequence[Alert]) -> list[str]:
    """One chat's alerts of a round as messages: each article once, under a header naming the follows it
    matches (articles that match the same follows share one header), each article as in /search."""
    by_article: dict[str, list[Alert]] = defaultdict(list)
    for alert in alerts:
        by_article[alert.article.id].append(alert)
    by_follows: dict[tuple[str, ...], list[list[Alert]]] = defaultdict(list)
    for same in by_article.values():
        by_follows[tuple(dict.fromkeys(a.follow.id for a in same))].append(same)
    blocks = []
    for articles in by_follows.values():
        follows = list({a.follow.id: a.follow for a in articles[0]}.values())
        lang = follows[0].language
        undated = WORDS[language(lang)]["undated"]
        blocks.append(f"<b>{say('alert', lang, follows=named(follows, lang))}</b>")
        blocks.extend(passage_block(n, same[0].passage, undated) for n, same in enumerate(articles, 1))
    return split_html("\n\n".join(blocks))


def named(follows: Sequence[Follow], lang: str) -> str:
    """«words», «words» … of the first :data:`FOLLOWS_NAMED` follows, and how many more."""
    shown = ", ".join(f"«{shown_words(f)}»" for f in follows[:FOLLOWS_NAMED])
    more = len(follows) - FOLLOWS_NAMED
    return say("alert_more", lang, follows=shown, n=more) if more > 0 else shown


def shown_words(follow: Follow) -> str:
    """The follow's words as the bot repeats them: escaped, cut at :data:`WORDS_SHOWN`."""
    return escape(clip(follow_label(follow), WORDS_SHOWN))


def follow_label(follow: Follow) -> str:
    """The follow's words, and its ``who:`` name when it has one (plain text)."""
    return " ".join(w for w in (follow.words, f"who:{follow.filters.who}" if follow.filters.who else "") if w)
