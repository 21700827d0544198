"""The soak itself: set everything up, run the load with the faults, drain, stop, and gather the figures.

Set-up (before the clock starts): ``chroma run`` on a free loopback port; ``newsbot ingest sample/`` and
``newsbot feeds add`` for each feed, as an operator would; two Bot API emulators and a ``newsbot serve``
replica on each (one token each; the first also reads a channel); the follower groups' ``/follow``s.
Then for ``seconds``: askers ask, the feeds publish an entry every :data:`ENTRY_EVERY` seconds, the
channel posts every :data:`POST_EVERY`, an ingestion runs, and the faults come at their times. After it:
publishing stops, the run waits until every piece is in the store (or :data:`DRAIN_LIMIT` passes) and
the alerts have settled, then stops the replicas with SIGTERM, timing each.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import subprocess
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from soaking.cluster import REPO, Chroma, Disk, Replica, base_env, run_cli, start_cli, stop_all
from soaking.content import SAMPLE_QUESTIONS, TOPIC_QUESTIONS, TOPIC_WORDS, Writer
from soaking.faults import FLOOD_BURST, FLOOD_EVERY, FLOOD_RETRY_AFTER, INGEST_LEAD, Fault, Injector, plan
from soaking.people import Asker, Follower, alerted_links, follow
from soaking.publishing import Publisher
from soaking.store_watch import READ_EVERY, StoreWatch
from tests.emulators.bot_api import BotApiEmulator, Chat
from tests.emulators.feed_server import FeedServer

COLLECTION = "soak"
TOKENS = ("7101:SOAK-replica_one", "7102:SOAK-replica_two")
ADMIN_ID = 9001
ADMIN_GROUP = -7000
CHANNEL = -1009000000001
FEEDS = 3
ENTRY_EVERY = 6.0
POST_EVERY = 20.0
ASKERS_PER_REPLICA = 3
ALERT_INTERVAL = 10.0
DRAIN_LIMIT = 360.0
"""Seconds after the load to wait for every piece to reach the store: a channel post that failed to be
ingested is tried again after 5 s, 15 s, 1 min, then every 5 min."""
ALERTS_QUIET = 4 * ALERT_INTERVAL
INGEST_RETRY = 15.0
FOLLOWERS = (  # name, the replica it follows through, the replicas in its group, topics
    ("desk-a", 1, (1, 2), ("airship",)),
    ("desk-b", 2, (1, 2), ("icebreaker",)),
    ("desk-c", 1, (1, 2), ("observatory", "airship")),
    ("desk-d", 2, (1, 2), ("icebreaker", "observatory")),
    ("solo-1", 1, (1,), ("airship", "icebreaker")),
    ("solo-2", 2, (2,), ("observatory",)),
)


@dataclass
class Events:
    """What happened besides the questions: for the report."""

    chroma_deaths: list[tuple[float, int]] = field(default_factory=list)
    chroma_wedged: list[float] = field(default_factory=list)
    """When the server answered no write after the disk was freed (it was restarted)."""
    ingestion: list[tuple[float, int]] = field(default_factory=list)
    """(started at, exit status) of each run of the ingestion."""
    ingestion_stuck: bool = False
    """Still running when the drain was over (killed then: status -1 in :attr:`ingestion`)."""
    admin_poll: str = ""
    drained_after: float | None = None
    shutdown: dict[int, float | None] = field(default_factory=dict)
    disk_used_mb: float = 0.0


class Soak:
    def __init__(
        self, seconds: float, seed: int, workdir: Path, disk: Disk, *, restart_wedged: bool = True
    ) -> None:
        self.seconds = seconds
        self.restart_wedged = restart_wedged
        self.rng = random.Random(seed)
        self.workdir = workdir
        self.disk = disk
        self.t0 = time.monotonic() + 1e9  # set when the load starts
        self.chroma = Chroma(disk.root / "chroma", workdir / "chroma.log")
        self.web = FeedServer()
        self.emus = [
            BotApiEmulator(token=t, bot_username=f"soak_replica{n}_bot") for n, t in enumerate(TOKENS, 1)
        ]
        self.publisher = Publisher(Writer(seed), self.web, FEEDS, self.now)
        self.replicas: list[Replica] = []
        self.askers: list[Asker] = []
        self.followers: list[Follower] = []
        self.faults = plan(seconds)
        self.events = Events()
        self.channel: Chat | None = None
        self.side_tasks: list[asyncio.Future[None]] = []
        self.store = StoreWatch(self.chroma.url, COLLECTION, workdir, self.now)
        self.ingesting: subprocess.Popen[bytes] | None = None

    def now(self) -> float:
        return time.monotonic() - self.t0

    # -- set-up

    def env(self, data: str, **more: str) -> dict[str, str]:
        settings = {
            "NEWSBOT_CHROMA_URL": self.chroma.url,
            "NEWSBOT_COLLECTION": COLLECTION,
            "NEWSBOT_DATA_DIR": str(self.disk.root / data),
            "NEWSBOT_FEEDS_ALLOW_PRIVATE": "true",
        }
        return base_env() | settings | more

    def operator(self, *args: str) -> int:
        return run_cli(list(args), self.env("operator"), self.workdir, self.workdir / "operator.log")

    def set_up(self) -> None:
        self.web.start()
        for emu in self.emus:
            emu.start()
        self.chroma.start()
        if self.operator("ingest", "--no-progress", str(REPO / "sample")) != 0:
            raise RuntimeError(f"newsbot ingest sample/ failed; see {self.workdir / 'operator.log'}")
        for url in self.publisher.feed_urls():
            if self.operator("feeds", "add", url) != 0:
                raise RuntimeError(f"newsbot feeds add failed; see {self.workdir / 'operator.log'}")
        self._people()
        for n, emu in enumerate(self.emus, 1):
            self.replicas.append(
                Replica(n, emu, self._replica_env(n, emu), self.workdir / f"replica-{n}.log", self.workdir)
            )
        for replica in self.replicas:
            replica.start()
        for replica in self.replicas:
            replica.wait_ready()

    def _replica_env(self, n: int, emu: BotApiEmulator) -> dict[str, str]:
        return self.env(
            f"replica-{n}",
            TELEGRAM_BOT_TOKEN=emu.token,
            TELEGRAM_API_BASE_URL=emu.base_url,
            NEWSBOT_ADMIN_IDS=str(ADMIN_ID),
            NEWSBOT_ADMIN_CHAT_ID=str(ADMIN_GROUP),
            NEWSBOT_FEED_INTERVAL="0.25",
            NEWSBOT_FEED_TIMEOUT="5",
            NEWSBOT_FEED_HOST_DELAY="0.1",
            NEWSBOT_ALERT_INTERVAL=str(ALERT_INTERVAL),
            NEWSBOT_RATE_LIMIT_PER_MINUTE="60",
            NEWSBOT_CHANNELS=str(CHANNEL) if n == 1 else "",
        )

    def _people(self) -> None:
        questions = SAMPLE_QUESTIONS + TOPIC_QUESTIONS
        for emu in self.emus:
            emu.group_chat(ADMIN_GROUP, "Soak admins")
            emu.private_chat(emu.user(ADMIN_ID, "Ada", "ada"))
        self.channel = self.emus[0].channel_chat(CHANNEL, "Soak channel", "soak_news")
        for n, emu in enumerate(self.emus, 1):
            for i in range(ASKERS_PER_REPLICA):
                number = n * 100 + i
                user, group = (
                    emu.user(3000 + number, f"Asker {number}"),
                    emu.group_chat(-(4000 + number), f"Asker {number}"),
                )
                self.askers.append(Asker(n, emu, user, group, questions, random.Random(self.rng.random())))
        for i, (name, via, bots, topics) in enumerate(FOLLOWERS):
            user = self.emus[via - 1].user(6000 + i, f"Follower {name}")
            group = Chat(-(5000 + i), "group", title=name)
            for bot in bots:
                self.emus[bot - 1].group_chat(group.id, name)
            self.followers.append(Follower(name, via, bots, topics, user, group))

    async def follow_all(self) -> None:
        for f in self.followers:
            for topic in f.topics:
                await follow(self.emus[f.replica - 1], f, TOPIC_WORDS[topic])

    # -- the load

    async def load(self) -> None:
        """The load and the faults for ``seconds``, then the drain (see the module docstring)."""
        self.t0 = time.monotonic()
        injector = Injector(self.now, self._begin(), self._end())
        work: list[Awaitable[Any]] = [a.run(self.now, self.seconds) for a in self.askers]
        work += [self._feeds(self.seconds), self._posts(self.seconds)]
        work += [injector.run(fault) for fault in self.faults]
        self.store.start()
        background = [asyncio.ensure_future(self._watch())]
        ingestion = asyncio.ensure_future(self._ingestion())
        try:
            await asyncio.gather(*work, self._drain())
        finally:
            self.store.stop()
            self.end_ingestion()
            for task in [*background, ingestion]:
                task.cancel()

    async def _feeds(self, until: float) -> None:
        n = 0
        while self.now() < until:
            self.publisher.publish_entry(n % FEEDS)
            n += 1
            await asyncio.sleep(ENTRY_EVERY)

    async def _posts(self, until: float) -> None:
        assert self.channel is not None
        while self.now() < until:
            await asyncio.sleep(POST_EVERY / 2)
            self.publisher.post(self.emus[0], self.channel)
            await asyncio.sleep(POST_EVERY / 2)

    async def _ingestion(self) -> None:
        """Files an operator ingests, a little before the Chroma server is killed; run again every
        :data:`INGEST_RETRY` seconds until it succeeds or the drain is over."""
        chroma = next(f for f in self.faults if f.name == "chroma")
        await asyncio.sleep(max(2.0, chroma.planned - INGEST_LEAD))
        folder = self.workdir / "incoming"
        self.publisher.write_files(folder, max(8, min(40, round(self.seconds / 15))))
        args, log = ["ingest", "--no-progress", str(folder)], self.workdir / "operator.log"
        while self.now() < self.seconds + DRAIN_LIMIT:
            started = self.now()
            self.ingesting = start_cli(args, self.env("operator"), self.workdir, log)
            while (status := self.ingesting.poll()) is None:
                await asyncio.sleep(1.0)
            self.events.ingestion.append((started, status))
            if status == 0:
                return
            await asyncio.sleep(INGEST_RETRY)

    def end_ingestion(self) -> None:
        """An ingestion still running when the drain is over is stuck: noted, and killed."""
        if self.ingesting is not None and self.ingesting.poll() is None:
            self.events.ingestion.append((self.now(), -1))
            self.events.ingestion_stuck = True
            self.ingesting.kill()
            self.ingesting.wait()

    async def _watch(self) -> None:
        """Restart a Chroma server or a replica that died unasked (and note it)."""
        while True:
            status = self.chroma.died()
            if status is not None:
                self.events.chroma_deaths.append((self.now(), status))
                await asyncio.to_thread(self.chroma.start)
            for replica in self.replicas:
                code = replica.exited()
                if code is not None:
                    replica.restarts.append((self.now(), code))
                    replica.start()
            await asyncio.sleep(2.0)

    # -- the faults

    def _begin(self) -> dict[str, Any]:
        async def chroma(fault: Fault) -> None:
            await asyncio.to_thread(self.chroma.kill)

        async def hang(fault: Fault) -> None:
            fault.notes.append(f"hung: {self.publisher.hang(0)}")
            self.side_tasks.append(asyncio.ensure_future(self._admin_polls(fault)))

        async def disk(fault: Fault) -> None:
            if not self.disk.tmpfs:
                fault.notes.append("skipped: the data is not on a tmpfs of the soak's own (see --disk)")
                return
            self.events.disk_used_mb = self.disk.used_mb()
            taken = await asyncio.to_thread(self.disk.fill)
            fault.notes.append(
                f"{self.disk.size_mb():.0f} MB tmpfs: {self.events.disk_used_mb:.1f} MB in use, "
                f"{taken / 1e6:.0f} MB of ballast took the rest"
            )

        async def flood(fault: Fault) -> None:
            self.side_tasks.append(asyncio.ensure_future(self._bursts(fault)))

        return {"chroma": chroma, "hang": hang, "disk": disk, "flood": flood}

    def _end(self) -> dict[str, Any]:
        async def chroma(fault: Fault) -> None:
            start = time.monotonic()
            await asyncio.to_thread(self.chroma.start)
            fault.notes.append(f"answering again {time.monotonic() - start:.1f} s after the restart began")

        async def hang(fault: Fault) -> None:
            self.publisher.unhang(0)

        async def disk(fault: Fault) -> None:
            self.disk.free()
            if not self.disk.tmpfs or await asyncio.to_thread(self.chroma.writes_answer):
                return
            self.events.chroma_wedged.append(self.now())
            then = "restarted" if self.restart_wedged else "left so (--leave-wedged)"
            fault.notes.append(f"the Chroma server answered no write in 20 s once the disk was freed: {then}")
            if self.restart_wedged:
                await asyncio.to_thread(self.chroma.kill)
                await asyncio.to_thread(self.chroma.start)

        async def flood(fault: Fault) -> None:
            return None

        return {"chroma": chroma, "hang": hang, "disk": disk, "flood": flood}

    async def _bursts(self, fault: Fault) -> None:
        bursts = max(1, min(3, int(fault.length // FLOOD_EVERY)))
        for _ in range(bursts):
            for emu in self.emus:
                emu.flood(FLOOD_BURST, retry_after=FLOOD_RETRY_AFTER)
            await asyncio.sleep(fault.length / bursts)
        fault.notes.append(
            f"{bursts} burst(s) of {FLOOD_BURST} × 429 (retry after {FLOOD_RETRY_AFTER} s) per replica"
        )

    async def _admin_polls(self, fault: Fault) -> None:
        """An admin's /pollfeeds while the feed hangs: how long until the status message says how it went."""
        emu = self.emus[0]
        chat = emu.private_chat(emu.user(ADMIN_ID, "Ada", "ada"))
        await asyncio.sleep(1.0)
        sent, start = emu.send_text(chat, emu.user(ADMIN_ID, "Ada", "ada"), "/pollfeeds"), self.now()

        def settled() -> str | None:
            later = [m for m in emu.messages(chat) if m.message_id > sent["message_id"]]
            return later[-1].text if later and not later[-1].text.startswith("⏳ Polling") else None

        try:
            text = await emu.wait_for_async(settled, timeout=120)
        except AssertionError:
            self.events.admin_poll = "/pollfeeds during the hang: no final status within 120 s"
            return
        first = text.splitlines()[0]
        self.events.admin_poll = f"/pollfeeds during the hang: {self.now() - start:.1f} s to «{first}»"

    # -- the end

    async def _drain(self) -> None:
        """After the load: until every piece is in the store, then until the alerts are quiet."""
        await asyncio.sleep(max(0.0, self.seconds - self.now()))
        while self.now() < self.seconds + DRAIN_LIMIT:
            stored = self.store.first_seen
            if all(p.article_id in stored for p in self.publisher.pieces):
                break
            await asyncio.sleep(READ_EVERY)
        self.events.drained_after = self.now() - self.seconds
        quiet_since, seen = self.now(), -1
        while self.now() - quiet_since < ALERTS_QUIET:
            count = sum(len(self.alerts_shown(f)) for f in self.followers)
            if count != seen:
                quiet_since, seen = self.now(), count
            await asyncio.sleep(2.0)

    def alerts_shown(self, follower: Follower) -> Counter[str]:
        links: Counter[str] = Counter()
        for bot in follower.bots:
            links.update(alerted_links(self.emus[bot - 1].messages(follower.group)))
        return links

    def stop(self) -> None:
        self.end_ingestion()
        self.events.shutdown = stop_all(self.replicas)
        with contextlib.suppress(Exception):
            self.chroma.stop()
        for emu in self.emus:
            emu.stop()
        self.web.stop()
