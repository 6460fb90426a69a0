"""The Atom document (RFC 4287) of a feed (app/search/feed.py says what it holds).

Every value goes through ElementTree (escaped) after the characters XML 1.0 cannot hold are
dropped; links are this server's absolute http(s) URLs, plus the original article's URL only when
it is http(s) (app/web/links.py).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from app.search.engine import entity_label
from app.web.links import http_url

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can carry (no NUL, no other C0 controls, no lone surrogates)."""
    return _NOT_XML.sub("", str(value or ""))


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {k: xml_text(v) for k, v in attrs.items()})
    if text is not None:
        el.text = xml_text(text)
    return el


def atom(items: list[dict], *, title: str, base: str, self_url: str, page_url: str) -> bytes:
    """The feed document. ``base``: this server's http(s) root, e.g. 'http://host:8000'."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "id", self_url)
    _sub(feed, "title", f"newsarchive: {title}")
    stamps = [it["published"] or it["imported"] for it in items if it["published"] or it["imported"]]
    _sub(feed, "updated", max(stamps) if stamps else datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
    _sub(feed, "link", rel="self", type="application/atom+xml", href=self_url)
    _sub(feed, "link", rel="alternate", type="text/html", href=page_url)
    _sub(_sub(feed, "author"), "name", "newsarchive")
    _sub(feed, "generator", "newsarchive")
    for it in items:
        _entry(feed, it, base)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(feed: ET.Element, it: dict, base: str) -> None:
    entry = _sub(feed, "entry")
    if it["language"]:
        entry.set(XML_LANG, xml_text(it["language"]))  # readers pick fonts, hyphenation, voices by it
    page = f"{base}/articles/{it['id']}"
    _sub(entry, "id", page)
    _sub(entry, "title", it["title"] or f"Article {it['id']}", type="text")
    _sub(entry, "updated", it["published"] or it["imported"] or "1970-01-01T00:00:00Z")
    if it["published"]:
        _sub(entry, "published", it["published"])
    _sub(entry, "link", rel="alternate", type="text/html", href=page)
    original = http_url(it["url"])
    if original:
        _sub(entry, "link", rel="related", href=original)
    if it["source"]:
        _sub(_sub(entry, "author"), "name", it["source"])
    for eid in it["entities"]:
        _sub(entry, "category", term=eid, label=entity_label(eid))
    _sub(entry, "summary", it["summary"], type="text")
