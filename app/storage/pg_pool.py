"""A bounded pool of read-only connections for one serving process (psycopg_pool), behind the
same sqlite3-shaped surface as app/storage/pg_conn.PgConnection.

Without it each of the server's threads (FastAPI runs a request in one of ~40) keeps a
connection of its own: 40 per `serve` worker process, whether busy or not. With it a process
holds at most NEWSARCHIVE_PG_POOL_SIZE, each lent for one statement: the rows are read whole and
the connection goes back (the serving store reads in autocommit, so no statement needs the
previous one's session; an explicit BEGIN keeps its connection until COMMIT or ROLLBACK). A
thread that finds every connection lent waits up to WAIT seconds. Used by `serve` on a primary;
with NEWSARCHIVE_READ_URLS the replicas' failover keeps one connection per thread.
"""
from __future__ import annotations

import threading

from psycopg_pool import ConnectionPool, PoolTimeout

from app.storage.pg_conn import ConnectionFailed, conninfo, redact, run, translate

WAIT = 30.0  # seconds a statement waits for a free connection


class Rows:
    """A statement's result read whole (its connection is back in the pool)."""

    def __init__(self, rows: list | None, rowcount: int, lastrowid: int | None = None):
        self.rows, self.rowcount, self.lastrowid = rows, rowcount, lastrowid

    def fetchone(self):
        return self.rows[0] if self.rows else None

    def fetchall(self):
        return list(self.rows or [])

    def fetchmany(self, n: int):
        out, self.rows = (self.rows or [])[:n], (self.rows or [])[n:]
        return out

    def __iter__(self):
        return iter(self.rows or [])


def _configure(raw) -> None:
    raw.autocommit = True
    raw.execute("SET default_transaction_read_only = on")


class PooledConnection:
    def __init__(self, url: str, size: int):
        self.url, self.size = url, size
        self.pool = ConnectionPool(conninfo(url), min_size=1, max_size=size, open=False, timeout=WAIT,
                                   kwargs={"connect_timeout": 10, "application_name": "newsarchive"},
                                   configure=_configure, name="newsarchive")
        try:
            self.pool.open(wait=True, timeout=15)
        except PoolTimeout:
            self.pool.close()
            raise ConnectionFailed(f"cannot connect to PostgreSQL at {redact(url)}: no connection within 15 s") from None
        self._held = threading.local()  # a thread's connection between BEGIN and COMMIT

    read_only = True

    @property
    def gone(self) -> bool:
        return self.pool.closed

    @property
    def in_transaction(self) -> bool:
        return getattr(self._held, "raw", None) is not None

    def execute(self, sql: str, params=()):
        raw = getattr(self._held, "raw", None)
        word = sql.strip().split(None, 1)[0].upper() if sql.strip() else ""
        if raw is None and word == "BEGIN":
            raw = self._held.raw = self.pool.getconn()
        if raw is not None:
            try:
                return _read(run(raw, sql, params))
            finally:
                if word in ("COMMIT", "ROLLBACK") or raw.broken:
                    self._held.raw = None
                    self.pool.putconn(raw)
        with self.pool.connection() as raw:
            return _read(run(raw, sql, params))

    def executemany(self, sql: str, seq) -> None:
        seq = [tuple(r) for r in seq]
        if seq:
            with self.pool.connection() as raw, raw.cursor() as cur:
                cur.executemany(translate(sql, True)[0], seq)

    def commit(self) -> None:
        if self.in_transaction:
            self.execute("COMMIT")

    def close(self) -> None:
        """The store's threads share the pool: it is closed with the store (``shut``)."""

    def shut(self) -> None:
        self.pool.close()


def _read(result) -> Rows:
    cur = result.cur
    return Rows(cur.fetchall() if cur.description else None, cur.rowcount, result.lastrowid)
