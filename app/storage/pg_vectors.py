"""Article vectors in a PostgreSQL archive: the same table as on SQLite (article_vector,
migration 0013_embeddings: int8 codes in a bytea, one scale per vector) and the same in-memory
exact search (app/search/vectors.py), loaded from the server. The functions have the
signatures of app/storage/sqlite_vectors.py, whose module the embed stage and the store call
through ``store.vector_sql``; all of the vectors' PostgreSQL SQL is here."""
from __future__ import annotations

import datetime as dt

import numpy as np

from app.embeddings.text import DOC_CHARS
from app.search.vectors import dequantise, quantise
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
        if has_pgvector(conn):
            _hnsw(conn, dims)
            _fill(conn, list(ids), codes, scales)
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


# -- pgvector (migration 0014_pgvector): the same vectors in a `vector` column, searched on the server
def has_pgvector(conn) -> bool:
    """Whether article_vector has the pgvector column (the extension was there at migration)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'article_vector'"
                        " AND column_name = 'embedding' AND table_schema = current_schema())").fetchone()[0]


def _text(row: np.ndarray) -> str:
    return "[" + ",".join(map(repr, row.tolist())) + "]"


def _hnsw(conn, dims: int) -> None:
    """An HNSW index (cosine) over the vectors of ``dims`` dimensions: pgvector indexes a typed
    column only, so one partial expression index per dimension count."""
    conn.execute(f"CREATE INDEX IF NOT EXISTS ix_article_vector_hnsw_{int(dims)} ON article_vector USING hnsw"
                 f" ((embedding::vector({int(dims)})) vector_cosine_ops) WHERE dims = {int(dims)}")


def _fill(conn, ids: list[int], codes: np.ndarray, scales: np.ndarray) -> None:
    """The pgvector column of these rows: the very vectors the in-memory index would hold."""
    unit = dequantise(codes, scales)
    conn.executemany("UPDATE article_vector SET embedding = CAST(? AS vector) WHERE article_id = ?",
                     [(_text(v), i) for i, v in zip(ids, unit)])


def fill_embeddings(conn, batch: int = 2000) -> int:
    """Fill the pgvector column where it is empty (vectors copied in, or embedded before the
    extension was there), with its indexes; returns how many rows were filled. A damaged row
    (codes not of its length) stays empty, as it stays out of the in-memory index."""
    if not has_pgvector(conn):
        return 0
    done = last = 0
    while rows := conn.execute("SELECT article_id, dims, scale, vector FROM article_vector WHERE embedding IS NULL"
                               " AND length(vector) = dims AND article_id > ? ORDER BY article_id LIMIT ?",
                               (last, batch)).fetchall():
        conn.execute("BEGIN")
        for dims in sorted({r[1] for r in rows}):
            same = [r for r in rows if r[1] == dims]
            _hnsw(conn, dims)
            codes = np.frombuffer(b"".join(bytes(r[3]) for r in same), dtype=np.int8).reshape(len(same), dims)
            _fill(conn, [r[0] for r in same], codes, np.array([r[2] for r in same], dtype=np.float32))
        conn.execute("COMMIT")
        done, last = done + len(rows), rows[-1][0]
    return done
