"""SQL for near-duplicate stories, related articles and versions (issue 4).

A story is a group of near-duplicates (reprints, wire copy with small edits): each article's
``story_id`` is NULL while it is alone, or the id of the story's first article. Articles with an
id above ``meta.stories_done`` have not been grouped yet. Candidates
come from LSH band keys (``article.bands``), confirmed by MinHash similarity
(``app.ingest.stories``). "Related" articles share passages but are other stories.
"""
from __future__ import annotations

import sqlite3

import numpy as np

from app.ingest.stories import SAME_STORY, Fingerprint, similarity

MAX_CANDIDATES = 50
# "Related": passages shared word for word, as runs of WINDOW indexed words every STEP words.
WINDOW, STEP, MAX_WINDOWS = 6, 3, 150
RELATED_WINDOWS = 3  # a stock phrase shares one or two runs; a shared passage shares more


def assign_stories(c: sqlite3.Connection) -> list[tuple[int, int]]:
    """Group every article not yet grouped (id above ``meta.stories_done``) with its near-duplicates.

    Runs once at the end of each import (and picks up the articles of an import that was
    killed before it): one numpy pass over the band keys of the whole archive finds the
    candidate pairs, MinHash similarity confirms them, earliest article first, so a story's
    id is its first article. Returns (article id, most similar earlier article) per
    near-duplicate found."""
    done_row = c.execute("SELECT value FROM meta WHERE key='stories_done'").fetchone()
    done = int(done_row[0]) if done_row else 0
    last = c.execute("SELECT COALESCE(max(id), 0) FROM article").fetchone()[0]
    new = c.execute("SELECT id, bands, minhash FROM article WHERE id > ? AND bands IS NOT NULL ORDER BY id",
                    (done,)).fetchall()
    found: list[tuple[int, int]] = []
    if new:
        keys, ids = _all_bands(c)
        pairs = _candidate_pairs(keys, ids, np.array([r[0] for r in new], dtype=np.int64))
        found = _confirm(c, new, pairs)
    # A watermark, not story_id = id on every article: that UPDATE rewrote every row.
    c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('stories_done', ?)", (str(last),))
    return found


def _all_bands(c: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
    keys, ids = [], []
    for aid, blob in c.execute("SELECT id, bands FROM article WHERE bands IS NOT NULL"):
        k = np.frombuffer(blob, dtype="<i8")
        keys.append(k)
        ids.append(np.full(len(k), aid, dtype=np.int64))
    keys_a, ids_a = np.concatenate(keys), np.concatenate(ids)
    order = np.lexsort((ids_a, keys_a))
    return keys_a[order], ids_a[order]


def _candidate_pairs(keys: np.ndarray, ids: np.ndarray, new_ids: np.ndarray) -> dict[int, set[int]]:
    """new article -> earlier articles sharing at least one band key with it."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    is_new = np.isin(ids, new_ids)
    pairs: dict[int, set[int]] = {}
    for start, size in zip(starts[sizes > 1].tolist(), sizes[sizes > 1].tolist()):
        group = ids[start:start + min(size, MAX_CANDIDATES)].tolist()
        flags = is_new[start:start + min(size, MAX_CANDIDATES)].tolist()
        for j, (aid, fresh) in enumerate(zip(group, flags)):
            if fresh and j:
                pairs.setdefault(aid, set()).update(x for x in group[:j] if x != aid)
    return pairs


def _confirm(c: sqlite3.Connection, new: list, pairs: dict[int, set[int]]) -> list[tuple[int, int]]:
    minhash = {aid: mh for aid, _, mh in new}
    story: dict[int, int] = {}
    wanted = sorted({x for cands in pairs.values() for x in cands} - minhash.keys())
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk:chunk + 500]
        for aid, sid, mh in c.execute(f"SELECT id, COALESCE(story_id, id), minhash FROM article WHERE id IN"
                                      f" ({','.join('?' * len(part))})", part):
            minhash[aid], story[aid] = mh, sid
    found, updates = [], []
    for aid, _, mh in new:  # id order: an earlier near-duplicate already has its story
        best = None
        for other in pairs.get(aid, ()):
            sim = similarity(mh, minhash[other]) if minhash.get(other) else 0.0
            if sim >= SAME_STORY and (best is None or (sim, -other) > (best[0], -best[1])):
                best = (sim, other)
        story[aid] = story.get(best[1], best[1]) if best else aid
        if best:
            found.append((aid, best[1]))
            updates.append((story[aid], aid))
    c.executemany("UPDATE article SET story_id=? WHERE id=?", updates)
    return found


def band_blob(fp: Fingerprint | None) -> bytes | None:
    return np.asarray(fp.bands, dtype="<i8").tobytes() if fp and fp.bands else None


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
