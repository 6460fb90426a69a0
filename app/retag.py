"""Re-run entity extraction over the whole archive with the corrected gazetteer.

Articles are read in id order from a second (read-only) connection, tagged in worker processes
(the same fork pool as imports: the gazetteer is built once in the parent and inherited), and
their tags and mentions are swapped in transactions of BATCH articles, each followed by the
analysts' corrections. A killed run leaves every article with either its old or its new tags.
"""
from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from app.corrections import apply_corrections, corrected_gazetteer
from app.entities import Gazetteer
from app.entities.outlets import home_of
from app.storage import sqlite_corrections as sql
from app.parallel import map_chunks
from app.storage.sqlite import connect

BATCH = 2000  # articles per transaction
POOL_THRESHOLD = 500  # below this many articles a process pool costs more than it saves

_gazetteer: Gazetteer | None = None  # set in the parent before forking


@dataclass
class RetagReport:
    articles: int = 0
    tags_before: int = 0
    tags_after: int = 0


def _tag_row(row: tuple):
    aid, title, body, language, url, source = row
    return aid, _gazetteer.tag(title, body, language, home_of(url, source))


def _tag_rows(rows: list[tuple]) -> list:
    return [_tag_row(row) for row in rows]


def _rows(reader) -> Iterator[tuple]:
    last = 0
    while True:
        page = sql.article_texts_after(reader, last, BATCH)
        if not page:
            return
        yield from page
        last = page[-1][0]


def _tagged(rows: Iterator, total: int, workers: int) -> Iterator:
    if workers <= 1 or total < POOL_THRESHOLD:
        yield from map(_tag_row, rows)
        return
    yield from map_chunks(_tag_rows, rows, workers)


def retag_archive(store, *, workers: int = 0,
                  on_progress: Callable[[int, int], None] | None = None) -> RetagReport:
    """Re-tag every article of ``store`` (or of the SQLite file at that path); ``on_progress(done,
    total)`` after each committed batch."""
    global _gazetteer
    opener = store.connect if hasattr(store, "connect") else lambda read_only: connect(store, read_only=read_only)
    c = opener(read_only=False)
    reader = opener(read_only=True)
    try:
        _gazetteer = corrected_gazetteer(c)
        report = RetagReport(tags_before=sql.tag_count(c))
        total = sql.article_count(c)
        tagged = _tagged(_rows(reader), total, workers or os.cpu_count() or 1)
        while batch := list(itertools.islice(tagged, BATCH)):
            c.execute("BEGIN IMMEDIATE")
            try:
                sql.replace_tags(c, batch)
                apply_corrections(c, [aid for aid, _ in batch])
                sql.bump_generation(c)
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise
            report.articles += len(batch)
            if on_progress:
                on_progress(report.articles, max(total, report.articles))
        report.tags_after = sql.tag_count(c)
        return report
    finally:
        _gazetteer = None
        reader.close()
        c.close()
