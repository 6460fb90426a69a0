"""Plain-text seed files: decode, then the shared seed-text parser."""
from __future__ import annotations

from app.ingest.notarticle import content_reason
from app.ingest.readers.common import MAX_ARTICLE_CHARS, DecodeError, Item, decode_bytes, derive_title, too_long
from app.ingest.record import Rejected
from app.ingest.seedtext import parse_seed_text


def read_text(data: bytes, origin: str) -> Item:
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        return Rejected(origin, exc.reason)
    if len(text) > MAX_ARTICLE_CHARS:
        return too_long(origin, len(text))
    if reason := content_reason(text):
        return Rejected(origin, reason, skipped=True)
    if not any(char.isalnum() for char in text):
        return Rejected(origin, "no words in the file (only spaces and punctuation)")
    try:
        record = parse_seed_text(text, origin)
    except ValueError as exc:
        return Rejected(origin, str(exc) or "not an article")
    if not record.title.strip():
        record.title, record.title_derived = derive_title(record.body), True
    record.original_bytes = data
    record.format = "text"
    return record
