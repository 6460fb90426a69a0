"""Web archives (WARC, WARC.gz): each HTML ``response`` record → one article via the HTML reader."""
from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from app.ingest.readers.common import MAX_FILE_BYTES, MAX_HTML_BYTES, MAX_RECORD_BYTES, Item, megabytes
from app.ingest.readers.dates import parse_date
from app.ingest.readers.html import read_html
from app.ingest.record import ArticleRecord, Rejected

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def looks_like_warc(head: bytes) -> bool:
    return head.startswith(b"WARC/")


def read_warc(stream: IO[bytes], origin: str) -> Iterator[Item]:
    found = False
    try:
        for record in ArchiveIterator(io.BufferedReader(_LineCapped(stream, MAX_FILE_BYTES))):
            if record.rec_type != "response" or not _is_html(record):
                continue
            found = True
            item = _page(record, origin)
            if isinstance(item, Rejected):  # a page is known by its URI, but a rejection names the file
                item = Rejected(f"{origin}#{item.origin}", item.reason, item.skipped)
            yield item
    except ArchiveLoadFailed as exc:
        yield Rejected(origin, f"not a readable WARC file ({exc})")
        return
    except (AttributeError, TypeError, ValueError) as exc:  # warcio's own bugs on damaged headers
        yield Rejected(origin, f"damaged WARC record headers ({type(exc).__name__}: {exc})")
        return
    except _LineTooLong:
        yield Rejected(origin, f"a line longer than the {megabytes(MAX_FILE_BYTES)} limit: not a WARC file we can read")
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
    if record.length is None:
        return Rejected(uri, "record without a Content-Length")
    if record.length > MAX_RECORD_BYTES:  # skipped by warcio in chunks, never held
        return Rejected(uri, f"record of {record.length:,} bytes, over the {megabytes(MAX_RECORD_BYTES)} limit")
    data = record.content_stream().read(MAX_HTML_BYTES + 1)
    if len(data) > MAX_HTML_BYTES:
        return Rejected(uri, f"page larger than the {megabytes(MAX_HTML_BYTES)} limit of the HTML reader")
    if record.raw_stream.limit > 0:  # the file ended before the Content-Length it declared
        return Rejected(uri, f"truncated record: {record.length:,} bytes declared, the file ends"
                             f" {record.raw_stream.limit:,} bytes short")
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


class _LineTooLong(Exception):
    pass


class _LineCapped(io.RawIOBase):
    """A stream that fails on a run of more than ``limit`` bytes without a newline: warcio reads
    header lines whole, and a 1 GB "header line" would be held whole. Payloads are not lines, but
    real ones (HTML, images, video) have a newline every few hundred bytes."""

    def __init__(self, stream: IO[bytes], limit: int):
        self._stream, self._limit, self._run = stream, limit, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._stream.read(len(buffer))
        last = data.rfind(b"\n")
        self._run = len(data) - last - 1 if last >= 0 else self._run + len(data)
        if self._run > self._limit:
            raise _LineTooLong
        buffer[: len(data)] = data
        return len(data)
