"""`newsarchive serve` itself (a real uvicorn on a real port): its start message, over-long URLs, HEAD."""
from __future__ import annotations

import os
import socket
import subprocess
import urllib.request

import pytest

from app.ingest.load import import_paths
from app.store import open_store
from app.web.admin_auth import MIN_TOKEN
from tests.conftest import SAMPLES
from tests.test_import_robustness import CLI, free_port, wait_until_serving


def raw_get(port: int, target: str) -> bytes:
    """The status line of a GET sent by hand (urllib refuses such URLs); b"" on a reset."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        try:
            while chunk := s.recv(65536):
                data += chunk
        except ConnectionResetError:
            pass
    return data.split(b"\r\n", 1)[0]


def test_serve_says_why_admin_is_off_answers_414_to_a_200_kb_url_and_head_like_get(fresh_db):
    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    port = free_port()
    env = {**os.environ, "NEWSARCHIVE_ADMIN_TOKEN": "x" * (MIN_TOKEN - 1)}
    server = subprocess.Popen([str(CLI), "serve", "--db", fresh_db.database_url.removeprefix("sqlite:///"),
                               "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}")
        assert raw_get(port, "/search?q=" + "a" * 200_000) == b"HTTP/1.1 414 Request-URI Too Long"
        assert raw_get(port, "/search?q=police") == b"HTTP/1.1 200 OK"
        head = urllib.request.urlopen(urllib.request.Request(f"http://127.0.0.1:{port}/", method="HEAD"), timeout=10)
        assert head.status == 200 and head.read() == b"" and head.headers["x-frame-options"] == "DENY"
    finally:
        server.terminate()
        server.wait(timeout=10)
    said = server.stderr.read().decode()
    assert said.count("off because the token is too short") == 1, said


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid``, from /proc (field 4 of /proc/N/stat, after the name)."""
    from pathlib import Path

    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.sqlite_only("the postings files beside the .db file")
def test_serve_with_two_worker_processes_answers_alike_and_saves_the_postings(fresh_db):
    import json
    import time

    from app.search import postings

    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    db = fresh_db.database_url.removeprefix("sqlite:///")
    port = free_port()
    server = subprocess.Popen([str(CLI), "serve", "--db", db, "--port", str(port), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until_serving(server, f"http://127.0.0.1:{port}")
        totals = set()
        for _ in range(20):  # connections are spread over both processes
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/search?q=police", timeout=10) as r:
                totals.add(json.load(r)["total"])
        assert len(totals) == 1 and totals.pop() > 0
        assert len(children_of(server.pid)) >= 2  # uvicorn's workers (and its resource tracker)
        store = open_store(fresh_db, read_only=True)
        deadline = time.monotonic() + 30
        while postings.load(store.cache_path("postings"), store.index_key()) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert postings.load(store.cache_path("postings"), store.index_key()) is not None
    finally:
        server.terminate()
        server.wait(timeout=20)
    said = server.stderr.read().decode()
    assert "2 processes" in said and "Traceback" not in said, said


@pytest.mark.sqlite_only("checks the server process's BLAS threads, not the database")
def test_a_server_process_runs_blas_on_one_thread(fresh_db, monkeypatch):
    from threadpoolctl import threadpool_info, threadpool_limits

    from app.web.app import served_app

    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    monkeypatch.setenv("NEWSARCHIVE_DATABASE_URL", fresh_db.database_url)
    with threadpool_limits(limits=None):  # whatever it sets is undone after the test
        served_app()
        blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
        assert blas and all(lib["num_threads"] == 1 for lib in blas)
