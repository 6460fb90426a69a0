"""The ``newsarchive`` command line (Typer). Verbs are hyphenated; each has an example."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from app.config import Settings

app = typer.Typer(help="newsarchive: import news articles, search them, browse them by country and agency.",
                  no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                  pretty_exceptions_enable=False)

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file of the archive, or a postgresql:// URL (default: NEWSARCHIVE_DATABASE_URL or ./archive.db).")]
SAMPLES = Path(__file__).parent / "samples"


def _store(db: str | None, read_only: bool = False):
    from app.storage.pg_conn import ConnectionFailed
    from app.store import open_store

    try:
        return open_store(Settings.for_path(db), read_only=read_only)
    except ConnectionFailed as exc:  # a wrong URL, a server down or refusing: one line, exit 1
        typer.echo(f"newsarchive: {exc}", err=True)
        raise typer.Exit(1) from None


def _parse_map(items: list[str]) -> dict[str, str]:
    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise typer.BadParameter(f"{item!r}: expected FIELD=COLUMN, e.g. text=story_body", param_hint="--map")
        mapping[field.strip()] = column.strip()
    return mapping


@app.command("import")
def import_cmd(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (recursive), containers or URLs.")],
    db: DbOpt = None,
    fmt: Annotated[Optional[str], typer.Option("--format", help="Reader to use instead of guessing: text, markdown, html, json, jsonl, csv, rss, warc, reuters, urls.")] = None,
    map_: Annotated[list[str], typer.Option("--map", help="FIELD=COLUMN for JSON/CSV exports, e.g. --map text=story.")] = [],  # noqa: B006
    workers: Annotated[int, typer.Option(help="Worker processes for cleaning and tagging (0 = NEWSARCHIVE_IMPORT_WORKERS, else one per core).")] = 0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only rejected files and the totals.")] = False,
    follow_url_lists: Annotated[bool, typer.Option("--follow-url-lists", help="Also fetch the lists of URLs found inside folders and archives (by default only those given here).")] = False,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Fetch loopback, private and link-local addresses too (refused by default).")] = False,
    index_files: Annotated[bool, typer.Option("--index-files/--no-index-files", help="Build the index files beside the archive at the end (when there are none, or the import added 10% of the archive).")] = True,
    no_embed: Annotated[bool, typer.Option("--no-embed", help="Do not run the embed stage after the import (run `newsarchive embed` later).")] = False,
) -> None:
    """Import articles. Exit code 0: all imported; 1: some files rejected (the rest imported); 2: usage error, or the full-text index
    must be rebuilt first (rebuild-fts);
    3: the import stopped (a worker process was killed): run it again to finish; 4: the disk is full (or the
    archive reached NEWSARCHIVE_MAX_ARCHIVE_MB): free space and run it again to finish.

    Example: newsarchive import ../shared/seeds my-notes/article.txt
    """
    from app.ingest.load import import_paths
    from app.cli_report import ImportPrinter

    from app.parallel import WorkerFailed
    from app.storage.base import DiskFull
    from app.storage.sqlite_fts import StaleIndex
    from app.storage.pg_conn import ConnectionLost

    store = _store(db)
    workers = workers or Settings.for_path(db).import_workers
    printer = ImportPrinter(quiet=quiet, interactive=sys.stderr.isatty())
    try:
        with printer:
            report = import_paths(store, paths, fmt=fmt, mapping=_parse_map(map_), workers=workers,
                                  on_line=printer.line, keep_lines=False, follow_url_lists=follow_url_lists,
                                  allow_private=allow_private)
    except WorkerFailed as exc:  # killed (out of memory?): not the input's fault, and nothing is half-written
        typer.echo(f"import stopped: {exc}. Every batch committed before is kept; run the same command"
                   " again to finish.", err=True)
        raise typer.Exit(3) from None
    except StaleIndex as exc:
        typer.echo(f"import refused: {exc}", err=True)
        raise typer.Exit(2) from None
    except ConnectionLost as exc:  # PostgreSQL restarted or unreachable mid-import
        typer.echo(f"import stopped: {exc}", err=True)
        raise typer.Exit(1) from None
    except DiskFull as exc:
        typer.echo(f"import stopped: the disk is full ({exc}) writing {exc.path}. Kept: {exc.kept:,} articles from"
                   f" the batches this import committed (import #{exc.run_id}); the open batch was rolled back and"
                   " the archive is consistent. Free some space and run the same command again to finish.", err=True)
        raise typer.Exit(4) from None
    printer.near_duplicates(report, store)
    printer.totals(report)
    if not no_embed:  # its own stage, after the import: search by meaning (app/cli_embed.py)
        from app.cli_embed import run_embed

        run_embed(db, workers, quiet, index_files)
    if index_files:
        build_index_files(store, report.added + report.count("updated"), quiet)
    raise typer.Exit(report.exit_code)


@app.command()
def serve(
    db: DbOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Server processes (0 = one per core). They share the archive's index files, memory-mapped.")] = 0,
) -> None:
    """Serve the archive in a web browser (read-only). Example: newsarchive serve --port 8000 --workers 2"""
    import os

    import uvicorn

    from app.web.admin_auth import token_state
    from app.web.middleware import H11_MAX_HEAD

    settings = Settings.for_path(db)
    _store(db).close()  # migrate before serving read-only
    os.environ["NEWSARCHIVE_DATABASE_URL"] = settings.database_url  # what each worker process reads
    # glibc gives each thread that allocates its own malloc arena and keeps what it frees there:
    # with a threadpool of searches each allocating arrays of N rows, the worker processes (which
    # read this at their start) grew by a gigabyte under 8 concurrent clients at 1M articles.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    workers = workers or os.cpu_count() or 1
    typer.echo(f"Serving {settings.database_url} at http://{host}:{port} ({workers} process{'es' if workers > 1 else ''})",
               err=True)
    typer.echo(token_state(settings.admin_token)[1], err=True)  # on, or off and why (unset, or too short)
    from app.cli_embed import meaning_line

    typer.echo(meaning_line(settings), err=True)  # on with how much is embedded, or off and why
    # h11 resets a connection whose request head passes its 16 KB default: let it read up to
    # H11_MAX_HEAD so an over-long URL gets the 414 page (MAX_URL_BYTES) instead.
    uvicorn.run("app.web.app:served_app", factory=True, workers=workers if workers > 1 else None, host=host,
                port=port, log_level="warning", http="app.web.serving:NoDelayH11Protocol",
                h11_max_incomplete_event_size=H11_MAX_HEAD)


@app.command()
def demo(
    db: Annotated[str, typer.Option("--db", help="Where to build the demo archive.")] = "demo-archive.db",
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="Only build the demo archive.")] = False,
) -> None:
    """Import the built-in sample articles and serve them. Example: newsarchive demo"""
    from app.ingest.load import import_paths

    from app.cli_embed import run_embed

    report = import_paths(_store(db), [str(SAMPLES)])
    typer.echo(f"Demo archive {db}: {report.added} added, {report.duplicates} already present.", err=True)
    run_embed(db, workers=1, quiet=True)  # the samples searchable by meaning too (a second or two)
    if not no_serve:
        serve(db=db, host=host, port=port, workers=1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Query: words, "phrases", OR, -word, prefix*.')] = "",
    db: DbOpt = None,
    country: Annotated[list[str], typer.Option(help="Country code filter (repeatable), e.g. ma.")] = [],  # noqa: B006
    agency: Annotated[list[str], typer.Option(help="Agency slug filter (repeatable), e.g. bcij.")] = [],  # noqa: B006
    group: Annotated[list[str], typer.Option(help="Armed group slug filter (repeatable), e.g. isis.")] = [],  # noqa: B006
    lang: Annotated[list[str], typer.Option(help="Language filter (repeatable), e.g. fr.")] = [],  # noqa: B006
    sort: Annotated[str, typer.Option(help="relevance, newest or oldest.")] = "relevance",
    page: Annotated[int, typer.Option(help="Result page.")] = 1,
    mode: Annotated[str, typer.Option(help="hybrid (words and meaning), keyword or meaning.")] = "hybrid",
    as_json: Annotated[bool, typer.Option("--json", help="Print the same JSON as /api/search.")] = False,
    show_sql: Annotated[bool, typer.Option("--sql", help="Print the FTS5 expression that would run (and its tsquery on PostgreSQL), then stop.")] = False,
) -> None:
    """Search the archive, with the same results as the web page.

    Example: newsarchive search "joint security cell" --country ma --json
    """
    from app.search.fts5 import compile_query
    from app.search.params import SearchParams
    from app.search.query import parse
    from app.web.api_models import search_json

    params = SearchParams(q=query, country=tuple(c.lower() for c in country), agency=tuple(a.lower() for a in agency),
                          group=tuple(g.lower() for g in group), lang=tuple(lang), sort=sort if sort in ("relevance", "newest", "oldest") else "relevance",
                          page=max(1, page), mode=mode if mode in ("hybrid", "keyword", "meaning") else "hybrid")
    if show_sql:
        compiled = compile_query(parse(query).tree)
        typer.echo(f"MATCH {compiled.match}" if compiled.match else "MATCH (every article)")
        if compiled.exclude:
            typer.echo(f"EXCLUDE MATCH {compiled.exclude}")
        from app.db import is_postgres

        if is_postgres(Settings.for_path(db).database_url):  # what PostgreSQL runs for them
            from app.search.tsquery import to_tsquery

            for name, expr in (("TSQUERY", compiled.match), ("EXCLUDE TSQUERY", compiled.exclude)):
                if expr:
                    typer.echo(f"{name} {to_tsquery(expr).tsquery}")
        return
    results = _store(db, read_only=True).search(params)
    if as_json:
        typer.echo(json.dumps(search_json(results), indent=2, ensure_ascii=False))
        return
    more = f" (+{results.partial_total} with some of the words)" if results.partial_total else ""
    typer.echo(f"{results.total} articles{more} — {results.description}")
    for w in results.warnings:
        typer.echo(f"note: {w}")
    if results.meaning is not None and (results.meaning.summary or results.meaning.reason):
        typer.echo(f"{results.mode}: {results.meaning.summary or results.meaning.reason}")
    if results.did_you_mean:
        typer.echo(f"did you mean: {results.did_you_mean[0]}")
    for kind, name, _url in results.suggestions:
        typer.echo(f"filter by {kind}: {name}")
    for hit in results.hits:
        tags = ", ".join(hit.countries + hit.agencies)
        partial = {"partial": "  (some of the words)", "meaning": "  (by meaning)"}.get(hit.match, "")
        typer.echo(f"#{hit.id}  {hit.title}  [{hit.language or '?'}] {tags}{partial}")
        typer.echo("    " + hit.snippet.striptags()[:200])


@app.command()
def stats(db: DbOpt = None) -> None:
    """Counts of articles, languages, sources, tags. Example: newsarchive stats"""
    s = _store(db, read_only=True).stats()
    typer.echo(f"articles:   {s.articles}")
    typer.echo("languages:  " + ", ".join(f"{k} {n}" for k, n in s.by_language))
    typer.echo("sources:    " + ", ".join(f"{k} {n}" for k, n in s.by_source))
    typer.echo(f"countries:  {s.countries} tagged, agencies: {s.agencies} tagged, mentions: {s.mentions}")
    typer.echo(f"dates:      {s.first_date or '-'} .. {s.last_date or '-'}")
    typer.echo(f"imports:    {s.imports}")
    by_model = _store(db, read_only=True).vector_models()
    embedded = ", ".join(f"{n} / {s.articles} by {model}" for model, n in by_model) or f"0 / {s.articles}"
    typer.echo(f"embedded:   {embedded} (searchable by meaning; newsarchive embed adds the rest)")


@app.command()
def imports(db: DbOpt = None, run: Annotated[Optional[int], typer.Option(help="Show the per-file report of this import.")] = None) -> None:
    """List past imports, or one import's per-file report. Example: newsarchive imports --run 3"""
    store = _store(db, read_only=True)
    if run is not None:
        for line in store.import_lines(run):
            typer.echo(f"{line.status:10} {line.origin}" + (f"  #{line.article_id}" if line.article_id else "") + (f"  {line.reason}" if line.reason else ""))
        return
    for r in store.imports():
        typer.echo(f"#{r['id']}  {r['started_at']}  added {r['added']}, duplicates {r['duplicates']}, rejected {r['rejected']}"
                   f"{'' if r['finished_at'] else '  (interrupted)'}  {r['paths'].replace(chr(10), ' ')[:80]}")


@app.command()
def migrate(db: DbOpt = None) -> None:
    """Create or upgrade the database schema. Example: newsarchive migrate --db archive.db"""
    from app.db import upgrade

    upgrade(Settings.for_path(db).database_url)
    typer.echo("schema up to date", err=True)


@app.command("rebuild-fts")
def rebuild_fts(db: DbOpt = None) -> None:
    """Rebuild the full-text index from the stored articles. Example: newsarchive rebuild-fts"""
    n = _store(db).rebuild_fts()
    typer.echo(f"re-indexed {n} articles", err=True)



from app.cli_entities import entities_app, retag  # noqa: E402  (analysts' corrections)

from app.cli_maintenance import backup, build_index_files, check  # noqa: E402  (is the archive whole; a copy of it)

app.add_typer(entities_app, name="entities")
app.command("retag")(retag)
app.command("check")(check)
app.command("backup")(backup)
from app.cli_copy import copy  # noqa: E402  (the archive onto another backend)

app.command("copy")(copy)

from app.cli_alerts import alerts  # noqa: E402  (saved searches, for cron)

app.command("alerts")(alerts)

from app.cli_embed import embed  # noqa: E402  (vectors for search by meaning)

app.command("embed")(embed)


def main() -> None:
    app()
