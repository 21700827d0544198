"""The Telegram bot under load: simulated users asking at once through the local Bot API emulator.

    python bench/bot.py [--users 50] [--questions 5] [--concurrency 4] [--archive sample/]

Ingests the archive with the bundled model into a temporary data directory, starts the real bot (long
polling the emulator, exactly as ``newsbot serve`` does), then every user sends all their questions at
the same moment, each in a group with the bot (``/ask``), so that every reply names the question it
answers. Checks that every question was answered exactly once, with an answer (not an apology) and no
errors, and prints the throughput (answers/s) and the time to reply (p50, p95, max).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bot.archive import Archive  # noqa: E402
from bot.telegram.app import ALLOWED_UPDATES, build_application  # noqa: E402
from bot.wiring import load_embeddings, open_store  # noqa: E402
from ingest.loaders import ArticleLimits  # noqa: E402
from ingest.pipeline import Ingestion  # noqa: E402
from retrieval.settings import load_settings  # noqa: E402
from tests.emulators.bot_api import BotApiEmulator, Chat  # noqa: E402

QUESTIONS = [
    "Кто представит США на переговорах в Париже?",
    "Какая ключевая ставка ЦБ?",
    "Что писали о морозах в Москве?",
    "Who set the course record at the winter marathon?",
    "Какая станция метро открылась в Казани?",
    "Чем закончился матч «Северстали» и СКА?",
    "What did the chipmaker open in Dresden?",
]


class ErrorCount(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def run(args: argparse.Namespace, data_dir: Path) -> int:
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    with BotApiEmulator(token="777000:BENCH-token") as emu:
        settings = load_settings(
            data_dir=data_dir,
            telegram_bot_token=emu.token,
            telegram_api_base_url=emu.base_url,
            max_concurrent_answers=args.concurrency,
            rate_limit_per_minute=max(10, args.questions),
        )
        t = time.perf_counter()
        embeddings = load_embeddings(settings)
        limits = ArticleLimits.from_settings(settings)
        ingestion = Ingestion(open_store(settings), embeddings, lock_dir=data_dir / "locks", limits=limits)
        ingested = ingestion.run([args.archive])
        seconds = time.perf_counter() - t
        print(f"archive: {ingested.added} articles, {ingested.chunks_written} chunks ({seconds:.1f} s)")
        app = build_application(settings, archive=Archive(settings, embeddings=embeddings))
        async with app:
            assert app.post_init is not None and app.updater is not None
            await app.post_init(app)
            await app.updater.start_polling(poll_interval=0.0, timeout=10, allowed_updates=ALLOWED_UPDATES)
            await app.start()
            try:
                return await ask_all(args, emu, errors)
            finally:
                await app.updater.stop()
                await app.stop()


@dataclass
class Tally:
    """When each question was sent, and what the bot replied to it and when."""

    asked: dict[tuple[int, int], float] = field(default_factory=dict)  # (chat, question id) -> sent at
    answered: dict[tuple[int, int], float] = field(default_factory=dict)  # -> first answer seen at
    replies: dict[tuple[int, int], int] = field(default_factory=dict)  # (chat, reply id) -> question id

    def observe(self, emu: BotApiEmulator, groups: list[Chat]) -> bool:
        """Note the bot's new replies; True once there is one per question."""
        now = time.perf_counter()
        for group in groups:
            for m in emu.messages(group):
                if (group.id, m.message_id) in self.replies or m.reply_to_message_id is None:
                    continue
                self.replies[(group.id, m.message_id)] = m.reply_to_message_id
                if m.buttons:  # an answer, with its buttons, not an apology
                    self.answered.setdefault((group.id, m.reply_to_message_id), now)
        return len(self.replies) >= len(self.asked)

    def answered_once(self) -> int:
        counts = Counter((chat, question) for (chat, _), question in self.replies.items())
        return sum(1 for q in self.asked if counts[q] == 1 and q in self.answered)

    def latencies(self) -> list[float]:
        return [self.answered[q] - self.asked[q] for q in self.asked if q in self.answered]


async def ask_all(args: argparse.Namespace, emu: BotApiEmulator, errors: ErrorCount) -> int:
    groups: list[Chat] = [emu.group_chat(-(1000 + i), f"Desk {i}") for i in range(args.users)]
    users = [emu.user(10_000 + i, f"User {i}") for i in range(args.users)]
    tally = Tally()
    start = time.perf_counter()
    for i, (group, user) in enumerate(zip(groups, users, strict=True)):
        for j in range(args.questions):
            sent = emu.send_text(group, user, f"/ask {QUESTIONS[(i + j) % len(QUESTIONS)]}")
            tally.asked[(group.id, sent["message_id"])] = time.perf_counter()
    sending = time.perf_counter() - start
    await emu.wait_for_async(lambda: tally.observe(emu, groups), timeout=args.timeout)
    elapsed = time.perf_counter() - start
    await asyncio.sleep(1.0)  # anything answered twice would show up now
    tally.observe(emu, groups)

    once, latencies = tally.answered_once(), tally.latencies()
    failed_calls = [r for r in emu.requests if r.error_code is not None]
    print(
        f"users: {args.users} × {args.questions} questions = {len(tally.asked)} (all sent in {sending:.2f} s)"
    )
    print(f"answer concurrency: {args.concurrency}; CPUs: {os.cpu_count()}")
    print(f"answered exactly once: {once}/{len(tally.asked)}; replies in all: {len(tally.replies)}")
    print(f"errors: {len(errors.records)} logged, {len(failed_calls)} failed Bot API calls")
    print(f"throughput: {len(tally.answered) / elapsed:.2f} answers/s ({elapsed:.1f} s for all)")
    if latencies:
        p50, p95 = statistics.median(latencies), percentile(latencies, 0.95)
        print(f"time to reply: p50 {p50:.2f} s, p95 {p95:.2f} s, max {max(latencies):.2f} s")
    ok = once == len(tally.asked) and not errors.records and not failed_calls
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--questions", type=int, default=5, help="per user, sent at once")
    parser.add_argument("--concurrency", type=int, default=4, help="NEWSBOT_MAX_CONCURRENT_ANSWERS")
    parser.add_argument("--archive", type=Path, default=REPO / "sample")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds to wait for all answers")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory(prefix="newsbot-bench-") as tmp:
        return asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main())
