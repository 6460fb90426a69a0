"""The import writer of the PostgreSQL archive: the SQLite writer's batches, replay and report
lines, with two statements per run of articles instead of about ten per article.

The importer hands the writer runs of up to 64 prepared articles (``add_many``). One statement
looks the run up (texts, older versions, URLs already stored: ``LOOKUP_MANY``), a pure plan
(app/storage/pg_import_sql.py) says which are new as writing them one at a time would, and one
INSERT ... ON CONFLICT (content_hash) DO NOTHING RETURNING id stores the new ones: their ids and
report lines are known at once, as before. A text another importer stored meanwhile comes back
without an id and is reported as a duplicate. Everything else an article brings (its full-text
row, fingerprint, tags, mentions, source tags, report row) is kept in memory and written at the
end of the batch by one COPY per table, before the batch's COMMIT: a batch that dies leaves
nothing of itself, as before. A run never spans two batches. (bench/README.md, "PostgreSQL
beside SQLite": the per-statement round trips were three quarters of the import's time.)

An article that cannot be stored makes the batch roll back and be written again without it,
one article at a time, as on SQLite; the articles written again take new ids from the sequence,
and the report lines that name them follow. Values COPY could refuse are checked before they
are kept; an article with one is written statement by statement, so that it fails alone. Should
a COPY fail all the same, the batch is written again statement by statement and the article
that fails is rejected (its line, already handed to the importer as added, then says rejected:
the import run's counts in the archive are right, the importer's running counts are off by it).
"""
from __future__ import annotations

import re

import psycopg

from app.ingest.prepare import PreparedArticle
from app.storage import pg_fts, sqlite_writer
from app.storage import sqlite_stories as stories
from app.storage.pg_conn import ConnectionLost
from app.storage.pg_conflicts import Conflict, RetriedBatches
from app.storage.pg_import_sql import (ARTICLE_COLUMNS, COPIED, LOOKUP_MANY, TEXT_FIELDS, TSVECTOR_MAX, add_sql,
                                       article_types, insert_many_sql, insert_sql, plan_run)
from app.storage.sqlite_tags import mention_rows, tag_rows
from app.storage.sqlite_writer import SqliteWriter, _now, _ts
from app.storage.views import ImportLine
from app.tags import normalise_tag

def _storable(values) -> bool:
    """Text COPY takes as it is: valid UTF-8 without NUL (PostgreSQL's text has none)."""
    for v in values:
        if isinstance(v, str):
            if "\x00" in v:
                return False
            try:
                v.encode("utf-8")
            except UnicodeEncodeError:
                return False
    return True


class _Raced(Exception):
    """Another importer stored the same text between our look-up and our insert."""

    def __init__(self, article_id: int):
        self.article_id = article_id


def disk_full(exc: BaseException) -> bool:
    return isinstance(exc, (psycopg.errors.DiskFull, psycopg.errors.OutOfMemory)) or (
        isinstance(exc, OSError) and exc.errno == 28)


class PgWriter(RetriedBatches, SqliteWriter):
    """The SQLite writer's batches, replay and report lines, on PostgreSQL. The content hash is
    unique in the table, and the insert says ON CONFLICT DO NOTHING: two importers on two
    machines that meet the same article store it once (the second waits for the first's
    transaction, then reports a duplicate)."""

    fts = pg_fts
    errors = (psycopg.Error,)
    retried = Conflict  # not the article's fault: the batch is written again (_retrying)
    max_bytes: int | None = None  # NEWSARCHIVE_MAX_ARCHIVE_MB: the database's size, checked at each batch

    def __init__(self, conn, paths: list[str], path: str = ""):
        self.rows: dict[str, list[tuple]] = {t: [] for t in COPIED}
        self.kept_ids: list[int] = []  # articles whose rows are kept (corrections applied at the flush)
        self.direct = False  # this batch is written statement by statement (after a failed COPY)
        self.moved: dict[int, int] = {}  # ids of the open batch's articles -> their ids once written again
        self.handed: dict[int, ImportLine] = {}  # the open batch's lines returned to the importer, by id()
        self._depth = 0  # add_many calls itself: lines are handed out when the outermost returns
        super().__init__(conn, paths, path)
        types = article_types(conn.raw)
        self.add_sql, self.insert_sql, self.insert_many_sql = add_sql(types), insert_sql(), insert_many_sql(types)

    @staticmethod
    def is_full(exc: BaseException) -> bool:
        return disk_full(exc)

    # -- one statement per article --------------------------------------------------------------
    def _params(self, art: PreparedArticle) -> dict:
        r = art.record
        for name in TEXT_FIELDS:
            value = getattr(r, name)
            if value is not None and not isinstance(value, str):  # SQLite refuses these binds too
                raise psycopg.DataError(f"{name} is a {type(value).__name__}, not text")
        return dict(
            title=r.title, title_derived=bool(r.title_derived), body=r.body, language=art.language, source=r.source,
            url=r.url, author=r.author, origin=r.origin, format=r.format, content_hash=art.content_hash,
            original_z=art.compressed_text, original_bytes=art.compressed_bytes, published_at=_ts(r.published_at),
            published_how=r.published_how, captured_at=_ts(r.captured_at), imported_at=_now(), import_id=self.run_id,
            story_id=None, look_url=r.url or None)

    # -- a run of articles: two statements for all of them ------------------------------------
    def add_many(self, arts: list[PreparedArticle]) -> list[ImportLine]:
        """As SqliteWriter.add_many: one look-up and one INSERT for each part of the run that fits
        in the open batch (a batch is never cut inside a part)."""
        self._depth += 1
        try:
            lines = self._add_parts(arts)
        finally:
            self._depth -= 1
        if not self._depth:
            self.handed.update((id(line), line) for line in lines)  # held: their id()s are not reused
        return lines

    def _add_parts(self, arts: list[PreparedArticle]) -> list[ImportLine]:
        lines: list[ImportLine] = []
        while arts:
            room = max(1, sqlite_writer.BATCH - len(self.pending))
            part, arts = arts[:room], arts[room:]
            try:
                lines += self._retrying(lambda: self._add_part(part))
            except psycopg.OperationalError as exc:
                raise self._lost(exc) from None
            except (*self.errors, OSError) as exc:
                if self.is_full(exc):
                    raise self._stopped(exc) from None
                raise
        return lines

    def _add_part(self, arts: list[PreparedArticle]) -> list[ImportLine]:
        if len(arts) == 1:
            return [self.add_or_reject(arts[0])]
        try:
            params = [self._params(a) for a in arts]
        except psycopg.DataError:  # a value of the wrong type: one at a time, it fails alone
            return super().add_many(arts)
        raw = self.conn.raw
        try:
            found = {(kind, key): aid for kind, key, aid in raw.execute(LOOKUP_MANY, {
                "hashes": [a.content_hash for a in arts], "urls": [p["url"] for p in params if p["url"]]})}
            plan, cut = plan_run([(a.content_hash, p["look_url"]) for a, p in zip(arts, params)], found)
            new = [i for i, p in enumerate(plan) if p.kind == "new"]
            rows = raw.execute(self.insert_many_sql, [[params[i][c] for i in new] for c in ARTICLE_COLUMNS]
                               ).fetchall() if new else []
        except psycopg.OperationalError:
            raise
        except Exception as exc:  # e.g. a text PostgreSQL refuses, or one the driver cannot encode
            if self.is_full(exc):
                raise
            self._replay()  # the batch as it was before this part; then one at a time: it fails alone
            return super().add_many(arts)
        stored = {h: aid for aid, h in rows}
        lines = []
        for i in range(cut):
            try:
                lines.append(self._planned_line(arts, plan, i, stored))
            except psycopg.OperationalError:
                raise
            except self.errors as exc:  # this article's other rows were refused
                if self.is_full(exc):
                    raise
                self._replay()  # the batch up to it; it alone, then the rest of the run again
                return lines + [self.add_or_reject(arts[i])] + self.add_many(arts[i + 1:])
        return lines + self.add_many(arts[cut:])

    def _planned_line(self, arts, plan, i: int, stored: dict[str, int]) -> ImportLine:
        art, p = arts[i], plan[i]
        origin = art.record.origin
        if p.kind == "same":
            line = ImportLine(origin, "duplicate", p.article_id, f"same text as article {p.article_id}")
        elif p.kind == "older":
            line = ImportLine(origin, "duplicate", p.article_id, f"an older version of article {p.article_id}")
        elif p.kind == "again" or art.content_hash not in stored:  # the run's own, or another importer's
            other = stored.get(art.content_hash) or self._stored_as(art.content_hash)
            line = ImportLine(origin, "duplicate", other, f"same text as article {other}")
        else:
            aid = stored[art.content_hash]
            self._keep(aid, art)
            return self._done(art, ImportLine(origin, "added", aid))
        return self._done(None, line)

    # -- one article --------------------------------------------------------------------------
    def _add(self, art: PreparedArticle) -> ImportLine:
        try:
            return self._add_one(art)
        except Conflict:
            raise  # to add_many, which writes the batch again
        except psycopg.OperationalError as exc:
            raise self._lost(exc) from None
        except _Raced as raced:
            line = ImportLine(art.record.origin, "duplicate", raced.article_id, f"same text as article {raced.article_id}")
            return self._done(None, line)

    def _add_one(self, art: PreparedArticle) -> ImportLine:
        origin = art.record.origin
        try:
            same, older, same_url, aid = self.conn.raw.execute(self.add_sql, self._params(art)).fetchone()
            if same:
                return self._done(None, ImportLine(origin, "duplicate", same, f"same text as article {same}"))
            if older:
                return self._done(None, ImportLine(origin, "duplicate", older, f"an older version of article {older}"))
            if same_url:
                line = ImportLine(origin, "updated", same_url, None)
                line.reason = f"new version {self._update(same_url, art)} of article {same_url} (same URL)"
            elif aid is None:
                raise _Raced(self._stored_as(art.content_hash))
            else:
                line = ImportLine(origin, "added", aid)
                self._keep(aid, art)
        except psycopg.OperationalError:
            raise
        except self.errors as exc:
            return self._rejected(origin, exc)
        return self._done(art, line)

    def _stored_as(self, content_hash: str) -> int:
        row = self.conn.execute("SELECT id FROM article WHERE content_hash=?", (content_hash,)).fetchone()
        return row[0] if row else 0

    def _insert(self, art: PreparedArticle) -> int:
        """A new article (on a replay of the batch): one INSERT, its other rows kept."""
        row = self.conn.raw.execute(self.insert_sql, self._params(art)).fetchone()
        if row is None:
            raise _Raced(self._stored_as(art.content_hash))
        self._keep(row[0], art)
        return row[0]

    def _keep(self, aid: int, art: PreparedArticle) -> None:
        if self.direct:
            stories.save_fingerprint(self.conn, aid, art.fingerprint)
            return super()._index(aid, art)
        fp = art.fingerprint
        if fp is not None:
            self.rows["article_fingerprint"].append((aid, fp.minhash, stories.band_blob(fp)))
        self._index(aid, art)

    def _update(self, aid: int, art: PreparedArticle) -> int:
        self.flush()  # the rows of the article it replaces may still be kept
        plain = art.compressed_body  # PostgreSQL stores the body as text (and compresses it)
        art.compressed_body = art.record.body
        try:
            return super()._update(aid, art)
        finally:
            art.compressed_body = plain

    def _index(self, aid: int, art: PreparedArticle) -> None:
        doc, words = pg_fts.tsvector_text(art.fts_title, art.fts_lead, art.fts_body)
        tags = tag_rows(aid, art.tags)
        mentions = mention_rows(aid, art.tags)
        sources = [(aid, t) for t in dict.fromkeys(normalise_tag(t) for t in art.record.source_tags) if t]
        if self.direct or len(doc) > TSVECTOR_MAX or not _storable(
                v for rows in (tags, mentions, sources) for row in rows for v in row):
            self.flush()
            return super()._index(aid, art)  # statement by statement: a refused value fails this article alone
        self.rows["article_fts"].append((aid, doc, words))
        self.rows["article_entity"].extend(tags)
        self.rows["mention"].extend(mentions)
        self.rows["source_tag"].extend(sources)
        self.kept_ids.append(aid)

    def _write_line(self, line: ImportLine) -> None:
        if self.direct or not _storable((line.origin, line.reason)):
            return super()._write_line(line)
        self.rows["import_file"].append((self.run_id, line.origin, line.status, line.article_id, line.reason))

    # -- the end of a batch ---------------------------------------------------------------------
    def flush(self) -> None:
        """The kept rows written, one COPY per table (in the open transaction)."""
        with self.conn.raw.cursor() as cur:
            for table, columns in COPIED.items():
                rows = self.rows[table]
                if rows:
                    with cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            copy.write_row(row)
                    self.rows[table] = []
        if self.kept_ids and self.corrections:
            from app.corrections import apply_corrections

            apply_corrections(self.conn, self.kept_ids)
        self.kept_ids = []

    def _forget(self) -> None:
        self.rows = {t: [] for t in COPIED}
        self.kept_ids = []

    def _replay(self) -> None:
        if self.conn.gone:  # not this article's fault: the server went away
            raise self._lost(None)
        self._write_again(alone=False)

    def _stopped(self, exc: BaseException):
        self._forget()
        return super()._stopped(exc)

    def flush_or_replay(self) -> None:
        """flush(); a COPY refused (a value the checks let through): the batch written again
        statement by statement, each article that fails rejected alone."""
        try:
            self.flush()
        except psycopg.OperationalError:
            raise
        except self.errors as exc:
            if self.is_full(exc):
                raise
            self._forget()
            self.direct = True
            self._replay_alone()

    def _replay_alone(self) -> None:
        while not self._write_again(alone=True):
            pass

    def _write_again(self, alone: bool) -> bool:
        """ROLLBACK, BEGIN, and the open batch written again. Its new articles take new ids from
        the sequence (SQLite reuses them): the lines that name them follow. ``alone``: an article
        that fails now is rejected (a duplicate, if another importer stored it meanwhile), and
        False returned: write the batch again without it."""
        self._forget()  # the rows of the batch are kept again as it is written again
        self.conn.execute("ROLLBACK")
        self.conn.execute("BEGIN")
        for i, (article, line) in enumerate(self.pending):
            try:
                if article is not None and line.status == "added":
                    new = self._insert(article)
                    self.moved[line.article_id] = new
                    line.article_id = new
                else:
                    self._follow(line)
                    if article is not None:  # a new version of the article the line names
                        self._update(line.article_id, article)
                self._write_line(line)
            except psycopg.OperationalError:
                raise
            except (*self.errors, _Raced) as exc:
                if not alone or article is None or (not isinstance(exc, _Raced) and self.is_full(exc)):
                    raise  # (a report line alone refused: nothing to leave out)
                was = line.status
                if isinstance(exc, _Raced):
                    line.status, line.article_id = "duplicate", exc.article_id
                    line.reason = f"same text as article {exc.article_id}"
                else:
                    line.status, line.article_id, line.reason = "rejected", None, f"could not store: {exc}"
                if id(line) in self.handed:  # the importer counted it as it was
                    self.relabelled[was] -= 1
                    self.relabelled[line.status] += 1
                self.pending[i] = (None, line)
                return False
        return True

    def _follow(self, line: ImportLine) -> None:
        """A line naming an article of the open batch written again names its new id."""
        old = target = line.article_id
        while target in self.moved:  # ids only grow: the chain ends
            target = self.moved[target]
        if target != old:
            line.article_id = target
            line.reason = re.sub(rf"\barticle {old}\b", f"article {target}", line.reason or "") or None

    def checkpoint(self) -> None:
        try:
            self._retrying(self._commit)
        except psycopg.OperationalError as exc:
            raise self._lost(exc) from None
        self.direct, self.moved, self.handed = False, {}, {}

    def _commit(self) -> None:
        self.flush_or_replay()
        if self.max_bytes:
            self._within_limit()
        super().checkpoint()

    def group_stories(self) -> None:
        try:
            self._retrying(super().group_stories)
        except psycopg.OperationalError as exc:
            raise self._lost(exc) from None

    def _within_limit(self) -> None:
        """Before a batch is committed: a database past the limit rolls it back and stops the
        import as a full disk does. PostgreSQL has no cap on a database's files, so the check is
        pg_database_size() once per batch: the files may hold one batch's pages past the limit
        (rolled back: reused by later writes after a VACUUM)."""
        size = self.conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        if size > self.max_bytes:
            raise self._stopped(RuntimeError(f"the database is {size / 2**20:,.1f} MB, over the limit of"
                                             f" {self.max_bytes / 2**20:,.1f} MB (NEWSARCHIVE_MAX_ARCHIVE_MB)"))

    def _lost(self, exc) -> ConnectionLost:
        return ConnectionLost(f"the connection to PostgreSQL ({self.path}) was lost"
                              f"{': ' + str(exc).strip().splitlines()[0] if exc and str(exc).strip() else ''}."
                              f" Kept: {self.totals['added']:,} articles from the batches this import committed"
                              f" (import #{self.run_id}); the open batch was rolled back by the server. Run the same"
                              " command again to finish: what is stored is recognised, nothing is added twice.")
