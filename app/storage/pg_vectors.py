"""Article vectors in a PostgreSQL archive: the same table as on SQLite (article_vector,
migration 0013_embeddings: int8 codes in a bytea, one scale per vector) and the same in-memory
exact search (app/search/vectors.py), loaded from the server. The functions have the
signatures of app/storage/sqlite_vectors.py, whose module the embed stage and the store call
through ``store.vector_sql``; all of the vectors' PostgreSQL SQL is here."""
from __future__ import annotations

import datetime as dt

import numpy as np

from app.embeddings.text import DOC_CHARS
from app.search.vectors import quantise
from app.storage.sqlite_vectors import GENERATION_KEY, load  # noqa: F401  (portable SQL)


def has_table(conn) -> bool:
    return conn.execute("SELECT to_regclass('article_vector') IS NOT NULL").fetchone()[0]


def pending(conn, model: str, after_id: int, limit: int) -> list[tuple[int, str, str]]:
    """(id, title, start of body) of the next articles after ``after_id`` with no vector of
    ``model``; the body is plain text here (PostgreSQL compresses it itself)."""
    return conn.execute(
        "SELECT a.id, a.title, substr(a.body, 1, ?) FROM article a WHERE a.id > ? AND NOT EXISTS"
        " (SELECT 1 FROM article_vector v WHERE v.article_id = a.id AND v.model = ?) ORDER BY a.id LIMIT ?",
        (DOC_CHARS, after_id, model, limit)).fetchall()


def write(conn, model: str, ids: list[int], vectors: np.ndarray) -> None:
    """One batch of vectors in one transaction; an article deleted meanwhile is skipped."""
    codes, scales = quantise(vectors)
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    dims = codes.shape[1]
    conn.execute("BEGIN")
    try:
        conn.executemany(
            "INSERT INTO article_vector(article_id, model, dims, scale, vector, embedded_at)"
            " SELECT a.id, CAST(? AS text), CAST(? AS integer), CAST(? AS double precision), CAST(? AS bytea),"
            " CAST(? AS timestamp) FROM article a WHERE a.id = ?"
            " ON CONFLICT (article_id) DO UPDATE SET model = excluded.model, dims = excluded.dims,"
            " scale = excluded.scale, vector = excluded.vector, embedded_at = excluded.embedded_at",
            [(model, dims, float(s), c.tobytes(), now, i) for i, s, c in zip(ids, scales, codes)])
        conn.execute("INSERT INTO meta(key, value) VALUES (?, '1') ON CONFLICT (key)"
                     " DO UPDATE SET value = CAST(CAST(meta.value AS INTEGER) + 1 AS TEXT)", (GENERATION_KEY,))
        conn.execute("COMMIT")
    except BaseException:
        if not conn.gone:
            conn.execute("ROLLBACK")
        raise


def counts(conn, model: str) -> tuple[int, int]:
    """(articles with a vector of ``model``, articles)."""
    total = conn.execute("SELECT count(*) FROM article").fetchone()[0]
    if not has_table(conn):
        return 0, total
    return conn.execute("SELECT count(*) FROM article_vector WHERE model = ?", (model,)).fetchone()[0], total
