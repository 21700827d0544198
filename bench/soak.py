"""A soak: two bot replicas on one Chroma server, with users, feeds, a channel, an ingestion and faults.

    python bench/soak.py [--minutes 10] [--seed 1] [--disk tmpfs|none] [--disk-mb 512] [--keep]
                         [--leave-wedged]

Starts a ``chroma run`` server on a free loopback port (its folder on a temporary disk), ingests
``sample/`` and lists three feeds with ``newsbot`` as an operator would, and runs two ``newsbot serve``
replicas, each long polling its own local Bot API emulator (``tests/emulators/bot_api/``; the first
also reads a channel). For ``--minutes``: six askers (three per replica, a group each) ask with ``/ask``
and now and then press 👍; six follower groups follow three topics (two of them with only the bot they
followed through as a member, the others with both); the feed server (``tests/emulators/feed_server.py``)
publishes an entry every 6 s, the channel posts every 20 s, and an operator ingests a folder of files
(run again every 15 s until it succeeds, as an operator would).
Meanwhile, at 16%, 36%, 56% and 76% of the run, for 6% of it each (at least 6 s):

- the Chroma server is killed with SIGKILL and started again (the ingestion begins 8 s before);
- a feed trickles its headers a byte every half second and never ends (an admin sends /pollfeeds);
- the disk fills to the last byte and is freed; then a write to Chroma is tried, and a server that
  answers none within 20 s is restarted, as its operator would;
- each replica's Bot API answers bursts of sendMessage with 429 "retry after 2".

**The disk.** A full disk needs a file system of a known size. Without root, the soak re-runs itself in
a user and mount namespace of its own (``unshare --user --map-root-user --mount``) and mounts a tmpfs
of ``--disk-mb`` there: Chroma's folder and each replica's and the operator's data dir live on it, and
the fault fills it with a ballast file (every process writing there then gets a real ``ENOSPC``) and
deletes it. Only the soak's processes see that tmpfs; the logs stay on the real disk. Where user
namespaces are not allowed, or with ``--disk none``, the data stays on the real disk and the disk fault
is skipped (the report says so).

After the load, publishing stops; the soak waits until every published piece is in the store (at most
6 minutes: a channel post that failed is tried again after 5 s, 15 s, 1 min, then every 5 min) and the
alerts are quiet, then stops the replicas with SIGTERM. It prints: questions asked and how they were
replied to, errors by class (log records, traceback exceptions, refused Bot API calls), articles
published and lost (looked up in the store by id), time from publication to the store, alerts due,
delivered exactly once, duplicated, missed and unexpected, p95 time to reply before, during and after
each fault, and how long each replica took to stop. Exit status 1 when an article was lost or an alert
duplicated, 2 when the set-up failed; the work folder (logs) is kept then, or with ``--keep``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from soaking.cluster import Disk  # noqa: E402
from soaking.run import Soak  # noqa: E402
from soaking.summary import failed, summary  # noqa: E402

IN_NAMESPACE = "NEWSBOT_SOAK_IN_NAMESPACE"


def can_unshare() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = ["unshare", "--user", "--map-root-user", "--mount", "true"]
    return subprocess.run(probe, capture_output=True).returncode == 0


def enter_namespace() -> None:
    """Run this script again in a user and mount namespace of its own (does not return)."""
    command = ["unshare", "--user", "--map-root-user", "--mount", sys.executable, *sys.argv]
    os.execvpe("unshare", command, os.environ | {IN_NAMESPACE: "1"})


def mount_tmpfs(size_mb: int) -> Path | None:
    """A tmpfs of ``size_mb`` on a fresh folder (in this process's own mount namespace), or None."""
    folder = Path(tempfile.mkdtemp(prefix="newsbot-soak-disk-"))
    options = f"size={size_mb}m,mode=0700"
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "soak", str(folder)], capture_output=True)
    if done.returncode != 0:
        print(f"could not mount a tmpfs ({done.stderr.decode().strip()}): the disk fault is skipped")
        folder.rmdir()
        return None
    return folder


def unmount(folder: Path) -> None:
    subprocess.run(["umount", str(folder)], capture_output=True)
    shutil.rmtree(folder, ignore_errors=True)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the load (default 10)")
    parser.add_argument("--seed", type=int, default=1, help="the random choices (texts, questions, timing)")
    parser.add_argument("--disk", choices=("tmpfs", "none"), default="tmpfs", help="see 'The disk' above")
    parser.add_argument("--disk-mb", type=int, default=512, help="the tmpfs's size (default 512)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs) at the end")
    parser.add_argument(
        "--leave-wedged",
        action="store_true",
        help="do not restart a Chroma server that answers no write after the disk fault (see docs/soak.md)",
    )
    args = parser.parse_args()
    if args.minutes <= 0:
        parser.error("--minutes must be positive")
    return args


async def soak(args: argparse.Namespace, workdir: Path, disk: Disk) -> int:
    run = Soak(args.minutes * 60, args.seed, workdir, disk, restart_wedged=not args.leave_wedged)
    print(f"work folder: {workdir}; data on {'a tmpfs' if disk.tmpfs else 'the real disk'} at {disk.root}")
    try:
        try:
            await asyncio.to_thread(run.set_up)
            await run.follow_all()
        except Exception as exc:
            print(f"set-up failed: {exc}", file=sys.stderr)
            return 2
        print(f"set up; the load runs for {args.minutes:g} min, then the drain", flush=True)
        await run.load()
        stored, fresh = run.store.final()
        if not fresh:
            print("the store could not be read at the end: counted what the soak's reads saw before")
    finally:
        run.stop()  # bounded: SIGTERM, then SIGKILL after 60 s
    print("\n".join(summary(run, stored, args)))
    return 1 if failed(run, stored) else 0


def main() -> int:
    args = parse()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stopped like Ctrl-C: the parts stopped too
    if args.disk == "tmpfs" and IN_NAMESPACE not in os.environ:
        if can_unshare():
            enter_namespace()
        print("user namespaces are not available here: the data stays on the real disk, no disk fault")
        args.disk = "none"
    workdir = Path(tempfile.mkdtemp(prefix="newsbot-soak-"))
    mounted = mount_tmpfs(args.disk_mb) if args.disk == "tmpfs" else None
    disk = Disk(mounted, tmpfs=True) if mounted else Disk(workdir / "data", tmpfs=False)
    disk.root.mkdir(exist_ok=True)
    status = 2
    try:
        status = asyncio.run(soak(args, workdir, disk))
    finally:
        if mounted is not None:
            unmount(mounted)
        if status == 0 and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"logs kept in {workdir}")
    return status


if __name__ == "__main__":
    sys.exit(main())
