"""SQL for near-duplicate stories, related articles and versions (issue 4).

A story is a group of near-duplicates (reprints, wire copy with small edits): each article's
``story_id`` is NULL while it is alone, or the id of the story's first article. Candidates
come from LSH band keys (``article_band``), confirmed by MinHash similarity
(``app.ingest.stories``). "Related" articles share passages but are other stories.
"""
from __future__ import annotations

import sqlite3

from app.ingest.stories import SAME_STORY, Fingerprint, similarity

MAX_CANDIDATES = 50
# "Related": passages shared word for word, as runs of WINDOW indexed words every STEP words.
WINDOW, STEP, MAX_WINDOWS = 6, 3, 150
RELATED_WINDOWS = 3  # a stock phrase shares one or two runs; a shared passage shares more


def find_story(c: sqlite3.Connection, fp: Fingerprint) -> tuple[int, int] | None:
    """(story id, most similar article id) of the story this fingerprint belongs to, if any."""
    if not fp.bands:
        return None
    marks = ",".join("?" * len(fp.bands))
    rows = c.execute(
        f"SELECT a.id, COALESCE(a.story_id, a.id), a.minhash FROM article a WHERE a.id IN"
        f" (SELECT DISTINCT article_id FROM article_band WHERE band_key IN ({marks})) LIMIT {MAX_CANDIDATES}",
        fp.bands).fetchall()
    best = None
    for aid, story, minhash in rows:
        sim = similarity(fp.minhash, minhash) if minhash else 0.0
        if sim >= SAME_STORY and (best is None or sim > best[0]):
            best = (sim, story, aid)
    return (best[1], best[2]) if best else None


def write_fingerprint(c: sqlite3.Connection, article_id: int, fp: Fingerprint) -> None:
    c.executemany("INSERT OR IGNORE INTO article_band(band_key, article_id) VALUES (?,?)",
                  [(k, article_id) for k in fp.bands])


def forget_fingerprint(c: sqlite3.Connection, article_id: int) -> None:
    c.execute("DELETE FROM article_band WHERE article_id=?", (article_id,))


def same_story(c: sqlite3.Connection, article_id: int) -> list[tuple[int, str]]:
    """(id, title) of the other articles of this article's story."""
    row = c.execute("SELECT COALESCE(story_id, id) FROM article WHERE id=?", (article_id,)).fetchone()
    if row is None:
        return []
    return c.execute("SELECT id, title FROM article WHERE (story_id=? OR id=?) AND id<>? ORDER BY id",
                     (row[0], row[0], article_id)).fetchall()


def related(c: sqlite3.Connection, article_id: int, limit: int = 10) -> list[tuple[int, str]]:
    """(id, title) of other stories that share passages with this article: at least
    RELATED_WINDOWS of its word windows appear, word for word (stems), in the other article.

    Computed when the article is shown, with FTS5 phrase queries, rather than stored at import
    (~60 passage hashes per article would cost the import a tenth of its speed)."""
    from app.search.text import index_text

    row = c.execute("SELECT body, language, COALESCE(story_id, id) FROM article WHERE id=?", (article_id,)).fetchone()
    if row is None:
        return []
    body, language, story = row
    hits: dict[int, int] = {}
    for window in passage_windows(index_text(body, language)):
        phrase = '"' + window.replace('"', "") + '"'
        for (other,) in c.execute("SELECT rowid FROM article_fts WHERE article_fts MATCH ? LIMIT 200", (phrase,)):
            if other != article_id:
                hits[other] = hits.get(other, 0) + 1
    candidates = sorted((i for i, n in hits.items() if n >= RELATED_WINDOWS), key=lambda i: -hits[i])
    if not candidates:
        return []
    marks = ",".join("?" * len(candidates))
    rows = c.execute(f"SELECT id, title FROM article WHERE id IN ({marks}) AND COALESCE(story_id, id) <> ?",
                     (*candidates, story)).fetchall()
    titles = dict(rows)
    return [(i, titles[i]) for i in candidates if i in titles][:limit]


def passage_windows(indexed: str) -> list[str]:
    """Every WINDOW-word run starting at a multiple of STEP, of an article's indexed words."""
    words = indexed.split()
    return [" ".join(words[i:i + WINDOW]) for i in range(0, max(0, len(words) - WINDOW + 1), STEP)][:MAX_WINDOWS]


def save_version(c: sqlite3.Connection, article_id: int) -> int:
    """Copy the article's current text into article_version; returns that version's number."""
    n = c.execute("SELECT count(*) FROM article_version WHERE article_id=?", (article_id,)).fetchone()[0] + 1
    c.execute("INSERT INTO article_version(article_id, version, title, body, original_text, original_bytes,"
              " content_hash, origin, published_at, imported_at) SELECT id, ?, title, body, original_text,"
              " original_bytes, content_hash, origin, published_at, imported_at FROM article WHERE id=?",
              (n, article_id))
    return n


def versions(c: sqlite3.Connection, article_id: int) -> list[dict]:
    rows = c.execute("SELECT version, title, content_hash, origin, published_at, imported_at FROM article_version"
                     " WHERE article_id=? ORDER BY version", (article_id,))
    keys = ("version", "title", "content_hash", "origin", "published_at", "imported_at")
    return [dict(zip(keys, r)) for r in rows]


def version(c: sqlite3.Connection, article_id: int, number: int) -> dict | None:
    row = c.execute("SELECT version, title, body, original_text, content_hash, origin, published_at, imported_at"
                    " FROM article_version WHERE article_id=? AND version=?", (article_id, number)).fetchone()
    keys = ("version", "title", "body", "original_text", "content_hash", "origin", "published_at", "imported_at")
    return dict(zip(keys, row)) if row else None


def older_version_of(c: sqlite3.Connection, content_hash: str) -> int | None:
    row = c.execute("SELECT article_id FROM article_version WHERE content_hash=? LIMIT 1", (content_hash,)).fetchone()
    return row[0] if row else None
