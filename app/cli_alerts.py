"""``newsarchive alerts``: the new matches of every saved search since the last run (for cron)."""
from __future__ import annotations

import json
from typing import Annotated

import typer

from app.cli_maintenance import DbOpt, _archive_path


def alerts(
    db: DbOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print every saved search with its new matches as JSON.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the new matches but do not mark them as reported.")] = False,
) -> None:
    """Print the articles that match each saved search and were imported since the last run, then mark
    them as reported (the next run shows only newer ones). Prints nothing when nothing is new (so cron
    mails only news); at most 50 articles per saved search, with the count of all. Exit code 0; 2 when
    there is no archive at --db.

    Example (crontab): 0 7 * * * newsarchive alerts --db /srv/archive.db
    """
    from app.config import Settings
    from app.saved import alerts as run_alerts
    from app.store import open_store

    path = _archive_path(db)
    store = open_store(Settings.for_path(db), read_only=True)
    c = store.connect(read_only=dry_run)
    try:
        found = run_alerts(c, store, mark=not dry_run)
    finally:
        c.close()
    if as_json:
        typer.echo(json.dumps({"saved_searches": [
            {"id": a.saved.id, "name": a.saved.name, "query": a.saved.query, "search_url": a.saved.url,
             "feed_url": a.saved.feed_url, "since_id": a.saved.alerted_id, "new": a.new, "articles": a.articles}
            for a in found], "marked": not dry_run}, ensure_ascii=False, indent=2))
        return
    for a in found:
        if not a.new:
            continue
        typer.echo(f"{a.saved.name}: {a.new:,} new article{'' if a.new == 1 else 's'} ({a.saved.url})")
        for rec in a.articles:
            typer.echo(f"  #{rec['id']}  {(rec['date'] or 'undated')[:10]}  {rec['title']}")
        if a.new > len(a.articles):
            typer.echo(f"  ... and {a.new - len(a.articles):,} more")
