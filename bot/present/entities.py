"""``who`` and ``entities`` as plain text (the CLI's, and the lines Telegram sends)."""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.entities.who import Counted, Fact, Report

KINDS = {"person": "person", "organization": "organisation", "place": "place"}


def who_text(report: Report) -> str:
    """The report on a name, a line a fact."""
    lines = [f"{report.name} ({KINDS.get(report.kind, report.kind)}): {_articles(report.articles)}"]
    others = [v for v in report.variants if v != report.name]
    if others:
        lines.append("written as: " + ", ".join(others[:10]))
    if report.first is not None:
        lines.append("first: " + _fact(report.first))
    if report.last is not None and report.last != report.first:
        lines.append("last: " + _fact(report.last))
    if report.outlets:
        lines.append("outlets: " + ", ".join(f"{o} {n}" for o, n in report.outlets))
    if report.periods:
        lines.append("by month: " + ", ".join(f"{p} {n}" for p, n in report.periods))
    if report.co_mentioned:
        lines.append("named with: " + ", ".join(f"{c.name} ({c.articles})" for c in report.co_mentioned))
    if report.others:
        lines.append(
            "the name may also mean: " + ", ".join(f"{c.name} ({c.articles})" for c in report.others)
        )
    lines.append("articles: " + ", ".join(report.article_ids))
    return "\n".join(lines)


def not_mentioned_text(name: str, nearest: Sequence[str]) -> str:
    """What ``who`` says of a name no article mentions."""
    if nearest:
        return f"{name}: not mentioned in the archive. Nearest names: " + ", ".join(nearest)
    return f"{name}: not mentioned in the archive."


def entities_text(named: Sequence[Counted]) -> str:
    """The most named entities, one a line."""
    if not named:
        return "No entity is named in these articles."
    width = max(len(n.name) for n in named)
    return "\n".join(
        f"{n.name:<{width}}  {KINDS.get(n.kind, n.kind):<12}  {_articles(n.articles)}" for n in named
    )


def _fact(f: Fact) -> str:
    said = ", ".join(
        x for x in (f.day or "undated", f.outlet, f"«{f.title}»" if f.title else "", f.url or "") if x
    )
    return f"{said} [{f.article_id}]"


def _articles(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"
