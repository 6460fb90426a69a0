"""``newsarchive copy --to URL``: the archive onto another backend (app/storage/copy.py)."""
from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer

from app.config import Settings

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file of the archive, or a postgresql:// URL (default: NEWSARCHIVE_DATABASE_URL or ./archive.db).")]


def copy(
    to: Annotated[str, typer.Option("--to", help="Where to copy the archive: a postgresql:// URL of an empty database, or a new SQLite file.")],
    db: DbOpt = None,
) -> None:
    """Copy the whole archive (articles with their ids, versions, stories, tags, corrections, import
    reports) to another database, e.g. from SQLite to PostgreSQL or back; the full-text index is
    rebuilt there. Resumable: run the same command again after an interruption. Verified by the
    row counts and a sample of searches. Exit code 0 when verified, 1 when they differ, 2 when the
    destination already holds another archive or cannot be reached.

    Example: newsarchive copy --db archive.db --to postgresql://me@dbhost/newsarchive
    """
    from app.storage.copy import CopyError, copy_archive
    from app.storage.pg_conn import ConnectionFailed, redact
    from app.store import open_store

    try:
        source = open_store(Settings.for_path(db), read_only=True)
        dest = open_store(Settings.for_path(to))
        if sys.stderr.isatty():
            from rich.console import Console
            from rich.progress import Progress

            with Progress(console=Console(stderr=True), transient=True) as progress:
                task = progress.add_task("copying", total=None)
                report = copy_archive(source, dest, lambda done, total: progress.update(task, completed=done, total=total))
        else:
            report = copy_archive(source, dest)
    except (CopyError, ConnectionFailed) as exc:
        typer.echo(f"copy: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"copied {report.articles:,} articles to {redact(to)}"
               + (f" ({report.skipped:,} were there from an earlier run)" if report.skipped else ""))
    for table, (a, b) in report.counts.items():
        if a != b:
            typer.echo(f"DIFFERS  {table}: {a:,} here, {b:,} there")
    typer.echo(f"verified: row counts {'equal' if all(a == b for a, b in report.counts.values()) else 'DIFFER'},"
               f" {report.same_searches}/{report.searches} sample searches answered alike")
    raise typer.Exit(0 if report.ok else 1)
