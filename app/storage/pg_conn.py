"""A psycopg 3 connection with the sqlite3 surface the storage modules use (``execute`` with
``?`` parameters, ``executemany``, ``lastrowid``, ``in_transaction``), so that the SQL both
backends share (stories, versions, corrections, import reports, stats) is written once.

What differs between the dialects is translated here, in one place, and only for the forms our
SQL uses: ``?`` -> ``%s``; ``INSERT OR IGNORE`` / ``OR REPLACE`` -> ``ON CONFLICT``; SQLite's
two-argument ``max()`` / ``min()`` -> ``GREATEST`` / ``LEAST``; ``temp.`` -> ``pg_temp.``; ``BEGIN IMMEDIATE`` ->
``BEGIN``; a full-text lookup ``SELECT rowid FROM article_fts WHERE article_fts MATCH ?`` reads
the tsvector index instead (its FTS5 expression translated by app/search/tsquery.py).
Transactions are explicit (autocommit between BEGIN and COMMIT), as on our sqlite3 connections.
"""
from __future__ import annotations

import re
from functools import lru_cache

import psycopg
from psycopg.pq import TransactionStatus

from app.search.tsquery import to_tsquery
from app.storage.base import ConnectionLost  # noqa: F401  (raised by the PostgreSQL writer)

# Tables whose rows the app inserts with "OR REPLACE": their key, and columns when none are listed.
_KEYS = {"meta": ("key", ("key", "value")), "article_fingerprint": ("article_id", ("article_id", "minhash", "bands")),
         "near": ("aid", ("aid", "other"))}
_SERIAL = {"article", "import_run", "import_file", "entity_alias", "article_version", "mention", "saved_search"}
_LITERAL = re.compile(r"('(?:[^']|'')*')")
_INSERT = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\s+([\w.]+)\s*(\(([^)]*)\))?", re.I)
_FTS = re.compile(r"SELECT rowid FROM article_fts WHERE article_fts MATCH \?")


class ConnectionFailed(RuntimeError):
    """The PostgreSQL server named by the URL cannot be reached (refused, unknown, bad login)."""


def conninfo(url: str) -> str:
    """A libpq URL from our SQLAlchemy-style one (postgresql+psycopg:// -> postgresql://)."""
    return re.sub(r"^postgres(ql)?(\+\w+)?://", "postgresql://", url)


@lru_cache(maxsize=512)
def translate(sql: str, has_params: bool) -> tuple[str, bool]:
    """(PostgreSQL text of ``sql``, whether its first parameter is an FTS5 expression)."""
    fts = bool(_FTS.search(sql))
    if fts:
        sql = _FTS.sub("SELECT article_id FROM article_fts WHERE doc @@ CAST(? AS tsquery)", sql)
        sql = sql.replace("ORDER BY rowid", "ORDER BY article_id")
        if "ORDER BY" not in sql:  # FTS5 hands rows back by rowid
            sql = sql.replace(" LIMIT", " ORDER BY article_id LIMIT") if " LIMIT" in sql else sql + " ORDER BY article_id"
    if sql.strip().upper() == "BEGIN IMMEDIATE":
        return "BEGIN", False
    m = _INSERT.match(sql)
    if m:
        kind, table, cols = m.group(1).upper(), m.group(2), m.group(4)
        bare = table.split(".")[-1]
        sql = sql[:m.start()] + f"INSERT INTO {table}" + (f"({cols}) " if cols else " ") + sql[m.end():].lstrip()
        if kind == "IGNORE":
            sql += " ON CONFLICT DO NOTHING"
        else:
            key, default_cols = _KEYS[bare]
            names = [c.strip() for c in cols.split(",")] if cols else list(default_cols)
            sets = ", ".join(f"{n}=excluded.{n}" for n in names if n != key)
            sql += f" ON CONFLICT ({key}) DO UPDATE SET {sets}"
    parts = _LITERAL.split(sql)
    for i in range(0, len(parts), 2):  # outside string literals
        p = parts[i].replace("temp.", "pg_temp.")
        p = re.sub(r"\bmax\(([\w.]+),\s*([\w.]+)\)", r"GREATEST(\1, \2)", p)
        p = re.sub(r"\bmin\(([\w.]+),\s*([\w.]+)\)", r"LEAST(\1, \2)", p)
        if has_params:
            p = p.replace("%", "%%").replace("?", "%s")
        parts[i] = p
    if has_params:
        parts = [p if i % 2 == 0 else p.replace("%", "%%") for i, p in enumerate(parts)]
    return "".join(parts), fts


def _params(params, fts: bool):
    if not fts:
        return params
    params = list(params)
    params[0] = to_tsquery(params[0]).tsquery
    return params


class Result:
    def __init__(self, cur: psycopg.Cursor, lastrowid: int | None = None):
        self.cur, self.lastrowid = cur, lastrowid

    @property
    def rowcount(self) -> int:
        return self.cur.rowcount

    def fetchone(self):
        return self.cur.fetchone() if self.cur.description else None

    def fetchall(self):
        return self.cur.fetchall() if self.cur.description else []

    def fetchmany(self, n: int):
        return self.cur.fetchmany(n) if self.cur.description else []

    def __iter__(self):
        return iter(self.cur) if self.cur.description else iter(())


def run(raw: psycopg.Connection, sql: str, params=()) -> Result:
    """``sql`` (SQLite's dialect, ``?`` parameters) run on the psycopg connection ``raw``."""
    text, fts = translate(sql, bool(params))
    cur = raw.cursor()
    m = re.match(r"\s*INSERT INTO (\w+)", text)
    if m and m.group(1) in _SERIAL and "RETURNING" not in text and "ON CONFLICT" not in text:
        cur.execute(text + " RETURNING id", _params(params, fts) if params else None)
        row = cur.fetchone()
        return Result(cur, row[0] if row else None)
    cur.execute(text, _params(params, fts) if params else None)
    return Result(cur)


class PgConnection:
    def __init__(self, url: str, *, read_only: bool = False, application_name: str = "newsarchive"):
        try:
            self.raw = psycopg.connect(conninfo(url), autocommit=True, connect_timeout=10,
                                       application_name=application_name)
        except psycopg.OperationalError as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise ConnectionFailed(f"cannot connect to PostgreSQL at {redact(url)}: {reason}") from None
        self.read_only = read_only
        if read_only:  # the web side reads: PostgreSQL itself refuses any write on this session
            self.raw.execute("SET default_transaction_read_only = on")

    @property
    def gone(self) -> bool:
        """Closed, or broken by a server that went away."""
        return self.raw.closed or self.raw.broken

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params=()) -> Result:
        return run(self.raw, sql, params)

    def executemany(self, sql: str, seq) -> None:
        seq = [tuple(r) for r in seq]
        if seq:
            text, _ = translate(sql, True)
            with self.raw.cursor() as cur:
                cur.executemany(text, seq)

    def __enter__(self) -> "PgConnection":
        return self

    def __exit__(self, kind, exc, tb) -> None:  # as sqlite3's: end the transaction, keep the connection
        if self.in_transaction:
            self.raw.execute("ROLLBACK" if kind else "COMMIT")

    def commit(self) -> None:
        if self.in_transaction:
            self.raw.execute("COMMIT")

    def close(self) -> None:
        self.raw.close()


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)
