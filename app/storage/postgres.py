"""PostgreSQL implementation of the archive store (NEWSARCHIVE_DATABASE_URL=postgresql://...).

It is the SQLite store with another connection and another full-text index: the SQL both
backends share runs through app/storage/pg_conn.py (which translates the few dialect forms),
the full text is a tsvector per article (app/storage/pg_fts.py) searched with the FTS5
expressions the engine compiles, read back into tsquery (app/search/tsquery.py), and ranked by
the same bm25 as FTS5. The in-memory indexes (facets, vocabulary, the frequent words' numpy
postings of app/search/postings.py, built by app/storage/pg_postings.py) are built from the
server and kept in memory only: there is no folder beside the database to keep them in.
"""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager

import numpy as np

from app.search import docindex
from app.search.tsquery import to_tsquery
from app.storage import pg_fts, pg_maintenance, pg_postings, pg_vectors, sqlite_fts
from app.storage.base import DiskFull
from app.storage.pg_conn import PgConnection, redact
from app.storage.pg_replicas import ReadTargets, as_of_note
from app.storage.pg_writer import PgWriter
from app.storage.pg_writer import disk_full as _disk_full
from app.storage.sqlite import SqliteStore
from app.storage.sqlite_vectors import _generation as _vector_generation

_WHEN_DIGITS = re.compile(r"\D")


class PgStore(SqliteStore):
    vector_files = False  # no approximate index file beside a database server (pgvector has its own)
    backend = "postgresql"
    vector_sql = pg_vectors  # the same vectors table and in-memory search as on SQLite

    def __init__(self, url: str, *, read_only: bool = False, max_bytes: int | None = None,
                 read_urls: list[str] | None = None, max_lag: float = 30.0):
        super().__init__("sqlite://", read_only=read_only, max_bytes=max_bytes)
        self.url = url
        # The web side (read only) reads from replicas when there are; writers use the primary.
        self.reads = ReadTargets(url, read_urls or [], max_lag) if read_only else None
        self.path = redact(url)  # what messages name
        self.pool = None  # serve's bounded pool (use_pool), else one connection per thread
        self._pgvector: bool | None = None  # article_vector has the pgvector column (known once asked)
        self._server_vectors = None
        self._stats_lock = threading.Lock()

    # -- connections -------------------------------------------------------
    def connect(self, *, read_only: bool) -> PgConnection:
        return PgConnection(self.url, read_only=read_only)

    def vector_index(self, model: str):
        """With pgvector (migration 0014_pgvector) a search on the server's HNSW index; else the
        vectors loaded into memory, as on SQLite."""
        from app.storage.pg_vector_search import server_index

        if self._pgvector is None:
            self._pgvector = pg_vectors.has_pgvector(self.conn())
        if not self._pgvector:
            return super().vector_index(model)
        key = f"{model}:{_vector_generation(self.conn())}"
        found = self._server_vectors
        if found is None or found.key != key:
            found = self._server_vectors = server_index(self.conn, model, key)
        return found if found.size else None

    def use_pool(self, size: int) -> bool:
        """Serve through a pool of at most ``size`` connections (app/storage/pg_pool.py) instead
        of one per thread; not with replicas, whose failover is per connection. True when on."""
        from app.storage.pg_pool import PooledConnection

        if not self.read_only or (self.reads and self.reads.replicas):
            return False
        self.pool = PooledConnection(self.url, size)
        return True

    def conn(self) -> PgConnection:
        if self.pool is not None:
            return self.pool
        c = getattr(self._local, "conn", None)
        if c is not None and c.gone:  # e.g. its server went away: choose again
            c = None
        if c is None:
            c = self._local.conn = self.reads.connect() if self.reads else self.connect(read_only=self.read_only)
        return c

    @contextmanager
    def writer(self, paths: list[str]):
        conn = self.connect(read_only=False)
        w = None
        try:
            w = PgWriter(conn, paths, self.path)
            w.max_bytes = self.max_bytes
            yield w
            w.finish()
            if w.totals["added"]:
                pg_maintenance.settle(conn)
        except BaseException as exc:
            if not conn.gone and conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, DiskFull):
                raise
            if _disk_full(exc):
                kept, run_id = (w.totals["added"], w.run_id) if w else (0, 0)
                raise DiskFull(self.path, kept, run_id, str(exc)) from None
            raise
        finally:
            conn.close()

    def search(self, params):
        """The search; read from a lagging replica, its warnings say as of when. The archive's
        state is read once (a round trip each time): the whole search sees that state."""
        self._local.key = None
        self._local.key = self.index_key()
        try:
            results = super().search(params)
        finally:
            self._local.key = None
        if self.reads is not None and self.reads.replicas:
            note = as_of_note(self.conn())
            if note:
                results.warnings.append(note)
        return results

    # -- full text ---------------------------------------------------------
    # Over the frequent words' postings when they are built (app/storage/pg_postings.py: the
    # SQLite store's numpy core), else bm25 from the matches' positions (app/storage/pg_fts.py).
    def match_ids(self, match: str) -> np.ndarray:
        found = self._over_postings("match_ids", match)
        if found is not None:
            return found
        return pg_fts.match_ids(self.conn(), to_tsquery(match))

    def match_among(self, match: str, ids: np.ndarray) -> np.ndarray:
        """Those of ``ids`` that match: a NEAR is checked on their positions only (the engine's
        proximity tier asks for the best-scored matches first)."""
        return pg_fts.match_ids(self.conn(), to_tsquery(match), ids)

    def _stats(self) -> pg_fts.Stats:
        key = self.doc_index().generation  # the state the searches of this moment see
        with self._stats_lock:
            cached = getattr(self, "_bm25", None)
            if cached is None or cached[0] != key:
                cached = self._bm25 = (key, pg_fts.Stats(self.conn()))
        return cached[1]

    def scored(self, match: str) -> tuple[np.ndarray, np.ndarray]:
        found = self._over_postings("scored", match)
        if found is not None:
            return found
        return pg_fts.scored(self.conn(), to_tsquery(match), self._stats())

    def ranked_ids(self, match: str, offset: int, limit: int, within: np.ndarray | None = None) -> list[int]:
        """Ids by bm25, best first, ties by id (as ``ORDER BY rank, rowid`` on SQLite)."""
        found = self._over_postings("ranked_ids", match, offset, limit, within)
        if found is not None:
            return found
        ids, scores = self.scored(match)
        if within is not None:
            keep = within[self.doc_index().pos[ids]]
            ids, scores = ids[keep], scores[keep]
        order = np.lexsort((ids, scores))[offset:offset + limit]
        return ids[order].tolist()

    def integrity_check(self) -> bool:
        """Every article has its full-text row (PostgreSQL checks its own pages)."""
        row = self.conn().execute("SELECT (SELECT count(*) FROM article), (SELECT count(*) FROM article_fts),"
                                  " (SELECT count(*) FROM article a LEFT JOIN article_fts f ON f.article_id = a.id"
                                  " WHERE f.article_id IS NULL)").fetchone()
        return row[0] == row[1] and row[2] == 0

    def rebuild_fts(self) -> int:
        from app.ingest.prepare import index_columns

        c = self.connect(read_only=False)
        try:
            c.execute("BEGIN")
            c.execute("DELETE FROM article_fts")
            n, last = 0, 0
            while rows := c.execute("SELECT id, title, body, language FROM article WHERE id > ? ORDER BY id LIMIT 2000",
                                    (last,)).fetchall():
                for aid, title, body, lang in rows:
                    pg_fts.index_row(c, aid, *index_columns(title, body, lang)[:3])
                n, last = n + len(rows), rows[-1][0]
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('index_text', ?)", (sqlite_fts.INDEX_TEXT_VERSION,))
            c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
            c.execute("COMMIT")
            return n
        finally:
            c.close()

    # -- in-memory indexes, built from the server ---------------------------
    def index_key(self) -> str:
        return getattr(self._local, "key", None) or super().index_key()

    def cache_path(self, name: str) -> str:
        return f"/nonexistent/newsarchive-pg/{name}"  # never written: kept in memory only

    def _build_index(self, key: str) -> docindex.DocIndex:
        c = self.conn()
        rows = c.execute("SELECT id, language, source, COALESCE(published_at, imported_at), published_at, story_id"
                         " FROM article ORDER BY id").fetchall()
        return docindex.build(
            key, ((a, lang, src, _date_key(when), _date_key(pub), story) for a, lang, src, when, pub, story in rows),
            c.execute("SELECT article_id, entity_id, about, located_only FROM article_entity"),
            c.execute("SELECT article_id, tag FROM source_tag"),
        )

    def doc_index(self) -> docindex.DocIndex:
        key = self.index_key()
        with self._index_lock:
            if self._index is None or self._index.generation != key:
                self._index = self._build_index(key)
            return self._index

    def vocabulary(self):
        from app.search.suggest import vocabulary_from_fts

        key = self.index_key()
        cached = getattr(self, "_vocab", None)
        if cached is not None and cached[0] == key:
            return cached[1]
        with self._vocab_building:
            c = self.conn()
            stems = dict(c.execute("SELECT word, ndoc FROM ts_stat('SELECT doc FROM article_fts')").fetchall())
            vocab = vocabulary_from_fts(c, stems=stems)
            self._vocab = (key, vocab)
            return vocab

    def _build_postings(self, key: str):
        idx = self.doc_index()
        c = self.reads.connect() if self.reads else self.connect(read_only=True)  # a long read of its own
        try:
            return pg_postings.build(c, idx, key)
        finally:
            c.close()

    def _fast_text(self, idx, p):
        return pg_postings.PgFastText(self.conn(), idx, p, self._stats())

    def build_index_files(self, share_added: float) -> bool:
        return False  # nothing is kept beside a database server: each server builds them at start


def _date_key(value) -> int | None:
    """'YYYY-MM-DD HH:MM:SS' -> YYYYMMDDHHMMSS, as SQLite's strftime('%Y%m%d%H%M%S', ...)."""
    if not value:
        return None
    digits = _WHEN_DIGITS.sub("", str(value)[:19])
    if len(digits) == 8:
        digits += "000000"
    elif len(digits) == 12:
        digits += "00"
    return int(digits) if len(digits) == 14 else None
