"""`newsarchive check` finds what is broken and says so with its exit code; `newsarchive backup` makes a
consistent copy while an import writes, and never overwrites."""
from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.test_import_robustness import (CLI, article_count, assert_consistent, import_command, make_articles,
                                          wait_for_first_commit)

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"{CLI} is absent: install with pip install -e . into .venv")
SAMPLES = Path(__file__).resolve().parents[1] / "app" / "samples"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(CLI), *args], capture_output=True, text=True, timeout=120)


@pytest.fixture
def small_archive(tmp_path) -> Path:
    db = tmp_path / "archive.db"
    assert cli("import", "--quiet", "--db", str(db), str(SAMPLES)).returncode == 0
    return db


def test_check_passes_on_a_fresh_import(small_archive):
    done = cli("check", "--db", str(small_archive), "--json")
    assert done.returncode == 0, done.stdout
    report = json.loads(done.stdout)
    assert report["ok"] and report["counts"]["article"] == 8
    assert {f["name"] for f in report["findings"]} >= {"sqlite", "fts5", "fts5-rows", "orphans-mention", "foreign-keys"}


def test_check_reports_an_article_missing_from_the_full_text_index(small_archive):
    from app.storage.sqlite_fts import unindex_row
    from app.storage.sqlite_text import register

    with sqlite3.connect(small_archive) as c:
        register(c)  # unz(): the article text is stored compressed
        unindex_row(c, c.execute("SELECT min(id) FROM article").fetchone()[0])
    done = cli("check", "--db", str(small_archive))
    assert done.returncode == 1
    assert "PROBLEM" in done.stdout and "1 articles not indexed" in done.stdout and "rebuild-fts" in done.stdout
    assert cli("rebuild-fts", "--db", str(small_archive)).returncode == 0
    assert cli("check", "--db", str(small_archive)).returncode == 0


def test_check_reports_orphan_tags(small_archive):
    with sqlite3.connect(small_archive) as c:  # foreign keys are off in this plain connection
        c.execute("INSERT INTO mention(article_id, entity_id, start, \"end\", surface) VALUES (9999, 'ma', 0, 5, 'Maroc')")
    done = cli("check", "--db", str(small_archive))
    assert done.returncode == 1 and "mention: 1 rows whose article is missing" in done.stdout


def test_check_says_when_there_is_no_archive(tmp_path):
    done = cli("check", "--db", str(tmp_path / "none.db"))
    assert done.returncode == 2 and "no archive there" in done.stderr
    (tmp_path / "junk.db").write_bytes(b"not a database at all" * 100)
    done = cli("check", "--db", str(tmp_path / "junk.db"))
    assert done.returncode == 1 and "not a readable archive" in done.stderr


def test_backup_is_a_consistent_copy_and_never_overwrites(small_archive, tmp_path):
    copy = tmp_path / "copy.db"
    done = cli("backup", str(copy), "--db", str(small_archive))
    assert done.returncode == 0 and "backed up 8 articles" in done.stderr
    assert not Path(f"{copy}-wal").exists()  # one self-contained file
    assert cli("check", "--db", str(copy)).returncode == 0
    assert cli("search", "Interpol", "--db", str(copy)).stdout == cli("search", "Interpol", "--db", str(small_archive)).stdout
    again = cli("backup", str(copy), "--db", str(small_archive))
    assert again.returncode == 1 and "already exists" in again.stderr


def test_backup_during_an_import_holds_only_committed_batches(tmp_path):
    folder = make_articles(tmp_path / "articles", 4000)
    db = tmp_path / "archive.db"
    importing = subprocess.Popen(import_command(db, folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_first_commit(importing, db)
        copy = tmp_path / "copy.db"
        done = cli("backup", str(copy), "--db", str(db))
        assert done.returncode == 0, done.stderr
    finally:
        assert importing.wait(180) == 0
    copied = article_count(copy)
    assert copied > 0 and copied % 2000 == 0  # whole batches: a snapshot between two commits
    assert_consistent(copy)
    assert article_count(db) == 4000
