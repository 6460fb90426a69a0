"""``newsarchive check`` and ``newsarchive backup`` on a PostgreSQL archive.

PostgreSQL checks its own pages and enforces the foreign keys, so the check looks at what only
we know: every article has its full-text row and no row is left without its article (the same
findings as on SQLite). A backup of a database server is the server's own tool: ``pg_dump``
(custom format, one consistent snapshot while imports and searches go on), restored with
``pg_restore``. https://www.postgresql.org/docs/15/app-pgdump.html
"""
from __future__ import annotations

import logging
import shutil
import subprocess
import time
from pathlib import Path

import psycopg

from app.storage.pg_conn import PgConnection, conninfo, redact
from app.storage.sqlite_maintenance import ARTICLE_CHILDREN, BackupReport, Finding, counts


def _one(c: PgConnection, sql: str) -> int:
    return c.execute(sql).fetchone()[0]


def check(url: str) -> tuple[list[Finding], dict[str, int]]:
    c = PgConnection(url, read_only=True)
    try:
        version = c.execute("SHOW server_version").fetchone()[0]
        findings = [Finding("postgresql", True, f"PostgreSQL {version}: reachable, read-only session")]
        missing = _one(c, "SELECT count(*) FROM article a WHERE NOT EXISTS (SELECT 1 FROM article_fts f WHERE f.article_id = a.id)")
        findings.append(Finding("fts-rows", not missing, f"full-text rows: {missing} articles not indexed"
                                + (" (newsarchive rebuild-fts repairs it)" if missing else "")))
        for table in ARTICLE_CHILDREN:
            n = _one(c, f"SELECT count(*) FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM article a WHERE a.id = t.article_id)")
            findings.append(Finding(f"orphans-{table}", n == 0, f"{table}: {n} rows whose article is missing"))
        n = _one(c, "SELECT count(*) FROM article a WHERE story_id IS NOT NULL AND NOT EXISTS"
                    " (SELECT 1 FROM article s WHERE s.id = a.story_id)")
        findings.append(Finding("orphans-story", n == 0, f"stories: {n} articles in a story whose first article is missing"))
        return findings, counts(c)
    finally:
        c.close()


def dump_command(url: str, dest: str) -> list[str]:
    return [shutil.which("pg_dump") or "pg_dump", "--format=custom", "--no-owner", f"--file={dest}", conninfo(url)]


def backup(url: str, dest: str) -> BackupReport:
    """``pg_dump`` of the archive into ``dest`` (which must not exist), through a temporary file."""
    target = Path(dest)
    if target.exists():
        raise FileExistsError(f"{dest} already exists: give a new file name (a backup never overwrites)")
    if not shutil.which("pg_dump"):
        raise OSError("pg_dump is not on PATH: install the PostgreSQL client (apt-get install postgresql-client)"
                      f" and run: {' '.join(dump_command(redact(url), dest))}")
    tmp = target.with_name(f".{target.name}.partial")
    tmp.unlink(missing_ok=True)
    start = time.monotonic()
    result = subprocess.run(dump_command(url, str(tmp)), capture_output=True, text=True)
    if result.returncode != 0:
        tmp.unlink(missing_ok=True)
        raise OSError(f"pg_dump failed: {result.stderr.strip()[:500]}")
    c = PgConnection(url, read_only=True)
    try:
        articles = _one(c, "SELECT count(*) FROM article")
    finally:
        c.close()
    tmp.replace(target)
    return BackupReport(str(target), articles, target.stat().st_size, time.monotonic() - start)


def settle(c: PgConnection) -> None:
    """After an import that added articles: the GIN index's pending list merged into the index
    (fastupdate keeps up to 4 MB of new entries in a list that every search scans: right after a
    6,000-article import a two-word match took 108 ms, 0.7 ms once the list was merged) and the planner's statistics refreshed, rather
    than leaving both to the next autovacuum. A failure (not the tables' owner) is only logged."""
    try:
        c.execute("SELECT gin_clean_pending_list('ix_article_fts_doc'::regclass)")
        c.execute("ANALYZE article, article_fts, article_entity, source_tag")
    except psycopg.Error as exc:
        logging.getLogger("newsarchive").warning("newsarchive: index maintenance after the import skipped: %s",
                                                 str(exc).strip().splitlines()[0] if str(exc).strip() else exc)
