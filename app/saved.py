"""Saved searches: a search kept under a name, its new articles, and the alerts run.

"New" means an article id above a stored high-water mark (ids only grow with each import): the
newest id in the archive when the search was saved, then when it was last opened from /saved
(``seen_id``), and, apart from that, when `newsarchive alerts` last reported it (``alerted_id``).
So the page and cron each have their own "since last time", and neither hides the other's news.

Functions take an open connection (read-only for reading, a short read-write one for writes,
opened by the caller as admin corrections are) and the store for the search itself.
"""
from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qs

import numpy as np

from app.search.engine import describe_filters, matching
from app.search.export import records
from app.search.feed import newest_ids
from app.search.params import SearchParams
from app.storage import sqlite_saved as sql

MAX_NAME = 120  # characters
MAX_SAVED = 200  # saved searches per archive: /saved runs each one to count its new articles
ALERT_ITEMS = 50  # matches listed per saved search and run (the count says how many in all)


class SavedError(ValueError):
    """A saved search that cannot be made or found: the message says why, for the page or the CLI."""


@dataclass
class Saved:
    id: int
    name: str
    query: str
    created_at: str
    seen_id: int
    seen_at: str | None
    alerted_id: int
    alerted_at: str | None

    @property
    def params(self) -> SearchParams:
        return params_of(self.query)

    @property
    def filters(self) -> list[str]:
        return describe_filters(self.params)

    @property
    def url(self) -> str:
        return self.params.url()

    @property
    def feed_url(self) -> str:
        return self.params.url("/search.atom")


def params_of(query: str, page_size: int = 20) -> SearchParams:
    return SearchParams.from_query(parse_qs(query, keep_blank_values=False), page_size)


def canonical_query(query: str) -> str:
    """The query string as /search would write it, without page (a saved search has no page)."""
    return params_of(query.lstrip("?")).replace().to_query()


def clean_name(name: str) -> str:
    name = " ".join("".join(ch for ch in name if unicodedata.category(ch)[0] != "C").split())
    if not name:
        raise SavedError("Give the saved search a name.")
    if len(name) > MAX_NAME:
        raise SavedError(f"The name has {len(name)} characters; at most {MAX_NAME}.")
    return name


def newest_mark(store) -> int:
    """The highest article id the search index holds: everything up to it has been considered."""
    ids = store.doc_index().ids
    return int(ids[-1]) if len(ids) else 0


def current(store, params: SearchParams) -> SearchParams:
    """The saved filters with any entity an analyst merged since replaced by the one it became
    (as a saved link to /search is redirected), so the merged entity's new articles still count."""
    changes = {name: tuple(dict.fromkeys(store.merged_into(v) or v for v in getattr(params, name)))
               for name in ("country", "agency", "tag")}
    return params.replace(**changes)


def new_matches(store, params: SearchParams, after: int, limit: int) -> tuple[int, list[int]]:
    """(how many matches have an id above ``after``, the first ``limit`` of them, newest first)."""
    _, _, mask = matching(store, current(store, params))
    idx = store.doc_index()
    mask &= idx.ids > after
    return int(mask.sum()), newest_ids(idx, mask, limit)


def saved_list(c: sqlite3.Connection) -> list[Saved]:
    return [Saved(*row) for row in sql.all_saved(c)]


def get_saved(c: sqlite3.Connection, saved_id: int) -> Saved:
    row = sql.one_saved(c, saved_id)
    if row is None:
        raise SavedError(f"There is no saved search number {saved_id}.")
    return Saved(*row)


def with_new_counts(store, saved: list[Saved]) -> list[tuple[Saved, int]]:
    return [(s, new_matches(store, s.params, s.seen_id, 0)[0]) for s in saved]


def create(c: sqlite3.Connection, store, name: str, query: str) -> Saved:
    """Save ``query`` (a /search query string) as ``name``; nothing is new at first."""
    name, query = clean_name(name), canonical_query(query)
    if sql.by_name(c, name):
        raise SavedError(f"A saved search is already called {name!r}: choose another name, or delete that one.")
    if len(sql.all_saved(c)) >= MAX_SAVED:
        raise SavedError(f"This archive already keeps {MAX_SAVED} saved searches, the most it keeps: delete some first.")
    return get_saved(c, sql.insert_saved(c, name, query, newest_mark(store)))


def delete(c: sqlite3.Connection, saved_id: int) -> str:
    name = get_saved(c, saved_id).name
    sql.delete_saved(c, saved_id)
    return f"Deleted the saved search {name!r}."


def open_saved(c: sqlite3.Connection, store, saved_id: int) -> str:
    """Mark everything so far as seen; the URL of the search to show."""
    saved = get_saved(c, saved_id)
    sql.mark_seen(c, saved_id, newest_mark(store))
    return saved.url


@dataclass
class Alert:
    saved: Saved
    new: int  # matches above the mark
    articles: list[dict]  # the first ALERT_ITEMS of them, newest first (app/search/export.py records)


def alerts(c: sqlite3.Connection, store, *, mark: bool = True, limit: int = ALERT_ITEMS) -> list[Alert]:
    """Every saved search's matches since the last run; then (``mark``) they count as reported."""
    high = newest_mark(store)  # read first: an article imported during the run is news next time
    out = []
    for saved in saved_list(c):
        count, ids = new_matches(store, saved.params, saved.alerted_id, limit)
        out.append(Alert(saved, count, list(records(store, np.array(ids, dtype=np.int64)))))
    if mark:
        c.execute("BEGIN IMMEDIATE")
        for a in out:
            sql.mark_alerted(c, a.saved.id, high)
        c.execute("COMMIT")
    return out
