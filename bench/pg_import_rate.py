"""Import rate on PostgreSQL: the given files imported into a fresh database, articles/s printed
with the load average (the machine is shared: quote it beside the figure).

    nice -n 19 .venv/bin/python bench/pg_import_rate.py /tmp/pg-corpus-30000                # temporary cluster
    nice -n 19 .venv/bin/python bench/pg_import_rate.py --server-url postgresql://postgres@127.0.0.1:55437/postgres PATH
    --keep prints the database's URL and leaves it (for bench/pg_same_answers.py --archives ... --pg-url)
"""
from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.ingest.load import import_paths  # noqa: E402
from app.store import open_store  # noqa: E402
from tests import pgserver  # noqa: E402


class CpuMeter:
    """CPU seconds of the writer (this process), the preparing workers (its children) and the
    server processes of the database (its backend, autovacuum excluded), sampled every second:
    on a shared machine the wall-clock rate depends on the neighbours, CPU per article less so."""

    def __init__(self, dbname: str):
        import psutil

        self.psutil, self.dbname, self.me = psutil, dbname, psutil.Process()
        self.workers: dict[int, float] = {}
        self.server: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        ps = self.psutil
        for child in self.me.children(recursive=True):
            try:
                t = child.cpu_times()
                self.workers[child.pid] = t.user + t.system
            except ps.Error:
                pass
        for proc in ps.process_iter(["cmdline"]):
            try:
                if self.dbname in " ".join(proc.info["cmdline"] or []):
                    t = proc.cpu_times()
                    self.server[proc.pid] = t.user + t.system
            except ps.Error:
                pass

    def _run(self) -> None:
        while not self.done.wait(1.0):
            self._sample()

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.thread.join()
        t = self.me.cpu_times()
        return {"writer": t.user + t.system, "workers": sum(self.workers.values()),
                "server": sum(self.server.values())}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--server-url", help="a running server: a new database is created on it (else a temporary cluster)")
    ap.add_argument("--workers", type=int, default=0, help="preparing processes (0: one per core, as `newsarchive import`)")
    ap.add_argument("--keep", action="store_true", help="leave the database (with --server-url) and print its URL")
    ap.add_argument("--sqlite", metavar="FILE", help="import into this new SQLite archive instead (the same figures)")
    args = ap.parse_args()
    if args.sqlite:
        return timed(Settings(database_url=f"sqlite:///{args.sqlite}"), args, "sqlite", "(no server)")
    cluster = None
    if not args.server_url:
        cluster = pgserver.PgCluster().start()
        args.server_url = cluster.url()
    url = pgserver.new_database(args.server_url, prefix="rate")
    try:
        timed(Settings(database_url=url), args, "postgresql", url.rsplit("/", 1)[1])
        if args.keep:
            print(f"kept: {url}")
    finally:
        if not args.keep:
            pgserver.drop_database(args.server_url, url)
        if cluster:
            cluster.stop()


def timed(settings: Settings, args, name: str, dbname: str) -> None:
    store = open_store(settings)
    before = os.getloadavg()
    meter = CpuMeter(dbname)
    start = time.perf_counter()
    report = import_paths(store, args.paths, workers=args.workers, keep_lines=False)
    secs = time.perf_counter() - start
    after = os.getloadavg()
    cpu = meter.stop()
    n = sum(report.counts.values())
    print(f"{name} import: {n:,} articles ({dict(report.counts)}) in {secs:.1f} s = {n / secs:,.0f} articles/s"
          f" (load average {before[0]:.1f} before, {after[0]:.1f} after, 5-min {after[1]:.1f})")
    n = max(n, 1)
    print("CPU per 1,000 articles: " + ", ".join(f"{k} {v * 1000 / n:.2f} s" for k, v in cpu.items())
          + f" (total {sum(cpu.values()) * 1000 / n:.2f} s)")


if __name__ == "__main__":
    main()
