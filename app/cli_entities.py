"""``newsarchive entities ...`` (analysts' corrections) and ``newsarchive retag``.

Every correction applies at once to the stored articles and survives re-imports and re-tagging
(app/corrections.py). Errors are one line saying what is wrong, exit code 1; no traceback.
"""
from __future__ import annotations

import sys
from contextlib import contextmanager
from typing import Annotated, Optional

import typer

from app.config import Settings

entities_app = typer.Typer(help="Browse countries and agencies, and correct their tags: aliases, merges, hidden and added tags.",
                           no_args_is_help=True, add_completion=False, rich_markup_mode=None,
                           pretty_exceptions_enable=False)

DbOpt = Annotated[Optional[str], typer.Option("--db", help="SQLite file of the archive, or a postgresql:// URL (default: NEWSARCHIVE_DATABASE_URL or ./archive.db).")]
EntityArg = Annotated[str, typer.Argument(help="Entity id (bcij, ma, interpol) or a name the gazetteer knows.")]
ArticleArg = Annotated[str, typer.Argument(help="Article number, as in /articles/12.")]


@contextmanager
def _conn(db: str | None):
    """A read-write connection to the archive (migrated first); CorrectionError -> one line, exit 1."""
    from app.corrections import CorrectionError
    from app.store import open_store

    store = open_store(Settings.for_path(db))
    c = store.connect(read_only=False)
    try:
        yield c
    except CorrectionError as exc:
        typer.echo(f"entities: {exc}", err=True)
        raise typer.Exit(1) from None
    finally:
        c.close()


@entities_app.command("list")
def list_cmd(
    db: DbOpt = None,
    type_: Annotated[Optional[str], typer.Option("--type", help="country, agency or group.")] = None,
    query: Annotated[Optional[str], typer.Option("--query", "-q", help="Words of the id, name or acronym.")] = None,
) -> None:
    """Countries, agencies and groups with their article counts.

    Example: newsarchive entities list --type agency --query police
    """
    from app.corrections import corrected_gazetteer
    from app.entities import load_gazetteer
    from app.entities.normalise import strip_accents
    from app.storage import sqlite_corrections as sql

    if type_ not in (None, "country", "agency", "group"):
        raise typer.BadParameter(f"{type_!r}: expected country, agency or group", param_hint="--type")
    fold = lambda s: strip_accents(s or "").casefold()  # noqa: E731
    with _conn(db) as c:
        counts, redirects = sql.article_counts(c), {src: dst for src, dst, _ in sql.merges(c)}
        found = corrected_gazetteer(c).lookup(query) if query else None
    for ent in load_gazetteer().entities.values():
        haystack = fold(" ".join([ent.id, ent.name, ent.acronym or "", *ent.names.values()]))
        if type_ and ent.type != type_:
            continue
        if query and fold(query) not in haystack and not (found and found.id == ent.id):
            continue
        merged = f"  (merged into {redirects[ent.id]})" if ent.id in redirects else ""
        typer.echo(f"{ent.id:24} {ent.type:8} {counts.get(ent.id, 0):6}  {ent.name}{merged}")


@entities_app.command("show")
def show_cmd(entity: EntityArg, db: DbOpt = None) -> None:
    """One entity: names, aliases (built-in and analysts'), merges, article count.

    Example: newsarchive entities show bcij
    """
    from app.corrections import resolve_entity
    from app.entities import load_gazetteer
    from app.entities.sources import DATA_DIR, load_sources
    from app.storage import sqlite_corrections as sql

    with _conn(db) as c:
        ent = resolve_entity(load_gazetteer(), entity)
        counts, merges, extra = sql.article_counts(c), sql.merges(c), sql.aliases(c)
    typer.echo(f"{ent.id}  {ent.name}  ({ent.type}{', ' + ent.kind if ent.kind else ''}"
               f"{', ' + ent.country if ent.country else ''})")
    for lang, name in sorted(ent.names.items()):
        typer.echo(f"  name ({lang}): {name}")
    builtin = sorted({r.text for r in load_sources(DATA_DIR).records if ent.id in r.entity_ids})
    typer.echo("  aliases: " + (", ".join(builtin) or "-"))
    typer.echo("  analysts' aliases: " + (", ".join(f"{a} [alias-{i}]" for i, eid, a, _ in extra if eid == ent.id) or "-"))
    for src, dst, _ in merges:
        if ent.id in (src, dst):
            typer.echo(f"  merge: {src} into {dst} [merge-{src}]")
    typer.echo(f"  articles: {counts.get(ent.id, 0)}")


@entities_app.command("add-alias")
def add_alias_cmd(entity: EntityArg, alias: Annotated[str, typer.Argument(help="The name as articles write it.")],
                  db: DbOpt = None) -> None:
    """Teach the tagger another name for an entity; articles that use it are re-tagged.

    Example: newsarchive entities add-alias bcij "Brigade centrale"
    """
    from app.corrections import add_alias

    with _conn(db) as c:
        typer.echo(add_alias(c, entity, alias))


@entities_app.command("merge")
def merge_cmd(from_entity: Annotated[str, typer.Argument(metavar="FROM_ID", help="The entity that goes away.")],
              into_entity: Annotated[str, typer.Argument(metavar="INTO_ID", help="The entity that stays.")],
              db: DbOpt = None) -> None:
    """Count one entity as another, in stored articles and in every later import.

    Example: newsarchive entities merge dgst dgsn
    """
    from app.corrections import merge_entities

    with _conn(db) as c:
        typer.echo(merge_entities(c, from_entity, into_entity))


@entities_app.command("hide-tag")
def hide_tag_cmd(article: ArticleArg, entity: EntityArg, db: DbOpt = None) -> None:
    """Remove a wrong tag from one article, for good.

    Example: newsarchive entities hide-tag 12 interpol
    """
    from app.corrections import hide_tag

    with _conn(db) as c:
        typer.echo(hide_tag(c, article, entity))


@entities_app.command("add-tag")
def add_tag_cmd(article: ArticleArg, entity: EntityArg, db: DbOpt = None,
                about: Annotated[bool, typer.Option("--about", help="The article is about it, not just mentioning it.")] = False) -> None:
    """Tag one article with an entity the tagger missed.

    Example: newsarchive entities add-tag 12 europol --about
    """
    from app.corrections import add_tag

    with _conn(db) as c:
        typer.echo(add_tag(c, article, entity, about))


@entities_app.command("corrections")
def corrections_cmd(db: DbOpt = None) -> None:
    """Every correction, with the ref that `entities undo` takes.

    Example: newsarchive entities corrections
    """
    from app.corrections import list_corrections

    with _conn(db) as c:
        items = list_corrections(c)
    if not items:
        typer.echo("no corrections")
    for item in items:
        typer.echo(f"{item.ref:28} {item.created_at}  {item.description}")


@entities_app.command("undo")
def undo_cmd(ref: Annotated[str, typer.Argument(metavar="CORRECTION", help="A ref from `entities corrections`, e.g. merge-dgst.")],
             db: DbOpt = None) -> None:
    """Undo one correction; the articles it touched are re-tagged.

    Example: newsarchive entities undo hide-12-interpol
    """
    from app.corrections import remove_correction

    with _conn(db) as c:
        typer.echo(remove_correction(c, ref))


def retag(db: DbOpt = None,
          workers: Annotated[int, typer.Option(help="Worker processes for tagging (0 = one per core).")] = 0) -> None:
    """Re-run country and agency extraction over every article, with the analysts' corrections.

    Example: newsarchive retag --db archive.db
    """
    from app.retag import retag_archive
    from app.store import open_store

    store = open_store(Settings.for_path(db))
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as progress:
            task = progress.add_task("re-tagging", total=None)
            report = retag_archive(store, workers=workers,
                                   on_progress=lambda done, total: progress.update(task, completed=done, total=total))
    else:
        report = retag_archive(store, workers=workers)
    typer.echo(f"re-tagged {report.articles} articles: {report.tags_before} tags before, {report.tags_after} after")
