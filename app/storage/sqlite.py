"""SQLite implementation of the archive store: every SQL statement of the app lives here
(FTS5 query syntax lives in app/search/fts5.py)."""
from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime, timezone

import numpy as np
from sqlalchemy.engine import make_url

from app.corrections import apply_corrections, has_corrections, merged_into
from app.entities import load_gazetteer
from app.entities.normalise import SentenceIndex
from app.ingest.prepare import PreparedArticle
from app.search import docindex
from app.storage import sqlite_stories as stories
from app.search.params import SearchParams
from app.search.query import parse
from app.search.engine import run_search
from app.storage.base import DiskFull
from app.storage.views import ArchiveStats, ArticleView, ImportLine, SearchResults, TagView

# import_run keeps three counts; near-duplicates and new versions are new texts, so "added".
COUNTED_AS = {"near-duplicate": "added", "updated": "added"}
RANK = "bm25(article_fts, 4.0, 2.0, 1.0)"  # title, lead, rest of the body
BATCH = 2000  # articles per transaction during imports
WRITER_CACHE_KIB = 64 * 1024  # SQLite page cache of the importing connection
WRITER_HEAP_LIMIT = 192 * 1024 * 1024  # bytes of SQLite heap, soft limit


def _is_full(exc: BaseException) -> bool:
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


def connect(path: str, *, read_only: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000",
                   "cache_size=-65536", "temp_store=MEMORY", "mmap_size=268435456"):
        conn.execute(f"PRAGMA {pragma}")
    if read_only:
        conn.execute("PRAGMA query_only=1")
    return conn


class SqliteWriter:
    """Adds articles for one import run, in transactions of BATCH articles.

    No per-article SAVEPOINT: FTS5 flushes its pending index to a new segment on every
    RELEASE, which tripled the cost of an insert. Instead, when one article fails to store,
    the open batch is rolled back and replayed without it, so it fails alone; a killed
    import loses at most the open batch, and the database stays consistent.
    """

    def __init__(self, conn: sqlite3.Connection, paths: list[str], path: str = ""):
        self.conn, self.path = conn, path
        conn.execute("BEGIN IMMEDIATE")
        cur = conn.execute("INSERT INTO import_run(started_at, paths, added, duplicates, rejected) VALUES (?,?,0,0,0)",
                           (_now(), "\n".join(paths)))
        self.run_id = cur.lastrowid
        conn.execute("COMMIT")
        self.totals = {"added": 0, "duplicate": 0, "rejected": 0, "skipped": 0}
        self.pending: list[tuple] = []  # (article or None, line) since the last commit, for replay
        self.corrections = has_corrections(conn)  # analysts' corrections to apply to new articles
        self.near_duplicates: list[tuple[int, int]] = []  # (article, earlier article it repeats)
        conn.execute("BEGIN IMMEDIATE")

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
        except (sqlite3.Error, OSError) as exc:
            if _is_full(exc):
                raise self._stopped(exc) from None
            raise

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
        except sqlite3.Error as exc:
            if _is_full(exc):
                raise self._stopped(exc) from None
            self._replay()
            return self._done(None, ImportLine(origin, "rejected", None, f"could not store: {exc}"))
        return self._done(art, line)

    def _insert(self, art: PreparedArticle) -> int:
        """Write a new article; returns its id."""
        r, c, fp = art.record, self.conn, art.fingerprint
        cur = c.execute(
            "INSERT INTO article(title, title_derived, body, language, source, url, author, origin, format,"
            " content_hash, original_text, original_bytes, published_at, published_how, captured_at,"
            " imported_at, import_id, story_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.title, r.title_derived, r.body, art.language, r.source, r.url, r.author, r.origin, r.format,
             art.content_hash, r.original_text, art.compressed_bytes, _ts(r.published_at), r.published_how,
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
        c.execute(
            "UPDATE article SET title=?, title_derived=?, body=?, language=?, source=COALESCE(?, source),"
            " author=COALESCE(?, author), origin=?, format=?, content_hash=?, original_text=?, original_bytes=?,"
            " published_at=COALESCE(?, published_at), published_how=?, captured_at=?, imported_at=?, import_id=?"
            " WHERE id=?",
            (r.title, r.title_derived, r.body, art.language, r.source, r.author, r.origin, r.format,
             art.content_hash, r.original_text, art.compressed_bytes, _ts(r.published_at), r.published_how,
             _ts(r.captured_at), _now(), self.run_id, aid))
        stories.save_fingerprint(c, aid, fp)
        for table in ("article_entity", "mention", "source_tag"):
            c.execute(f"DELETE FROM {table} WHERE article_id=?", (aid,))
        c.execute("DELETE FROM article_fts WHERE rowid=?", (aid,))
        self._index(aid, art)
        return number + 1

    def _index(self, aid: int, art: PreparedArticle) -> None:
        """Everything derived from the text: full-text row, tags, source tags, LSH bands."""
        r, c = art.record, self.conn
        c.execute("INSERT INTO article_fts(rowid, title, lead, body) VALUES (?,?,?,?)",
                  (aid, art.fts_title, art.fts_lead, art.fts_body))
        write_tags(c, aid, art.tags)
        if self.corrections:
            apply_corrections(c, [aid])
        if r.source_tags:
            c.executemany("INSERT OR IGNORE INTO source_tag(article_id, tag) VALUES (?,?)",
                          [(aid, t) for t in dict.fromkeys(r.source_tags)])

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
        except (sqlite3.Error, OSError) as exc:
            if _is_full(exc):
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
        c.execute("UPDATE import_file SET status='near-duplicate', reason='near-duplicate of #' ||"
                  " (SELECT other FROM temp.near WHERE aid = import_file.article_id)"
                  " WHERE import_id=? AND status='added' AND article_id IN (SELECT aid FROM temp.near)", (self.run_id,))

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
    c.executemany("INSERT INTO article_entity(article_id, entity_id, about, mention_count) VALUES (?,?,?,?)",
                  [(article_id, t.entity_id, t.about, len(t.mentions)) for t in tags])
    c.executemany('INSERT INTO mention(article_id, entity_id, start, "end", surface) VALUES (?,?,?,?,?)',
                  [(article_id, m.entity_id, m.start, m.end, m.surface) for t in tags for m in t.mentions])


class SqliteStore:
    def __init__(self, url: str, *, read_only: bool = False, max_bytes: int | None = None):
        self.path = make_url(url).database or ":memory:"
        self.read_only = read_only
        self.max_bytes = max_bytes  # imports stop (DiskFull) before the file grows past this
        self._local = threading.local()
        self._index: docindex.DocIndex | None = None
        self._index_lock = threading.Lock()

    # -- connections -------------------------------------------------------
    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = self._local.conn = connect(self.path, read_only=self.read_only)
        return c

    def close(self) -> None:
        c = getattr(self._local, "conn", None)
        if c is not None:
            c.close()
            self._local.conn = None

    @contextmanager
    def writer(self, paths: list[str]):
        """An ImportWriter for one run. A full disk (or the size limit) ends it with DiskFull,
        after rolling back the open batch."""
        conn = connect(self.path, read_only=False)
        if self.max_bytes:
            page_size = conn.execute("PRAGMA page_size").fetchone()[0]
            # SQLite keeps the larger of this and the current size: the file cannot grow past it.
            conn.execute(f"PRAGMA max_page_count={max(1, self.max_bytes // page_size)}")
        # Imports touch the article, FTS, tag and band B-trees at once: a larger page cache
        # keeps their hot pages resident (64 MB thrashed at 100k articles).
        conn.execute(f"PRAGMA cache_size={-WRITER_CACHE_KIB}")
        conn.execute("PRAGMA mmap_size=0")  # mapped pages would count as the importer's memory
        # FTS5 merges of ever larger segments would otherwise grow SQLite's heap with the archive.
        conn.execute(f"PRAGMA soft_heap_limit={WRITER_HEAP_LIMIT}")
        w = None
        try:
            w = SqliteWriter(conn, paths, self.path)
            yield w
            w.finish()
        except BaseException as exc:
            # Ctrl-C or a crash: the open batch is rolled back; what was committed stays whole.
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, DiskFull):
                raise
            if _is_full(exc):
                kept, run_id = (w.totals["added"], w.run_id) if w else (0, 0)
                raise DiskFull(self.path, kept, run_id, str(exc)) from None
            raise
        finally:
            conn.close()

    # -- the in-memory index for facets, filters and date sorts -------------
    def generation(self) -> str:
        return self.conn().execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]

    def vocabulary(self):
        """Indexed words for "did you mean", rebuilt (lazily) after each import."""
        from app.search.suggest import vocabulary_from_fts

        gen = self.generation()
        cached = getattr(self, "_vocab", None)
        if cached is None or cached[0] != gen:
            self._vocab = (gen, vocabulary_from_fts(self.conn()))
        return self._vocab[1]

    def index_key(self) -> str:
        """What the in-memory indexes were built from: the generation (bumped by every write),
        and the newest article and import, which tell a restored backup's generation from the
        same number reached again by other writes."""
        gen, top, run = self.conn().execute(
            "SELECT (SELECT value FROM meta WHERE key='generation'), (SELECT COALESCE(max(id), 0) FROM article),"
            " (SELECT COALESCE(max(id), 0) FROM import_run)").fetchone()
        return f"{gen}:{top}:{run}"

    def doc_index(self) -> docindex.DocIndex:
        key = self.index_key()
        idx = self._index
        if idx is not None and idx.generation == key:
            return idx
        with self._index_lock:
            if self._index is None or self._index.generation != key:
                self._index = docindex.load(self.cache_path("docindex.npz"), key) or self._build_index(key)
            return self._index

    def cache_path(self, name: str) -> str:
        """Derived indexes live beside the archive (``archive.db-docindex.npz``), like its -wal."""
        return f"{self.path}-{name}"

    def _build_index(self, key: str) -> docindex.DocIndex:
        c = self.conn()
        idx = docindex.build(
            key,
            c.execute("SELECT id, language, source, CAST(strftime('%Y%m%d%H%M%S',"
                      " COALESCE(published_at, imported_at)) AS INTEGER),"
                      " CAST(strftime('%Y%m%d%H%M%S', published_at) AS INTEGER), story_id FROM article ORDER BY id"),
            c.execute("SELECT article_id, entity_id, about FROM article_entity"),
            c.execute("SELECT article_id, tag FROM source_tag"),
        )
        try:
            docindex.save(idx, self.cache_path("docindex.npz"))
        except OSError:  # a read-only folder: the index is rebuilt at each start instead
            pass
        return idx

    # -- reads -------------------------------------------------------------
    def match_ids(self, match: str) -> np.ndarray:
        row = self.conn().execute("SELECT group_concat(rowid) FROM article_fts WHERE article_fts MATCH ?",
                                  (match,)).fetchone()
        if not row or not row[0]:
            return np.empty(0, dtype=np.int64)
        return np.array(row[0].split(","), dtype=np.int64)

    def scored(self, match: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, bm25 scores) of every match; bm25: lower is better (title > lead > body)."""
        rows = self.conn().execute(f"SELECT rowid, {RANK} FROM article_fts WHERE article_fts MATCH ?", (match,)).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        return ids, np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))

    def ranked_ids(self, match: str, offset: int, limit: int, within: np.ndarray | None = None) -> list[int]:
        """Ids by bm25, best first. ``within``: a boolean mask over the DocIndex rows
        (filters); then every match is scored and the page is cut in numpy, since an
        ``IN (...)`` constraint next to MATCH makes SQLite run the MATCH per id."""
        if within is None:
            rows = self.conn().execute(f"SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY {RANK}, rowid"
                                       " LIMIT ? OFFSET ?", (match, limit, offset))
            return [r[0] for r in rows]
        ids, scores = self.scored(match)
        keep = within[self.doc_index().pos[ids]]
        ids, scores = ids[keep], scores[keep]
        order = np.lexsort((ids, scores))[offset:offset + limit]
        return ids[order].tolist()

    def summaries(self, ids: list[int]) -> dict[int, tuple]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn().execute(
            f"SELECT id, title, body, language, source, COALESCE(published_at, '') FROM article WHERE id IN ({marks})", ids)
        return {r[0]: r for r in rows}

    def tags_for(self, ids: list[int]) -> dict[int, list[tuple[str, bool]]]:
        out: dict[int, list[tuple[str, bool]]] = {i: [] for i in ids}
        if ids:
            marks = ",".join("?" * len(ids))
            for aid, eid, about in self.conn().execute(
                    f"SELECT article_id, entity_id, about FROM article_entity WHERE article_id IN ({marks})"
                    " ORDER BY about DESC, mention_count DESC, entity_id", ids):
                out[aid].append((eid, bool(about)))
        return out

    def search(self, params: SearchParams) -> SearchResults:
        return run_search(self, params, parse(params.q))

    def article(self, article_id: int) -> ArticleView | None:
        c = self.conn()
        row = c.execute(
            "SELECT id, title, title_derived, body, language, source, url, author, origin, format, content_hash,"
            " original_text, published_at, published_how, captured_at, imported_at FROM article WHERE id=?",
            (article_id,)).fetchone()
        if row is None:
            return None
        gz = load_gazetteer()
        text = f"{row[1]}\n\n{row[3]}"  # mention offsets are into title + blank line + body
        bounds = SentenceIndex(text)
        sentences: dict[str, list[str]] = {}
        for eid, start, end in c.execute('SELECT entity_id, start, "end" FROM mention WHERE article_id=? ORDER BY start',
                                         (article_id,)):
            lo, hi = bounds.bounds(start, end)
            sentence = text[lo:hi].strip()
            if sentence not in sentences.setdefault(eid, []):
                sentences[eid].append(sentence)
        tags = []
        for eid, about, n in c.execute("SELECT entity_id, about, mention_count FROM article_entity WHERE article_id=?"
                                       " ORDER BY about DESC, mention_count DESC, entity_id", (article_id,)):
            ent = gz.entities.get(eid)
            tags.append(TagView(eid, ent.type if ent else "agency", ent.name if ent else eid, bool(about), n,
                                sentences.get(eid, [])))
        source_tags = [t for (t,) in c.execute("SELECT tag FROM source_tag WHERE article_id=? ORDER BY tag", (article_id,))]
        story = c.execute("SELECT COALESCE(story_id, id) FROM article WHERE id=?", (article_id,)).fetchone()[0]
        return ArticleView(row[0], row[1], bool(row[2]), row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                           row[10], row[11], row[12], row[13], row[14], row[15], tags, source_tags, story,
                           stories.same_story(c, article_id), stories.related(c, article_id),
                           stories.versions(c, article_id))

    def version(self, article_id: int, number: int) -> dict | None:
        return stories.version(self.conn(), article_id, number)

    def entity_counts(self, about: bool = False) -> list[tuple[str, int]]:
        idx = self.doc_index()
        return idx.entity_counts(np.ones(idx.size, dtype=bool), about)

    def latest(self, limit: int = 10) -> list[tuple]:
        return self.conn().execute(
            "SELECT id, title, language, source, COALESCE(published_at, '') FROM article"
            " ORDER BY COALESCE(published_at, imported_at) DESC, id DESC LIMIT ?", (limit,)).fetchall()

    def stats(self) -> ArchiveStats:
        c = self.conn()
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        return ArchiveStats(
            articles=one("SELECT count(*) FROM article"),
            by_language=c.execute("SELECT COALESCE(language, '?'), count(*) FROM article GROUP BY 1 ORDER BY 2 DESC").fetchall(),
            by_source=c.execute("SELECT COALESCE(source, '?'), count(*) FROM article GROUP BY 1 ORDER BY 2 DESC LIMIT 10").fetchall(),
            countries=sum(1 for e, _ in self.entity_counts() if _entity_type(e) == "country"),
            agencies=sum(1 for e, _ in self.entity_counts() if _entity_type(e) == "agency"),
            mentions=one("SELECT count(*) FROM mention"),
            imports=one("SELECT count(*) FROM import_run"),
            first_date=one("SELECT min(published_at) FROM article"),
            last_date=one("SELECT max(published_at) FROM article"),
        )

    def imports(self, limit: int = 50) -> list[dict]:
        rows = self.conn().execute("SELECT id, started_at, finished_at, paths, added, duplicates, rejected"
                                   " FROM import_run ORDER BY id DESC LIMIT ?", (limit,))
        keys = ("id", "started_at", "finished_at", "paths", "added", "duplicates", "rejected")
        return [dict(zip(keys, r)) for r in rows]

    def import_lines(self, run_id: int) -> list[ImportLine]:
        rows = self.conn().execute("SELECT origin, status, article_id, reason FROM import_file WHERE import_id=? ORDER BY id",
                                   (run_id,))
        return [ImportLine(*r) for r in rows]

    def integrity_check(self) -> bool:
        try:
            self.conn().execute("INSERT INTO article_fts(article_fts, rank) VALUES('integrity-check', 1)")
            return True
        except sqlite3.DatabaseError:
            return False

    def merged_into(self, entity_id: str) -> str | None:
        return merged_into(self.conn(), entity_id)

    def rebuild_fts(self) -> int:
        """Re-derive every FTS row from the stored articles (after a change of normalisation)."""
        from app.ingest.prepare import index_columns

        c = connect(self.path, read_only=False)
        try:
            c.execute("BEGIN IMMEDIATE")
            c.execute("DELETE FROM article_fts")
            n = 0
            for aid, title, body, lang in c.execute("SELECT id, title, body, language FROM article").fetchall():
                c.execute("INSERT INTO article_fts(rowid, title, lead, body) VALUES (?,?,?,?)",
                          (aid, *index_columns(title, body, lang)[:3]))
                n += 1
            c.execute("INSERT INTO article_fts(article_fts) VALUES('optimize')")
            c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
            c.execute("COMMIT")
            return n
        finally:
            c.close()


def _entity_type(entity_id: str) -> str:
    ent = load_gazetteer().entities.get(entity_id)
    return ent.type if ent else "agency"
