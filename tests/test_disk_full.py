"""A full disk stops an import with one line and exit code 4, keeps every committed batch, leaves the
archive consistent and servable, and the same command finishes the job once there is room.

Two ways to fill the disk: the archive's own size limit (NEWSARCHIVE_MAX_ARCHIVE_MB, SQLite's
max_page_count: runs anywhere) and, where the tests may mount one (root), a real tmpfs that runs out
of space (ENOSPC / SQLITE_FULL from the file system)."""
from __future__ import annotations

import math
import os
import subprocess
from pathlib import Path

import pytest

from tests.test_import_robustness import (CLI, article_count, assert_consistent, assert_rerun_completes,
                                          import_command, make_articles)

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"{CLI} is absent: install with pip install -e . into .venv")
BATCH = 2000  # app.storage.sqlite_writer.BATCH: articles per committed transaction


def run_import(db: Path, folder: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(import_command(db, folder), capture_output=True, text=True, timeout=180,
                          env={**os.environ, **env})


@pytest.fixture(scope="module")
def batch_size_on_disk(tmp_path_factory) -> int:
    """Bytes of an archive holding one committed batch of these articles."""
    tmp = tmp_path_factory.mktemp("sizing")
    db = tmp / "one-batch.db"
    assert run_import(db, make_articles(tmp / "articles", BATCH)).returncode == 0
    return db.stat().st_size


def assert_stopped_cleanly(done: subprocess.CompletedProcess, kept: int) -> None:
    assert done.returncode == 4, done.stdout[-1000:] + done.stderr[-1000:]
    message = done.stderr.strip().splitlines()
    assert len(message) == 1, done.stderr  # one line, no traceback
    assert "disk is full" in message[0] and "run the same command again" in message[0]
    assert f"Kept: {kept:,} articles" in message[0]
    assert "Traceback" not in done.stderr + done.stdout


def test_import_stops_at_the_size_limit_keeps_committed_batches_and_resumes(tmp_path, batch_size_on_disk):
    limit_mb = math.ceil(batch_size_on_disk * 1.3 / 2**20)
    folder = make_articles(tmp_path / "articles", 2 * BATCH + 500)
    db = tmp_path / "archive.db"

    done = run_import(db, folder, NEWSARCHIVE_MAX_ARCHIVE_MB=str(limit_mb))

    assert_stopped_cleanly(done, kept=BATCH)
    assert article_count(db) == BATCH  # the first batch, whole; the open one rolled back
    assert_consistent(db)
    assert db.stat().st_size <= limit_mb * 2**20
    searched = subprocess.run([str(CLI), "search", "dispatch", "--db", str(db)], capture_output=True, text=True)
    assert searched.returncode == 0 and f"{BATCH} articles" in searched.stdout  # still readable
    assert_rerun_completes(db, folder, 2 * BATCH + 500)  # no limit now: finishes, no duplicates


def _mount_tmpfs(where: Path, size: int) -> bool:
    where.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)], capture_output=True)
    return done.returncode == 0


def test_import_on_a_real_full_disk_stops_cleanly_and_resumes_elsewhere(tmp_path, batch_size_on_disk):
    room = math.ceil(batch_size_on_disk * 1.6)
    disk = tmp_path / "small-disk"
    if os.geteuid() != 0 or not _mount_tmpfs(disk, room):
        pytest.skip("mounting a small tmpfs needs root (the size-limit test covers the same path)")
    try:
        folder = make_articles(tmp_path / "articles", 3 * BATCH)
        db = disk / "archive.db"
        done = run_import(db, folder)
        assert done.returncode == 4, done.stderr[-2000:]
        assert len(done.stderr.strip().splitlines()) == 1 and "disk is full" in done.stderr
        kept = article_count(db)
        assert kept % BATCH == 0 and kept < 3 * BATCH
        assert f"Kept: {kept:,} articles" in done.stderr
        assert_consistent(db)
        moved = tmp_path / "moved.db"  # the user frees space by moving the archive to a bigger disk
        subprocess.run([str(CLI), "backup", str(moved), "--db", str(db)], check=True, capture_output=True)
    finally:
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
    assert_rerun_completes(moved, folder, 3 * BATCH)
