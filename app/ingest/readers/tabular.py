"""Records in JSON, JSON Lines and CSV: one article per object or row.

JSON Lines and CSV are read as streams, one line or row at a time, so a 90 MB file costs
the memory of one record. So is a JSON file whose top level is an array of articles (the
usual export), item by item with ijson, whatever its size; any other JSON (an object holding a
list, one article) is parsed whole, up to MAX_FILE_BYTES. A bad record is rejected with its
line, row or item number and the rest go on; so is a line, row or item over MAX_RECORD_BYTES,
which is read past without being held (an array item that big ends the array: JSON cannot be
resumed mid-array).
"""
from __future__ import annotations

import csv
import io
import itertools
import json
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import urlsplit

import ijson
from ijson.common import ObjectBuilder

from app.ingest.notarticle import record_reason
from app.ingest.readers.common import (MAX_FILE_BYTES, MAX_RECORD_BYTES, DecodeError, Item, Prefixed, bounded_lines,
                                       decode_bytes, megabytes, reject_or_record)
from app.ingest.readers.dates import parse_date
from app.ingest.record import ArticleRecord, Rejected

# Our field → the column names sources usually give it, matched case-insensitively.
FIELDS: dict[str, tuple[str, ...]] = {
    "title": ("title",),
    "body": ("text", "body", "content", "article", "full_text", "story"),
    "lead": ("heading", "lead", "headline", "description", "summary", "standfirst"),
    "url": ("url", "link", "canonical_url", "href"),
    "date": ("date", "published", "published_at", "pubdate", "publication_date", "datetime"),
    "source": ("source", "site", "site_name", "publisher"),
    "author": ("author", "authors", "byline"),
    "language": ("lang", "language"),
    "section": ("category", "section"),
}
# Other names users may give our fields in a mapping.
_FIELD_ALIASES = {"text": "body", "published": "date", "published_at": "date", "lang": "language",
                  "heading": "lead", "headline": "lead", "description": "lead", "link": "url",
                  "category": "section"}
# Where a JSON object keeps its list of articles, tried first, before any list of objects.
_LIST_KEYS = ("articles", "items", "records", "data", "results", "docs", "entries", "posts")
_JSON_PEEK = 64 * 1024  # enough to see a JSON file's first character and whether it is UTF-8
_END = object()
_TOO_DEEP = "JSON nested too deeply to be an article"
MAX_JSON_DEPTH = 64  # levels of objects and arrays in one article (real ones have 2 or 3)


def normalise_mapping(mapping: dict[str, str] | None) -> dict[str, str]:
    """``{our_field: their_column}`` with our field names checked (``ValueError`` if unknown)."""
    result = {}
    for ours, theirs in (mapping or {}).items():
        field = _FIELD_ALIASES.get(ours.lower(), ours.lower())
        if field not in FIELDS:
            raise ValueError(f"unknown field {ours!r} in mapping; known: {', '.join(FIELDS)}")
        result[field] = theirs
    return result


def read_jsonl(stream: IO[bytes], origin: str, mapping: dict[str, str] | None = None) -> Iterator[Item]:
    columns = normalise_mapping(mapping)
    empty = True
    for number, raw in enumerate(bounded_lines(stream), 1):
        where = f"{origin}:{number}"
        if raw is None:
            yield Rejected(where, f"line longer than the {megabytes(MAX_RECORD_BYTES)} limit")
            continue
        if not raw.strip():
            continue
        empty = False
        try:
            line = _decode_line(raw)
            value = json.loads(line)
        except DecodeError as exc:
            yield Rejected(where, exc.reason)
            continue
        except json.JSONDecodeError as exc:
            yield Rejected(where, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            yield Rejected(where, _TOO_DEEP)
            continue
        if not isinstance(value, dict):
            yield Rejected(where, "line is not a JSON object")
            continue
        yield _json_item(value, where, columns, "jsonl", line)
    if empty:
        yield Rejected(origin, "empty file")


def read_json_stream(stream: IO[bytes], origin: str, mapping: dict[str, str] | None = None) -> Iterator[Item]:
    """A JSON file: streamed when it is an array (of articles), else read whole (``read_json``)."""
    columns = normalise_mapping(mapping)
    head = stream.read(_JSON_PEEK)
    text = head.removeprefix(b"\xef\xbb\xbf")
    if text.lstrip(b" \t\r\n")[:1] == b"[" and _is_utf8(text):
        yield from _json_array(Prefixed(text, stream), origin, columns)
        return
    data = head + stream.read(MAX_FILE_BYTES + 1 - len(head))
    if len(data) > MAX_FILE_BYTES:
        yield Rejected(origin, f"JSON larger than {megabytes(MAX_FILE_BYTES)} whose top level is not a list"
                               " of articles: make it one, or JSON Lines")
        return
    yield from read_json(data, origin, mapping)


def _json_array(stream: IO[bytes], origin: str, columns: dict[str, str]) -> Iterator[Item]:
    metered = _Metered(stream, MAX_RECORD_BYTES)
    items = _array_items(metered)
    number = 0
    while True:
        try:
            item = next(items, _END)
        except _ItemTooBig:
            yield Rejected(f"{origin}#{number + 1}", f"item larger than the {megabytes(MAX_RECORD_BYTES)} limit"
                                                     " (the rest of the array is not read)")
            return
        except _ItemTooDeep:
            yield Rejected(f"{origin}#{number + 1}", f"{_TOO_DEEP} (more than {MAX_JSON_DEPTH} levels; the rest of"
                                                     " the array is not read)")
            return
        except (ijson.JSONError, UnicodeDecodeError) as exc:
            yield Rejected(f"{origin}#{number + 1}", f"invalid JSON after {number} items: {exc}")
            return
        if item is _END:
            return
        number += 1
        metered.mark()
        yield _json_item(item, f"{origin}#{number}", columns)


class _ItemTooBig(Exception):
    pass


class _ItemTooDeep(Exception):
    pass


def _array_items(stream: IO[bytes]) -> Iterator[Any]:
    """The items of a top-level JSON array, built from ijson's basic events with a depth limit:
    ``ijson.items`` keeps a prefix string per level, so 50,000 nested "[" (50 KB) cost it >2 GB."""
    events = ijson.basic_parse(stream, use_float=True)
    next(events, None)  # the array's start (the caller saw the "[")
    builder, depth = None, 0
    for event, value in events:
        if builder is None:
            if event == "end_array":
                return
            builder = ObjectBuilder()
        if event in ("start_map", "start_array"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise _ItemTooDeep
        elif event in ("end_map", "end_array"):
            depth -= 1
        builder.event(event, value)
        if depth == 0:
            yield builder.value
            builder = None


class _Metered:
    """A stream that refuses to give more than ``limit`` bytes since the last ``mark()`` (the end
    of an item): ijson would otherwise build a 1 GB string before handing the item over."""

    def __init__(self, stream: IO[bytes], limit: int):
        self._stream = stream
        self._limit = limit
        self._read = self._marked = 0

    def mark(self) -> None:
        self._marked = self._read

    def read(self, size: int = -1) -> bytes:
        if self._read - self._marked > self._limit:
            raise _ItemTooBig
        if size == 0:
            return b""  # ijson's probe of what the stream gives (bytes or str)
        data = self._stream.read(size if size > 0 else 64 * 1024)
        self._read += len(data)
        return data


def _json_item(item: Any, where: str, columns: dict[str, str], fmt: str = "json", text: str | None = None) -> Item:
    if not isinstance(item, dict):
        return Rejected(where, "item is not a JSON object")
    try:
        return record_from_fields(item, where, fmt, columns, _dump(item) if text is None else text)
    except RecursionError:  # fields nested thousands deep ([[[[...]]]]): not an article
        return Rejected(where, _TOO_DEEP)


def _is_utf8(head: bytes) -> bool:
    """``head`` (the start of a file) is UTF-8, but for a character cut at its end."""
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3 and exc.reason == "unexpected end of data"
    return True


def read_json(data: bytes, origin: str, mapping: dict[str, str] | None = None) -> Iterator[Item]:
    columns = normalise_mapping(mapping)
    try:
        value = json.loads(decode_bytes(data))
    except DecodeError as exc:
        yield Rejected(origin, exc.reason)
        return
    except json.JSONDecodeError as exc:
        yield Rejected(origin, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})")
        return
    except RecursionError:
        yield Rejected(origin, _TOO_DEEP)
        return
    items = _json_items(value)
    if items is None:
        if isinstance(value, dict):
            yield record_from_fields(value, origin, "json", columns, _dump(value))
        else:
            yield Rejected(origin, "JSON is neither an article, a list of articles, nor an object with one")
        return
    for number, item in enumerate(items, 1):
        yield _json_item(item, f"{origin}#{number}", columns)


def read_csv(stream: IO[bytes], origin: str, mapping: dict[str, str] | None = None) -> Iterator[Item]:
    """Rows are numbered as a spreadsheet shows them: the header is row 1."""
    columns = normalise_mapping(mapping)
    csv.field_size_limit(MAX_RECORD_BYTES)  # our row limit (_Lines) is the one that applies
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="surrogateescape", newline="")
    lines = _Lines(text, MAX_RECORD_BYTES)
    try:
        first = next(lines.each(), "")
    except _RowTooBig:
        yield Rejected(origin, f"header line longer than the {megabytes(MAX_RECORD_BYTES)} limit")
        return
    if not first.strip():
        yield Rejected(origin, "empty file")
        return
    delimiter = max(",;\t|", key=first.count)
    rows = _csv_rows(lines, first, delimiter)
    header = [_fix(name).strip() for name in next(rows)[0] or []]
    missing = _missing_columns(header, columns)
    if missing:
        yield Rejected(origin, missing)
        return
    found = False
    for number, (row, problem) in enumerate(rows, 2):
        where = f"{origin}:{number}"
        if problem:
            yield Rejected(where, problem)
            found = True
            continue
        if not any(cell.strip() for cell in row):
            continue
        found = True
        if len(row) != len(header):
            yield Rejected(where, f"row has {len(row)} fields, the header has {len(header)}")
            continue
        row = [_fix(cell) for cell in row]
        yield record_from_fields(dict(zip(header, row)), where, "csv", columns, _csv_text(header, row, delimiter))
    if not found:
        yield Rejected(origin, "no rows after the header")


class _RowTooBig(Exception):
    pass


class _Lines:
    """The lines of a text stream, each read with a cap, counting what the current row holds:
    a row over ``limit`` (one huge cell, or a quote never closed) raises ``_RowTooBig``."""

    def __init__(self, text: IO[str], limit: int):
        self.text, self.limit, self.used = text, limit, 0

    def each(self) -> Iterator[str]:
        while line := self.text.readline(self.limit + 1):
            self.used += len(line)
            if self.used > self.limit:
                while not line.endswith(("\n", "\r")) and (line := self.text.readline(1024 * 1024)):
                    pass  # read past the rest of the line without holding it
                raise _RowTooBig
            yield line


def _csv_rows(lines: _Lines, first: str, delimiter: str) -> Iterator[tuple[list[str] | None, str | None]]:
    """(row, None) per row, or (None, reason) for a row that is too big or unreadable; reading
    goes on at the next line with a new csv reader (a csv reader is dead after an error)."""
    source = itertools.chain([first], lines.each())
    while True:
        reader = csv.reader(source, delimiter=delimiter)
        try:
            for row in reader:
                lines.used = 0
                yield row, None
            return
        except _RowTooBig:
            yield None, f"row larger than the {megabytes(MAX_RECORD_BYTES)} limit"
        except csv.Error as exc:
            yield None, f"unreadable CSV row: {exc}"
        lines.used = 0
        source = lines.each()


def _host(url: str | None) -> str | None:
    """The site of an http(s) URL, for a row that names no source ("www.moroccoworldnews.com/..."
    -> "moroccoworldnews.com"), as the HTML reader falls back on the page's host."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.hostname.removeprefix("www.")


def record_from_fields(
    fields: dict[str, Any], origin: str, fmt: str, columns: dict[str, str], original_text: str
) -> Item:
    """One object or row → a record, with ``columns`` (a normalised mapping) taking precedence."""
    get = _getter(fields, columns)
    body, lead = get("body") or "", get("lead") or ""
    has_metadata = any(get(field) for field in ("url", "date", "source", "author", "section"))
    if reason := record_reason(get("title") or "", f"{lead}\n\n{body}".strip(), has_metadata):
        return Rejected(origin, reason, skipped=True)
    if lead and not body.startswith(lead):
        body = f"{lead}\n\n{body}" if body else lead
    published = parse_date(get("date"))
    section = get("section")
    record = ArticleRecord(
        title=get("title") or "",
        body=body,
        original_text=original_text,
        origin=origin,
        language=get("language"),
        source=get("source") or _host(get("url")),
        url=get("url"),
        author=get("author"),
        published_at=published,
        published_how="metadata" if published else "unknown",
        source_tags=[f"section:{section}"] if section else [],
        format=fmt,
    )
    return reject_or_record(record)


def _getter(fields: dict[str, Any], columns: dict[str, str]):
    by_lower = {str(k).lower(): k for k in fields}

    def get(field: str) -> str | None:
        names = (columns[field],) if field in columns else FIELDS[field]
        for name in names:
            key = by_lower.get(name.lower())
            if key is not None:
                value = _as_text(fields[key])
                if value:
                    return value
        return None

    return get


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dict):
        value = value.get("name") or value.get("title") or value.get("value")
        return _as_text(value)
    if isinstance(value, list):
        parts = [_as_text(v) for v in value]
        return ", ".join(p for p in parts if p) or None
    return str(value).strip() or None


def _missing_columns(header: list[str], columns: dict[str, str]) -> str | None:
    lower = {name.lower() for name in header}
    absent = [theirs for theirs in columns.values() if theirs.lower() not in lower]
    if absent:
        return f"mapped column(s) not in the header: {', '.join(absent)} (columns: {', '.join(header)})"
    wanted = set(FIELDS["title"] + FIELDS["body"] + FIELDS["lead"])
    if not (lower & wanted) and not ({"title", "body", "lead"} & set(columns)):
        return f"no title or text column (columns: {', '.join(header)}); give a mapping"
    return None


def _json_items(value: Any) -> list | None:
    if isinstance(value, list):
        return value
    if not isinstance(value, dict):
        return None
    for key in _LIST_KEYS:
        if isinstance(value.get(key), list):
            return value[key]
    lists = [v for v in value.values() if isinstance(v, list) and v and all(isinstance(i, dict) for i in v)]
    return lists[0] if len(lists) == 1 else None


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8").strip().lstrip("\ufeff")
    except UnicodeDecodeError:
        return decode_bytes(raw).strip()


def _fix(cell: str) -> str:
    """Bytes that were not UTF-8 (kept as surrogates) are read as Windows-1252, else Latin-1."""
    try:
        cell.encode("utf-8")
        return cell
    except UnicodeEncodeError:
        raw = cell.encode("utf-8", "surrogateescape")
        try:
            return raw.decode("cp1252")
        except UnicodeDecodeError:
            return raw.decode("latin-1")


def _csv_text(header: list[str], row: list[str], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    writer.writerow(row)
    return out.getvalue()


def _dump(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
