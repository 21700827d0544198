"""Plain-text renderings of ingestion reports and archive statistics (the CLI prints them, the bot shows
them in HTML).

A problem names a file, a zip member or a record by what the input called it, so each problem line is
made :func:`~retrieval.printable.printable`: a name cannot add a line to the report or drive a terminal.
So is each outlet's name in the archive's figures.
"""

from __future__ import annotations

from dataclasses import replace

from bot.present.phrases import STATS, WORDS
from retrieval.printable import printable
from retrieval.records import Answer, IngestReport, StoreStats

MAX_PROBLEMS_SHOWN = 50


def format_duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def summary_line(report: IngestReport) -> str:
    rate = report.chunks_written / report.seconds if report.seconds > 0 else 0.0
    head = "Ingestion cancelled" if report.cancelled else "Ingestion finished"
    return (
        f"{head}: {report.added} added, {report.updated} updated, {report.unchanged} unchanged, "
        f"{report.pruned} pruned, {len(report.skipped)} skipped; {report.chunks_written} chunks written "
        f"in {format_duration(report.seconds)} ({rate:.1f} chunks/s)."
    )


def unmarked_lines(report: IngestReport) -> list[str]:
    """What the articles read lacked (a date, an outlet) and how to give it to them; none when nothing."""
    lines = []
    if report.undated:
        lines.append(
            f"Without a date: {report.undated} of the articles read; date filters (--since, --until, "
            "since:) leave them out. Give each a date line under its headline (2026-01-06) or begin "
            "it with 'date 2026-01-06'."
        )
    if report.no_outlet:
        lines.append(
            f"Without an outlet: {report.no_outlet} of the articles read (listed as 'unknown'). "
            "Name one for a folder's articles: newsbot ingest DIR --source NAME"
        )
    return lines


def format_ingest_report(report: IngestReport, *, limit: int = MAX_PROBLEMS_SHOWN) -> str:
    lines = [summary_line(report), *unmarked_lines(report)]
    for title, problems in (("Skipped", report.skipped), ("Warnings", report.warnings)):
        if not problems:
            continue
        lines.append(f"{title} ({len(problems)}):")
        lines.extend(f"  {printable(str(p))}" for p in problems[:limit])
        if len(problems) > limit:
            lines.append(f"  … and {len(problems) - limit} more")
    return "\n".join(lines)


def left_out_note(undated: int | None, lang: str) -> str:
    """That a date filter left out articles without a date, and how many (``undated``: None when the
    archive's figures do not count them), in ``lang``; empty when it left none out."""
    if undated is None:
        return WORDS[lang]["left_out_uncounted"]
    return WORDS[lang]["left_out"].format(n=undated) if undated else ""


def with_note(answer: Answer, note: str) -> Answer:
    """``answer`` with ``note`` after its own note (as is when ``note`` is empty)."""
    if not note:
        return answer
    return replace(answer, note="; ".join(n for n in (answer.note, note) if n))


def stats_lines(
    stats: StoreStats, *, internals: bool = True, top_sources: int = 15, lang: str = "en"
) -> list[str]:
    """The archive's figures as lines of plain text in ``lang`` (:data:`~bot.present.phrases.STATS`);
    ``internals`` adds the store's location and model."""
    said = STATS[lang]
    span = (
        f"{stats.min_date.isoformat()} … {stats.max_date.isoformat()}"
        if stats.min_date and stats.max_date
        else said["no_dates"]
    )
    figures: list[tuple[str, object]] = [("articles", stats.articles), ("chunks", stats.chunks)]
    figures.append(("dates", span))
    if internals:
        figures += [("model", stats.embedding or said["no_model"]), ("store", stats.location)]
    figures.append(("last_ingest", stats.last_ingest or said["never"]))
    lines = [f"{said[key]}: {value}" for key, value in figures]
    lines.append(f"{said['sources']} ({len(stats.sources)}):")
    items = list(stats.sources.items())
    lines.extend(f"  {printable(name)}: {count}" for name, count in items[:top_sources])
    if len(items) > top_sources:
        lines.append("  " + said["more_sources"].format(n=len(items) - top_sources))
    return lines


def format_stats(stats: StoreStats, *, top_sources: int = 15) -> str:
    return "\n".join(stats_lines(stats, top_sources=top_sources))


def stats_json(stats: StoreStats) -> dict[str, object]:
    return {
        "articles": stats.articles,
        "chunks": stats.chunks,
        "min_date": stats.min_date.isoformat() if stats.min_date else None,
        "max_date": stats.max_date.isoformat() if stats.max_date else None,
        "sources": stats.sources,
        "embedding": stats.embedding,
        "location": stats.location,
        "last_ingest": stats.last_ingest,
    }
