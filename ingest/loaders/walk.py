"""Paths to articles: walk folders, read and decode each file, hand it to the loader for its type.

Ids and origins are paths relative to the root that was ingested: the folder given, or a file's own
folder when a file is given. Whatever goes wrong with one file is reported in the result and the load
goes on; ids seen twice keep the first article.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from pathlib import Path

from retrieval.records import Article, LoadResult, Problem

from .article import DEFAULT_LIMITS, ArticleLimits
from .decoding import NotText, decode_bytes
from .html import load_html
from .structured import load_csv, load_json, load_jsonl
from .text import load_text

__all__ = ["SUPPORTED_SUFFIXES", "load_file", "load_paths"]

_Loader = Callable[[str, str, ArticleLimits], LoadResult]

_LOADERS: dict[str, _Loader] = {
    ".txt": load_text,
    ".md": lambda content, where, limits: load_text(content, where, limits, markdown=True),
    ".json": load_json,
    ".jsonl": load_jsonl,
    ".csv": load_csv,
    ".html": load_html,
    ".htm": load_html,
}
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_LOADERS)


def load_paths(paths: Sequence[str | Path], limits: ArticleLimits = DEFAULT_LIMITS) -> LoadResult:
    """The articles in ``paths`` (files, and folders searched recursively), in a stable order.

    Arguments are read in the order given, each folder's files sorted by relative path. Hidden files and
    folders (``.git``, ``.DS_Store``) inside a folder are passed over. ``limits`` default to the
    settings' defaults; the edges pass ``ArticleLimits.from_settings(settings)``.
    """
    result = LoadResult()
    for argument in paths:
        path = Path(argument)
        if path.is_dir():
            _extend(result, _load_folder(path, limits))
        elif path.exists():
            _extend(result, load_file(path, path.parent, limits))
        else:
            result.skipped.append(Problem(str(argument), "no such file or directory"))
    return _drop_duplicates(result)


def load_file(path: Path, root: Path, limits: ArticleLimits = DEFAULT_LIMITS) -> LoadResult:
    """The articles in one file; ids and origins are its path relative to ``root``."""
    where = path.relative_to(root).as_posix()
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        return _problem(where, f"unsupported file type {path.suffix or '(no suffix)'}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        return _problem(where, f"cannot read: {_os_reason(exc)}")
    if not data.strip():
        return _problem(where, "empty file")
    try:
        decoded = decode_bytes(data)
    except NotText as exc:
        return _problem(where, str(exc))
    if not decoded.text.strip():
        return _problem(where, "empty file")
    result = loader(decoded.text, where, limits)
    if decoded.warning is not None:
        result.warnings.insert(0, Problem(where, decoded.warning))
    if not result.articles and not result.skipped:
        result.skipped.append(Problem(where, "no articles in file"))
    return _drop_duplicates(result)


def _load_folder(root: Path, limits: ArticleLimits) -> LoadResult:
    result = LoadResult()
    for path in _files_under(root, result):
        _extend(result, load_file(path, root, limits))
    return result


def _files_under(root: Path, result: LoadResult) -> list[Path]:
    """Every file below ``root`` except hidden ones, sorted by relative path; unreadable folders reported."""

    def report(exc: OSError) -> None:
        where = Path(exc.filename).relative_to(root).as_posix() if exc.filename else str(root)
        result.skipped.append(Problem(where, f"cannot read folder: {_os_reason(exc)}"))

    found: list[Path] = []
    for folder, dirs, files in os.walk(root, onerror=report):
        dirs[:] = [name for name in dirs if not name.startswith(".")]
        found.extend(Path(folder, name) for name in files if not name.startswith("."))
    return sorted(found, key=lambda path: path.relative_to(root).parts)


def _drop_duplicates(result: LoadResult) -> LoadResult:
    """``result`` keeping the first article of each id; the later ones are reported with both places."""
    first_seen: dict[str, Article] = {}
    kept: list[Article] = []
    for article in result.articles:
        first = first_seen.setdefault(article.id, article)
        if first is article:
            kept.append(article)
        else:
            reason = f"duplicate id {article.id!r}, already loaded from {first.origin}"
            result.skipped.append(Problem(article.origin, reason))
    result.articles = kept
    return result


def _extend(result: LoadResult, more: LoadResult) -> None:
    result.articles.extend(more.articles)
    result.skipped.extend(more.skipped)
    result.warnings.extend(more.warnings)


def _problem(where: str, reason: str) -> LoadResult:
    return LoadResult(skipped=[Problem(where, reason)])


def _os_reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
