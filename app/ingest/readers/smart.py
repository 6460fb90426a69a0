"""SMART-format test collections (Cornell's SMART system: TIME, CACM, MED...): records that start
with a ``*TEXT 017 01/04/63 PAGE 020`` line, one article each; queries (``*FIND 1``) and other
records are not articles and are skipped. The text has no title: one is derived."""
from __future__ import annotations

import re
from collections.abc import Iterator

from app.ingest.readers.common import DecodeError, Item, decode_bytes, reject_or_record
from app.ingest.readers.dates import parse_date
from app.ingest.record import ArticleRecord, Rejected

_MARKER = re.compile(r"^\*([A-Z]+)[ \t]*(\d*)(.*)$", re.MULTILINE)
_DATE = re.compile(r"\b(\d{1,2})/(\d{1,2})/(\d{2})\b")


def looks_like_smart(head: bytes) -> bool:
    """The file starts with a ``*TEXT n`` or ``*FIND n`` record marker."""
    return re.match(rb"\s*\*(TEXT|FIND)[ \t]+\d+", head) is not None


def read_smart(data: bytes, origin: str) -> Iterator[Item]:
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield Rejected(origin, exc.reason)
        return
    markers = list(_MARKER.finditer(text))
    kinds = {m.group(1) for m in markers}
    if "TEXT" not in kinds:
        found = ", ".join(f"*{kind}" for kind in sorted(kinds)) or "no"
        yield Rejected(origin, f"skipped: SMART {found} records (queries or judgements), not articles", skipped=True)
        return
    for marker, following in zip(markers, markers[1:] + [None]):
        if marker.group(1) != "TEXT":
            continue
        body = text[marker.end(): following.start() if following else len(text)]
        yield _article(marker, " ".join(body.split()), origin)


def _article(marker: re.Match, body: str, origin: str) -> Item:
    date = _DATE.search(marker.group(3))
    published = None
    if date:
        month, day, year = date.groups()
        published = parse_date(f"19{year}-{int(month):02d}-{int(day):02d}")
    record = ArticleRecord(
        title="",
        body=body,
        original_text=f"{marker.group(0)}\n\n{body}",
        origin=f"{origin}#TEXT{marker.group(2)}",
        published_at=published,
        published_how="metadata" if published else "unknown",
        format="smart",
    )
    return reject_or_record(record)
