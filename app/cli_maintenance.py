"""``newsarchive check`` and ``newsarchive backup``: is the archive whole, and a consistent copy of it."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Annotated, Optional

import typer
from sqlalchemy.engine import make_url

from app.config import Settings
from app.storage.pg_conn import redact

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file of the archive, or a postgresql:// URL (default: NEWSARCHIVE_DATABASE_URL or ./archive.db).")]


def _archive_path(db: str | None) -> str:
    """The SQLite file of the archive, or its postgresql:// URL."""
    from app.db import is_postgres

    url = Settings.for_path(db).database_url
    if is_postgres(url):
        return url
    path = make_url(url).database or ""
    if not Path(path).is_file():
        typer.echo(f"{path or '(no path)'}: no archive there (give --db PATH or set NEWSARCHIVE_DATABASE_URL)", err=True)
        raise typer.Exit(2)
    return path


def check(
    db: DbOpt = None,
    quick: Annotated[bool, typer.Option("--quick", help="SQLite's quick_check instead of the full integrity check (faster on big archives).")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings and counts as JSON.")] = False,
) -> None:
    """Check the archive: SQLite integrity, the full-text index against the articles, orphan rows,
    counts. Exit code 0 when all is well, 1 on any problem. Example: newsarchive check --db archive.db"""
    from app.db import is_postgres
    from app.storage.pg_conn import ConnectionFailed
    from app.storage.sqlite_maintenance import check as run_check

    path = _archive_path(db)
    try:
        if is_postgres(path):
            from app.storage.pg_maintenance import check as pg_check

            findings, counts = pg_check(path)
        else:
            findings, counts = run_check(path, quick=quick)
    except (sqlite3.DatabaseError, ConnectionFailed) as exc:
        typer.echo(f"{redact(path)}: not a readable archive ({exc})", err=True)
        raise typer.Exit(1) from None
    problems = [f for f in findings if not f.ok]
    if as_json:
        typer.echo(json.dumps({"ok": not problems, "findings": [f.__dict__ for f in findings], "counts": counts}, indent=2))
    else:
        for f in findings:
            typer.echo(f"{'ok     ' if f.ok else 'PROBLEM'}  {f.detail}")
        if counts:
            typer.echo("counts:  " + ", ".join(f"{k} {n:,}" for k, n in counts.items()))
        typer.echo(f"{len(problems)} problem(s) found" if problems else "the archive is consistent")
    raise typer.Exit(1 if problems else 0)


def backup(
    dest: Annotated[str, typer.Argument(help="File to write the copy to (must not exist yet).")],
    db: DbOpt = None,
) -> None:
    """Write a consistent copy of the archive while it is being served or imported into (SQLite's
    online backup API). Restore: stop `serve` and imports, replace the archive file with the copy and
    delete the old file's -wal and -shm, then run `newsarchive check`. On PostgreSQL this runs
    `pg_dump --format=custom` (restore with `pg_restore --dbname URL FILE`).

    Example: newsarchive backup backups/archive-2026-12-01.db
    """
    from app.db import is_postgres
    from app.storage.pg_conn import ConnectionFailed
    from app.storage.sqlite_maintenance import backup as run_backup

    path = _archive_path(db)
    try:
        if is_postgres(path):  # the server's own tool: pg_dump, restored with pg_restore
            from app.storage.pg_maintenance import backup as pg_backup

            report = pg_backup(path, dest)
        else:
            report = run_backup(path, dest)
    except (FileExistsError, OSError, sqlite3.Error, ConnectionFailed) as exc:
        typer.echo(f"backup failed: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(f"backed up {report.articles:,} articles ({report.size / 2**20:.1f} MB) to {report.path}"
               f" in {report.seconds:.1f} s", err=True)


def build_index_files(store, added: int, quiet: bool) -> None:
    """After an import: the facet index, the did-you-mean vocabulary and the frequent words'
    postings, saved beside the archive, so the next `serve` starts with them ready."""
    import time

    build = getattr(store, "build_index_files", None)
    total = store.stats().articles if build else 0
    if not build or not added or not total:
        return
    start = time.perf_counter()
    if build(added / total) and not quiet:
        typer.echo(f"index files beside the archive (facets, did-you-mean, postings) built in {time.perf_counter() - start:.1f} s",
                   err=True)
