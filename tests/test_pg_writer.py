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


# Two `newsarchive import` processes with a batch of BATCH (argv[1]) that meet after their first
# run is inserted (uncommitted): each waits until the other has as many (files in argv[2]).
_IMPORT = """
import os, sys, time
from app.storage import pg_writer, sqlite_writer
sqlite_writer.BATCH, meet = int(sys.argv.pop(1)), sys.argv.pop(1)
first = pg_writer.PgWriter.add_many
def add_many(self, arts):
    lines = first(self, arts)
    if not os.path.exists(f"{meet}/{os.getpid()}"):
        open(f"{meet}/{os.getpid()}", "w").close()
        while len(os.listdir(meet)) < 2:
            time.sleep(0.05)
    return lines
pg_writer.PgWriter.add_many = add_many
from app.cli import app
app()
"""


def _texts(folder, numbers) -> None:
    import random

    folder.mkdir()
    for i in numbers:
        rng = random.Random(i)
        words = " ".join(rng.choice(("police", "Rabat", "customs", "seized", "port", "court", "judge", "cell",
                                     "Europol", "raid", "arrest", "border", "tip", "case", "network")) for _ in range(60))
        (folder / f"{i:04}.txt").write_text(f"Case {i} in the port\n\nReport {i}: {words} (file {i}).\n")


def test_two_importers_of_overlapping_files_in_opposite_orders_store_each_text_once(fresh_db, backend, tmp_path):
    """Each inserts, in one open batch, texts the other is inserting in the other order: the
    server breaks the deadlock by rolling one transaction back, and that importer writes its
    batch again (a log line says so) instead of stopping with "connection lost"."""
    import subprocess
    import sys

    if backend != "postgresql":
        pytest.skip("PostgreSQL: two writers at once (SQLite serialises them with its file lock)")
    # A batch of 400 holds an importer's own 200 texts uncommitted while it reaches the other's 200.
    (tmp_path / "meet").mkdir()
    cmd = [sys.executable, "-c", _IMPORT, "400", str(tmp_path / "meet"), "import", "--db", fresh_db.database_url, "--workers", "1",
           "-q", "--no-embed"]
    a, b = tmp_path / "a", tmp_path / "b"
    _texts(a, range(0, 200))
    _texts(b, range(200, 400))
    procs = [subprocess.Popen(cmd + order, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for order in ([str(a), str(b)], [str(b), str(a)])]
    outputs = [p.communicate(timeout=300) for p in procs]
    results = [(p.returncode, out, err) for p, (out, err) in zip(procs, outputs)]
    for rc, out, err in results:
        assert rc == 0 and "connection to PostgreSQL" not in err, err
    with connect_to(fresh_db) as c:
        assert c.execute("SELECT count(*), count(DISTINCT content_hash) FROM article").fetchone() == (400, 400)
        lines = dict(c.execute("SELECT status, count(*) FROM import_file GROUP BY status").fetchall())
    assert lines.get("added", 0) + lines.get("near-duplicate", 0) == 400, lines
    assert sum(lines.values()) == 800 and not lines.get("rejected"), lines
    assert open_store(fresh_db).integrity_check()
    added = [int(re.search(r"([\d,]+) added", out).group(1).replace(",", "")) for _, out, _ in results]
    assert sum(added) + sum(int(m) for _, out, _ in results for m in re.findall(r"(\d+) near-dup", out)) == 400, \
        [out for _, out, _ in results]  # the printed totals too: a batch written again found duplicates
    assert any("deadlock detected with another import" in err for _, _, err in results)
