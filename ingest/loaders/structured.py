"""JSON Lines, JSON and CSV files: many articles per file, one per record.

A record's fields are found by name (:mod:`.fields`). Records without an id or URL are numbered:
``path#N`` with ``N`` counted from 1. Each record's ``origin`` says where it sits: ``path:LINE`` in
JSON Lines and CSV (the line the record starts on), ``path[INDEX]`` in a JSON list (from 0, as a JSON
path would say).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from retrieval.records import LoadResult, Problem

from .article import ArticleLimits, add_article
from .fields import TEXT_FIELDS, raw_article_from_record

__all__ = ["load_csv", "load_json", "load_jsonl"]

# Keys under which a JSON object may hold the list of articles.
_LIST_KEYS = ("articles", "items", "records", "documents", "news", "data")
_CSV_DELIMITERS = ",;\t|"
_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}

# Article texts are long; the csv module's default limit on a field (128 KiB) would refuse some.
csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024 * 1024))


def load_jsonl(content: str, where: str, limits: ArticleLimits) -> LoadResult:
    """One JSON object per line; blank lines are allowed, broken lines are reported and skipped."""
    result = LoadResult()
    number = 0
    for line_no, line in enumerate(content.split("\n"), start=1):
        if not line.strip():
            continue
        number += 1
        origin = f"{where}:{line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            result.skipped.append(Problem(origin, f"invalid json: {_describe(exc)}"))
            continue
        _add_record(result, record, limits, origin=origin, fallback_id=f"{where}#{number}")
    return result


def load_json(content: str, where: str, limits: ArticleLimits) -> LoadResult:
    """A list of objects, one object, or an object holding the list (``{"articles": [...]}``)."""
    result = LoadResult()
    try:
        document = json.loads(content)
    except json.JSONDecodeError as exc:
        result.skipped.append(Problem(f"{where}:{exc.lineno}", f"invalid json: {_describe(exc)}"))
        return result
    if isinstance(document, dict):
        document = next(
            (document[key] for key in _LIST_KEYS if isinstance(document.get(key), list)), document
        )
    if isinstance(document, dict):
        _add_record(result, document, limits, origin=where, fallback_id=where)
    elif isinstance(document, list):
        for index, record in enumerate(document):
            _add_record(
                result, record, limits, origin=f"{where}[{index}]", fallback_id=f"{where}#{index + 1}"
            )
    else:
        result.skipped.append(Problem(where, f"expected an object or a list, got {_json_type(document)}"))
    return result


def load_csv(content: str, where: str, limits: ArticleLimits) -> LoadResult:
    """A header row naming the fields, then one article per row."""
    result = LoadResult()
    rows = _csv_rows(content, where, result)
    header_row = next(rows, None)
    if header_row is None:
        result.skipped.append(Problem(where, "empty file"))
        return result
    header = [name.strip() for name in header_row[1]]
    if not {name.lower() for name in header} & set(TEXT_FIELDS):
        result.skipped.append(Problem(where, f"no text column (expected one of: {', '.join(TEXT_FIELDS)})"))
        return result
    for number, (line_no, row) in enumerate(rows, start=1):
        origin = f"{where}:{line_no}"
        if len(row) != len(header):
            result.skipped.append(Problem(origin, f"{len(row)} fields where the header has {len(header)}"))
            continue
        record = dict(zip(header, row, strict=True))
        _add_record(result, record, limits, origin=origin, fallback_id=f"{where}#{number}")
    return result


def _csv_rows(content: str, where: str, result: LoadResult) -> Iterator[tuple[int, list[str]]]:
    """Non-blank rows with the line each starts on; malformed rows are reported and left out."""
    first_line = content.lstrip().split("\n", 1)[0]
    delimiter = max(_CSV_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    end = 0
    while True:
        start = end + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            result.skipped.append(Problem(f"{where}:{start}", f"malformed csv: {exc}"))
            continue
        end = reader.line_num
        if any(cell.strip() for cell in row):
            yield start, row


def _add_record(
    result: LoadResult, record: object, limits: ArticleLimits, *, origin: str, fallback_id: str
) -> None:
    if not isinstance(record, dict):
        result.skipped.append(Problem(origin, f"record is {_json_type(record)}, not an object"))
        return
    add_article(result, raw_article_from_record(record), limits, origin=origin, fallback_id=fallback_id)


def _describe(exc: json.JSONDecodeError) -> str:
    return f"{exc.msg[:1].lower()}{exc.msg[1:]} at column {exc.colno}"


def _json_type(value: object) -> str:
    return _JSON_TYPES.get(type(value), "a number")
