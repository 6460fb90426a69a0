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
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.ingest.load import import_paths  # noqa: E402
from app.store import open_store  # noqa: E402
from tests import pgserver  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--server-url", help="a running server: a new database is created on it (else a temporary cluster)")
    ap.add_argument("--workers", type=int, default=0, help="preparing processes (0: one per core, as `newsarchive import`)")
    ap.add_argument("--keep", action="store_true", help="leave the database (with --server-url) and print its URL")
    args = ap.parse_args()
    cluster = None
    if not args.server_url:
        cluster = pgserver.PgCluster().start()
        args.server_url = cluster.url()
    url = pgserver.new_database(args.server_url, prefix="rate")
    try:
        store = open_store(Settings(database_url=url))
        before = os.getloadavg()
        start = time.perf_counter()
        report = import_paths(store, args.paths, workers=args.workers, keep_lines=False)
        secs = time.perf_counter() - start
        after = os.getloadavg()
        n = sum(report.counts.values())
        print(f"postgresql import: {n:,} articles ({dict(report.counts)}) in {secs:.1f} s = {n / secs:,.0f} articles/s"
              f" (load average {before[0]:.1f} before, {after[0]:.1f} after, 5-min {after[1]:.1f})")
        if args.keep:
            print(f"kept: {url}")
    finally:
        if not args.keep:
            pgserver.drop_database(args.server_url, url)
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
