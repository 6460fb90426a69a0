"""Search by meaning on the server, with pgvector's HNSW index (migration 0014_pgvector), in
place of the in-memory VectorIndex (app/search/vectors.py): nothing is loaded into the server
process. Same surface as VectorIndex for app/search/hybrid.py and app/search/similar.py, plus
``close`` and ``similarities``, which hybrid.gather uses when ``candidates_only`` is set (as for app/search/ann.py): the
nearest articles from the index, and the similarity of the keyword candidates only (the
in-memory path scores every vector; the fusion reads no other).

The vectors are the in-memory index's own (the dequantised int8 codes), and HNSW with a search
list of at least twice the number wanted returns the exact nearest ones on archives like ours
in practice, but it is an approximate index: on a large archive an answer can miss a close
article that the exact search would rank. Filters are applied to what the index returns,
asking for more (``hnsw.iterative_scan``, pgvector 0.8) until enough pass.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from app.storage.pg_vectors import _text

MAX_EF = 1000  # pgvector's ceiling for hnsw.ef_search


class Allowed:
    """What a search may return: articles the DocIndex holds (``doc_pos`` >= 0), within ``mask``."""

    def __init__(self, doc_pos: np.ndarray, mask: np.ndarray | None):
        self.doc_pos, self.mask = doc_pos, mask

    def keep(self, ids: np.ndarray) -> np.ndarray:
        rows = np.full(len(ids), -1, dtype=np.int64)
        inside = ids < len(self.doc_pos)
        rows[inside] = self.doc_pos[ids[inside]]
        ok = rows >= 0
        if self.mask is not None:
            ok[ok] = self.mask[rows[ok]]
        return ok


class ServerVectors:
    candidates_only = True

    def __init__(self, conn: Callable, key: str, model: str, dims: int, size: int, iterative: bool):
        self.conn, self.key, self.model, self.dims, self.size = conn, key, model, dims, size
        self.iterative = iterative  # pgvector >= 0.8: the index goes on past a filter's losses

    def allowed(self, doc_pos: np.ndarray, mask: np.ndarray | None) -> Allowed:
        return Allowed(doc_pos, mask)

    def alive_count(self, doc_pos: np.ndarray) -> int:
        return self.size  # the vectors of deleted articles go with them (ON DELETE CASCADE)

    def _ranked(self, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        d = int(self.dims)
        c = self.conn()
        c.execute("BEGIN")
        try:
            c.execute(f"SET LOCAL hnsw.ef_search = {min(MAX_EF, max(40, 2 * limit))}")
            if self.iterative:
                c.execute("SET LOCAL hnsw.iterative_scan = relaxed_order")
            rows = c.execute(
                f"SELECT article_id, 1 - (embedding::vector({d}) <=> CAST(? AS vector({d}))) FROM article_vector"
                f" WHERE dims = {d} AND model = ? ORDER BY embedding::vector({d}) <=> CAST(? AS vector({d})) LIMIT ?",
                (_text(query), self.model, _text(query), limit)).fetchall()
        finally:
            c.execute("COMMIT")
        return rows

    def nearest(self, query: np.ndarray, k: int, allowed: Allowed | None = None) -> tuple[np.ndarray, np.ndarray]:
        """The k closest allowed articles, closest first (ties by id): (ids, similarities)."""
        limit = k
        while True:
            rows = self._ranked(query, limit)
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            sims = np.array([r[1] for r in rows], dtype=np.float64)
            if allowed is not None:
                ok = allowed.keep(ids)
                ids, sims = ids[ok], sims[ok]
            if len(ids) >= k or len(rows) < limit or limit >= self.size:
                break
            limit = min(self.size, limit * 4)
        order = np.lexsort((ids, -sims))[:k]
        return ids[order], sims[order]

    def close(self, query: np.ndarray, k: int, floor: float, allowed: Allowed) -> tuple[np.ndarray, np.ndarray]:
        """The k closest allowed articles at least ``floor`` similar, closest first."""
        ids, sims = self.nearest(query, k, allowed)
        keep = sims >= floor
        return ids[keep], sims[keep]

    def similarities(self, query: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(ids ascending, similarity) of those of ``ids`` that have a vector."""
        if not len(ids):
            return np.empty(0, dtype=np.int64), np.empty(0)
        d = int(self.dims)
        rows = self.conn().execute(
            f"SELECT article_id, 1 - (embedding::vector({d}) <=> CAST(? AS vector({d}))) FROM article_vector"
            f" WHERE dims = {d} AND model = ? AND article_id = ANY(?) ORDER BY article_id",
            (_text(query), self.model, [int(i) for i in ids])).fetchall()
        return (np.array([r[0] for r in rows], dtype=np.int64), np.array([r[1] for r in rows], dtype=np.float64))

    def vector_of(self, article_id: int) -> np.ndarray | None:
        row = self.conn().execute("SELECT embedding::text FROM article_vector WHERE article_id = ? AND model = ?",
                                  (article_id, self.model)).fetchone()
        if row is None or row[0] is None:
            return None
        return np.array(row[0].strip("[]").split(","), dtype=np.float32)


def server_index(conn: Callable, model: str, key: str) -> ServerVectors:
    """The pgvector search over the vectors of ``model`` (of its most common dimension count)."""
    c = conn()
    row = c.execute("SELECT dims, count(*) FROM article_vector WHERE model = ? AND embedding IS NOT NULL"
                    " GROUP BY dims ORDER BY 2 DESC LIMIT 1", (model,)).fetchone()
    version = c.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'").fetchone()
    major_minor = tuple(int(x) for x in (version[0] if version else "0.0").split(".")[:2])
    return ServerVectors(conn, key, model, row[0] if row else 0, row[1] if row else 0, major_minor >= (0, 8))
