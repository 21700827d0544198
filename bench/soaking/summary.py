"""The soak's printed report (see ``bench/soak.py``): figures from :mod:`soaking.report` over a run."""

from __future__ import annotations

import argparse
import statistics
import subprocess
from collections import Counter
from datetime import UTC, datetime

from soaking.cluster import REPO
from soaking.content import TOPIC_WORDS, Piece
from soaking.people import Asked, alerted_links
from soaking.report import (
    AlertTally,
    latency_cell,
    mask,
    percentile,
    published_counts,
    read_logs,
    tally_alerts,
    windows,
)
from soaking.run import Soak

TOP_MESSAGES = 15


def clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def asked_of(run: Soak) -> list[Asked]:
    return [a for asker in run.askers for a in asker.asked]


def lost_pieces(run: Soak, stored: set[str]) -> list[Piece]:
    return [p for p in run.publisher.pieces if p.article_id not in stored]


def alert_tally(run: Soak, stored: set[str]) -> AlertTally:
    due = {
        f.name: [p for p in run.publisher.pieces if p.topics & set(f.topics) and p.article_id in stored]
        for f in run.followers
    }
    shown = {f.name: run.alerts_shown(f) for f in run.followers}
    return tally_alerts(due, shown, run.publisher.pieces)


def failed(run: Soak, stored: set[str]) -> bool:
    return bool(lost_pieces(run, stored) or alert_tally(run, stored).duplicated)


def tree() -> str:
    """The commit the soak ran, and whether the work tree differed from it."""

    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True).stdout

    files = len(git("status", "--porcelain", "--untracked-files=no").splitlines())
    return git("rev-parse", "--short", "HEAD").strip() + (
        f" with uncommitted changes in {files} file(s)" if files else ""
    )


def summary(run: Soak, stored: set[str], args: argparse.Namespace) -> list[str]:
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    where = "a tmpfs of the soak's own" if run.disk.tmpfs else "the real disk (no disk fault)"
    lines = [
        "",
        f"newsbot soak, {when}, code at {tree()}: {args.minutes:g} min of load (seed {args.seed}), "
        f"2 replicas on one `chroma run`, data on {where}",
    ]
    for part in (_questions, _errors, _articles, _alerts, _latency, _events):
        lines += ["", *part(run, stored)]
    lost, duplicated = len(lost_pieces(run, stored)), len(alert_tally(run, stored).duplicated)
    verdict = "OK" if not (lost or duplicated) else "FAILED"
    lines += ["", f"RESULT: {verdict}: {lost} article(s) lost, {duplicated} alert(s) duplicated"]
    return lines


def _questions(run: Soak, stored: set[str]) -> list[str]:
    asked = asked_of(run)
    kinds = Counter(a.outcome for a in asked)
    times = [a.latency for a in asked if a.latency is not None]
    lines = [
        f"questions: {len(asked)} asked; {kinds['answer']} answered, {kinds['store_down']} told the archive "
        f"is unavailable, {kinds['sorry']} told something went wrong, {kinds['rate limited']} told to slow "
        f"down, {kinds['no reply']} without a reply within 120 s"
    ]
    if times:
        lines.append(
            f"time to the first reply: p50 {statistics.median(times):.2f} s, "
            f"p95 {percentile(times, 0.95):.2f} s, max {max(times):.2f} s"
        )
    votes = sum((asker.votes for asker in run.askers), Counter())
    if votes:
        lines.append("👍 pressed: " + "; ".join(f"{n} × «{text}»" for text, n in votes.most_common()))
    return lines


def _errors(run: Soak, stored: set[str]) -> list[str]:
    found = read_logs(r.log for r in run.replicas)
    lines = ["errors by class"]
    lines.append("  log records (both replicas): " + _counts(found.records))
    lines.append("  exceptions in tracebacks: " + _counts(found.exceptions))
    lines.append("  which (numbers and links masked):")
    lines += [f"    {n:4d} × {message}" for message, n in found.messages.most_common(TOP_MESSAGES)]
    if len(found.messages) > TOP_MESSAGES:
        lines.append(f"    … and {len(found.messages) - TOP_MESSAGES} other kinds")
    for replica in run.replicas:
        refused = Counter(
            f"{r.method} {r.error_code} {r.description}" for r in replica.emu.requests if r.error_code
        )
        lines.append(f"  Bot API calls refused, replica {replica.number}: " + _counts(refused))
        admin = replica.emu.messages(-7000)
        reports = sum("<pre>" in m.html for m in admin)
        lines.append(
            f"  admin chat, replica {replica.number}: {len(admin)} message(s), {reports} with a traceback"
            + "".join(f"\n    «{m.text[:150]}»" for m in admin if "<pre>" not in m.html)
        )
    return lines


def _counts(counter: Counter[str]) -> str:
    return "; ".join(f"{key} × {n}" for key, n in counter.most_common()) or "none"


def _articles(run: Soak, stored: set[str]) -> list[str]:
    published, present = published_counts(run.publisher.pieces, stored)
    lost = lost_pieces(run, stored)
    by_how = ", ".join(f"{how} {present[how]}/{n}" for how, n in sorted(published.items()))
    lines = [
        f"articles: {sum(published.values())} published, {sum(present.values())} in the store "
        f"({by_how}); lost: {len(lost)}"
    ]
    lines += [f"  lost: {p.key} ({p.channel}, published at {clock(p.published_at or 0)})" for p in lost[:10]]
    if len(lost) > 10:
        lines.append(f"  … and {len(lost) - 10} more")
    first = run.store.first_seen
    delays = [
        first[p.article_id] - (p.published_at or 0) for p in run.publisher.pieces if p.article_id in first
    ]
    if delays:
        lines.append(
            f"  publication to the store (read every 5 s): p50 {statistics.median(delays):.0f} s, "
            f"p95 {percentile(delays, 0.95):.0f} s, max {max(delays):.0f} s"
        )
    lines += _ingestion(run)
    lines.append(f"  all in the store {run.events.drained_after or 0:.0f} s after the load ended")
    return lines


def _ingestion(run: Soak) -> list[str]:
    """The operator's runs of ``newsbot ingest``: how each ended, and why the failed ones failed."""
    runs = run.events.ingestion
    if not runs:
        return ["  the operator's ingestion: not run"]
    ok = [t for t, status in runs if status == 0]
    outcome = f"succeeded at {clock(ok[0])}" if ok else "never succeeded"
    if run.events.ingestion_stuck:
        outcome += "; the last run was still going when the drain was over: killed"
    lines = [f"  the operator's ingestion: run {len(runs)} time(s) from {clock(runs[0][0])}, {outcome}"]
    operator = run.workdir / "operator.log"
    said = operator.read_text(errors="replace").splitlines() if operator.exists() else []
    why = Counter(mask(line) for line in said if line.startswith("newsbot: error:"))
    lines += [f"    {n} × {line}" for line, n in why.most_common()]
    return lines


def _alerts(run: Soak, stored: set[str]) -> list[str]:
    tally = alert_tally(run, stored)
    follows = sum(text.startswith("🔔 Following") for f in run.followers for text in f.confirmed)
    asked = sum(len(f.topics) for f in run.followers)
    solo = {f.name for f in run.followers if len(f.bots) == 1}
    missed_solo = sum(group in solo for group, _ in tally.missed)
    elsewhere = sum(
        len(alerted_links(run.emus[bot - 1].messages(f.group)))
        for f in run.followers
        for bot in f.bots
        if bot != f.replica
    )
    lines = [
        f"alerts: {follows}/{asked} follows confirmed ({', '.join(TOPIC_WORDS.values())}); {tally.due} due; "
        f"{tally.once} delivered exactly once, {len(tally.duplicated)} duplicated, "
        f"{len(tally.missed)} missed ({missed_solo} in groups with only the bot they followed through), "
        f"{len(tally.unexpected)} unexpected; {elsewhere} shown through another bot than the one followed "
        "through"
    ]
    lines += [f"  duplicated: {g} got {k} {n} times" for g, k, n in tally.duplicated[:20]]
    lines += [f"  missed: {g} never got {k}" for g, k in tally.missed[:20]]
    if len(tally.missed) > 20:
        lines.append(f"  … and {len(tally.missed) - 20} more missed")
    lines += [f"  unexpected: {g} got {k}" for g, k in tally.unexpected[:10]]
    return lines


def _latency(run: Soak, stored: set[str]) -> list[str]:
    asked = asked_of(run)
    lines = [
        "p95 time to the first reply (questions sent in the fault's length before it, during it, after it)"
    ]
    for fault in run.faults:
        cells = [latency_cell(asked, *span) for span in windows(fault).values()]
        began = clock(fault.began) if fault.began is not None else "never"
        lines.append(f"  {fault.label} (at {began}, {fault.length:.0f} s)")
        lines.append(f"      before {cells[0]} · during {cells[1]} · after {cells[2]}")
    return lines


def _events(run: Soak, stored: set[str]) -> list[str]:
    lines = ["faults and events"]
    for fault in run.faults:
        lines += [f"  {fault.name}: {note}" for note in fault.notes]
    lines.append(f"  {run.events.admin_poll or '/pollfeeds during the hang: not sent'}")
    deaths = ", ".join(f"at {clock(t)} (exit {code})" for t, code in run.events.chroma_deaths)
    lines.append(f"  Chroma server died unasked: {deaths or 'never'}")
    wedged = ", ".join(clock(t) for t in run.events.chroma_wedged)
    lines.append(f"  Chroma server answered no write after the disk fault: {wedged or 'never'}")
    for replica in run.replicas:
        exits = ", ".join(f"at {clock(t)} (exit {code})" for t, code in replica.restarts)
        took = run.events.shutdown.get(replica.number)
        stopped = (
            f"stopped {took:.1f} s after SIGTERM" if took is not None else "did not stop in 120 s: killed"
        )
        lines.append(f"  replica {replica.number}: exited unasked {exits or 'never'}; {stopped}")
    lines.append(f"  the soak's own reads of the store that failed or took over 30 s: {run.store.failed}")
    return lines
