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

from app.ingest.stories import NUM_PERM, SAME_STORY, Fingerprint

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
        new_ids = np.array([r[0] for r in new], dtype=np.int64)
        found = _confirm(c, new, *_candidate_pairs(keys, ids, new_ids))
    # A watermark, not story_id = id on every article: that UPDATE rewrote every row.
    c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('stories_done', ?)", (str(last),))
    return found


def _all_bands(c: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
    """Every band key of the archive and its article, sorted by key then article."""
    rows = c.execute("SELECT id, bands FROM article WHERE bands IS NOT NULL").fetchall()
    blobs = [blob for _, blob in rows]
    keys = np.frombuffer(b"".join(blobs), dtype="<i8")
    ids = np.repeat(np.fromiter((aid for aid, _ in rows), dtype=np.int64, count=len(rows)),
                    np.fromiter(map(len, blobs), dtype=np.int64, count=len(rows)) // 8)
    order = np.lexsort((ids, keys))
    return keys[order], ids[order]


def _candidate_pairs(keys: np.ndarray, ids: np.ndarray, new_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(new article, earlier article) for every pair sharing a band key, each pair once.

    Within a key's group (sorted by id), each new article pairs with the articles before it;
    only the first MAX_CANDIDATES of a group count (a key shared by hundreds is boilerplate).
    Vectorised: one pass per distance d between the two articles' places in their group."""
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    rank = np.arange(len(keys)) - np.repeat(starts, sizes)  # place within the key's group
    is_new = np.isin(ids, new_ids)
    firsts, seconds = [], []
    for d in range(1, min(int(sizes.max()), MAX_CANDIDATES)):
        here = np.flatnonzero(is_new & (rank >= d) & (rank < MAX_CANDIDATES))
        if not len(here):
            break
        firsts.append(ids[here])
        seconds.append(ids[here - d])
    if not firsts:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    a, b = np.concatenate(firsts), np.concatenate(seconds)
    keep = a != b
    pairs = np.unique(np.stack((a[keep], b[keep]), axis=1), axis=0)
    return pairs[:, 0], pairs[:, 1]


def _confirm(c: sqlite3.Connection, new: list, news: np.ndarray, olds: np.ndarray) -> list[tuple[int, int]]:
    """Join each new article to the story of its most similar candidate (at least SAME_STORY;
    ties go to the earliest), in id order, so a story's id is its first article."""
    minhash = {aid: mh for aid, _, mh in new}
    story: dict[int, int] = {}
    wanted = sorted(set(olds.tolist()) - minhash.keys())
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk:chunk + 500]
        for aid, sid, mh in c.execute(f"SELECT id, COALESCE(story_id, id), minhash FROM article WHERE id IN"
                                      f" ({','.join('?' * len(part))})", part):
            minhash[aid], story[aid] = mh, sid
    sims = _similarities(minhash, news, olds)
    ok = sims >= SAME_STORY
    news, olds, sims = news[ok], olds[ok], sims[ok]
    if not len(news):
        return []
    order = np.lexsort((olds, -sims, news))  # per new article: most similar first, then earliest
    news, olds = news[order], olds[order]
    first = np.r_[True, news[1:] != news[:-1]]
    found, updates = [], []
    for aid, best in zip(news[first].tolist(), olds[first].tolist()):  # ascending id
        story[aid] = story.get(best, best)
        found.append((aid, best))
        updates.append((story[aid], aid))
    c.executemany("UPDATE article SET story_id=? WHERE id=?", updates)
    return found


def _similarities(minhash: dict[int, bytes | None], news: np.ndarray, olds: np.ndarray) -> np.ndarray:
    """``similarity(minhash[a], minhash[b])`` for every pair, at once."""
    involved = np.unique(np.concatenate((news, olds)))
    blobs = [minhash.get(aid) for aid in involved.tolist()]
    valid = np.array([blob is not None and len(blob) == 4 * NUM_PERM for blob in blobs], dtype=bool)
    signatures = np.full((len(involved), NUM_PERM), 0xFFFFFFFF, dtype=np.uint32)
    if valid.any():
        joined = b"".join(blob for blob, ok in zip(blobs, valid.tolist()) if ok)
        signatures[valid] = np.frombuffer(joined, dtype="<u4").reshape(-1, NUM_PERM)
    empty = (signatures == 0xFFFFFFFF).all(axis=1)  # an empty body is like nothing
    a, b = np.searchsorted(involved, news), np.searchsorted(involved, olds)
    sims = np.count_nonzero(signatures[a] == signatures[b], axis=1) / NUM_PERM
    sims[empty[a] | empty[b]] = 0.0
    return sims


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
