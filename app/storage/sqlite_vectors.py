"""Article vectors in a SQLite archive (table article_vector, migration 0013_embeddings): what
the embed stage reads and writes, and the index the server searches: the in-memory VectorIndex
(exact), or from ``ann_min`` vectors on the approximate index saved beside the archive
(``archive.db-vectors/``, app/search/ann.py), memory-mapped and shared by the server's processes.
That one is built at the end of `import` and `embed`, or by a server in the background; while it
is missing or stale (vectors added since) the exact index answers, and a line says so. A mixin of
SqliteStore, like sqlite_indexes.IndexFiles; all of the vectors' SQL is here."""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import sys
import threading
import time

import numpy as np

from app.embeddings.text import DOC_CHARS
from app.search import ann
from app.search.vectors import VectorIndex, dequantise, quantise

log = logging.getLogger("newsarchive")

GENERATION_KEY = "vector_generation"  # bumped by every committed batch of vectors


def has_table(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='article_vector'").fetchone() is not None


def pending(conn: sqlite3.Connection, model: str, after_id: int, limit: int) -> list[tuple[int, str, str]]:
    """(id, title, start of body) of the next articles after ``after_id`` with no vector of
    ``model`` (none yet, or one from another model: a change of model re-embeds)."""
    return conn.execute(
        "SELECT a.id, a.title, substr(unz(a.body), 1, ?) FROM article a WHERE a.id > ? AND NOT EXISTS"
        " (SELECT 1 FROM article_vector v WHERE v.article_id = a.id AND v.model = ?) ORDER BY a.id LIMIT ?",
        (DOC_CHARS, after_id, model, limit)).fetchall()


def write(conn: sqlite3.Connection, model: str, ids: list[int], vectors: np.ndarray) -> None:
    """One batch of vectors in one transaction: a killed embed leaves whole batches or nothing."""
    codes, scales = quantise(vectors)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    dims = codes.shape[1]
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.executemany("DELETE FROM article_vector WHERE article_id = ?", [(i,) for i in ids])
        conn.executemany(
            "INSERT INTO article_vector(article_id, model, dims, scale, vector, embedded_at)"
            " SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM article WHERE id = ?)",  # deleted meanwhile: skip
            [(i, model, dims, float(s), c.tobytes(), now, i) for i, s, c in zip(ids, scales, codes)])
        if conn.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = ?",
                        (GENERATION_KEY,)).rowcount == 0:
            conn.execute("INSERT INTO meta(key, value) VALUES (?, '1')", (GENERATION_KEY,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def counts(conn: sqlite3.Connection, model: str) -> tuple[int, int]:
    """(articles with a vector of ``model``, articles)."""
    total = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    if not has_table(conn):
        return 0, total
    done = conn.execute("SELECT count(*) FROM article_vector WHERE model = ?", (model,)).fetchone()[0]
    return done, total


def _generation(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (GENERATION_KEY,)).fetchone()
    return row[0] if row else "0"


def load(conn: sqlite3.Connection, model: str, key: str) -> VectorIndex:
    rows = conn.execute("SELECT article_id, dims, scale, vector FROM article_vector WHERE model = ?"
                        " ORDER BY article_id", (model,)).fetchall()
    dims = rows[0][1] if rows else 0
    rows = [r for r in rows if r[1] == dims and len(r[3]) == dims]  # a damaged row is skipped, not fatal
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    scales = np.fromiter((r[2] for r in rows), dtype=np.float32, count=len(rows))
    codes = np.frombuffer(b"".join(r[3] for r in rows), dtype=np.int8).reshape(len(rows), dims)
    return VectorIndex(key, model, ids, dequantise(codes, scales) if len(rows) else np.zeros((0, dims), np.float32))


def model_count(conn: sqlite3.Connection, model: str) -> int:
    return conn.execute("SELECT count(*) FROM article_vector WHERE model = ?", (model,)).fetchone()[0]


ANN_BATCH = 50_000  # vectors read at a time while the approximate index is built


def build_ann(conn: sqlite3.Connection, folder: str, model: str, key: str, threads: int = 0) -> int:
    """Write the approximate index of ``model``'s vectors (of their most common dimension count)
    to ``folder``, read in batches (no copy of every row in memory); returns its size."""
    row = conn.execute("SELECT dims, count(*) FROM article_vector WHERE model = ? GROUP BY dims ORDER BY 2 DESC"
                       " LIMIT 1", (model,)).fetchone()
    if row is None:
        return 0
    dims, count = row
    builder, after = ann.Builder(folder, dims, count), 0
    try:
        while True:
            rows = conn.execute("SELECT article_id, vector FROM article_vector WHERE model = ? AND article_id > ?"
                                " ORDER BY article_id LIMIT ?", (model, after, ANN_BATCH)).fetchall()
            if not rows:
                break
            after = rows[-1][0]
            rows = [r for r in rows if len(r[1]) == dims][:count - builder.filled]  # damaged or added meanwhile: left out
            builder.add(np.fromiter((r[0] for r in rows), np.int64, len(rows)),
                        np.frombuffer(b"".join(r[1] for r in rows), np.int8).reshape(len(rows), dims))
        builder.finish(key, model, threads)
    except BaseException:
        builder.abandon()
        raise
    return builder.filled


class SqliteVectors:
    """The vectors of the archive for the store's embedder, reloaded when a batch is committed.
    ``vector_sql`` is the module of the backend's SQL (this one; app/storage/pg_vectors.py)."""

    embedder_name = "e5-small"  # open_store sets it from the settings
    vector_sql = sys.modules[__name__]
    _vectors: VectorIndex | ann.AnnIndex | None = None
    _vectors_lock = threading.Lock()
    ann_min: int | None = 200_000  # vectors from which the approximate index serves (open_store sets it; None: never)
    vector_files = True  # PostgreSQL keeps nothing beside the archive
    _ann_next_look = 0.0
    _ann_said = ""

    def vector_counts(self, model: str) -> tuple[int, int]:
        return self.vector_sql.counts(self.conn(), model)

    def has_vectors(self) -> bool:
        """Whether any article has a vector (one row read): until then no model is loaded."""
        c = self.conn()
        return self.vector_sql.has_table(c) and c.execute("SELECT 1 FROM article_vector LIMIT 1").fetchone() is not None

    def vector_models(self) -> list[tuple[str, int]]:
        """(model, articles with a vector from it), most first."""
        c = self.conn()
        if not self.vector_sql.has_table(c):
            return []
        return c.execute("SELECT model, count(*) FROM article_vector GROUP BY model ORDER BY 2 DESC").fetchall()

    def vector_index(self, model: str) -> VectorIndex | None:
        """None when the archive has no vector table yet (an archive from before issue 11 that
        this read-only connection cannot migrate) or no vector of this model."""
        c = self.conn()
        if not self.vector_sql.has_table(c):
            return None
        key = f"{model}:{_generation(c)}"
        found = self._vectors
        if found is None or found.key != key or self._ann_due(found):
            with self._vectors_lock:
                if self._vectors is None or self._vectors.key != key or self._ann_due(self._vectors):
                    self._vectors = self._open_vectors(c, model, key)
                found = self._vectors
        return found if found.size else None

    def _ann_wanted(self, size: int) -> bool:
        return self.vector_files and self.ann_min is not None and size >= self.ann_min

    def _ann_due(self, found) -> bool:
        """An exact index standing in for a missing or stale approximate one: look for the file
        again (another process may have built it) every few seconds."""
        return (not isinstance(found, ann.AnnIndex) and self._ann_wanted(found.size)
                and time.monotonic() >= self._ann_next_look)

    def _open_vectors(self, c: sqlite3.Connection, model: str, key: str):
        """The approximate index when the archive is large enough and its file is there and
        current; else the exact one (and, in a server, a background build of the file)."""
        size = model_count(c, model) if self.vector_files and self.ann_min is not None else 0
        if self._ann_wanted(size):
            problem = ann.available()
            folder = self.cache_path("vectors")
            found = ann.load(folder, key) if problem is None else None
            if found is not None:
                return found
            self._ann_next_look = time.monotonic() + 5
            meta = ann.read_meta(folder) if problem is None else None
            why = problem or ("stale (built at %s, the vectors are at %s)" % (meta["key"], key) if meta else "missing")
            if self._ann_said != why:  # once per state, not once per request
                self._ann_said = why
                log.warning("newsarchive: approximate vector index %s: searching %s vectors exactly (in memory)"
                            " meanwhile", why, f"{size:,}")
            if problem is None and getattr(self, "build_postings", False):
                self._build_ann_in_background()
        return load(c, model, key)

    _ann_building = threading.Lock()

    def _build_ann_in_background(self) -> None:
        if not self._ann_building.locked():
            threading.Thread(target=self._in_background, daemon=True, args=(
                self._ann_building, "approximate vector index not built",
                lambda: self.build_vector_index(threads=1))).start()  # one core: the other keeps serving

    def build_vector_index(self, force: bool = False, threads: int = 0) -> int:
        """Build the approximate index beside the archive for its most common model, when it has
        at least ``ann_min`` vectors (``force``: whatever their number) and the file is missing or
        stale; one process at a time (a lock file); ``threads``: 0, every core. Returns the vectors
        indexed (0: none built)."""
        from app.storage.sqlite_indexes import _exclusive

        if not self.vector_files or ann.available() is not None:
            return 0
        models = self.vector_models()
        if not models or not (force or self._ann_wanted(models[0][1])):
            return 0
        model, c = models[0][0], self.conn()
        with _exclusive(self.cache_path("vectors.lock")) as mine:
            key = f"{model}:{_generation(c)}"
            meta = ann.read_meta(self.cache_path("vectors"))
            if not mine or (meta is not None and meta.get("key") == key):
                return 0
            return build_ann(c, self.cache_path("vectors"), model, key, threads)
