"""``newsarchive copy --to URL``: the whole archive from one backend to another (SQLite ->
PostgreSQL or back), with its ids, versions, stories, corrections, import reports and the
vectors of search by meaning.

Resumable: articles go over in id order, BATCH per transaction with every row that belongs to
them (tags, mentions, source tags, fingerprint, versions, full-text row), so a copy cut short
holds whole articles up to some id and the same command goes on from there. The full-text rows
are derived again from the stored text (each backend has its own index). Verified at the end:
the row counts of every table, and a sample of searches answered alike on both.
"""
from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from app.ingest.prepare import index_columns
from app.search.params import SearchParams

BATCH = 500
ARTICLE_COLS = ("id", "title", "title_derived", "body", "language", "source", "url", "author", "origin", "format",
                "content_hash", "original_z", "original_bytes", "published_at", "published_how", "captured_at",
                "imported_at", "import_id", "story_id")
# Rows that belong to an article: (table, columns); booleans are converted for PostgreSQL.
CHILDREN = (("article_entity", ("article_id", "entity_id", "about", "mention_count", "located", "located_only")),
            ("mention", ("id", "article_id", "entity_id", "start", '"end"', "surface", "place")),
            ("source_tag", ("article_id", "tag")),
            ("article_fingerprint", ("article_id", "minhash", "bands")),
            ("article_version", ("id", "article_id", "version", "title", "body", "original_z", "original_bytes",
                                 "content_hash", "origin", "published_at", "imported_at")),
            ("tag_override", ("article_id", "entity_id", "action", "about", "created_at")),
            ("article_vector", ("article_id", "model", "dims", "scale", "vector", "embedded_at")))
BOOLEANS = {"title_derived", "about", "located", "located_only"}
SERIAL_TABLES = ("article", "import_run", "import_file", "entity_alias", "article_version", "mention", "saved_search")
SAMPLE_QUERIES = ("security", "police", "minister", "terror*", '"prime minister"', "title:police", "court -appeal",
                  "bank OR market")


class CopyError(RuntimeError):
    """The destination is not an empty archive nor an earlier copy of this one."""


@dataclass
class CopyReport:
    articles: int = 0  # copied by this run
    skipped: int = 0  # already there from an earlier run
    counts: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (source, destination)
    searches: int = 0
    same_searches: int = 0

    @property
    def ok(self) -> bool:
        return all(a == b for a, b in self.counts.values()) and self.searches == self.same_searches


def _is_pg(store) -> bool:
    return getattr(store, "backend", "sqlite") == "postgresql"


def _row(store, cols, row) -> tuple:
    """A source row as the destination stores it: bodies compressed on SQLite, plain text on
    PostgreSQL; booleans as booleans."""
    out = []
    for name, value in zip(cols, row):
        if name in BOOLEANS and value is not None:
            value = bool(value)
        elif name == "body" and isinstance(value, str) and not _is_pg(store):
            value = zlib.compress(value.encode("utf-8"), 6)
        elif isinstance(value, dt.datetime) and not _is_pg(store):  # a timestamp column of PostgreSQL's
            value = value.isoformat(sep=" ")
        out.append(value)
    return tuple(out)


def _insert(c, store, table: str, cols, rows) -> None:
    if rows:
        c.executemany(f"INSERT OR IGNORE INTO {table}({', '.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                      [_row(store, [n.strip('"') for n in cols], r) for r in rows])


def _select(cols) -> str:
    return ", ".join("unz(body)" if n == "body" else n for n in cols)


def _resume_point(src, dst) -> int:
    """The last article the destination already has; refuses an unrelated destination."""
    top = dst.execute("SELECT id, content_hash FROM article ORDER BY id DESC LIMIT 1").fetchone()
    if top is None:
        return 0
    mine = src.execute("SELECT content_hash FROM article WHERE id=?", (top[0],)).fetchone()
    if mine is None or mine[0] != top[1]:
        raise CopyError("the destination already holds other articles: copy into an empty database"
                        " (or the one an earlier copy of this archive was cut short in)")
    return top[0]


def copy_archive(source, dest, on_progress: Callable[[int, int], None] | None = None) -> CopyReport:
    """Copy the archive of store ``source`` into store ``dest`` (migrated, empty or a cut copy)."""
    from app.storage.postgres import PgWriter
    from app.storage.sqlite_writer import SqliteWriter

    fts = (PgWriter if _is_pg(dest) else SqliteWriter).fts
    src, dst = source.connect(read_only=True), dest.connect(read_only=False)
    report = CopyReport()
    try:
        last = _resume_point(src, dst)
        report.skipped = src.execute("SELECT count(*) FROM article WHERE id <= ?", (last,)).fetchone()[0]
        total = src.execute("SELECT count(*) FROM article").fetchone()[0]
        dst.execute("BEGIN IMMEDIATE")
        for table, cols in (("import_run", ("id", "started_at", "finished_at", "paths", "added", "duplicates", "rejected")),
                            ("import_file", ("id", "import_id", "origin", "status", "article_id", "reason")),
                            ("entity_alias", ("id", "entity_id", "alias", "created_at")),
                            ("entity_merge", ("from_id", "into_id", "created_at")),
                            ("saved_search", ("id", "name", "query", "created_at", "seen_id", "seen_at", "alerted_id",
                                              "alerted_at"))):
            _insert(dst, dest, table, cols, src.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall())
        dst.execute("COMMIT")
        while rows := src.execute(f"SELECT {_select(ARTICLE_COLS)} FROM article WHERE id > ? ORDER BY id LIMIT ?",
                                  (last, BATCH)).fetchall():
            _copy_batch(src, dst, dest, fts, rows)
            last = rows[-1][0]
            report.articles += len(rows)
            if on_progress:
                on_progress(report.skipped + report.articles, total)
        _finish(src, dst, dest)
    finally:
        src.close()
        dst.close()
    _verify(source, dest, report)
    return report


def _copy_batch(src, dst, dest, fts, rows) -> None:
    ids = [r[0] for r in rows]
    marks = ",".join("?" * len(ids))
    dst.execute("BEGIN IMMEDIATE")
    try:
        _insert(dst, dest, "article", ARTICLE_COLS, rows)
        for table, cols in CHILDREN:
            _insert(dst, dest, table, cols,
                    src.execute(f"SELECT {_select(cols)} FROM {table} WHERE article_id IN ({marks})", ids).fetchall())
        by_id = {r[0]: r for r in rows}
        for aid in ids:
            r = by_id[aid]
            fts.index_row(dst, aid, *index_columns(r[1], r[3], r[4])[:3])
        dst.execute("COMMIT")
    except BaseException:
        dst.execute("ROLLBACK")
        raise


def _finish(src, dst, dest) -> None:
    """The archive's watermarks, and PostgreSQL's id sequences past the copied ids."""
    dst.execute("BEGIN IMMEDIATE")
    for key in ("stories_done",):
        row = src.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        if row:
            dst.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, row[0]))
    dst.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
    # Servers of the destination reload its vectors (generation absent: none were written there yet).
    dst.execute("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key='vector_generation'")
    if _is_pg(dest):
        from app.storage.pg_vectors import fill_embeddings

        dst.execute("COMMIT")
        fill_embeddings(dst)  # pgvector's column, from the copied codes (in batches of its own)
        dst.execute("BEGIN")
        for table in SERIAL_TABLES:
            dst.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT max(id) FROM {table}), 0) + 1, false)")
    dst.execute("COMMIT")


def _verify(source, dest, report: CopyReport) -> None:
    from app.storage.sqlite_maintenance import counts

    a, b = source.connect(read_only=True), dest.connect(read_only=True)
    try:
        ca, cb = counts(a), counts(b)
    finally:
        a.close()
        b.close()
    report.counts = {t: (ca[t], cb[t]) for t in ca}
    for q in SAMPLE_QUERIES:
        x, y = source.search(SearchParams(q=q)), dest.search(SearchParams(q=q))
        report.searches += 1
        report.same_searches += (x.total, [h.id for h in x.hits]) == (y.total, [h.id for h in y.hits])
