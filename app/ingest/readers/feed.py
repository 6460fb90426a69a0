"""RSS and Atom feeds: one record per entry; full content when the feed carries it."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import feedparser

from app.ingest.language import language_code
from app.ingest.readers.common import Item, reject_or_record
from app.ingest.readers.html import html_to_text
from app.ingest.record import ArticleRecord, Rejected

_EMAIL_NAME = re.compile(r"^\S+@\S+\s+\((.+)\)$")
_FEED_MARKERS = (b"<rss", b"<feed", b"<rdf:rdf")


def looks_like_feed(head: bytes) -> bool:
    lowered = head[:2048].lower()
    return any(marker in lowered for marker in _FEED_MARKERS)


def read_feed(data: bytes, origin: str) -> Iterator[Item]:
    try:
        parsed = feedparser.parse(data)
    except Exception as exc:  # feedparser's own bugs on damaged input (a NUL byte: TypeError)
        yield Rejected(origin, f"not a readable RSS or Atom feed ({type(exc).__name__}: {exc})")
        return
    if not parsed.entries:
        reason = "feed has no entries"
        if parsed.bozo and not parsed.get("version"):
            reason = f"not an RSS or Atom feed ({parsed.get('bozo_exception')})"
        yield Rejected(origin, reason)
        return
    channel = parsed.feed
    language = _language(channel.get("language"))
    for number, entry in enumerate(parsed.entries, 1):
        yield _entry(entry, number, origin, channel, language)


def _entry(entry, number: int, origin: str, channel, language: str | None) -> Item:
    link = entry.get("link")
    # An entry's link is its lasting address; the position in the feed changes over time.
    where = link or f"{origin}#{number}"
    # dict.get: FeedParserDict maps a missing updated_parsed to published_parsed, with a warning.
    published = _date(dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed"))
    record = ArticleRecord(
        title=html_to_text(entry.get("title") or ""),
        body=html_to_text(_content(entry)),
        original_text=_entry_text(entry),
        origin=where,
        language=_language(entry.get("language")) or language,
        source=channel.get("title"),
        url=link,
        author=_author(entry.get("author")),
        published_at=published,
        published_how="feed" if published else "unknown",
        source_tags=[f"section:{t['term']}" for t in entry.get("tags", []) if t.get("term")],
        format="rss",
    )
    item = reject_or_record(record)
    if isinstance(item, Rejected):  # an entry is known by its link, but a rejection names the file
        return Rejected(f"{origin}#{number}", item.reason, item.skipped)
    return item


def _content(entry) -> str:
    """``content:encoded`` / Atom ``content`` (the full text) beats the summary."""
    # "or": a damaged feed can give None where a string was expected
    contents = [c.get("value") or "" for c in entry.get("content") or []]
    best = max(contents, key=len, default="")
    summary = entry.get("summary") or ""
    return best if len(best) >= len(summary) else summary


def _entry_text(entry) -> str:
    parts = [entry.get("title") or "", entry.get("link") or "", _content(entry)]
    return "\n\n".join(p for p in parts if p)


def _date(parsed) -> datetime | None:
    if not parsed:
        return None
    # feedparser normalises to a UTC struct_time; the archive stores naive UTC.
    return datetime(*parsed[:6])


def _author(value: str | None) -> str | None:
    """RSS writes ``email (Name)``; the name is what readers know."""
    if not value:
        return None
    match = _EMAIL_NAME.match(value.strip())
    return match.group(1).strip() if match else value.strip()


def _language(value: str | None) -> str | None:
    return language_code(value)

