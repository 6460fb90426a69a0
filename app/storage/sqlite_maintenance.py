"""Checking and copying a SQLite archive: ``newsarchive check`` and ``newsarchive backup``.

The checks read only; the backup uses SQLite's online backup API in one step, which reads one
consistent snapshot (WAL: imports and the server go on meanwhile) — https://sqlite.org/backup.html
"""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

# Rows that belong to an article: an orphan is a row whose article is gone.
ARTICLE_CHILDREN = ("article_entity", "mention", "source_tag", "tag_override", "article_version")


@dataclass
class Finding:
    name: str
    ok: bool
    detail: str


def _one(c: sqlite3.Connection, sql: str) -> int:
    return c.execute(sql).fetchone()[0]


def _integrity(c: sqlite3.Connection, quick: bool) -> Finding:
    rows = [r[0] for r in c.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()]
    what = "quick check" if quick else "integrity check"
    return Finding("sqlite", rows == ["ok"], f"SQLite {what}: " + ("ok" if rows == ["ok"] else "; ".join(rows[:5])))


def _fts_index(path: str) -> Finding:
    """https://sqlite.org/fts5.html#the_integrity_check_command: the index against its content.
    It is written as an INSERT, so it needs a writable connection; it changes nothing (rolled back)."""
    c = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        c.execute("BEGIN")
        c.execute("INSERT INTO article_fts(article_fts, rank) VALUES('integrity-check', 1)")
        return Finding("fts5", True, "FTS5 integrity check: ok")
    except sqlite3.OperationalError as exc:
        if "readonly" in str(exc) or "locked" in str(exc):
            return Finding("fts5", True, f"FTS5 integrity check: skipped ({exc})")
        return Finding("fts5", False, f"FTS5 integrity check: {exc} (newsarchive rebuild-fts repairs it)")
    except sqlite3.DatabaseError as exc:
        return Finding("fts5", False, f"FTS5 integrity check: {exc} (newsarchive rebuild-fts repairs it)")
    finally:
        if c.in_transaction:
            c.execute("ROLLBACK")
        c.close()


def _fts(c: sqlite3.Connection, path: str) -> list[Finding]:
    index = _fts_index(path)
    missing = _one(c, "SELECT count(*) FROM article WHERE id NOT IN (SELECT rowid FROM article_fts)")
    extra = _one(c, "SELECT count(*) FROM article_fts WHERE rowid NOT IN (SELECT id FROM article)")
    rows = Finding("fts5-rows", not missing and not extra,
                   f"full-text rows: {missing} articles not indexed, {extra} rows without an article"
                   + (" (newsarchive rebuild-fts repairs it)" if missing or extra else ""))
    return [index, rows]


def _orphans(c: sqlite3.Connection) -> list[Finding]:
    out = []
    for table in ARTICLE_CHILDREN:
        n = _one(c, f"SELECT count(*) FROM {table} WHERE article_id NOT IN (SELECT id FROM article)")
        out.append(Finding(f"orphans-{table}", n == 0, f"{table}: {n} rows whose article is missing"))
    n = _one(c, "SELECT count(*) FROM article WHERE story_id IS NOT NULL AND story_id NOT IN (SELECT id FROM article)")
    out.append(Finding("orphans-story", n == 0, f"stories: {n} articles in a story whose first article is missing"))
    n = _one(c, "SELECT count(*) FROM import_file WHERE import_id NOT IN (SELECT id FROM import_run)")
    out.append(Finding("orphans-import_file", n == 0, f"import reports: {n} lines of a missing import"))
    bad_keys = c.execute("PRAGMA foreign_key_check").fetchall()
    out.append(Finding("foreign-keys", not bad_keys, f"foreign keys: {len(bad_keys)} rows point nowhere"))
    return out


def counts(c: sqlite3.Connection) -> dict[str, int]:
    tables = ("article", "article_version", "article_entity", "mention", "source_tag", "import_run",
              "import_file", "entity_alias", "entity_merge", "tag_override")
    found = {t: _one(c, f"SELECT count(*) FROM {t}") for t in tables}
    from app.storage import pg_vectors, sqlite_vectors

    if (sqlite_vectors if isinstance(c, sqlite3.Connection) else pg_vectors).has_table(c):  # from 0013 on
        found["article_vector"] = _one(c, "SELECT count(*) FROM article_vector")
    return found


def check(path: str, *, quick: bool = False) -> tuple[list[Finding], dict[str, int]]:
    """Every check of the archive at ``path`` (read-only), and its row counts."""
    c = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
    try:
        c.execute("PRAGMA busy_timeout=30000")
        findings = [_integrity(c, quick)]
        if not findings[0].ok:
            return findings, {}
        findings += _fts(c, path) + _orphans(c)
        return findings, counts(c)
    finally:
        c.close()


@dataclass
class BackupReport:
    path: str
    articles: int
    size: int
    seconds: float


def backup(source: str, dest: str) -> BackupReport:
    """A consistent copy of the archive at ``dest`` (which must not exist), written to a temporary
    file first and renamed, so a failed backup leaves nothing that looks like one."""
    target = Path(dest)
    if target.exists():
        raise FileExistsError(f"{dest} already exists: give a new file name (a backup never overwrites)")
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    start = time.monotonic()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(tmp)
    try:
        src.execute("PRAGMA busy_timeout=30000")
        src.backup(dst)  # pages=-1: the whole database from one read snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        ok = dst.execute("PRAGMA quick_check").fetchone()[0]
        if ok != "ok":
            raise sqlite3.DatabaseError(f"the copy failed its check: {ok}")
        articles = _one(dst, "SELECT count(*) FROM article")
    except BaseException:
        dst.close()
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    dst.close()
    os.replace(tmp, target)
    return BackupReport(str(target), articles, target.stat().st_size, time.monotonic() - start)
