"""Small helpers shared by the readers."""
from __future__ import annotations

import io
import re
from typing import IO

from app.ingest.decode import DecodeError, decode_bytes
from app.ingest.record import ArticleRecord, Rejected
from app.ingest.seedtext import derive_title

__all__ = ["Item", "DecodeError", "MAX_FILE_BYTES", "Prefixed", "too_big", "decode_bytes", "derive_title", "clean_text",
           "reject_or_record"]

Item = ArticleRecord | Rejected
# One-file readers hold the file in memory; anything bigger is not one article.
MAX_FILE_BYTES = 100 * 1024 * 1024


def too_big(origin: str, fmt: str) -> Rejected:
    """The rejection of a one-article file above MAX_FILE_BYTES."""
    return Rejected(origin, f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MB for the {fmt} reader")

_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Collapse runs of spaces and blank lines; keep paragraph breaks."""
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\r", "\n").split("\n"))
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def reject_or_record(record: ArticleRecord) -> Item:
    """Fill a missing title from the body (or the body from the title); reject empty ones."""
    record.title = " ".join((record.title or "").split())
    record.body = clean_text(record.body or "")
    if not record.title and not record.body:
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
