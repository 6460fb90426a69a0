"""The rows of the full-text index (FTS5, contentless: https://sqlite.org/fts5.html#contentless_tables).

The index stores no copy of its text (that copy was as large as the articles themselves). A
contentless table forgets a row only through the 'delete' command given the very text that was
indexed, so that text is derived again from the stored article (``index_columns``: folded and
stemmed, deterministic). The archive records which normalisation built its index
(``meta.index_text``): if the code's differs, a delete could remove the wrong words, so writes
stop with a message until ``newsarchive rebuild-fts`` has re-indexed the archive.
"""
from __future__ import annotations

import sqlite3

from app.ingest.prepare import index_columns
from app.search.text import INDEX_TEXT_VERSION


class StaleIndex(RuntimeError):
    """The full-text index was built by another normalisation of the text."""


def check_version(c: sqlite3.Connection) -> None:
    row = c.execute("SELECT value FROM meta WHERE key='index_text'").fetchone()
    if row is None or row[0] != INDEX_TEXT_VERSION:
        raise StaleIndex(f"the full-text index was built by normalisation {row[0] if row else '?'}, this version uses"
                         f" {INDEX_TEXT_VERSION}: run `newsarchive rebuild-fts` first")


def index_row(c: sqlite3.Connection, article_id: int, title: str, lead: str, body: str) -> None:
    c.execute("INSERT INTO article_fts(rowid, title, lead, body) VALUES (?,?,?,?)", (article_id, title, lead, body))


def unindex_row(c: sqlite3.Connection, article_id: int) -> None:
    """Remove the article's row, from its text as stored now (call before changing it)."""
    row = c.execute("SELECT title, unz(body), language FROM article WHERE id=?", (article_id,)).fetchone()
    if row is not None:
        title, lead, body, _ = index_columns(*row)
        c.execute("INSERT INTO article_fts(article_fts, rowid, title, lead, body) VALUES ('delete', ?, ?, ?, ?)",
                  (article_id, title, lead, body))


def rebuild(c: sqlite3.Connection, batch: int = 2000) -> int:
    """Index every article again (in the caller's transaction); returns how many."""
    c.execute("INSERT INTO article_fts(article_fts) VALUES ('delete-all')")
    n, last = 0, 0
    while True:  # by id ranges, so that a million articles never sit in memory at once
        rows = c.execute("SELECT id, title, unz(body), language FROM article WHERE id > ? ORDER BY id LIMIT ?",
                         (last, batch)).fetchall()
        if not rows:
            break
        for aid, title, body, lang in rows:
            index_row(c, aid, *index_columns(title, body, lang)[:3])
        n, last = n + len(rows), rows[-1][0]
    c.execute("INSERT INTO article_fts(article_fts) VALUES ('optimize')")
    c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('index_text', ?)", (INDEX_TEXT_VERSION,))
    return n
