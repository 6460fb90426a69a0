"""`newsarchive embed`: the resumable embedding stage, also run by `newsarchive import` after the
import unless --no-embed."""
from __future__ import annotations

import sys
from typing import Annotated, Optional

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from app.config import Settings

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file (or postgresql:// URL) of the archive (default: NEWSARCHIVE_DATABASE_URL or ./archive.db).")]


def meaning_line(settings: Settings) -> str:
    """What `serve` says once at start about search by meaning."""
    from app.embeddings import registry
    from app.store import open_store

    embedder, problem = registry.load(settings.embedder)
    if embedder is None:
        return f"Meaning search is off: {problem}. Searches go by keyword only."
    store = open_store(settings, read_only=True)
    try:
        done, total = store.vector_counts(embedder.name)
    finally:
        store.close()
    rest = f"; {total - done:,} not yet embedded (newsarchive embed)" if done < total else ""
    return f"Meaning search is on ({embedder.name}): {done:,} of {total:,} articles embedded{rest}."


def run_embed(db: str | None, workers: int = 0, quiet: bool = False, index_files: bool = True) -> int:
    """Embed what is missing, then (``index_files``) build the approximate vector index beside a
    large archive; returns the exit code (0 done, 2 model unavailable)."""
    from app.embeddings import registry
    from app.embeddings.stage import default_workers, embed_archive
    from app.store import open_store

    settings = Settings.for_path(db)
    embedder, problem = registry.load(settings.embedder)
    if embedder is None:
        typer.echo(f"embed: {problem}; keyword search works without it", err=True)
        return 2
    store = open_store(settings)  # migrates an archive from before issue 11
    progress = Progress(TextColumn("embedding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                        TimeRemainingColumn(), transient=True) if sys.stderr.isatty() and not quiet else None
    task = progress.add_task("embed", total=None) if progress else None
    if progress:
        progress.start()
    try:
        report = embed_archive(store, embedder, workers=workers or default_workers(),
                               on_progress=(lambda done, total: progress.update(task, completed=done, total=total))
                               if progress else None)
        if progress:
            progress.stop()
            progress = None
        typer.echo(f"embedded {report.added:,} articles with {report.model} in {report.seconds:.1f} s"
                   f" ({report.rate:.0f}/s); {report.embedded:,} of {report.total:,} searchable by meaning", err=True)
        if index_files:
            build_vector_files(store, quiet)
    finally:
        store.close()
        if progress:
            progress.stop()
    return 0


def build_vector_files(store, quiet: bool) -> None:
    """The approximate vector index beside a large archive (app/search/ann.py), when it is
    missing or stale, so that `serve` starts with it."""
    import time

    build = getattr(store, "build_vector_index", None)
    start = time.perf_counter()
    built = build() if build else 0
    if built and not quiet:
        typer.echo(f"approximate vector index beside the archive ({built:,} vectors) built in"
                   f" {time.perf_counter() - start:.1f} s", err=True)


def embed(
    db: DbOpt = None,
    workers: Annotated[int, typer.Option(help="Worker processes that run the model (0 = one per core).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Embed the articles that have no vector yet (or one from another model), for search by meaning.
    Resumable: batches are committed as they are done, so it is safe to stop (Ctrl-C, kill) and run
    again, also while `serve` serves. Exit code 0: done; 2: the model cannot be loaded (keyword search
    still works); 130: interrupted (what was committed is kept).

    Example: newsarchive embed --workers 2
    """
    try:
        code = run_embed(db, workers, quiet)
    except KeyboardInterrupt:
        typer.echo("embed interrupted: every committed batch is kept; run it again to finish", err=True)
        raise typer.Exit(130) from None
    raise typer.Exit(code)
