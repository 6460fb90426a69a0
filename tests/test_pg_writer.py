"""The PostgreSQL import writer (app/storage/pg_writer.py) looks up and inserts a run of
articles together and keeps their other rows for one COPY per table at the end of each batch:
the archive and the report are those of writing them one at a time, as SQLite does."""
from __future__ import annotations

import re

import pytest

from app.ingest import load
from app.ingest.load import import_records
from app.ingest.record import ArticleRecord
from app.storage.pg_import_sql import Planned, plan_run
from app.store import open_store
from tests.conftest import connect_to

TABLES = ("article", "article_fts", "article_fingerprint", "article_entity", "mention", "source_tag", "import_file",
          "article_version")


@pytest.mark.parametrize("keys,found,plan,cut", [
    ([("a", None), ("b", "u1")], {}, [Planned("new"), Planned("new")], 2),
    ([("a", None)], {("same", "a"): 7}, [Planned("same", 7)], 1),
    ([("a", None)], {("older", "a"): 3}, [Planned("older", 3)], 1),
    ([("a", None), ("b", None), ("a", "u")], {}, [Planned("new"), Planned("new"), Planned("again", first=0)], 3),
    # a stored URL: a new version, written alone once the articles before it are stored
    ([("a", None), ("b", "u"), ("c", None)], {("url", "u"): 5}, [Planned("new")], 1),
    # the URL of an earlier article of the run: the same
    ([("a", "u"), ("b", None), ("c", "u")], {}, [Planned("new"), Planned("new")], 2),
    # a text already stored wins over its URL, as one at a time
    ([("a", "u")], {("same", "a"): 2, ("url", "u"): 9}, [Planned("same", 2)], 1),
])
def test_a_run_is_planned_as_its_articles_written_one_at_a_time_would_find_each_other(keys, found, plan, cut):
    assert plan_run(keys, found) == (plan, cut)


def record(i: int, *, text: str | None = None, **extra) -> ArticleRecord:
    body = text or f"Interpol and Europol met in Rabat about case {i}, officials said."
    return ArticleRecord(title=f"Article {i}", body=body, original_text=f"Article {i}\n\n{body}",
                         origin=f"memory:{i}", **extra)


def table_counts(settings) -> dict[str, int]:
    c = connect_to(settings)
    try:
        return {t: c.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        c.close()


def report(imported) -> list[tuple]:
    """(status, article, reason) per line, articles numbered in order of appearance: a batch
    replayed after a rejection takes new ids from a PostgreSQL sequence (SQLite reuses them);
    the driver's words after "could not store:" differ."""
    number: dict[int, int] = {}
    for line in imported.lines:
        if line.article_id is not None:
            number.setdefault(line.article_id, len(number) + 1)
    rename = lambda text: re.sub(r"\d+", lambda m: f"#{number.get(int(m.group()), m.group())}", text or "")  # noqa: E731
    return [(x.status, number.get(x.article_id), rename(x.reason).split(":")[0]) for x in imported.lines]


def run_items() -> list[ArticleRecord]:
    return [record(1, source_tags=["Morocco"]), record(2, url="https://example.org/a"),
            record(3, text="Interpol and Europol met in Rabat about case 1, officials said."),  # another title
            record(1), record(4), record(5, url="https://example.org/a", text="A new text of the Rabat case."),
            record(6, author=["not", "a", "string"]), record(7, url="https://example.org/b"),
            record(8, url="https://example.org/b", text="The second Rabat case, revised.")]


@pytest.mark.parametrize("batch,run", [(2000, 64), (3, 64), (2, 4), (2000, 1)])
def test_a_run_gives_the_report_and_rows_of_one_article_at_a_time(fresh_db, monkeypatch, batch, run, tmp_path):
    from app.storage import sqlite_writer
    from tests.conftest import settings_for

    expected_store = open_store(settings_for(tmp_path / "one-at-a-time.db"))
    monkeypatch.setattr(load, "RUN", 1)
    expected = import_records(expected_store, iter(run_items()), ["memory"], workers=1)
    monkeypatch.setattr(load, "RUN", run)
    monkeypatch.setattr(sqlite_writer, "BATCH", batch)
    got = import_records(open_store(fresh_db), iter(run_items()), ["memory"], workers=1)
    assert report(got) == report(expected)
    assert table_counts(fresh_db) == table_counts(settings_for(tmp_path / "one-at-a-time.db"))
    assert open_store(fresh_db).integrity_check()
    again = import_records(open_store(fresh_db), iter(run_items()), ["memory"], workers=1)
    assert again.added == 0 and table_counts(fresh_db)["article"] == table_counts(settings_for(
        tmp_path / "one-at-a-time.db"))["article"]


def test_a_batch_whose_copy_is_refused_is_written_again_rejecting_that_article_alone(fresh_db, backend, monkeypatch):
    """A value the writer's checks let through and COPY refuses (here a broken tsvector): the
    batch is rolled back and written again statement by statement; that article is rejected."""
    from app.storage import pg_fts

    if backend != "postgresql":
        pytest.skip("PostgreSQL: its writer's COPY at the end of a batch")
    real = pg_fts.tsvector_text
    monkeypatch.setattr(pg_fts, "tsvector_text", lambda t, lead, body: ("'broken", 1) if t.endswith(" 2")
                        else real(t, lead, body))
    items = [record(1), record(2), record(3), record(1)]
    report = import_records(open_store(fresh_db), iter(items), ["memory"], workers=1)
    assert [line.status for line in report.lines] == ["added", "rejected", "added", "duplicate"]
    assert "could not store" in report.lines[1].reason
    assert report.lines[3].article_id == report.lines[0].article_id  # the id it has once written again
    counts = table_counts(fresh_db)
    assert (counts["article"], counts["article_fts"], counts["import_file"]) == (2, 2, 4)
    c = connect_to(fresh_db)
    assert c.execute("SELECT status FROM import_file ORDER BY id").fetchall() == [
        ("added",), ("rejected",), ("added",), ("duplicate",)]
    c.close()
    assert open_store(fresh_db).integrity_check()


def test_a_text_the_driver_cannot_encode_is_rejected_alone_in_a_run(fresh_db):
    items = [record(1), record(2, text="A broken \ud800 text about the Rabat case."), record(3)]
    report = import_records(open_store(fresh_db), iter(items), ["memory"], workers=1)
    assert [line.status for line in report.lines] == ["added", "rejected", "added"]
    assert table_counts(fresh_db)["article"] == 2
    assert open_store(fresh_db).integrity_check()


def test_the_tsvector_literal_keeps_256_positions_a_word_drops_overlong_words_and_quotes():
    from app.storage.pg_fts import GAP, tsvector_text

    doc, words = tsvector_text("a b", "", "a " * 300 + "x" * 2047 + " it's back\\slash")
    lexemes = dict(part.rsplit(":", 1) for part in doc.split(" "))
    assert words == 2 + 300 + 3
    assert lexemes["'a'"].split(",")[:2] == ["1A", f"{1 + 2 + GAP + GAP}C"]
    assert len(lexemes["'a'"].split(",")) == 256
    assert "'it''s'" in lexemes and "'back\\\\slash'" in lexemes and not any("xxx" in k for k in lexemes)
