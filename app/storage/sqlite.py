"""SQLite implementation of the archive store: every SQL statement of the app lives here
(FTS5 query syntax lives in app/search/fts5.py)."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from contextlib import contextmanager

import numpy as np
from sqlalchemy.engine import make_url

from app.corrections import merged_into
from app.entities import load_gazetteer
from app.entities.normalise import SentenceIndex
from app.search import docindex
from app.search.packing import numbers
from app.storage import sqlite_fts, sqlite_tags, sqlite_text
from app.storage import sqlite_stories as stories
from app.search.params import SearchParams
from app.search.query import parse
from app.storage.base import DiskFull
from app.storage.sqlite_export import ExportQueries
from app.storage.sqlite_indexes import IndexFiles
from app.storage.sqlite_vectors import SqliteVectors
from app.storage.sqlite_writer import SqliteWriter, is_full
from app.storage.views import ArchiveStats, ArticleView, ImportLine, SearchResults, TagView

RANK = "bm25(article_fts, 4.0, 2.0, 1.0)"  # title, lead, rest of the body
WRITER_CACHE_KIB = 64 * 1024  # SQLite page cache of the importing connection
WRITER_HEAP_LIMIT = 192 * 1024 * 1024  # bytes of SQLite heap, soft limit


def connect(path: str, *, read_only: bool) -> sqlite3.Connection:
    """A connection with our pragmas. ``read_only`` (the web server, searches, stats) opens the
    file with ``mode=ro``: SQLite itself refuses every write, whatever SQL a bug might run; WAL
    still lets it read while an import writes (the importer's connection keeps the journal mode)."""
    if read_only and path != ":memory:":
        conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True, timeout=30,
                               isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")  # persistent in the file: set by writers
    for pragma in ("synchronous=NORMAL", "foreign_keys=ON", "busy_timeout=30000",
                   "cache_size=-65536", "temp_store=MEMORY", "mmap_size=268435456"):
        conn.execute(f"PRAGMA {pragma}")
    if read_only:
        conn.execute("PRAGMA query_only=1")  # and no write through an attached or temp database either
    sqlite_text.register(conn)  # unz(): article text is stored compressed
    return conn


class SqliteStore(IndexFiles, ExportQueries, SqliteVectors):
    def __init__(self, url: str, *, read_only: bool = False, max_bytes: int | None = None):
        self.path = make_url(url).database or ":memory:"
        self.read_only = read_only
        self.max_bytes = max_bytes  # imports stop (DiskFull) before the file grows past this
        self.build_postings = False  # the server sets it: stale postings are rebuilt in the background
        self.use_postings = True  # False: FTS5 alone (bench/fulltext_core.py compares the two)
        self._building = threading.Lock()
        self._vocab_building = threading.Lock()
        self._next_build = 0.0
        self._local = threading.local()
        self._index: docindex.DocIndex | None = None
        self._index_lock = threading.Lock()

    # -- connections -------------------------------------------------------
    def conn(self) -> sqlite3.Connection:
        c = getattr(self._local, "conn", None)
        if c is None:
            c = self._local.conn = connect(self.path, read_only=self.read_only)
        return c

    def connect(self, *, read_only: bool) -> sqlite3.Connection:
        """A new connection of its own (corrections, retag), closed by the caller."""
        return connect(self.path, read_only=read_only)

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
            if is_full(exc):
                kept, run_id = (w.totals["added"], w.run_id) if w else (0, 0)
                raise DiskFull(self.path, kept, run_id, str(exc)) from None
            raise
        finally:
            conn.close()

    # -- the in-memory index for facets, filters and date sorts -------------
    def generation(self) -> str:
        return self.conn().execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0]

    def match_ids(self, match: str) -> np.ndarray:
        found = self._over_postings("match_ids", match)
        if found is not None:
            return found
        return self._fts_ids("", (match,))

    def _fts_ids(self, also: str, args: tuple) -> np.ndarray:
        """Ascending ids of the full-text rows that match (and meet ``also``), marshalled as
        one string by group_concat and parsed in C."""
        row = self.conn().execute(f"SELECT group_concat(rowid, ' ') FROM article_fts WHERE article_fts MATCH ?{also}",
                                  args).fetchone()
        return numbers(row[0]) if row and row[0] else np.empty(0, dtype=np.int64)

    # The proximity tier of a search of several words (app/search/engine.py) checks NEAR on the
    # best-scored matches, a chunk at a time, when the words are in this many articles, and
    # after NEAR_LOOKUPS articles it checks the rest by one NEAR over the index. At 400k articles
    # (warm): one NEAR over the index costs ~0.3-0.5 us per article holding all the words (plus
    # pour, 178,608: 56 ms; government minister said, 20,538: 7.6 ms), a lookup 60-90 us.
    NEAR_AMONG_FROM = 100_000
    NEAR_LOOKUPS = 256

    def near_lookups(self, matches: int) -> int:
        """How many of ``matches`` articles to check for NEAR one by one before one NEAR over
        the index is the cheaper way to check the rest."""
        return self.NEAR_LOOKUPS if matches >= self.NEAR_AMONG_FROM else 0

    def match_among(self, match: str, ids: np.ndarray) -> np.ndarray:
        """Those of ``ids`` that match: with ``rowid IN`` beside MATCH, FTS5 evaluates the
        expression for each id alone (a cost per id, not per match of the expression)."""
        if len(ids) == 0:
            return np.empty(0, dtype=np.int64)
        return self._fts_ids(" AND rowid IN (SELECT value FROM json_each(?))", (match, json.dumps(np.asarray(ids).tolist())))

    def scored(self, match: str) -> tuple[np.ndarray, np.ndarray]:
        """(ids, bm25 scores) of every match; bm25: lower is better (title > lead > body)."""
        found = self._over_postings("scored", match)
        if found is not None:
            return found
        rows = self.conn().execute(f"SELECT rowid, {RANK} FROM article_fts WHERE article_fts MATCH ?", (match,)).fetchall()
        ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
        return ids, np.fromiter((r[1] for r in rows), dtype=np.float64, count=len(rows))

    def ranked_ids(self, match: str, offset: int, limit: int, within: np.ndarray | None = None) -> list[int]:
        """Ids by bm25, best first. ``within``: a boolean mask over the DocIndex rows
        (filters); then every match is scored and the page is cut in numpy, since an
        ``IN (...)`` constraint next to MATCH makes SQLite run the MATCH per id."""
        found = self._over_postings("ranked_ids", match, offset, limit, within)
        if found is not None:
            return found
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
            f"SELECT id, title, unz(body), language, source, COALESCE(published_at, '') FROM article WHERE id IN ({marks})", ids)
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
        from app.search.hybrid import search  # keyword, meaning or both, by params.mode

        started = time.perf_counter()
        try:
            results = search(self, params, parse(params.q))
        finally:
            self.forget_phrases()
        results.seconds = time.perf_counter() - started
        return results

    def article(self, article_id: int) -> ArticleView | None:
        c = self.conn()
        row = c.execute(
            "SELECT id, title, title_derived, unz(body), language, source, url, author, origin, format, content_hash,"
            " original_z, published_at, published_how, captured_at, imported_at FROM article WHERE id=?",
            (article_id,)).fetchone()
        if row is None:
            return None
        gz = load_gazetteer()
        text = f"{row[1]}\n\n{row[3]}"  # mention offsets are into title + blank line + body
        rows = c.execute('SELECT entity_id, start, "end", surface, place FROM mention WHERE article_id=? ORDER BY start',
                         (article_id,)).fetchall()
        evidence = _evidence(text, [(eid, start, end) for eid, start, end, _, _ in rows])
        places = _places(rows)
        tags = []
        for eid, about, n, located_only in c.execute(
                "SELECT entity_id, about, mention_count, located_only FROM article_entity WHERE article_id=?"
                " ORDER BY about DESC, located_only, mention_count DESC, entity_id", (article_id,)):
            ent = gz.entities.get(eid)
            sentences = evidence.get(eid, {})
            tags.append(TagView(eid, ent.type if ent else "agency", ent.name if ent else eid, bool(about), n,
                                list(sentences), list(sentences.values()), bool(located_only), places.get(eid, [])))
        source_tags = [t for (t,) in c.execute("SELECT tag FROM source_tag WHERE article_id=? ORDER BY tag", (article_id,))]
        story = c.execute("SELECT COALESCE(story_id, id) FROM article WHERE id=?", (article_id,)).fetchone()[0]
        return ArticleView(row[0], row[1], bool(row[2]), row[3], row[4], row[5], row[6], row[7], row[8], row[9],
                           row[10], sqlite_text.unz(row[11]) or "", row[12], row[13], row[14], row[15], tags, source_tags, story,
                           stories.same_story(c, article_id), stories.related(c, article_id),
                           stories.versions(c, article_id), _import_paths(c, article_id))

    def version(self, article_id: int, number: int) -> dict | None:
        return stories.version(self.conn(), article_id, number)

    def entity_counts(self, about: bool = False) -> list[tuple[str, int]]:
        idx = self.doc_index()
        return idx.entity_counts(np.ones(idx.size, dtype=bool), about)

    def latest(self, limit: int = 10) -> list[tuple]:
        """The newest articles by publication date (undated ones last; then newest id), in the facet
        index's date order: SQL would sort every article by that expression (120 ms at 100k)."""
        idx = self.doc_index()
        ids = idx.page_by_date(np.ones(idx.size, dtype=bool), True, 0, limit)
        if not ids:
            return []
        rows = {r[0]: r for r in self.conn().execute(
            f"SELECT id, title, language, source, COALESCE(published_at, '') FROM article WHERE id IN"
            f" ({','.join('?' * len(ids))})", ids)}
        return [rows[i] for i in ids if i in rows]

    def stats(self) -> ArchiveStats:
        c = self.conn()
        one = lambda sql: c.execute(sql).fetchone()[0]  # noqa: E731
        return ArchiveStats(
            articles=one("SELECT count(*) FROM article"),
            by_language=c.execute("SELECT COALESCE(language, '?'), count(*) FROM article GROUP BY 1 ORDER BY 2 DESC, 1").fetchall(),
            by_source=c.execute("SELECT COALESCE(source, '?'), count(*) FROM article GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10").fetchall(),
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

    def import_lines(self, run_id: int, status: str | None = None):
        """One import's report lines (all, or those of one status), in order, as they are read."""
        rows = self.conn().execute("SELECT origin, status, article_id, reason FROM import_file WHERE import_id=?"
                                   " AND (CAST(? AS TEXT) IS NULL OR status=?) ORDER BY id", (run_id, status, status))
        return (ImportLine(*r) for r in rows)

    def integrity_check(self) -> bool:
        try:
            self.conn().execute("INSERT INTO article_fts(article_fts, rank) VALUES('integrity-check', 1)")
            return True
        except sqlite3.DatabaseError:
            return False

    def merged_into(self, entity_id: str) -> str | None:
        return merged_into(self.conn(), entity_id)

    def entity_tag_counts(self, entity_ids=None) -> dict[str, tuple[int, int, int]]:
        return sqlite_tags.tag_kind_counts(self.conn(), entity_ids)

    def entity_corrections(self, entity_id: str) -> dict:
        return sqlite_tags.entity_corrections(self.conn(), entity_id)

    def merged_ids(self) -> dict[str, str]:
        return sqlite_tags.merged_ids(self.conn())

    def rebuild_fts(self) -> int:
        """Re-derive every FTS row from the stored articles (after a change of normalisation)."""
        c = connect(self.path, read_only=False)
        try:
            c.execute("BEGIN IMMEDIATE")
            n = sqlite_fts.rebuild(c)
            c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")
            c.execute("COMMIT")
            return n
        finally:
            c.close()


def _evidence(text: str, mentions) -> dict[str, dict[str, list[tuple[int, int]]]]:
    """{entity: {sentence: [(start, end) of each mention inside it]}}, sentences in text order."""
    bounds = SentenceIndex(text)
    out: dict[str, dict[str, list[tuple[int, int]]]] = {}
    for eid, start, end in mentions:
        lo, hi = bounds.bounds(start, end)
        raw = text[lo:hi]
        lo += len(raw) - len(raw.lstrip())
        spans = out.setdefault(eid, {}).setdefault(raw.strip(), [])
        if (start - lo, end - lo) not in spans and 0 <= start - lo <= end - lo <= len(raw.strip()):
            spans.append((start - lo, end - lo))
    return out


def _places(mentions) -> dict[str, list[str]]:
    """{country: the places that named it}: "Londres" -> "Londres (London)", what the text wrote and where."""
    out: dict[str, list[str]] = {}
    for eid, _, _, surface, place in mentions:
        if place is not None:
            shown = place if surface == place else f"{surface} ({place})"
            if shown not in out.setdefault(eid, []):
                out[eid].append(shown)
    return out


def _import_paths(c: sqlite3.Connection, article_id: int) -> list[str]:
    """The paths given to the import that stored the article (to show its origin relative to them)."""
    row = c.execute("SELECT r.paths FROM article a JOIN import_run r ON r.id = a.import_id WHERE a.id=?",
                    (article_id,)).fetchone()
    return [p for p in (row[0] if row and row[0] else "").split("\n") if p]


def _entity_type(entity_id: str) -> str:
    ent = load_gazetteer().entities.get(entity_id)
    return ent.type if ent else "agency"
