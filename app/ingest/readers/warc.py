"""Web archives (WARC, WARC.gz): each HTML ``response`` record → one article via the HTML reader."""
from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from app.ingest.readers.common import Item
from app.ingest.readers.dates import parse_date
from app.ingest.readers.html import read_html
from app.ingest.record import ArticleRecord, Rejected

_HTML_TYPES = ("text/html", "application/xhtml+xml")
# A page bigger than this is not an article; do not hold it in memory.
MAX_PAGE_BYTES = 20 * 1024 * 1024


def looks_like_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/")


def read_warc(stream: IO[bytes], origin: str) -> Iterator[Item]:
    found = False
    try:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response" or not _is_html(record):
                continue
            found = True
            yield _page(record, origin)
    except ArchiveLoadFailed as exc:
        yield Rejected(origin, f"not a readable WARC file ({exc})")
        return
    if not found:
        yield Rejected(origin, "no HTML responses in the web archive")


def _is_html(record) -> bool:
    if record.http_headers is None:
        return False
    content_type = (record.http_headers.get_header("Content-Type") or "").lower()
    return content_type.split(";")[0].strip() in _HTML_TYPES


def _page(record, origin: str) -> Item:
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{origin}#{record.rec_headers.get_header('WARC-Record-ID')}"
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(data) > MAX_PAGE_BYTES:
        return Rejected(uri, f"page larger than {MAX_PAGE_BYTES // (1024 * 1024)} MB")
    charset = _charset(record.http_headers.get_header("Content-Type") or "")
    item = read_html(data, uri, url=uri, charset=charset)
    if isinstance(item, ArticleRecord):
        item.url = uri
        item.captured_at = parse_date(record.rec_headers.get_header("WARC-Date"))
        item.format = "warc"
    return item


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip("\"'") or None
    return None
