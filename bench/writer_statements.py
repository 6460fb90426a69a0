"""Where the SQLite import writer's time goes, statement by statement, as the archive grows.

    python bench/writer_statements.py DB CORPUS... [--every 50000] [--cache-kib K] [--heap-mib M]

Runs ``newsarchive import --quiet --no-index-files --no-embed`` into DB (a new or migrated file)
with every ``execute``/``executemany`` of the importing connection timed by statement (its first
words), and prints, for each block of ``--every`` stored articles, the block's articles/s and the
milliseconds per article of each statement that costs more than 0.02 ms. ``--cache-kib`` and
``--heap-mib`` replace the writer's page cache and soft heap limit (app/storage/sqlite.py) for the
run, to compare settings on the same corpus.
"""
from __future__ import annotations

import argparse
import re
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_connect = sqlite3.connect


def kind(sql: str) -> str:
    words = re.sub(r"\s+", " ", sql.strip())
    return re.sub(r"\(.*", "(…", words[:60]) if words.upper().startswith(("INSERT", "UPDATE", "DELETE", "SELECT")) else words[:30]


class Meter:
    def __init__(self, every: int):
        self.every, self.articles, self.block_start = every, 0, time.perf_counter()
        self.spent: Counter = Counter()  # CPU seconds of the writer's thread, by statement
        self.waited: Counter = Counter()  # wall-clock seconds
        self.calls: Counter = Counter()

    def add(self, sql: str, cpu: float, wall: float) -> None:
        k = kind(sql)
        self.spent[k] += cpu
        self.waited[k] += wall
        self.calls[k] += 1
        if sql.lstrip().startswith("INSERT INTO article("):
            self.articles += 1
            if self.articles % self.every == 0:
                self.report()

    def report(self) -> None:
        now = time.perf_counter()
        n = self.every if self.articles % self.every == 0 else self.articles % self.every
        wall = now - self.block_start
        print(f"\n## articles {self.articles - n + 1:,}-{self.articles:,}: {n / wall:,.0f} articles/s"
              f"; the writer's SQL: {1000 * sum(self.spent.values()) / n:.2f} CPU ms an article,"
              f" {1000 * sum(self.waited.values()) / n:.2f} ms wall of {1000 * wall / n:.2f}", flush=True)
        print("  CPU ms   wall ms  calls  (an article)", flush=True)
        for k, s in self.spent.most_common():
            if 1000 * max(s, self.waited[k]) / n >= 0.02:
                print(f"{1000 * s / n:8.3f} {1000 * self.waited[k] / n:8.3f} {self.calls[k] / n:6.2f}  {k}", flush=True)
        self.spent.clear()
        self.waited.clear()
        self.calls.clear()
        self.block_start = now


METER: Meter | None = None


def _timed(method):
    def timed(self, sql, *args):
        t, w = time.thread_time(), time.perf_counter()
        try:
            return method(self, sql, *args)
        finally:
            METER.add(sql, time.thread_time() - t, time.perf_counter() - w)
    return timed


class TimedConnection(sqlite3.Connection):
    execute = _timed(sqlite3.Connection.execute)
    executemany = _timed(sqlite3.Connection.executemany)


def timed_connect(*args, **kwargs):
    kwargs.setdefault("factory", TimedConnection)
    return _connect(*args, **kwargs)


def main() -> None:
    global METER
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("db")
    ap.add_argument("corpus", nargs="+", help="files or folders to import")
    ap.add_argument("--every", type=int, default=50_000)
    ap.add_argument("--cache-kib", type=int)
    ap.add_argument("--heap-mib", type=int)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args()
    from app import cli
    from app.storage import sqlite as store

    if a.cache_kib:
        store.WRITER_CACHE_KIB = a.cache_kib
    if a.heap_mib:
        store.WRITER_HEAP_LIMIT = a.heap_mib * 1024 * 1024
    print(f"writer cache {store.WRITER_CACHE_KIB:,} KiB, soft heap limit {store.WRITER_HEAP_LIMIT >> 20} MiB", flush=True)
    METER = Meter(a.every)
    sqlite3.connect = timed_connect
    args = ["import", "--quiet", "--no-index-files", "--no-embed", "--db", a.db, *a.corpus]
    if a.workers:
        args += ["--workers", str(a.workers)]
    try:
        cli.app(args, standalone_mode=False)
    finally:
        METER.report()


if __name__ == "__main__":
    main()
