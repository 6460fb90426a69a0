"""The import writer of the SQLite archive: articles in batches of BATCH per transaction."""
from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import datetime, timezone

from app.corrections import apply_corrections, has_corrections
from app.ingest.prepare import PreparedArticle
from app.storage import sqlite_fts
from app.storage import sqlite_stories as stories
from app.storage.base import ConnectionLost, DiskFull
from app.storage.views import ImportLine
from app.storage.sqlite_tags import MENTION_INSERT, TAG_INSERT, mention_rows, tag_rows
from app.tags import normalise_tag

# import_run keeps three counts; near-duplicates and new versions are new texts, so "added".
COUNTED_AS = {"near-duplicate": "added", "updated": "added"}
BATCH = 2000  # articles per transaction during imports


def is_full(exc: BaseException) -> bool:
    """SQLITE_FULL (disk or max_page_count), or ENOSPC from the file system."""
    if isinstance(exc, sqlite3.Error):
        return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or "disk is full" in str(exc)
    return isinstance(exc, OSError) and exc.errno == 28


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _ts(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)



class SqliteWriter:
    """Adds articles for one import run, in transactions of BATCH articles.

    No per-article SAVEPOINT: FTS5 flushes its pending index to a new segment on every
    RELEASE, which tripled the cost of an insert. Instead, when one article fails to store,
    the open batch is rolled back and replayed without it, so it fails alone; a killed
    import loses at most the open batch, and the database stays consistent.
    """

    fts = sqlite_fts  # the full-text index's rows (app/storage/pg_fts.py on PostgreSQL)
    errors: tuple[type[BaseException], ...] = (sqlite3.Error,)  # a failed statement of the driver
    retried: tuple[type[BaseException], ...] = ()  # not the article's fault: handled by the caller

    def __init__(self, conn: sqlite3.Connection, paths: list[str], path: str = ""):
        self.conn, self.path = conn, path
        sqlite_fts.check_version(conn)  # before anything is written
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute("INSERT INTO import_run(started_at, paths, added, duplicates, rejected) VALUES (?,?,0,0,0)",
                           (_now(), "\n".join(paths)))
        self.run_id = cur.lastrowid
        conn.execute("COMMIT")
        self.totals = {"added": 0, "duplicate": 0, "rejected": 0, "skipped": 0}
        self.pending: list[tuple] = []  # (article or None, line) since the last commit, for replay
        self.corrections = has_corrections(conn)  # analysts' corrections to apply to new articles
        self.near_duplicates: list[tuple[int, int]] = []  # (article, earlier article it repeats)
        self.near_in_run = 0  # how many of them were added by this run
        # Report lines already handed to the importer whose status changed since (PostgreSQL: a
        # batch written again after a deadlock finds texts another importer committed meanwhile).
        self.relabelled: Counter = Counter()
        conn.execute("BEGIN IMMEDIATE")

    @staticmethod
    def is_full(exc: BaseException) -> bool:
        return is_full(exc)

    def _write_line(self, line: ImportLine) -> None:
        self.conn.execute("INSERT INTO import_file(import_id, origin, status, article_id, reason) VALUES (?,?,?,?,?)",
                          (self.run_id, line.origin, line.status, line.article_id, line.reason))

    def _done(self, article: PreparedArticle | None, line: ImportLine) -> ImportLine:
        self._write_line(line)
        self.pending.append((article, line))
        if len(self.pending) >= BATCH:
            self.checkpoint()
        return line

    def _stopped(self, exc: BaseException) -> DiskFull:
        """The archive cannot grow: roll the open batch back (SQLite may have done it already)."""
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")
        self.pending = []
        return DiskFull(self.path, self.totals["added"], self.run_id, str(exc))

    def add(self, art: PreparedArticle) -> ImportLine:
        try:
            return self._add(art)
        except (*self.errors, OSError) as exc:
            if self.is_full(exc):
                raise self._stopped(exc) from None
            raise

    def add_many(self, arts: list[PreparedArticle]) -> list[ImportLine]:
        """The report line of each article, in order; an article that cannot be stored is
        rejected alone; a full disk or a lost connection stops the import (DiskFull, ConnectionLost)."""
        return [self.add_or_reject(art) for art in arts]

    def add_or_reject(self, art: PreparedArticle) -> ImportLine:
        try:
            return self.add(art)
        except (DiskFull, ConnectionLost, *self.retried):
            raise  # nothing more can be written: the import stops, committed batches stay
        except Exception as exc:
            return self.reject(art.record.origin, f"could not store: {exc}")

    def _add(self, art: PreparedArticle) -> ImportLine:
        origin, c = art.record.origin, self.conn
        found = c.execute("SELECT id FROM article WHERE content_hash=?", (art.content_hash,)).fetchone()
        if found:
            return self._done(None, ImportLine(origin, "duplicate", found[0], f"same text as article {found[0]}"))
        older = stories.older_version_of(c, art.content_hash)
        if older:
            return self._done(None, ImportLine(origin, "duplicate", older, f"an older version of article {older}"))
        same_url = c.execute("SELECT id FROM article WHERE url=?", (art.record.url,)).fetchone() if art.record.url else None
        try:
            if same_url:
                line = ImportLine(origin, "updated", same_url[0], None)
                line.reason = f"new version {self._update(same_url[0], art)} of article {same_url[0]} (same URL)"
            else:
                line = ImportLine(origin, "added", self._insert(art))
        except self.errors as exc:
            return self._rejected(origin, exc)
        return self._done(art, line)

    def _rejected(self, origin: str, exc: BaseException) -> ImportLine:
        """An article the database refused: the batch as it was before it, and the reason on
        its line; a full disk stops the import instead."""
        if self.is_full(exc):
            raise self._stopped(exc) from None
        self._replay()
        return self._done(None, ImportLine(origin, "rejected", None, f"could not store: {exc}"))

    def _insert(self, art: PreparedArticle) -> int:
        """Write a new article; returns its id."""
        r, c, fp = art.record, self.conn, art.fingerprint
        cur = c.execute(
            "INSERT INTO article(title, title_derived, body, language, source, url, author, origin, format,"
            " content_hash, original_z, original_bytes, published_at, published_how, captured_at,"
            " imported_at, import_id, story_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.title, r.title_derived, art.compressed_body, art.language, r.source, r.url, r.author, r.origin, r.format,
             art.content_hash, art.compressed_text, art.compressed_bytes, _ts(r.published_at), r.published_how,
             # story_id NULL: not grouped yet (assign_stories at the end of the import)
             _ts(r.captured_at), _now(), self.run_id, None))
        aid = cur.lastrowid
        stories.save_fingerprint(c, aid, fp)
        self._index(aid, art)
        return aid

    def _update(self, aid: int, art: PreparedArticle) -> int:
        """The same URL came back with new text: keep the old text as a version, index the new."""
        r, c, fp = art.record, self.conn, art.fingerprint
        number = stories.save_version(c, aid)
        self.fts.unindex_row(c, aid)  # from the text being replaced: the index keeps no copy
        c.execute(
            "UPDATE article SET title=?, title_derived=?, body=?, language=?, source=COALESCE(?, source),"
            " author=COALESCE(?, author), origin=?, format=?, content_hash=?, original_z=?, original_bytes=?,"
            " published_at=COALESCE(?, published_at), published_how=?, captured_at=?, imported_at=?, import_id=?"
            " WHERE id=?",
            (r.title, r.title_derived, art.compressed_body, art.language, r.source, r.author, r.origin, r.format,
             art.content_hash, art.compressed_text, art.compressed_bytes, _ts(r.published_at), r.published_how,
             _ts(r.captured_at), _now(), self.run_id, aid))
        stories.save_fingerprint(c, aid, fp)
        for table in ("article_entity", "mention", "source_tag"):
            c.execute(f"DELETE FROM {table} WHERE article_id=?", (aid,))
        self._index(aid, art)
        return number + 1

    def _index(self, aid: int, art: PreparedArticle) -> None:
        """Everything derived from the text: full-text row, tags, source tags, LSH bands."""
        r, c = art.record, self.conn
        self.fts.index_row(c, aid, art.fts_title, art.fts_lead, art.fts_body)
        write_tags(c, aid, art.tags)
        if self.corrections:
            apply_corrections(c, [aid])
        tags = [t for t in dict.fromkeys(normalise_tag(t) for t in r.source_tags) if t]
        if tags:
            c.executemany("INSERT OR IGNORE INTO source_tag(article_id, tag) VALUES (?,?)", [(aid, t) for t in tags])

    def _replay(self) -> None:
        """Roll the open batch back and write it again (all of it had succeeded)."""
        self.conn.execute("ROLLBACK")
        self.conn.execute("BEGIN IMMEDIATE")
        replayed = []
        for article, line in self.pending:
            if article is not None and line.status == "updated":
                self._update(line.article_id, article)
            elif article is not None:
                line.article_id = self._insert(article)
            self._write_line(line)
            replayed.append((article, line))
        self.pending = replayed

    def reject(self, origin: str, reason: str, skipped: bool = False) -> ImportLine:
        try:
            return self._done(None, ImportLine(origin, "skipped" if skipped else "rejected", None, reason))
        except (*self.errors, OSError) as exc:
            if self.is_full(exc):
                raise self._stopped(exc) from None
            raise

    def group_stories(self) -> None:
        """Near-duplicates of this import (or of an earlier one cut short) join their story;
        their report lines say so."""
        c = self.conn
        self.near_duplicates = stories.assign_stories(c)
        if not self.near_duplicates:
            return
        # One pass over this run's report rows (import_file has no index on article_id).
        c.execute("CREATE TEMP TABLE IF NOT EXISTS near(aid INTEGER PRIMARY KEY, other INTEGER)")
        c.execute("DELETE FROM temp.near")
        c.executemany("INSERT OR REPLACE INTO temp.near VALUES (?,?)", self.near_duplicates)
        relabelled = c.execute("UPDATE import_file SET status='near-duplicate', reason='near-duplicate of #' ||"
                               " (SELECT other FROM temp.near WHERE aid = import_file.article_id)"
                               " WHERE import_id=? AND status='added' AND article_id IN (SELECT aid FROM temp.near)",
                               (self.run_id,))
        self.near_in_run = relabelled.rowcount  # this run's lines (others may be a killed run's)

    def checkpoint(self) -> None:
        counts = {"added": 0, "duplicate": 0, "rejected": 0, "skipped": 0}
        for _, line in self.pending:
            counts[COUNTED_AS.get(line.status, line.status)] += 1
        c = self.conn
        c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
        c.execute("UPDATE import_run SET added=added+?, duplicates=duplicates+?, rejected=rejected+? WHERE id=?",
                  (counts["added"], counts["duplicate"], counts["rejected"], self.run_id))
        c.execute("COMMIT")
        for k, n in counts.items():
            self.totals[k] += n
        self.pending = []
        c.execute("BEGIN IMMEDIATE")

    def finish(self) -> None:
        self.checkpoint()
        self.group_stories()
        self.checkpoint()
        self.conn.execute("UPDATE import_run SET finished_at=? WHERE id=?", (_now(), self.run_id))
        self.conn.execute("COMMIT")


def write_tags(c: sqlite3.Connection, article_id: int, tags) -> None:
    c.executemany(TAG_INSERT, tag_rows(article_id, tags))
    c.executemany(MENTION_INSERT, mention_rows(article_id, tags))


