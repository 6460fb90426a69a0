"""The importer end to end: reports, exit codes, idempotency, rejected files, interrupted imports."""
from __future__ import annotations


import pytest
from typer.testing import CliRunner

from app.cli import app as cli
from app.ingest.load import import_paths, import_records
from app.ingest.sources import iter_records
from app.store import open_store
from tests.conftest import FIXTURES, SAMPLES, SEEDS, connect_to, needs_seeds

runner = CliRunner()


def db_path(settings) -> str:
    return settings.database_url.removeprefix("sqlite:///")


def counts(settings) -> tuple[int, ...]:
    with connect_to(settings) as c:
        return tuple(c.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("article", "article_fts", "article_entity", "mention"))


def test_reimporting_the_same_files_adds_and_changes_nothing(fresh_db):
    store = open_store(fresh_db)
    first = import_paths(store, [str(SAMPLES)], workers=1)
    assert first.added >= 8 and first.rejected == 0
    before = counts(fresh_db)
    second = import_paths(store, [str(SAMPLES)], workers=1)
    assert second.added == 0 and second.duplicates == first.added
    assert counts(fresh_db) == before


def test_two_files_with_identical_text_store_one_article(fresh_db, tmp_path):
    text = (SAMPLES / sorted(p.name for p in SAMPLES.iterdir())[0]).read_bytes()
    (tmp_path / "a.txt").write_bytes(text)
    (tmp_path / "copy.txt").write_bytes(text)
    report = import_paths(open_store(fresh_db), [str(tmp_path / "a.txt"), str(tmp_path / "copy.txt")], workers=1)
    assert [line.status for line in report.lines] == ["added", "duplicate"]


def test_corrupt_and_empty_files_are_rejected_with_their_name_and_reason(fresh_db):
    report = import_paths(open_store(fresh_db), [str(FIXTURES / "corrupt.txt"), str(FIXTURES / "empty.txt"),
                                                 str(FIXTURES / "bom.txt")], workers=1)
    by_origin = {line.origin.rsplit("/", 1)[-1]: line for line in report.lines}
    assert by_origin["corrupt.txt"].status == "rejected" and "binary" in by_origin["corrupt.txt"].reason
    assert by_origin["empty.txt"].status == "rejected" and "empty" in by_origin["empty.txt"].reason
    assert by_origin["bom.txt"].status == "added"
    assert report.exit_code == 1


def test_cli_import_prints_a_report_and_exits_1_when_some_files_are_rejected(fresh_db):
    db = db_path(fresh_db)
    result = runner.invoke(cli, ["import", "--db", db, str(FIXTURES / "corrupt.txt"), str(FIXTURES / "bom.txt")])
    assert result.exit_code == 1, result.output
    assert "rejected" in result.output and "corrupt.txt" in result.output and "binary" in result.output
    assert "1 added, 0 already present, 1 rejected" in result.output
    again = runner.invoke(cli, ["import", "--db", db, str(FIXTURES / "bom.txt")])
    assert again.exit_code == 0 and "already present" in again.output


def test_cli_usage_errors_exit_2(fresh_db):
    assert runner.invoke(cli, ["import"]).exit_code == 2
    assert runner.invoke(cli, ["import", "--db", db_path(fresh_db), "--map", "oops", str(SAMPLES)]).exit_code == 2
    assert runner.invoke(cli, ["no-such-command"]).exit_code == 2


def test_missing_path_is_rejected_not_fatal(fresh_db):
    report = import_paths(open_store(fresh_db), ["/nonexistent/file.txt", str(FIXTURES / "bom.txt")], workers=1)
    assert [line.status for line in report.lines] == ["rejected", "added"]


class Boom(Exception):
    pass


def test_an_import_that_dies_half_way_leaves_no_partial_article(fresh_db):
    store = open_store(fresh_db)
    import_paths(store, [str(FIXTURES / "bom.txt")], workers=1)
    before = counts(fresh_db)

    def dying():
        for i, item in enumerate(iter_records([str(SAMPLES)])):
            if i == 3:
                raise Boom("disk full")
            yield item

    with pytest.raises(Boom):
        import_records(store, dying(), [str(SAMPLES)], workers=1)
    assert counts(fresh_db) == before  # the open batch was rolled back whole
    assert store.integrity_check()
    # Re-running finishes the job without duplicates.
    report = import_paths(store, [str(SAMPLES)], workers=1)
    assert report.rejected == 0 and report.added >= 8


def test_worker_pool_import_gives_the_same_archive_as_a_single_process(tmp_path):
    from tests.conftest import settings_for

    one, two = settings_for(tmp_path / "one.db"), settings_for(tmp_path / "two.db")
    paths = [str(SAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    items = list(iter_records(paths)) * 20  # enough records to start the pool (duplicates included)
    r1 = import_records(open_store(one), iter(items), paths, workers=1)
    r2 = import_records(open_store(two), iter(items), paths, workers=2)
    assert (r1.added, r1.duplicates) == (r2.added, r2.duplicates)
    assert counts(one) == counts(two)


@needs_seeds
def test_cli_search_json_gives_the_same_results_as_the_api(archive, client):
    import json

    settings, _ = archive
    result = runner.invoke(cli, ["search", "--db", db_path(settings), "security", "--country", "ma", "--json"])
    assert result.exit_code == 0, result.output
    cli_json = json.loads(result.output)
    api_json = client.get("/api/search", params={"q": "security", "country": "ma"}).json()
    assert cli_json["total"] == api_json["total"]
    assert [r["id"] for r in cli_json["results"]] == [r["id"] for r in api_json["results"]]


def test_cli_stats_imports_migrate_and_rebuild_fts(fresh_db):
    db = db_path(fresh_db)
    assert runner.invoke(cli, ["migrate", "--db", db]).exit_code == 0
    runner.invoke(cli, ["import", "--db", db, str(SAMPLES)])
    stats = runner.invoke(cli, ["stats", "--db", db])
    assert stats.exit_code == 0 and "articles:" in stats.output
    assert "added" in runner.invoke(cli, ["imports", "--db", db]).output
    assert runner.invoke(cli, ["rebuild-fts", "--db", db]).exit_code == 0
    assert open_store(fresh_db).integrity_check()
    sql = runner.invoke(cli, ["search", "--db", db, "--sql", "attacks"])
    assert '"attack"' in sql.output


def test_an_article_that_cannot_be_stored_is_rejected_alone(fresh_db):
    from app.ingest.record import ArticleRecord

    def record(i: int, **extra) -> ArticleRecord:
        text = f"Article {i}\n\nInterpol and Europol met in Rabat about case {i}."
        return ArticleRecord(title=f"Article {i}", body=f"Interpol and Europol met in Rabat about case {i}.",
                             original_text=text, origin=f"memory:{i}", **extra)

    items = [record(1), record(2), record(3, author=["not", "a", "string"]), record(4)]
    report = import_records(open_store(fresh_db), iter(items), ["memory"], workers=1)
    assert [line.status for line in report.lines] == ["added", "added", "rejected", "added"]
    assert "could not store" in report.lines[2].reason
    assert counts(fresh_db)[:2] == (3, 3)
    assert open_store(fresh_db).integrity_check()


def test_an_import_that_keeps_no_lines_counts_the_same(tmp_path):
    """The CLI keeps no list of report lines (a million-file import would hold a million); its
    counts, near-duplicates included, are those of an import that keeps them."""
    from tests.conftest import settings_for

    paths = [str(SAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    kept = import_paths(open_store(settings_for(tmp_path / "a.db")), paths + paths, workers=1)
    counted = import_paths(open_store(settings_for(tmp_path / "b.db")), paths + paths, workers=1, keep_lines=False)
    assert counted.lines == [] and kept.lines
    for status in ("added", "duplicate", "rejected", "skipped", "near-duplicate", "updated"):
        assert counted.count(status) == kept.count(status) == sum(1 for line in kept.lines if line.status == status)


@pytest.mark.sqlite_only("FTS5's pending terms")
def test_writing_fingerprints_leaves_the_pending_full_text_rows_in_memory(fresh_db):
    """FTS5 writes its pending terms out as a new segment at every savepoint, and statements that
    may delete a row (INSERT OR REPLACE under a foreign key) run in one: between two articles'
    full-text rows, that made one segment per article (a third of the 1M import's writer time)."""
    from app.ingest.stories import fingerprint
    from app.storage.sqlite_stories import save_fingerprint

    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    with connect_to(fresh_db) as c:
        ids = [r[0] for r in c.execute("SELECT id FROM article ORDER BY id")]
        segments = lambda: c.execute("SELECT count(*) FROM article_fts_data").fetchone()[0]  # noqa: E731
        c.execute("BEGIN IMMEDIATE")
        c.execute("DELETE FROM article_fingerprint WHERE article_id=?", (ids[0],))
        c.execute("INSERT INTO article_fts(rowid, title, lead, body) VALUES (?,?,?,?)", (ids[-1] + 1, "t", "l", "b"))
        before = segments()
        for aid in ids:  # the first one is new, the others replace a stored fingerprint
            save_fingerprint(c, aid, fingerprint("Title", "Moroccan police arrested five suspects " * 20))
        assert segments() == before
        assert c.execute("SELECT count(*) FROM article_fingerprint").fetchone()[0] == len(ids)
        c.execute("ROLLBACK")
