"""``/who`` and ``/entities`` as Telegram HTML, in the asker's language (:data:`bot.present.phrases.WHO`);
the CLI's plain text of the same records is :mod:`bot.present.entities`.

    who_html(profile.report, profile.best, "ru")   # name and kind, forms, first and last, outlets, with whom
    entities_html(named, "en")                     # the most named, one a line

Names, titles and outlets are cut to a size, so a page stays under Telegram's 4,096 characters whatever
the archive holds.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.present.cut import clip
from bot.present.markup import escape, link
from bot.present.phrases import WHO, WORDS, articles
from retrieval.entities.who import Counted, Fact, Report
from retrieval.printable import printable

NAME_CHARS = 60
TITLE_CHARS = 120
OUTLET_CHARS = 40
VARIANTS = 8
"""Forms of the name shown at most."""
KINDS = ("person", "organization", "place")


def who_html(report: Report, best: Sequence[Fact], lang: str) -> str:
    """The page on a name: what it is, how often, first and last, where, with whom, the best articles."""
    said = WHO[lang]
    head = f"👤 <b>{_name(report.name)}</b> · {kind(report.kind, lang)}"
    lines = [f"{head} · {articles(report.articles, lang)}"]
    others = [v for v in report.variants if v != report.name][:VARIANTS]
    if others:
        lines.append(f"{said['written']}: " + ", ".join(_name(v) for v in others))
    if report.first is not None:
        lines.append(f"{said['first']}: {fact_html(report.first, lang)}")
    if report.last is not None and report.last != report.first:
        lines.append(f"{said['last']}: {fact_html(report.last, lang)}")
    if report.outlets:
        lines.append(f"{said['outlets']}: " + ", ".join(f"{_outlet(o)} {n}" for o, n in report.outlets))
    if report.co_mentioned:
        lines.append(f"{said['with']}: {_counted(report.co_mentioned)}")
    if report.others:
        lines.append(f"{said['may_mean']}: {_counted(report.others)}")
    if best:
        lines += ["", f"<b>{said['best']}</b>", *(fact_html(f, lang) for f in best)]
    return "\n".join(lines)


def not_mentioned_html(name: str, lang: str, *, nearest: bool) -> str:
    """What ``/who`` says of a name no article mentions (the nearest names follow as buttons)."""
    text = WHO[lang]["not_mentioned"].format(name=f"<b>{_name(name)}</b>")
    return f"{text} {WHO[lang]['nearest']}" if nearest else text


def entities_html(named: Sequence[Counted], lang: str) -> str:
    """The most named entities, most articles first, one a line."""
    said = WHO[lang]
    if not named:
        return said["none_named"]
    lines = [f"<b>{said['most_named']}</b>"]
    lines += [
        f"{i}. {_name(n.name)} · {kind(n.kind, lang)} · {articles(n.articles, lang)}"
        for i, n in enumerate(named, 1)
    ]
    return "\n".join(lines)


def fact_html(fact: Fact, lang: str) -> str:
    """``2025-02-20 · Лента · <a href=…>Визит</a>``: an article cited by day, outlet and linked title."""
    day = fact.day or WORDS[lang]["undated"]
    title = link(clip(printable(fact.title or fact.article_id), TITLE_CHARS), fact.url)
    return " · ".join(x for x in (day, _outlet(fact.outlet), title) if x)


def kind(name: str, lang: str) -> str:
    """``person`` -> "person" / "человек"."""
    return WHO[lang][name] if name in KINDS else escape(name)


def _counted(named: Sequence[Counted]) -> str:
    return ", ".join(f"{_name(c.name)} ({c.articles})" for c in named)


def _name(name: str) -> str:
    return escape(clip(printable(name), NAME_CHARS))


def _outlet(outlet: str) -> str:
    return escape(clip(printable(outlet), OUTLET_CHARS))
