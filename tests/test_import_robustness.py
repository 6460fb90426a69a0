"""Nothing lost: a real `newsarchive import` killed (SIGKILL, Ctrl-C) leaves a consistent archive that
a re-run completes, and an import can run while `newsarchive serve` answers searches (WAL).

These run the installed CLI in subprocesses on 127.0.0.1 only, each test in a few seconds."""
from __future__ import annotations

import json
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / ".venv" / "bin" / "newsarchive"
SAMPLES = ROOT / "app" / "samples"
ARTICLES = 4000

pytestmark = pytest.mark.skipif(not CLI.exists(), reason=f"{CLI} is absent: install with pip install -e . into .venv")


def make_articles(folder: Path, count: int, start: int = 0) -> Path:
    """`count` distinct seed-style text files built from our samples, a counter making each unique."""
    # Not the teaser-card sample: its first line is a teaser that cleaning drops, counter and all.
    texts = [p.read_text(encoding="utf-8").strip() for p in sorted(SAMPLES.glob("*.txt")) if "teaser" not in p.name]
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(start, start + count):
        title, rest = texts[n % len(texts)].split("\n", 1)
        # In the title: cleaning may cut a body's tail (teaser blocks), never the title.
        folder.joinpath(f"article-{n:05d}.txt").write_text(f"{title} (dispatch {n})\n{rest}\n", encoding="utf-8")
    return folder


def import_command(db: Path, folder: Path) -> list[str]:
    # One worker: slow enough that the kill lands mid-import, and one core left for the test.
    return [str(CLI), "import", "--quiet", "--no-embed", "--workers", "1", "--db", str(db), str(folder)]


def article_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM article").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet, or the schema is being migrated
        return 0


def wait_for_first_commit(process: subprocess.Popen, db: Path, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        if (count := article_count(db)) > 0:
            return count
        time.sleep(0.02)
    raise AssertionError(f"no article committed within {timeout} s (exit code {process.poll()})")


def assert_consistent(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        conn.execute("INSERT INTO article_fts(article_fts, rank) VALUES('integrity-check', 1)")
        articles = conn.execute("SELECT count(*) FROM article").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM article_fts").fetchone()[0] == articles
        assert conn.execute("SELECT count(*) FROM article WHERE id NOT IN (SELECT rowid FROM article_fts)").fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM article_fts WHERE rowid NOT IN (SELECT id FROM article)").fetchone()[0] == 0


def assert_rerun_completes(db: Path, folder: Path, expected: int) -> None:
    done = subprocess.run(import_command(db, folder), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert article_count(db) == expected  # no duplicates, nothing missing
    assert_consistent(db)


def interrupt_mid_import(tmp_path: Path, sig: int) -> tuple[Path, Path, int, int]:
    folder = make_articles(tmp_path / "articles", ARTICLES)
    db = tmp_path / "archive.db"
    process = subprocess.Popen(import_command(db, folder), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_first_commit(process, db)
        process.send_signal(sig)
        returncode = process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return folder, db, returncode, article_count(db)


def test_import_killed_with_sigkill_leaves_a_consistent_archive_and_a_rerun_finishes(tmp_path):
    folder, db, returncode, committed = interrupt_mid_import(tmp_path, signal.SIGKILL)
    assert returncode == -signal.SIGKILL
    assert 0 < committed < ARTICLES, "the kill should land mid-import"
    assert_consistent(db)
    assert_rerun_completes(db, folder, ARTICLES)


def test_import_interrupted_with_ctrl_c_exits_non_zero_consistent_and_a_rerun_finishes(tmp_path):
    folder, db, returncode, committed = interrupt_mid_import(tmp_path, signal.SIGINT)
    assert returncode != 0
    assert 0 < committed < ARTICLES, "Ctrl-C should land mid-import"
    assert_consistent(db)
    assert_rerun_completes(db, folder, ARTICLES)


def test_a_killed_worker_stops_the_import_with_a_message_and_a_rerun_finishes(tmp_path):
    folder = make_articles(tmp_path / "articles", ARTICLES)
    db = tmp_path / "archive.db"
    command = import_command(db, folder)
    command[command.index("--workers") + 1] = "2"
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        wait_for_first_commit(process, db)
        children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
        assert children, "the import should have its worker processes"
        subprocess.run(["kill", "-KILL", children[0]], check=True)  # what the out-of-memory killer does
        returncode = process.wait(timeout=60)
        message = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert returncode == 3, message[-2000:]
    assert "import stopped: a worker process died" in message and "run the same command again" in message
    assert article_count(db) < ARTICLES
    assert_consistent(db)
    assert_rerun_completes(db, folder, ARTICLES)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def wait_until_serving(server: subprocess.Popen, base: str, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"server exited with {server.returncode}: {server.stderr.read().decode()[-2000:]}")
        try:
            get(f"{base}/api/search?q=police")
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"server not answering on {base} after {timeout} s")


def api_total(base: str) -> int:
    status, body = get(f"{base}/api/search?q=police")
    assert status == 200
    return json.loads(body)["total"]


def test_search_keeps_answering_while_an_import_writes_to_the_same_archive(tmp_path):
    db = tmp_path / "archive.db"
    first = subprocess.run(import_command(db, make_articles(tmp_path / "first", 200)), capture_output=True, timeout=60)
    assert first.returncode == 0, first.stderr.decode()[-2000:]
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(CLI), "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    importer = None
    try:
        wait_until_serving(server, base)
        before = api_total(base)
        importer = subprocess.Popen(import_command(db, make_articles(tmp_path / "second", 3000, start=200)),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        statuses, deadline = [], time.monotonic() + 10
        while importer.poll() is None and time.monotonic() < deadline:
            for path in ("/search?q=police", "/api/search?q=police+OR+cooperation"):
                statuses.append(get(base + path)[0])
        assert importer.wait(timeout=60) == 0, importer.stderr.read().decode()[-2000:]
        assert statuses and set(statuses) == {200}
        assert api_total(base) > before  # the server sees what the import added
    finally:
        for process in (importer, server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
