"""Documents admins send for ingestion: checked before download, kept under ``<data dir>/uploads``.

Each upload gets its own folder, ``uploads/<UTC time>-<random>/``, kept for good (a later re-ingestion
or audit can find it). A single file is ingested as it is; a ``.zip`` is kept as ``original.zip`` and
its article files are extracted to ``files/`` beside it, safely:

- no member may leave ``files/`` (absolute paths, ``..``, drive letters) and links are not extracted;
- only the types the loaders read are extracted, the rest are reported as skipped with the reason;
- at most ``MAX_ZIP_FILES`` files and ``max_bytes`` uncompressed bytes, counted while reading (a zip's
  own size claims are not trusted).
"""

from __future__ import annotations

import re
import secrets
import shutil
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from ingest.loaders import SUPPORTED_SUFFIXES
from retrieval.records import Problem

ZIP = ".zip"
ACCEPTED_SUFFIXES = frozenset(SUPPORTED_SUFFIXES | {ZIP})
MAX_ZIP_FILES = 10_000
ZIP_EXPANSION = 10  # a zip may hold up to this many times the upload limit once extracted
_READ = 1 << 16
_UNSAFE = re.compile(r"[^\w.\- ]+")


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


def new_upload_folder(uploads: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    folder = uploads / f"{stamp}-{secrets.token_hex(3)}"
    folder.mkdir(parents=True, exist_ok=False)
    return folder


def download_path(folder: Path, file_name: str | None) -> Path:
    """Where to save the document in its folder (a zip under a fixed name, so it is never ingested)."""
    name = safe_file_name(file_name)
    return folder / ("original.zip" if name.lower().endswith(ZIP) else name)


def unpack(saved: Path, max_bytes: int) -> Unpacked:
    """What to ingest for a saved upload: the file itself, or the folder a zip was extracted to."""
    if saved.suffix.lower() != ZIP:
        return Unpacked(saved)
    target = saved.parent / "files"
    target.mkdir(exist_ok=True)
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
        if not dest.resolve().is_relative_to(target.resolve()):
            skipped.append(Problem(where, "unsafe path, not extracted"))
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        written = _copy(zipped, info, dest, written, max_total)
    return skipped


def _copy(zipped: zipfile.ZipFile, info: zipfile.ZipInfo, dest: Path, written: int, max_total: int) -> int:
    with zipped.open(info) as source, dest.open("wb") as out:
        while block := source.read(_READ):
            written += len(block)
            if written > max_total:
                raise UploadError(
                    f"The zip unpacks to more than {max_total / 2**20:.0f} MB; split it, please."
                )
            out.write(block)
    return written
