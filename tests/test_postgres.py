"""What only the PostgreSQL backend has: the FTS5 -> tsquery translation, the same answers as
SQLite on the same files, importers that meet on one server, the server's read-only session,
and one clear line when the server is not there. (Every other test runs on both backends.)"""
from __future__ import annotations

import subprocess
import threading

from pathlib import Path

import numpy as np
import psycopg
import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings
from app.ingest.load import import_paths
from app.search.params import SearchParams
from app.search.tsquery import Unparsable, to_tsquery
from app.store import open_store
from app.search.fts5 import compile_query
from app.search.query import parse
from app.storage import pg_fts
from app.storage.pg_fts import tsvector_text
from tests import pgserver
from tests.conftest import ARCHIVE_FIXTURES, BACKENDS, FIXTURES, SAMPLES, SEEDS, settings_for

runner = CliRunner()


@pytest.mark.parametrize("match, tsquery", [
    ('"maroc"', "'maroc'"),
    ('("attentat") AND ("maroc")', "('attentat' & 'maroc')"),
    ('"forc de l ordre"', "('forc' <-> 'de' <-> 'l' <-> 'ordre')"),
    ('("terror"*)', "'terror':*"),
    ('{title} : ("maroc")', "'maroc':A"),
    ('{lead} : ("rabat"*)', "'rabat':*B"),
    ('("a") NOT ("b")', "('a' & !'b')"),
    ('("a") OR ("b")', "('a' | 'b')"),
    ('NEAR("a" "b", 10)', "('a' & 'b')"),
    ('"it""s"', "('it' <-> 's')"),
    ('"o\'neil"', "('o' <-> 'neil')"),
])
def test_fts5_expressions_become_the_same_tsquery(match, tsquery):
    assert to_tsquery(match).tsquery == tsquery


@pytest.mark.parametrize("junk", ['"a" AND', "(\"a\"", "{nosuch} : \"a\"", "a b", ")"])
def test_text_outside_the_fts5_grammar_we_write_is_refused(junk):
    with pytest.raises(Unparsable):
        to_tsquery(junk)


def test_tsvector_columns_are_weighted_and_kept_apart_so_no_phrase_spans_two():
    text, words = tsvector_text("port raid", "customs", "seized ore")
    assert words == 5
    assert text == "'port':1A 'raid':2A 'customs':35B 'seized':68C 'ore':69C"


# -- the same archive on both backends -----------------------------------------------------------
QUERIES = ["security", "maroc", "police arrest", "terror*", "attentat", '"forces de l\'ordre"', "title:maroc",
           "daech", "daech -syrie", "bcij OR dgst", "interpol europol", "rabat -casablanca", "minist*",
           "arrested suspects", '"counter terrorism"', "sécurité", "islamic state", "drug traffick*",
           "cyber*", "zzzq", "morocco spain", "court", "bomb OR explosive", "title:police", "training",
           "investigation", "the", "border", "intelligence service", "lead:rabat"]
FILTERS = [{}, {"country": "ma"}, {"lang": "fr"}, {"sort": "newest"}, {"recency": "1"}]


@pytest.fixture(scope="module")
def both(tmp_path_factory, pg_server):
    paths = ([str(SEEDS)] if SEEDS.is_dir() else []) + [str(SAMPLES)] + [str(FIXTURES / f) for f in ARCHIVE_FIXTURES]
    sqlite = settings_for(tmp_path_factory.mktemp("same") / "a.db")
    pg = Settings(database_url=pgserver.new_database(pg_server))
    for settings in (sqlite, pg):
        import_paths(open_store(settings), paths, workers=1)
    return open_store(sqlite, read_only=True), open_store(pg, read_only=True)


def compare(both) -> tuple[int, int, int, list]:
    """(searches, same totals, same top 20, differences) over QUERIES x FILTERS."""
    lite, pg = both
    n = totals = tops = 0
    diffs = []
    for q in QUERIES:
        for extra in FILTERS:
            params = SearchParams.from_query({"q": q, **extra})
            a, b = lite.search(params), pg.search(params)
            n += 1
            same_total = (a.total, a.partial_total) == (b.total, b.partial_total)
            same_top = [h.id for h in a.hits] == [h.id for h in b.hits]
            totals += same_total
            tops += same_top
            if not (same_total and same_top):
                diffs.append((q, extra, a.total, b.total, [h.id for h in a.hits], [h.id for h in b.hits]))
    return n, totals, tops, diffs


def test_both_backends_give_the_same_totals_and_the_same_top_20(both):
    n, totals, tops, diffs = compare(both)
    assert (totals, tops) == (n, n), diffs[:5]


def test_a_near_of_two_words_matches_the_same_articles_on_both_backends(both):
    lite, pg = both
    for a, b in (("polic", "arrest"), ("minist", "intérieur"), ("secur", "forc"), ("maroc", "maroc"), ("l", "de")):
        for distance in (0, 1, 3, 10):
            expr = f'NEAR("{a}" "{b}", {distance})'
            assert lite.match_ids(expr).tolist() == pg.match_ids(expr).tolist(), expr


@pytest.mark.parametrize("page_size", ["1", "3"])
def test_the_proximity_tier_checked_a_chunk_at_a_time_gives_sqlites_pages(both, monkeypatch, page_size):
    from app.search import engine

    monkeypatch.setattr(engine, "NEAR_CHUNK", 1)  # as on a large archive: several chunks per page
    lite, pg = both
    for q in ("police arrest", "interpol europol", "arrested suspects", "morocco spain", "intelligence service",
              "islamic state", "counter terrorism"):
        for page in ("1", "2", "4"):
            for extra in ({}, {"recency": "1"}, {"lang": "fr"}):
                params = SearchParams.from_query({"q": q, "page": page, "page_size": page_size, **extra})
                a, b = lite.search(params), pg.search(params)
                assert (a.total, [h.id for h in a.hits]) == (b.total, [h.id for h in b.hits]), (q, page, extra)


def test_both_backends_answer_alike_through_the_numpy_postings_built_from_postgresql(both, monkeypatch):
    from app.search import postings

    monkeypatch.setattr(postings, "MIN_DF", 2)  # a small archive: most words get postings
    lite, pg = (open_store(settings_for(Path(both[0].path)), read_only=True),
                open_store(Settings(database_url=both[1].url), read_only=True))
    lite.postings(build=True)
    pg.postings(build=True)
    assert pg._fast() is not None and pg._fast().evaluator.p.terms  # PostgreSQL searches through them
    n, totals, tops, diffs = compare((lite, pg))
    assert (totals, tops) == (n, n), diffs[:5]
    for q in QUERIES:  # and the same scores as PostgreSQL's own bm25 from the positions
        match = compile_query(parse(q).tree).match
        if match:
            fast, slow = pg.scored(match), pg_fts.scored(pg.conn(), to_tsquery(match))
            assert fast[0].tolist() == slow[0].tolist() and np.allclose(fast[1], slow[1], rtol=1e-12), q


@pytest.mark.parametrize("page_size", ["1", "3", "20"])
def test_phrases_scored_exactly_only_for_the_best_bounded_matches_give_sqlites_pages(both, monkeypatch, page_size):
    from app.search import postings
    from app.storage import pg_phrases

    monkeypatch.setattr(postings, "MIN_DF", 2)
    monkeypatch.setattr(pg_phrases, "CHUNK", 1)  # as on a large archive: a page needs a few chunks
    lite, pg = (open_store(settings_for(Path(both[0].path)), read_only=True),
                open_store(Settings(database_url=both[1].url), read_only=True))
    lite.postings(build=True)
    pg.postings(build=True)
    for q in ('"forces de l\'ordre"', '"counter terrorism"', '"police said"', '"in the"', '"de la" -maroc',
              '"of the" OR police', 'title:"of the"', '"in the" country'):
        for page in ("1", "2", "5"):
            for extra in ({}, {"lang": "en"}, {"recency": "1"}, {"sort": "newest"}):
                params = SearchParams.from_query({"q": q, "page": page, "page_size": page_size, **extra})
                a, b = lite.search(params), pg.search(params)
                assert (a.total, a.partial_total, [h.id for h in a.hits]) == \
                       (b.total, b.partial_total, [h.id for h in b.hits]), (q, page, extra)


def test_a_page_of_phrase_matches_needs_the_exact_scores_of_its_best_bounded_matches_only(pg_server, tmp_path,
                                                                                       monkeypatch):
    from app.search import postings
    from app.storage import pg_phrases

    monkeypatch.setattr(postings, "MIN_DF", 2)
    monkeypatch.setattr(pg_phrases, "CHUNK", 1)
    folder = tmp_path / "texts"
    folder.mkdir()
    for i in range(40):  # the phrase's words stand in the phrase only: its bounds are close
        said = " ".join(["Customs officers in Rabat seized the cargo."] * (1 + i % 7))
        (folder / f"{i:02}.txt").write_text(f"Port report {i}\n\n{said} Report number {i} of the port, filed on day"
                                            f" {i} by the harbour office {i * 7}.\n")
    lite, pg = settings_for(tmp_path / "a.db"), Settings(database_url=pgserver.new_database(pg_server))
    for settings in (lite, pg):
        import_paths(open_store(settings), [str(folder)], workers=1)
    lite, pg = open_store(lite, read_only=True), open_store(pg, read_only=True)
    lite.postings(build=True)
    pg.postings(build=True)
    scored = []
    exact = pg_phrases.exact
    monkeypatch.setattr(pg_phrases, "exact", lambda c, s, b, ids: scored.append(len(ids)) or exact(c, s, b, ids))
    for page in ("1", "2", "7"):
        params = SearchParams.from_query({"q": '"customs officers"', "page": page, "page_size": "3"})
        a, b = lite.search(params), pg.search(params)
        assert (a.total, [h.id for h in a.hits]) == (b.total, [h.id for h in b.hits]) and a.total == 40, page
    scored.clear()
    pg.search(SearchParams.from_query({"q": '"customs officers"', "page_size": "3"}))
    assert 0 < sum(scored) < 40, scored  # not every match's positions


def test_both_backends_give_the_same_snippets_facets_and_suggestions(both):
    lite, pg = both
    for q in ("security", "maroc", "terror*", "securty"):
        a, b = lite.search(SearchParams(q=q)), pg.search(SearchParams(q=q))
        assert [h.snippet for h in a.hits] == [h.snippet for h in b.hits]
        assert a.facets == b.facets
        assert a.histogram == b.histogram
        assert a.did_you_mean == b.did_you_mean
    assert lite.stats() == pg.stats()
    first = lite.search(SearchParams(q="security")).hits[0].id
    a, b = lite.article(first), pg.article(first)
    assert (a.title, a.body, a.tags, a.related, a.same_story, a.original_text) == \
           (b.title, b.body, b.tags, b.related, b.same_story, b.original_text)


# -- concurrency on one server --------------------------------------------------------------------
def test_two_importers_of_the_same_files_at_once_store_each_article_once(fresh_db, backend, tmp_path):
    if backend != "postgresql":
        pytest.skip("PostgreSQL: two writers at once (SQLite serialises them with its file lock)")
    reports = []

    def run() -> None:
        reports.append(import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    single = import_paths(open_store(settings_for(tmp_path / "one.db")), [str(SAMPLES)], workers=1)
    store = open_store(fresh_db, read_only=True)
    assert store.stats().articles == single.added
    assert sum(r.added for r in reports) == single.added
    assert sum(r.added + r.duplicates for r in reports) == 2 * (single.added + single.duplicates)


def test_the_servers_session_is_read_only(client, archive, backend):
    if backend != "postgresql":
        pytest.skip("SQLite: tests/test_web_readonly.py")
    store = client.app.state.store
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        store.conn().execute("UPDATE meta SET value='x' WHERE key='generation'")


# -- bad URLs, servers that are not there --------------------------------------------------------
@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/none", "postgresql://u:secret@no-such-host.invalid/db"])
def test_a_server_that_cannot_be_reached_is_one_line_and_exit_1(url):
    for args in (["stats"], ["search", "x"], ["import", str(SAMPLES)]):
        result = runner.invoke(cli, [*args, "--db", url])
        assert result.exit_code == 1, result.output
        assert "cannot use the PostgreSQL archive" in result.output and "Traceback" not in result.output
        assert "secret" not in result.output


def test_search_sql_shows_the_tsquery_on_postgresql():
    result = runner.invoke(cli, ["search", "--sql", "title:maroc -isis", "--db", "postgresql://u@h/db"])
    assert result.exit_code == 0
    assert "MATCH ({title} : (\"maroc\")) NOT" in result.output and "TSQUERY ('maroc':A & !" in result.output


def test_migrate_check_and_backup_work_on_postgresql(fresh_db, backend, tmp_path):
    if backend != "postgresql":
        pytest.skip("SQLite: tests/test_maintenance.py")
    url = fresh_db.database_url
    assert runner.invoke(cli, ["migrate", "--db", url]).exit_code == 0
    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    result = runner.invoke(cli, ["check", "--db", url])
    assert result.exit_code == 0 and "the archive is consistent" in result.output, result.output
    if not pgserver.find_bin("pg_dump"):
        pytest.skip("no pg_dump here")
    result = runner.invoke(cli, ["backup", str(tmp_path / "a.dump"), "--db", url])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "a.dump").read_bytes()[:5] == b"PGDMP"
    assert runner.invoke(cli, ["backup", str(tmp_path / "a.dump"), "--db", url]).exit_code == 1  # never overwrites
    # Restored as the README says, it is the same archive.
    restored = pgserver.new_database(url.rsplit("/", 1)[0] + "/postgres")
    subprocess.run([pgserver.find_bin("pg_restore"), "--no-owner", "--dbname", restored, str(tmp_path / "a.dump")],
                   check=True, capture_output=True)
    assert runner.invoke(cli, ["check", "--db", restored]).exit_code == 0
    params = SearchParams(q="security")
    before, after = open_store(fresh_db).search(params), open_store(Settings(database_url=restored)).search(params)
    assert [h.id for h in before.hits] == [h.id for h in after.hits] and before.total == after.total > 0


# -- newsarchive copy --------------------------------------------------------------------------------
class Cut(Exception):
    pass


def test_copy_to_postgresql_and_back_keeps_every_row_and_answer_and_resumes(pg_server, tmp_path, monkeypatch):
    from app.corrections import hide_tag
    from app.storage import copy as copy_mod

    lite = settings_for(tmp_path / "a.db")
    report = import_paths(open_store(lite), [str(SAMPLES), str(FIXTURES / "bom.txt")], workers=1)
    aid = next(line.article_id for line in report.lines if line.article_id)
    c = open_store(lite).connect(read_only=False)
    hide_tag(c, aid, next(iter(open_store(lite).tags_for([aid])[aid]))[0])  # an analyst's correction
    c.close()
    pg_url = pgserver.new_database(pg_server)
    # Cut short after the first batch: the copy holds whole articles, and the same command goes on.
    monkeypatch.setattr(copy_mod, "BATCH", 3)
    real, calls = copy_mod._copy_batch, []

    def cut_after_one(*args):
        calls.append(1)
        if len(calls) == 2:
            raise Cut()
        return real(*args)

    monkeypatch.setattr(copy_mod, "_copy_batch", cut_after_one)
    with pytest.raises(Cut):
        runner.invoke(cli, ["copy", "--db", str(tmp_path / "a.db"), "--to", pg_url], catch_exceptions=False)
    assert open_store(Settings(database_url=pg_url)).stats().articles == 3
    result = runner.invoke(cli, ["copy", "--db", str(tmp_path / "a.db"), "--to", pg_url])
    assert result.exit_code == 0, result.output
    assert "(3 were there from an earlier run)" in result.output and "row counts equal" in result.output
    pg = Settings(database_url=pg_url)
    assert open_store(pg).stats() == open_store(lite).stats()
    assert open_store(pg).article(aid).tags == open_store(lite).article(aid).tags
    # New imports on the copy get new ids (the sequences were moved past the copied ones).
    assert import_paths(open_store(pg), [str(FIXTURES / "cp1252.txt")], workers=1).added == 1
    back = tmp_path / "back.db"
    result = runner.invoke(cli, ["copy", "--db", pg_url, "--to", str(back)])
    assert result.exit_code == 0 and "8/8 sample searches answered alike" in result.output, result.output
    # Into a database holding another archive: refused.
    result = runner.invoke(cli, ["copy", "--db", str(tmp_path / "a.db"), "--to", str(back)])
    assert result.exit_code == 2 and "already holds other articles" in result.output


# -- read replicas ----------------------------------------------------------------------------------
def test_searches_read_from_a_streaming_replica_and_survive_the_primary_going_away(tmp_path, caplog):
    skip_without_clusters()
    if not pgserver.find_bin("pg_basebackup"):
        pytest.skip("no pg_basebackup")
    primary = pgserver.PgCluster().start()
    replica = pgserver.PgCluster()
    try:
        url = pgserver.new_database(primary.url())
        import_paths(open_store(Settings(database_url=url)), [str(SAMPLES)], workers=1)
        replica.start_replica_of(primary)
        replica_url = url.replace(f":{primary.port}/", f":{replica.port}/")
        settings = Settings(database_url=url, read_urls=f"postgresql://nobody@127.0.0.1:1/down,{replica_url}")
        store = open_store(settings, read_only=True)
        wait_for(lambda: store.search(SearchParams(q="security")).total > 0)
        assert store.conn().execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
        assert "replica postgresql://nobody@127.0.0.1:1/down skipped" in caplog.text
        # An import on the primary reaches the replica's readers.
        before = store.stats().articles
        import_paths(open_store(Settings(database_url=url)), [str(FIXTURES / "bom.txt")], workers=1)
        wait_for(lambda: store.stats().articles == before + 1)
        assert not [w for w in store.search(SearchParams(q="security")).warnings if "as of" in w]
        # A replica that falls behind says so on the page, as of its last replayed change.
        with psycopg.connect(replica_url, autocommit=True) as r:
            r.execute("SELECT pg_wal_replay_pause()")
            import_paths(open_store(Settings(database_url=url)), [str(FIXTURES / "cp1252.txt")], workers=1)
            import time
            time.sleep(1.5)
            notes = [w for w in store.search(SearchParams(q="security")).warnings if "as of" in w]
            assert notes and "behind the primary" in notes[0]
            r.execute("SELECT pg_wal_replay_resume()")
        # The primary goes away: pages keep answering from the replica, read-only.
        primary.pg_ctl("stop")
        again = open_store(settings, read_only=True)
        assert again.search(SearchParams(q="security")).total == store.search(SearchParams(q="security")).total > 0
        assert "the primary" in caplog.text and "cannot be reached" in caplog.text
    finally:
        replica.stop()
        primary.stop()


def skip_without_clusters() -> None:
    """These tests start clusters of their own (a replica, a restart)."""
    if "postgresql" not in BACKENDS:
        pytest.skip("NEWSARCHIVE_TEST_BACKENDS leaves PostgreSQL out")
    if not (pgserver.find_bin("initdb") and pgserver.find_bin("pg_ctl")):
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl) to start clusters of its own: apt-get install -y postgresql")


def wait_for(condition, timeout: float = 30) -> None:
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.2)


def test_a_server_restarted_mid_import_stops_it_with_one_message_and_a_rerun_adds_nothing_twice(tmp_path, monkeypatch):
    from app.ingest.load import import_records
    from app.ingest.sources import iter_records
    from app.storage import sqlite_writer
    from app.storage.pg_conn import ConnectionLost

    skip_without_clusters()
    cluster = pgserver.PgCluster().start()
    try:
        settings = Settings(database_url=pgserver.new_database(cluster.url()))
        monkeypatch.setattr(sqlite_writer, "BATCH", 3)

        folder = tmp_path / "texts"
        folder.mkdir()
        for i in range(150):
            (folder / f"{i:03}.txt").write_text(f"Raid number {i}\n\nPolice in Rabat seized {i} kilograms in raid {i}"
                                                f" after a tip from Europol, officials said on day {i}.\n")

        def restarting():
            for i, item in enumerate(iter_records([str(folder)])):
                if i == 120:  # records are prepared 64 at a time: by now two dozen batches are committed
                    cluster.pg_ctl("restart")
                yield item

        with pytest.raises(ConnectionLost, match="Run the same command again"):
            import_records(open_store(settings), restarting(), [str(folder)], workers=1)
        kept = open_store(settings, read_only=True).stats().articles
        assert 0 < kept < 150 and kept % 3 == 0  # whole batches of 3, no part of the open one
        again = import_paths(open_store(settings), [str(folder)], workers=1)
        assert (again.added, again.duplicates) == (150 - kept, kept)
        assert open_store(settings, read_only=True).stats().articles == 150
    finally:
        cluster.stop()


def test_the_size_limit_stops_an_import_on_postgresql_keeps_whole_batches_and_resumes(pg_server, tmp_path, monkeypatch):
    from app.storage import sqlite_writer
    from app.storage.base import DiskFull
    from tests.test_import_robustness import make_articles

    monkeypatch.setattr(sqlite_writer, "BATCH", 100)
    folder = make_articles(tmp_path / "articles", 600)
    url = pgserver.new_database(pg_server)
    store = open_store(Settings(database_url=url))
    size = lambda: store.conn().execute("SELECT pg_database_size(current_database())").fetchone()[0]  # noqa: E731
    empty = size()
    import_paths(store, [str(folder / f"article-{n:05d}.txt") for n in range(100)], workers=1)
    one_batch = size() - empty
    assert open_store(Settings(database_url=url, max_archive_mb=64)).max_bytes == 64 * 2**20
    store = open_store(Settings(database_url=url))
    store.max_bytes = size() + one_batch * 3 // 2  # room for one more batch, not two
    with pytest.raises(DiskFull, match="over the limit"):
        import_paths(store, [str(folder)], workers=1)
    kept = store.stats().articles
    assert kept % 100 == 0 and 100 < kept < 600 and size() <= store.max_bytes + one_batch
    assert open_store(Settings(database_url=url), read_only=True).search(SearchParams(q="dispatch")).total == kept
    import_paths(open_store(Settings(database_url=url)), [str(folder)], workers=1)  # no limit now: finishes
    assert open_store(Settings(database_url=url)).stats().articles == 600
    pgserver.drop_database(pg_server, url)
