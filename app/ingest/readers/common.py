"""Small helpers shared by the readers."""
from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO

from app.ingest.decode import DecodeError, decode_bytes
from app.ingest.record import ArticleRecord, Rejected
from app.ingest.seedtext import derive_title

__all__ = ["Item", "DecodeError", "MAX_ARTICLE_CHARS", "MAX_FILE_BYTES", "MAX_HTML_BYTES", "MAX_RECORD_BYTES", "Prefixed", "bounded_lines",
           "megabytes", "too_big", "too_long", "decode_bytes", "derive_title", "clean_text", "reject_or_record"]

Item = ArticleRecord | Rejected
# The most a reader holds of one record: a one-article file (text, Markdown, HTML), a JSON Lines
# line, a CSV row, a JSON array item, a WARC record, a line of a URL list. Anything bigger is not
# an article, and is rejected before it is held, so memory stays bounded whatever the input.
MAX_RECORD_BYTES = 16 * 1024 * 1024
# An HTML page costs ~20x its size to parse (lxml's tree, then trafilatura's): half the limit.
MAX_HTML_BYTES = MAX_RECORD_BYTES // 2
# The readers that parse a whole file (feeds, Reuters SGML, JSON that is not an array) hold it.
MAX_FILE_BYTES = 32 * 1024 * 1024
# Cleaning, tagging and fingerprinting cost ~90 bytes of memory per character of text: an article
# longer than this (20x the longest in the corpora) is a book or a dump, not a news article.
MAX_ARTICLE_CHARS = 1_000_000


def megabytes(n: int) -> str:
    return f"{n // (1024 * 1024)} MB"


def too_big(origin: str, fmt: str, limit: int = MAX_RECORD_BYTES) -> Rejected:
    """The rejection of a file above what its reader may hold."""
    return Rejected(origin, f"file larger than the {megabytes(limit)} limit of the {fmt} reader")


def too_long(origin: str, chars: int) -> Rejected:
    return Rejected(origin, f"article text of {chars:,} characters, over the {MAX_ARTICLE_CHARS:,} limit")


def bounded_lines(stream: IO[bytes], limit: int = MAX_RECORD_BYTES) -> Iterator[bytes | None]:
    """Each line of ``stream``; None for a line longer than ``limit``, which is read past in
    chunks and never held (``for line in stream`` would hold a 1 GB line whole)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(1024 * 1024)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Collapse runs of spaces and blank lines; keep paragraph breaks."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def reject_or_record(record: ArticleRecord) -> Item:
    """Fill a missing title from the body (or the body from the title); reject empty ones."""
    if len(record.title or "") + len(record.body or "") > MAX_ARTICLE_CHARS:
        return too_long(record.origin, len(record.title or "") + len(record.body or ""))
    record.title = " ".join((record.title or "").split())
    record.body = clean_text(record.body or "")
    if not any(char.isalnum() for char in record.title + record.body):  # empty, or only punctuation
        return Rejected(record.origin, "no title and no text")
    if not record.title:
        record.title = derive_title(record.body)
        record.title_derived = True
    if not record.body:
        # A headline-only item (a wire brief, a listing row) is still searchable by its title.
        record.body = record.title
    return record


class Prefixed(io.RawIOBase):
    """``head`` followed by the rest of ``stream``: a peek for streams that cannot seek."""

    def __init__(self, head: bytes, stream: IO[bytes]):
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        # read1: one underlying read, so a truncated gzip fails after giving what it had.
        read = getattr(self._stream, "read1", self._stream.read)
        data = read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
