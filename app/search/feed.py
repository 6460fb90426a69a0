"""What the Atom feed of a search, entity or tag page holds: the same filters, newest first.

Entries are ordered by publication date, newest first; undated articles come last (ordered by
newest id, so the latest imported first), their <updated> being the time they were imported.
The document itself is written by app/web/atom.py.
"""
from __future__ import annotations

from datetime import datetime, timezone

import numpy as np

from app.search.engine import matching
from app.search.params import SearchParams

ENTRIES = 50  # per feed: a reader polls it, it is not an export
SUMMARY_CHARS = 400


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
