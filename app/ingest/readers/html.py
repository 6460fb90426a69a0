"""Saved web pages: main text and metadata with trafilatura; navigation and comments dropped."""
from __future__ import annotations

import codecs
import re

import lxml.html
import trafilatura

from app.ingest.language import language_code
from app.ingest.readers.common import DecodeError, Item, clean_text, decode_bytes, reject_or_record
from app.ingest.readers.dates import parse_date
from app.ingest.record import ArticleRecord, Rejected

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.IGNORECASE)
_BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "pre")


def read_html(data: bytes, origin: str, *, url: str | None = None, charset: str | None = None) -> Item:
    """One HTML page → one article. ``url`` is where it was fetched from, if known."""
    try:
        text = decode_html(data, charset)
    except DecodeError as exc:
        return Rejected(origin, exc.reason)
    try:
        tree = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        return Rejected(origin, f"not an HTML page ({exc})")
    language = _language(tree)
    doc = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=True
    )
    meta = {} if doc is None else doc if isinstance(doc, dict) else doc.as_dict()
    if not (meta.get("text") or "").strip():
        return Rejected(origin, "no article text found in the page")
    title = meta.get("title") or ""
    # trafilatura puts one paragraph per line; the archive separates paragraphs by a blank line.
    body = _drop_leading_title(meta.get("text") or "", title).replace("\n", "\n\n")
    published = parse_date(meta.get("date"))
    record = ArticleRecord(
        title=title,
        body=body,
        original_text=text,
        origin=origin,
        language=language or meta.get("language"),
        source=meta.get("sitename") or meta.get("hostname"),
        url=meta.get("url") or url,
        author=meta.get("author"),
        published_at=published,
        published_how="metadata" if published else "unknown",
        original_bytes=data,
        format="html",
    )
    return reject_or_record(record)


def decode_html(data: bytes, charset: str | None = None) -> str:
    """Honour a declared charset (HTTP header or ``<meta>``); else our usual text decoding."""
    declared = charset or _meta_charset(data[:4096])
    if declared:
        try:
            text = data.decode(codecs.lookup(declared).name)
            if text.strip():
                return text.lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_bytes(data)


def html_to_text(fragment: str) -> str:
    """An HTML fragment (a feed item's content) → plain text with paragraph breaks."""
    if "<" not in fragment:
        return clean_text(lxml.html.fromstring(f"<p>{fragment}</p>").text_content()) if fragment.strip() else ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return clean_text(fragment)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    for element in root.iter(*_BLOCKS):
        element.tail = "\n\n" + (element.tail or "")
    return clean_text(root.text_content())


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _language(tree) -> str | None:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
    if not lang:
        found = tree.xpath("//meta[@http-equiv='content-language']/@content|//meta[@property='og:locale']/@content")
        lang = found[0] if found else None
    return language_code(lang)


def _drop_leading_title(text: str, title: str) -> str:
    """trafilatura repeats the ``<h1>`` as the first line of the text."""
    first, _, rest = text.partition("\n")
    if title and first.strip() == title.strip():
        return rest
    return text
