"""Every match of a search (or entity or tag page) as CSV or JSON, streamed.

Bounded memory whatever the archive: the ordered ids come first (at most ``MAX_ROWS`` of them, 8
bytes each), then the rows are read and written ``CHUNK`` at a time. The file says when the limit
cut it: JSON in its ``truncated`` field, CSV in a last row starting with ``#``.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from app.entities import load_gazetteer
from app.search.engine import describe_filters
from app.search.engine import ordered_matches as engine_order
from app.search.params import SearchParams

MAX_ROWS = 10_000  # per export file; ?limit= lowers it
CHUNK = 500  # rows read and written at a time
COLUMNS = ("id", "title", "date", "source", "url", "language", "countries", "agencies", "groups", "tags")
# A spreadsheet runs a cell starting with one of these as a formula (=HYPERLINK(...), +cmd|...).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Matches:
    params: SearchParams  # with the filters typed in the query merged in
    ids: np.ndarray  # in the search's order, at most the limit
    total: int  # every match (one per story with collapse)
    limit: int

    @property
    def truncated(self) -> bool:
        return self.total > len(self.ids)


def view_title(p: SearchParams) -> str:
    """The view in a line, for a feed's title and the pictures' headings: “police”; country is Morocco."""
    return "; ".join(([f"“{p.q}”"] if p.q else []) + describe_filters(p)) or "all articles"


def parse_limit(raw: str | None, cap: int = MAX_ROWS) -> tuple[int, str | None]:
    """?limit= as a row count within 1..cap, and a note when it was not one."""
    if not raw:
        return cap, None
    try:
        value = int(raw)
    except ValueError:
        return cap, f"limit={raw[:20]!r} is not a number: the limit is {cap:,}"
    if value < 1 or value > cap:
        return cap, f"limit={value} is outside 1..{cap:,}: the limit is {cap:,}"
    return value, None


def ordered_matches(store, params: SearchParams, limit: int = MAX_ROWS) -> Matches:
    """The first ``limit`` matches in the page's order (relevance, newest or oldest; one per story
    with collapse), and how many there are in all."""
    p, ids, total = engine_order(store, params, limit)
    return Matches(p, np.array(ids, dtype=np.int64), total, limit)


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula gets a leading '."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def records(store, ids: np.ndarray) -> Iterator[dict]:
    """One dict per article (COLUMNS), read CHUNK ids at a time, in the order given."""
    gz = load_gazetteer()

    def kind(eid: str) -> str:
        ent = gz.entities.get(eid)
        return {"country": "countries", "group": "groups"}.get(ent.type if ent else "", "agencies")

    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK].tolist()
        rows, ents, tags = store.export_rows(chunk), store.tags_for(chunk), store.source_tags_for(chunk)
        for i in chunk:
            row = rows.get(i)
            if row is None:  # deleted between the two reads
                continue
            rec = {"id": i, "title": row[1], "date": row[2] or None, "source": row[3], "url": row[4], "language": row[5],
                   "countries": [], "agencies": [], "groups": [], "tags": tags.get(i, [])}
            for eid, _about in ents.get(i, []):
                rec[kind(eid)].append(eid)
            yield rec


def limit_note(m: Matches) -> str:
    if m.truncated:
        return (f"truncated: the first {len(m.ids):,} of {m.total:,} matches (limit {m.limit:,} rows per file;"
                " narrow the search, e.g. with from= and to=, to export the rest)")
    return f"complete: all {m.total:,} matches (limit {m.limit:,} rows per file)"


def csv_lines(store, m: Matches) -> Iterator[str]:
    """The CSV file, a few rows at a time. Lists (countries, agencies, groups, tags) are joined
    with "; ": entity ids (ISO codes, agency slugs) as the search filters take them."""
    buf = io.StringIO()
    out = csv.writer(buf)

    def flush() -> str:
        text = buf.getvalue()
        buf.seek(0)
        buf.truncate()
        return text

    out.writerow(COLUMNS)
    yield flush()
    for n, rec in enumerate(records(store, m.ids), 1):
        out.writerow([rec["id"]] + [safe_cell(_cell(rec[c])) for c in COLUMNS[1:]])
        if n % CHUNK == 0:
            yield flush()
    if m.truncated:
        out.writerow(["# " + limit_note(m)])
    yield flush()


def _cell(value) -> str:
    if value is None:
        return ""
    return "; ".join(value) if isinstance(value, list) else str(value)


def json_chunks(store, m: Matches, query: str, links: dict[str, str]) -> Iterator[str]:
    """One JSON object; the ``articles`` array is written CHUNK articles at a time."""
    head = {"query": query, "filters": describe_filters(m.params), "total": m.total, "count": len(m.ids),
            "limit": m.limit, "truncated": m.truncated, "note": limit_note(m), "links": links}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "articles": ['
    parts: list[str] = []
    for n, rec in enumerate(records(store, m.ids)):
        parts.append(("," if n else "") + "\n" + json.dumps(rec, ensure_ascii=False))
        if len(parts) >= CHUNK:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "\n]}\n"
