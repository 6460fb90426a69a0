"""Reuters-21578 SGML (``reut2-NNN.sgm``): a lenient regex reader, one record per ``<REUTERS>``.

The files are not well-formed XML (``&#2;`` control characters, bare ``&lt;ABC Corp>``),
so an XML parser would stop at the first story; regexes over each element do not.
"""
from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import lru_cache

from app.ingest.readers.common import DecodeError, Item, decode_bytes, reject_or_record
from app.ingest.readers.dates import parse_date
from app.ingest.record import ArticleRecord, Rejected

_STORY_START = re.compile(r"<REUTERS\b([^<>]{0,500})>", re.IGNORECASE)
_STORY_END = re.compile(r"</REUTERS>", re.IGNORECASE)
_ATTR = re.compile(r'(\w+)\s*=\s*"([^"]*)"')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Stories end with a "Reuter" sign-off line; it is not part of the text.
_SIGN_OFF = re.compile(r"\bREUTER\b\s*$", re.IGNORECASE)  # no leading \s*: quadratic on long blanks
# Each paragraph of a BODY starts with an indented line; the others are wrapped at ~65 columns.
_PARAGRAPH_START = re.compile(r"\n[ \t]+")
# Tag groups kept as source tags, with the prefix the archive's filters use.
# Some DATE fields carry wire codes after the time ("27-MAR-1987 00:02:59.13&#5;&#5;RM").
_DATE = re.compile(r"\d{1,2}-[A-Za-z]{3}-\d{4}(?:\s+\d{1,2}:\d{2}:\d{2}(?:\.\d+)?(?![\d:]))?")
_TAG_GROUPS = (("PLACES", "place"), ("ORGS", "org"), ("TOPICS", "topic"))


def looks_like_reuters(head: bytes) -> bool:
    return b"<!DOCTYPE lewis" in head or b"<REUTERS " in head


def read_reuters(data: bytes, origin: str) -> Iterator[Item]:
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        yield Rejected(origin, exc.reason)
        return
    found = False
    for attrs, inner, element in _stories(text):
        found = True
        yield _story(attrs, inner, element, origin)
    if not found:
        yield Rejected(origin, "no <REUTERS> stories found")


def _stories(text: str) -> Iterator[tuple[str, str, str]]:
    """(attributes, inside, whole element) of each story, in one pass: a lazy regex from every
    unclosed ``<REUTERS`` to the end of the file is quadratic (150 KB of them: 4.5 s). A story is
    what lies between an end tag and the last ``<REUTERS`` before it."""
    position = 0
    while (end := _STORY_END.search(text, position)) is not None:
        start = None
        for start in _STORY_START.finditer(text, position, end.start()):
            pass
        if start is not None:
            yield start.group(1), text[start.end():end.start()], text[start.start():end.end()]
        position = end.end()


def _story(attrs_text: str, inner: str, element: str, origin: str) -> Item:
    attrs = dict(_ATTR.findall(attrs_text))
    story_origin = f"{origin}#NEWID={attrs.get('NEWID', '?')}"
    text_match = next(_elements(inner, "TEXT"), None)
    text_attrs, text_inner = (text_match[0], text_match[1]) if text_match else ("", "")
    title = _field(text_inner, "TITLE")
    dateline = _field(text_inner, "DATELINE")
    body = _field(text_inner, "BODY", raw=True)
    if body:
        body = _paragraphs(body)
    elif "UNPROC" in text_attrs.upper():
        # Unprocessed stories: the raw text sits directly inside <TEXT>.
        body = _clean(_without(text_inner, ("TITLE", "DATELINE", "BODY", "AUTHOR")))
    if not title and body:
        # An unprocessed story's first line is its slug ("FEDERAL RESERVE WEEKLY REPORT 1 - FEB 26").
        title = body.strip().split("\n", 1)[0]
    body = _SIGN_OFF.sub("", body).rstrip()
    if body and dateline:
        body = f"{dateline.rstrip(' -')} - {body}"
    date_match = _DATE.search(_field(inner, "DATE"))
    published = parse_date(date_match.group(0)) if date_match else None
    record = ArticleRecord(
        title=title,
        body=body,
        original_text=element,
        title_derived=not _field(text_inner, "TITLE"),
        origin=story_origin,
        language="en",
        source="Reuters",
        published_at=published,
        published_how="metadata" if published else "unknown",
        source_tags=_tags(inner),
        format="reuters",
    )
    return reject_or_record(record)


def _elements(text: str, tag: str) -> Iterator[tuple[str, str, int, int]]:
    """(attributes, inside, start, end) of each ``<TAG ...>...</TAG>`` in one pass, as a lazy regex
    would find them, but in linear time: a lazy regex is quadratic on unclosed tags."""
    opening, closing = _tag_patterns(tag)
    position = 0
    while (start := opening.search(text, position)) is not None:
        end = closing.search(text, start.end())
        if end is None:
            return  # no closing tag after this one, nor after any later one
        yield start.group(1) or "", text[start.end():end.start()], start.start(), end.end()
        position = end.end()


@lru_cache(maxsize=None)
def _tag_patterns(tag: str) -> tuple[re.Pattern, re.Pattern]:
    return (re.compile(rf"<{tag}(\s[^<>]{{0,500}})?>", re.IGNORECASE), re.compile(rf"</{tag}>", re.IGNORECASE))


def _without(text: str, tags: tuple[str, ...]) -> str:
    for tag in tags:
        pieces, position = [], 0
        for _, _, start, end in _elements(text, tag):
            pieces.append(text[position:start])
            position = end
        text = "".join(pieces) + text[position:]
    return text


def _field(text: str, tag: str, raw: bool = False) -> str:
    match = next(_elements(text, tag), None)
    if not match:
        return ""
    value = html.unescape(match[1])
    value = _CONTROL.sub("", value)
    return value if raw else " ".join(value.split())


def _clean(text: str) -> str:
    return _CONTROL.sub("", html.unescape(text)).strip()


def _paragraphs(body: str) -> str:
    paragraphs = _PARAGRAPH_START.split(body.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs if p.strip())


def _tags(inner: str) -> list[str]:
    tags: list[str] = []
    for group, prefix in _TAG_GROUPS:
        match = next(_elements(inner, group), None)
        if match:
            tags += [f"{prefix}:{value.strip()}" for _, value, _, _ in _elements(match[1], "D")]
    return tags
