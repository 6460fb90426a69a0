"""`serve` on PostgreSQL holds a bounded pool of connections per process (app/storage/pg_pool.py):
many threads searching at once share at most NEWSARCHIVE_PG_POOL_SIZE of them and get the same
answers as with a connection per thread."""
from __future__ import annotations

import threading

import psycopg
import pytest

from app.config import Settings
from app.ingest.load import import_paths
from app.search.params import SearchParams
from app.store import open_store
from tests import pgserver
from tests.conftest import SAMPLES, SEEDS

QUERIES = ["security", "europol", "terror*", '"police"', "maroc -espagne", "interpol OR europol", "zzzq"]


@pytest.fixture(scope="module")
def pg(pg_server):
    url = pgserver.new_database(pg_server)
    import_paths(open_store(Settings(database_url=url)), [str(SAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else []),
                 workers=1)
    yield Settings(database_url=url)
    pgserver.drop_database(pg_server, url)


def backends(url: str) -> int:
    with psycopg.connect(url, autocommit=True) as c:
        return c.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                         " AND application_name = 'newsarchive'").fetchone()[0]


def answers(store, q: str) -> tuple:
    r = store.search(SearchParams(q=q))
    return r.total, [h.id for h in r.hits], [h.snippet for h in r.hits]


def test_twelve_threads_share_a_pool_of_three_connections_and_get_the_same_answers(pg):
    expected = {q: answers(open_store(pg, read_only=True), q) for q in QUERIES}
    store = open_store(pg, read_only=True)
    assert store.use_pool(3)
    before = backends(pg.database_url)
    got, failures = [], []

    def work():
        try:
            for q in QUERIES * 2:
                got.append((q, answers(store, q)))
        except Exception as exc:  # reported below: a thread's exception is not the test's
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert not failures and len(got) == 12 * 2 * len(QUERIES)
        assert all(expected[q] == a for q, a in got)
        assert store.pool.pool.get_stats()["pool_max"] <= 3 and backends(pg.database_url) - before <= 3
    finally:
        store.pool.shut()


def test_a_transaction_keeps_its_connection_until_commit_and_writes_are_refused(pg):
    store = open_store(pg, read_only=True)
    assert store.use_pool(2)
    c = store.conn()
    try:
        c.execute("BEGIN")
        pid = c.execute("SELECT pg_backend_pid()").fetchone()[0]
        assert c.in_transaction and all(c.execute("SELECT pg_backend_pid()").fetchone()[0] == pid for _ in range(5))
        c.execute("COMMIT")
        assert not c.in_transaction
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            c.execute("DELETE FROM article")
    finally:
        store.pool.shut()


def test_serve_uses_the_pool_on_postgresql_but_not_with_replicas(pg, monkeypatch):
    from app.web.app import served_app

    monkeypatch.setenv("NEWSARCHIVE_DATABASE_URL", pg.database_url)
    monkeypatch.setenv("NEWSARCHIVE_PG_POOL_SIZE", "2")
    store = served_app().state.store
    try:
        assert store.pool is not None and store.pool.size == 2
    finally:
        store.pool.shut()
    replicated = open_store(Settings(database_url=pg.database_url, read_urls=pg.database_url), read_only=True)
    assert not replicated.use_pool(2) and replicated.pool is None
    assert not open_store(pg).use_pool(2)  # a writer's store keeps its own connections
