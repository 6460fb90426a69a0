"""Readers: bytes or a stream of one file in, ``ArticleRecord`` / ``Rejected`` out (pure).

``detect_format`` picks a reader from the file name and its first bytes; ``read_file`` runs it.
Containers (zip, tar, gzip) and URLs are walked by ``app.ingest.sources``.
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO

from app.ingest.readers.common import MAX_FILE_BYTES, MAX_HTML_BYTES, MAX_RECORD_BYTES, Item, too_big
from app.ingest.readers.feed import looks_like_feed, read_feed
from app.ingest.readers.html import read_html
from app.ingest.readers.markdown import read_markdown
from app.ingest.readers.reuters import looks_like_reuters, read_reuters
from app.ingest.readers.smart import looks_like_smart, read_smart
from app.ingest.readers.tabular import read_csv, read_json_stream, read_jsonl
from app.ingest.readers.text import read_text
from app.ingest.readers.warc import looks_like_warc, read_warc

__all__ = ["FORMATS", "Item", "detect_format", "format_of_name", "is_url_list", "read_bytes", "read_file", "sniff_format",
           "size_limit"]

FORMATS = ("text", "markdown", "html", "json", "jsonl", "csv", "rss", "warc", "reuters", "smart", "urls")

_EXTENSIONS = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html", ".json": "json",
    ".jsonl": "jsonl", ".ndjson": "jsonl", ".csv": "csv", ".tsv": "csv",
    ".rss": "rss", ".atom": "rss", ".warc": "warc", ".arc": "warc",
    ".sgm": "reuters", ".sgml": "reuters", ".urls": "urls",
}
# Readers that take the stream and read it record by record; the others take the bytes.
_STREAMED = {"jsonl", "csv", "warc", "json"}
# Readers that parse a whole file of many articles; the others hold one article.
_WHOLE_FILE = {"rss", "reuters", "smart"}
_URL = re.compile(rb"^https?://\S+$")
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def detect_format(name: str, head: bytes) -> str:
    """The reader for a file: its extension when we know it, else its first bytes."""
    fmt = format_of_name(name)
    if fmt == "text" and is_url_list(head):
        return "urls"
    return fmt or sniff_format(head)


def format_of_name(name: str) -> str | None:
    """The format a file's extension names (None when it names none), without reading it."""
    lowered = name.lower()
    if lowered.endswith((".warc.gz", ".arc.gz")):
        return "warc"
    for extension, fmt in _EXTENSIONS.items():
        if lowered.endswith(extension):
            return fmt
    return None


def sniff_format(head: bytes) -> str:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:2048]
    if looks_like_warc(start):
        return "warc"
    if looks_like_reuters(start):
        return "reuters"
    if looks_like_smart(start):
        return "smart"
    if start.startswith(b"<?xml") or start.startswith(b"<rss") or start.startswith(b"<feed"):
        if looks_like_feed(start):
            return "rss"
    if _HTML_START.match(start):
        return "html"
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        first_line = start.split(b"\n", 1)
        return "jsonl" if len(first_line) > 1 and first_line[1].lstrip().startswith(b"{") else "json"
    if is_url_list(head):
        return "urls"
    return "text"


def is_url_list(head: bytes) -> bool:
    """Every non-empty line (of the first few KB) is an http(s) URL."""
    lines = [line.strip() for line in head[:8192].splitlines()]
    if len(head) > 8192 and lines:
        lines = lines[:-1]  # the last line may be cut
    lines = [line for line in lines if line]
    return bool(lines) and all(_URL.match(line) for line in lines)


def read_file(stream: IO[bytes], origin: str, fmt: str, mapping: dict[str, str] | None = None) -> Iterator[Item]:
    """Run the reader ``fmt`` over one file (not a container, not a URL list)."""
    if fmt in _STREAMED:
        if fmt == "warc":
            yield from read_warc(stream, origin)
        elif fmt == "csv":
            yield from read_csv(stream, origin, mapping)
        elif fmt == "json":
            yield from read_json_stream(stream, origin, mapping)
        else:
            yield from read_jsonl(stream, origin, mapping)
        return
    limit = size_limit(fmt)
    data = stream.read(limit + 1)
    if len(data) > limit:
        yield too_big(origin, fmt, limit)
        return
    yield from read_bytes(data, origin, fmt, mapping)


def size_limit(fmt: str) -> int:
    """The most a non-streamed reader reads of one file."""
    if fmt == "html":
        return MAX_HTML_BYTES
    return MAX_FILE_BYTES if fmt in _WHOLE_FILE else MAX_RECORD_BYTES


def read_bytes(data: bytes, origin: str, fmt: str, mapping: dict[str, str] | None = None) -> Iterator[Item]:
    """Run the reader ``fmt`` over bytes already in memory (a fetched page, a small file)."""
    if fmt in _STREAMED:
        yield from read_file(io.BytesIO(data), origin, fmt, mapping)
    elif fmt == "text":
        yield read_text(data, origin)
    elif fmt == "markdown":
        yield read_markdown(data, origin)
    elif fmt == "html":
        yield read_html(data, origin)
    elif fmt == "rss":
        yield from read_feed(data, origin)
    elif fmt == "reuters":
        yield from read_reuters(data, origin)
    elif fmt == "smart":
        yield from read_smart(data, origin)
    else:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
