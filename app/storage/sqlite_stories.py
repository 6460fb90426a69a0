"""SQL for near-duplicate stories, related articles and versions (issue 4).

A story is a group of near-duplicates (reprints, wire copy with small edits): each article's
``story_id`` is NULL while it is alone, or the id of the story's first article. Articles with an
id above ``meta.stories_done`` have not been grouped yet. Candidates
come from LSH band keys (``article_fingerprint.bands``), confirmed by MinHash similarity
(``app.ingest.stories``). "Related" articles share passages but are other stories.
"""
from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

import numpy as np

from app.storage.sqlite_text import unz
from app.ingest.stories import BANDS, NUM_PERM, SAME_STORY, Fingerprint

MAX_CANDIDATES = 50
# Memory of the grouping pass: band keys sorted at once (16 bytes each with their article, and a
# few times that while sorting: ~0.5 GB at 8M keys, i.e. ~380k articles); beyond, partitions.
KEYS_IN_MEMORY = 8_000_000
READ_ROWS = 20_000  # fingerprint rows read at a time
CONFIRM_PAIRS = 1_000_000  # candidate pairs whose similarity is computed at once
# "Related": passages shared word for word, as runs of WINDOW indexed words every STEP words.
WINDOW, STEP, MAX_WINDOWS = 6, 3, 150
RELATED_WINDOWS = 3  # a stock phrase shares one or two runs; a shared passage shares more


def assign_stories(c: sqlite3.Connection) -> list[tuple[int, int]]:
    """Group every article not yet grouped (id above ``meta.stories_done``) with its near-duplicates.

    Runs once at the end of each import (and picks up the articles of an import that was
    killed before it): the band keys of the whole archive give the candidate pairs (in memory
    up to KEYS_IN_MEMORY keys, else partition by partition through temporary files, so memory
    stays flat however big the archive), MinHash similarity confirms them, earliest article
    first, so a story's id is its first article. Returns (article id, most similar earlier
    article) per near-duplicate found."""
    done_row = c.execute("SELECT value FROM meta WHERE key='stories_done'").fetchone()
    done = int(done_row[0]) if done_row else 0
    last = c.execute("SELECT COALESCE(max(id), 0) FROM article").fetchone()[0]
    found: list[tuple[int, int]] = []
    if c.execute("SELECT 1 FROM article_fingerprint WHERE article_id > ? AND bands IS NOT NULL LIMIT 1",
                 (done,)).fetchone():
        found = _confirm(c, _candidates(c, done))
    # A watermark, not story_id = id on every article: that UPDATE rewrote every row.
    c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('stories_done', ?)", (str(last),))
    return found


def _band_rows(c: sqlite3.Connection):
    cur = c.execute("SELECT article_id, bands FROM article_fingerprint WHERE bands IS NOT NULL")
    while rows := cur.fetchmany(READ_ROWS):
        yield _decode(rows)


def _decode(rows: list[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """(band keys, their article ids) of (article id, bands blob) rows."""
    blobs = [blob for _, blob in rows]
    keys = np.frombuffer(b"".join(blobs), dtype="<i8")
    ids = np.repeat(np.fromiter((aid for aid, _ in rows), dtype=np.int64, count=len(rows)),
                    np.fromiter(map(len, blobs), dtype=np.int64, count=len(rows)) // 8)
    return keys, ids


def _candidates(c: sqlite3.Connection, done: int) -> np.ndarray:
    """Unique (new article, earlier article) pairs sharing a band key, as ``new << 32 | earlier``
    sorted (new articles: id above ``done``)."""
    total = c.execute("SELECT count(*) FROM article_fingerprint WHERE bands IS NOT NULL").fetchone()[0] * BANDS
    parts = 1
    while total / parts > KEYS_IN_MEMORY:
        parts *= 2
    if parts == 1:
        chunks = list(_band_rows(c))
        keys, ids = np.concatenate([k for k, _ in chunks]), np.concatenate([i for _, i in chunks])
        return np.unique(_pairs_of(keys, ids, done))
    # Each key goes to the partition key % parts, so a key's whole group is in one partition.
    with tempfile.TemporaryDirectory(prefix="newsarchive-bands-") as tmp:
        files = [open(Path(tmp) / f"{p}.bin", "wb") for p in range(parts)]
        try:
            for keys, ids in _band_rows(c):
                which = keys % parts
                order = np.argsort(which, kind="stable")
                bounds = np.searchsorted(which[order], np.arange(parts + 1))
                for p, f in enumerate(files):
                    part = order[bounds[p]:bounds[p + 1]]
                    np.stack((keys[part], ids[part]), axis=1).tofile(f)
        finally:
            for f in files:
                f.close()
        found = []
        for p in range(parts):
            pairs = np.fromfile(Path(tmp) / f"{p}.bin", dtype=np.int64).reshape(-1, 2)
            found.append(np.unique(_pairs_of(pairs[:, 0], pairs[:, 1], done)))
    return np.unique(np.concatenate(found))


def _pairs_of(keys: np.ndarray, ids: np.ndarray, done: int) -> np.ndarray:
    """``new << 32 | earlier`` for every pair sharing a key, each new article with the articles
    before it in the key's group (by id); only the first MAX_CANDIDATES of a group count (a key
    shared by hundreds is boilerplate). Vectorised: one pass per distance d between the two
    articles' places in their group."""
    order = np.lexsort((ids, keys))
    keys, ids = keys[order], ids[order]
    if not len(keys):
        return np.empty(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    rank = np.arange(len(keys)) - np.repeat(starts, sizes)  # place within the key's group
    is_new = ids > done
    found = []
    for d in range(1, min(int(sizes.max()), MAX_CANDIDATES)):
        here = np.flatnonzero(is_new & (rank >= d) & (rank < MAX_CANDIDATES))
        if not len(here):
            break
        a, b = ids[here], ids[here - d]
        found.append((a[a != b] << 32) | b[a != b])
    return np.concatenate(found) if found else np.empty(0, dtype=np.int64)


def _confirm(c: sqlite3.Connection, pairs: np.ndarray) -> list[tuple[int, int]]:
    """Join each new article to the story of its most similar candidate (at least SAME_STORY;
    ties go to the earliest), in id order, so a story's id is its first article. Similarities
    are computed CONFIRM_PAIRS pairs at a time."""
    story: dict[int, int] = {}
    confirmed = [_confirmed(c, pairs[i:i + CONFIRM_PAIRS], story) for i in range(0, len(pairs), CONFIRM_PAIRS)]
    news = np.concatenate([n for n, _, _ in confirmed]) if confirmed else np.empty(0, dtype=np.int64)
    olds = np.concatenate([o for _, o, _ in confirmed]) if confirmed else np.empty(0, dtype=np.int64)
    sims = np.concatenate([s for _, _, s in confirmed]) if confirmed else np.empty(0)
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


def _confirmed(c: sqlite3.Connection, pairs: np.ndarray, story: dict[int, int]):
    """(news, olds, similarities) of the pairs at or above SAME_STORY; fills ``story`` with the
    current story of the earlier articles involved."""
    news, olds = pairs >> 32, pairs & 0xFFFFFFFF
    minhash: dict[int, bytes | None] = {}
    wanted = np.unique(np.concatenate((news, olds))).tolist()
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk:chunk + 500]
        marks = ",".join("?" * len(part))
        minhash.update(c.execute(f"SELECT article_id, minhash FROM article_fingerprint WHERE article_id IN ({marks})", part))
    sims = _similarities(minhash, news, olds)
    ok = sims >= SAME_STORY
    news, olds, sims = news[ok], olds[ok], sims[ok]
    wanted = sorted(set(olds.tolist()) - story.keys())
    for chunk in range(0, len(wanted), 500):
        part = wanted[chunk:chunk + 500]
        story.update(c.execute(f"SELECT id, COALESCE(story_id, id) FROM article WHERE id IN ({','.join('?' * len(part))})", part))
    return news, olds, sims


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


def save_fingerprint(c: sqlite3.Connection, article_id: int, fp: Fingerprint | None) -> None:
    if fp is None:
        c.execute("DELETE FROM article_fingerprint WHERE article_id=?", (article_id,))
    else:
        # An upsert, not INSERT OR REPLACE: a REPLACE (that could delete a row under a foreign key)
        # runs in a statement savepoint, and every savepoint makes FTS5 write its pending terms out
        # as a new segment; between two articles' full-text rows that made one segment per article.
        c.execute("INSERT INTO article_fingerprint(article_id, minhash, bands) VALUES (?,?,?)"
                  " ON CONFLICT(article_id) DO UPDATE SET minhash=excluded.minhash, bands=excluded.bands",
                  (article_id, fp.minhash, band_blob(fp)))


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

    row = c.execute("SELECT unz(body), language, COALESCE(story_id, id) FROM article WHERE id=?", (article_id,)).fetchone()
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
    c.execute("INSERT INTO article_version(article_id, version, title, body, original_z, original_bytes,"
              " content_hash, origin, published_at, imported_at) SELECT id, ?, title, body, original_z,"
              " original_bytes, content_hash, origin, published_at, imported_at FROM article WHERE id=?",
              (n, article_id))
    return n


def versions(c: sqlite3.Connection, article_id: int) -> list[dict]:
    rows = c.execute("SELECT version, title, content_hash, origin, published_at, imported_at FROM article_version"
                     " WHERE article_id=? ORDER BY version", (article_id,))
    keys = ("version", "title", "content_hash", "origin", "published_at", "imported_at")
    return [dict(zip(keys, r)) for r in rows]


def version(c: sqlite3.Connection, article_id: int, number: int) -> dict | None:
    row = c.execute("SELECT version, title, unz(body), original_z, content_hash, origin, published_at, imported_at"
                    " FROM article_version WHERE article_id=? AND version=?", (article_id, number)).fetchone()
    if row is None:
        return None
    keys = ("version", "title", "body", "original_text", "content_hash", "origin", "published_at", "imported_at")
    return dict(zip(keys, (*row[:3], unz(row[3]) or "", *row[4:])))



def older_version_of(c: sqlite3.Connection, content_hash: str) -> int | None:
    row = c.execute("SELECT article_id FROM article_version WHERE content_hash=? LIMIT 1", (content_hash,)).fetchone()
    return row[0] if row else None
