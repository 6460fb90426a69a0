"""Markdown articles: title from front matter or the first ``# heading``; body as plain text.

Markup is stripped lightly (links keep their text, images and HTML tags go); we do not
render Markdown, we only want readable, searchable text.
"""
from __future__ import annotations

import re

import yaml

from app.ingest.notarticle import content_reason
from app.ingest.readers.common import MAX_ARTICLE_CHARS, DecodeError, Item, decode_bytes, reject_or_record, too_long
from app.ingest.readers.dates import parse_date
from app.ingest.record import ArticleRecord, Rejected

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_SETEXT_H1 = re.compile(r"\A\s*([^\n#].*)\n=+[ \t]*(?:\n|\Z)")
# Bounded repeats ({0,300}, not *): an unbounded class from each of 50,000 unclosed "[" to the
# end of the text made stripping quadratic (18 s for 50 KB).
_INLINE = (
    (re.compile(r"!\[[^\]]{0,300}\]\([^)]{0,2000}\)"), ""),  # images
    (re.compile(r"\[([^\]]{1,300})\]\([^)]{0,2000}\)"), r"\1"),  # links keep their text
    (re.compile(r"\[([^\]]{1,300})\]\[[^\]]{0,300}\]"), r"\1"),  # reference links
    (re.compile(r"^\[[^\]\n]{1,300}\]:[ \t]*\S+.*$", re.MULTILINE), ""),  # link definitions
    (re.compile(r"<[^<>\n]{1,300}>"), ""),  # inline HTML tags
    (re.compile(r"^#{1,6}[ \t]+(.*?)[ \t#]*$", re.MULTILINE), r"\1"),  # headings
    (re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^[ \t]*(?:```|~~~).*$", re.MULTILINE), ""),  # code fences
    (re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.MULTILINE), ""),  # rules
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
)


def read_markdown(data: bytes, origin: str) -> Item:
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        return Rejected(origin, exc.reason)
    if len(text) > MAX_ARTICLE_CHARS:  # before the markup regexes run over it
        return too_long(origin, len(text))
    if reason := content_reason(text, markdown=True):
        return Rejected(origin, reason, skipped=True)
    meta, rest = _front_matter(text)
    title = str(meta.get("title") or "").strip()
    if not title:
        title, rest = _first_heading(rest)
    date_text = str(meta.get("date") or meta.get("published") or "")
    published = parse_date(date_text)
    record = ArticleRecord(
        title=title,
        body=strip_markdown(rest),
        original_text=text,
        origin=origin,
        author=_str(meta.get("author")),
        url=_str(meta.get("url") or meta.get("link")),
        source=_str(meta.get("source")),
        language=_str(meta.get("lang") or meta.get("language")),
        published_at=published,
        published_how="metadata" if published else "unknown",
        original_bytes=data,
        format="markdown",
    )
    return reject_or_record(record)


def strip_markdown(text: str) -> str:
    for pattern, replacement in _INLINE:
        text = pattern.sub(replacement, text)
    return text


def _front_matter(text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    try:
        meta = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(meta, dict):
        return {}, text
    return {str(k).lower(): v for k, v in meta.items()}, text[match.end():]


def _first_heading(text: str) -> tuple[str, str]:
    """The first level-1 heading is the title; it is removed from the body."""
    match = _H1.search(text) or _SETEXT_H1.match(text)
    if not match:
        return "", text
    return match.group(1).strip(), text[: match.start()] + text[match.end():]


def _str(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    return str(value).strip() or None
