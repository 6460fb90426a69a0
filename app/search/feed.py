"""An Atom feed (RFC 4287) of any search, entity or tag page: the same filters, newest first.

Entries are ordered by publication date, newest first; undated articles come last (ordered by
newest id, so the latest imported first), their <updated> being the time they were imported.
Every value goes through ElementTree (escaped) after the characters XML 1.0 cannot hold are
dropped; links are our own absolute http(s) URLs, plus the original article's URL only when it
is http(s).
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import numpy as np

from app.search.engine import entity_label, matching
from app.search.params import SearchParams
from app.web.links import http_url

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50  # per feed: a reader polls it, it is not an export
SUMMARY_CHARS = 400
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """Text XML 1.0 can carry (no NUL, no other C0 controls, no lone surrogates)."""
    return _NOT_XML.sub("", str(value or ""))


def rfc3339(stamp: str | None) -> str | None:
    """'2024-03-01 10:00:00' / '2024-03-01' / ISO with offset -> '2024-03-01T10:00:00Z' (UTC)."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.strip().replace("Z", "+00:00"))
    except ValueError:
        try:
            when = datetime.fromisoformat(stamp.strip()[:10])
        except ValueError:
            return None
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc).replace(tzinfo=None)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def newest_ids(idx, mask: np.ndarray, limit: int) -> list[int]:
    """Up to ``limit`` ids by publication date, newest first, undated last (then newest id first);
    a partition keeps only the candidates for the first ``limit`` before sorting."""
    rows = np.flatnonzero(mask)
    keys = idx.published[rows]
    if len(rows) > limit > 0:
        cut = np.partition(keys, len(keys) - limit)[len(keys) - limit]
        rows = rows[keys >= cut]
        keys = idx.published[rows]
    order = np.lexsort((-idx.ids[rows], -keys))
    return idx.ids[rows[order]][:limit].tolist()


def feed_items(store, params: SearchParams, limit: int = ENTRIES) -> tuple[SearchParams, list[dict]]:
    p, _, mask = matching(store, params)
    ids = newest_ids(store.doc_index(), mask, limit)
    rows, ents, leads = store.export_rows(ids), store.tags_for(ids), store.leads(ids, SUMMARY_CHARS)
    items = []
    for i in ids:
        if i in rows:
            _, title, published, source, url, language, imported = rows[i]
            items.append({"id": i, "title": title, "published": rfc3339(published), "imported": rfc3339(imported),
                          "source": source, "url": url, "language": language, "summary": leads.get(i, ""),
                          "entities": [e for e, _ in ents.get(i, [])]})
    return p, items


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
