"""Article vectors in a SQLite archive (table article_vector, migration 0013_embeddings): what
the embed stage reads and writes, and the in-memory VectorIndex the server searches. A mixin of
SqliteStore, like sqlite_indexes.IndexFiles; all of the vectors' SQL is here."""
from __future__ import annotations

import datetime as dt
import sqlite3
import sys
import threading

import numpy as np

from app.embeddings.text import DOC_CHARS
from app.search.vectors import VectorIndex, dequantise, quantise

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


class SqliteVectors:
    """The vectors of the archive for the store's embedder, reloaded when a batch is committed.
    ``vector_sql`` is the module of the backend's SQL (this one; app/storage/pg_vectors.py)."""

    embedder_name = "use-m3"  # open_store sets it from the settings
    vector_sql = sys.modules[__name__]
    _vectors: VectorIndex | None = None
    _vectors_lock = threading.Lock()

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
        if found is None or found.key != key:
            with self._vectors_lock:
                if self._vectors is None or self._vectors.key != key:
                    self._vectors = load(c, model, key)
                found = self._vectors
        return found if found.size else None
