"""Documents admins send for ingestion, on disk: checked before download, kept under ``<data dir>/uploads``.

Each upload gets its own folder, ``uploads/<UTC time>-<random>/``, kept ``NEWSBOT_UPLOADS_KEEP_DAYS``
days (:func:`prune_uploads`; 0: removed once ingested); an upload that fails is removed at once
(:func:`discard`). Uploads are private: folders 0700, files 0600. A single file is ingested as it is;
a ``.zip`` is kept as ``original.zip`` and its article files are extracted to ``files/`` beside it,
safely:

- no member may leave ``files/`` (absolute paths, ``..``, drive letters) and links are not extracted;
- only the types the loaders read are extracted, the rest are reported as skipped with the reason;
- a member that clashes with another (a file and a folder of the same name, a name given twice) is
  reported as skipped; the first one stays;
- a member that cannot be read (damaged data, a bad checksum, a password) refuses the whole zip, naming
  the member and what is wrong; nothing half-extracted stays;
- at most ``MAX_ZIP_FILES`` files and ``max_bytes`` uncompressed bytes, counted while reading (a zip's
  own size claims are not trusted).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from ingest.loaders import SUPPORTED_SUFFIXES
from retrieval.records import Problem
from retrieval.settings import make_private_dir

ZIP = ".zip"
ACCEPTED_SUFFIXES = frozenset(SUPPORTED_SUFFIXES | {ZIP})
MAX_ZIP_FILES = 10_000
ZIP_EXPANSION = 10  # a zip may hold up to this many times the upload limit once extracted
_READ = 1 << 16
_UNSAFE = re.compile(r"[^\w.\- ]+")
_STAMP = "%Y%m%dT%H%M%SZ"
_FOLDER = re.compile(r"^(\d{8}T\d{6}Z)-[0-9a-f]{6}$")
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


class UploadError(ValueError):
    """The document cannot be taken; the message is meant for the admin who sent it."""


@dataclass(slots=True)
class Unpacked:
    """Where the articles of an upload are (to ingest) and what was left out of a zip, with why."""

    path: Path
    skipped: list[Problem] = field(default_factory=list)


def safe_file_name(name: str | None) -> str:
    """The last path component of ``name`` with anything odd replaced, never empty or hidden."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned or "document"


def check_document(file_name: str | None, size: int | None, max_bytes: int) -> str:
    """The document's type (its suffix), or UploadError; runs before anything is downloaded."""
    suffix = PurePosixPath(safe_file_name(file_name)).suffix.lower()
    if suffix not in ACCEPTED_SUFFIXES:
        accepted = " ".join(sorted(ACCEPTED_SUFFIXES))
        raise UploadError(f"I can ingest {accepted} files; «{file_name or 'this file'}» is not one of them.")
    if size is None:
        raise UploadError("Telegram did not say how big this file is; send it again, please.")
    if size > max_bytes:
        raise UploadError(
            f"«{file_name}» is {size / 2**20:.1f} MB; the limit is {max_bytes / 2**20:.0f} MB "
            "(NEWSBOT_MAX_UPLOAD_MB)."
        )
    return suffix


def private_uploads(uploads: Path) -> Path:
    """``uploads`` as a folder only its owner can read (created, or tightened if made wider before)."""
    return make_private_dir(uploads, tighten=True)


def new_upload_folder(uploads: Path, now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime(_STAMP)
    folder = private_uploads(uploads) / f"{stamp}-{secrets.token_hex(3)}"
    folder.mkdir(mode=PRIVATE_FOLDER, exist_ok=False)
    return folder


def make_private(path: Path) -> None:
    """Only the owner may read ``path`` (a downloaded document)."""
    path.chmod(PRIVATE_FILE)


def discard(folder: Path) -> None:
    """Remove an upload's folder: it failed, or it is not to be kept."""
    shutil.rmtree(folder, ignore_errors=True)


def prune_uploads(uploads: Path, keep_days: int, now: datetime | None = None) -> list[Path]:
    """Remove the upload folders older than ``keep_days`` days (0: all of them); return those removed.

    Only folders named as :func:`new_upload_folder` names them are touched; anything else is left alone.
    """
    if not uploads.is_dir():
        return []
    private_uploads(uploads)
    cutoff = (now or datetime.now(UTC)) - timedelta(days=keep_days)
    removed = []
    for folder in sorted(uploads.iterdir()):
        match = _FOLDER.match(folder.name)
        if match is None or not folder.is_dir():
            continue
        made = datetime.strptime(match.group(1), _STAMP).replace(tzinfo=UTC)
        if keep_days == 0 or made < cutoff:
            discard(folder)
            removed.append(folder)
    return removed


def download_path(folder: Path, file_name: str | None) -> Path:
    """Where to save the document in its folder (a zip under a fixed name, so it is never ingested)."""
    name = safe_file_name(file_name)
    return folder / ("original.zip" if name.lower().endswith(ZIP) else name)


def unpack(saved: Path, max_bytes: int) -> Unpacked:
    """What to ingest for a saved upload: the file itself, or the folder a zip was extracted to."""
    if saved.suffix.lower() != ZIP:
        return Unpacked(saved)
    target = saved.parent / "files"
    target.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    try:
        with zipfile.ZipFile(saved) as zipped:
            skipped = _extract(zipped, target, max_bytes * ZIP_EXPANSION, saved.name)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, UploadError) as exc:
        shutil.rmtree(target, ignore_errors=True)  # nothing half-extracted is left to ingest later
        if isinstance(exc, UploadError):
            raise
        # a damaged file, an unsupported compression method, a password-protected member
        raise UploadError(f"This is not a readable zip file: {exc}") from exc
    return Unpacked(target, skipped)


def _member_path(info: zipfile.ZipInfo) -> PurePosixPath | None:
    """The member's relative path, or None when it would escape the folder."""
    name = info.filename.replace("\\", "/")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name) or not path.parts:
        return None
    return path


def _why_not(info: zipfile.ZipInfo, path: PurePosixPath | None) -> str | None:
    if path is None:
        return "unsafe path (absolute or with ..), not extracted"
    if stat.S_ISLNK(info.external_attr >> 16):
        return "a link, not extracted"
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        return f"unsupported file type {path.suffix or '(none)'}"
    return None


def _extract(zipped: zipfile.ZipFile, target: Path, max_total: int, label: str) -> list[Problem]:
    skipped: list[Problem] = []
    files = written = 0
    for info in zipped.infolist():
        if info.is_dir():
            continue
        path = _member_path(info)
        if path is not None and any(p.startswith(".") or p == "__MACOSX" for p in path.parts):
            continue  # hidden files and macOS resource forks are not articles
        where = f"{label}:{info.filename}"
        reason = _why_not(info, path)
        if reason is not None:
            skipped.append(Problem(where, reason))
            continue
        assert path is not None
        files += 1
        if files > MAX_ZIP_FILES:
            raise UploadError(f"The zip holds more than {MAX_ZIP_FILES} article files; split it, please.")
        dest = target.joinpath(*path.parts)
        clash = _clash(target, path)
        if clash is not None:
            skipped.append(Problem(where, clash))
            continue
        if not dest.resolve().is_relative_to(target.resolve()):
            skipped.append(Problem(where, "unsafe path, not extracted"))
            continue
        _make_folders(target, path.parent)
        try:
            written = _copy(zipped, info, dest, written, max_total)
        except (zlib.error, zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
            raise UploadError(
                f"Cannot read «{info.filename}» in the zip: {_unreadable(exc)}. Nothing was ingested; "
                "send a sound zip, please."
            ) from exc
    return skipped


def _clash(target: Path, path: PurePosixPath) -> str | None:
    """Why ``path`` cannot be extracted beside what already was, or None."""
    for depth in range(1, len(path.parts)):
        folder = PurePosixPath(*path.parts[:depth])
        if target.joinpath(*folder.parts).is_file():
            return f"clashes with the file «{folder}» of the same name as its folder, not extracted"
    dest = target.joinpath(*path.parts)
    if dest.is_dir():
        return "clashes with a folder of the same name, not extracted"
    if dest.exists():
        return "its name appears twice in the zip; the first one was extracted"
    return None


def _make_folders(target: Path, folder: PurePosixPath) -> None:
    here = target
    for part in folder.parts:
        here = here / part
        here.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)


def _unreadable(exc: BaseException) -> str:
    if isinstance(exc, zlib.error):
        return f"its compressed data is damaged ({exc})"
    if isinstance(exc, EOFError):
        return "its data ends early (the zip is cut short)"
    if isinstance(exc, zipfile.BadZipFile):
        return f"it is damaged ({exc})"
    return str(exc)  # an unsupported compression method, a password


def _private_new_file(path: Path) -> BinaryIO:
    """``path`` created for writing, readable by its owner only (and never an existing file)."""
    return os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE), "wb")


def _copy(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, written: int, max_total: int) -> int:
    with zipped.open(info) as source, _private_new_file(dest) as out:
        while block := source.read(_READ):
            written += len(block)
            if written > max_total:
                raise UploadError(
                    f"The zip unpacks to more than {max_total / 2**20:.0f} MB; split it, please."
                )
            out.write(block)
    return written
