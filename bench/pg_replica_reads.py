"""Read throughput of one PostgreSQL primary alone, then of the primary plus one streaming replica
(pg_basebackup -R), both on this machine: the same searches from PROCESSES reader processes for
SECONDS each; with the replica, half the readers go to it through NEWSARCHIVE_READ_URLS.

    .venv/bin/python bench/pg_replica_reads.py ../shared/corpora/bbc-news/bbc-fulltext.tar.gz

On one machine both servers share the same cores, so this measures the overhead and the routing,
not the gain of a second machine (which adds its cores).
"""
from __future__ import annotations

import multiprocessing as mp
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.ingest.load import import_paths  # noqa: E402
from app.search.params import SearchParams  # noqa: E402
from app.store import open_store  # noqa: E402
from bench.pg_same_answers import QUERIES  # noqa: E402
from tests import pgserver  # noqa: E402

PROCESSES, SECONDS = 4, 20


def reader(url: str, read_urls: str | None, out) -> None:
    store = open_store(Settings(database_url=url, read_urls=read_urls), read_only=True)
    store.search(SearchParams(q="warm"))
    n, deadline = 0, time.monotonic() + SECONDS
    while time.monotonic() < deadline:
        store.search(SearchParams(q=QUERIES[n % len(QUERIES)]))
        n += 1
    out.put(n)


def run(url: str, replica_url: str | None) -> float:
    out = mp.Queue()
    procs = [mp.Process(target=reader, args=(url, replica_url if replica_url and i % 2 else None, out))
             for i in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    return sum(out.get() for _ in procs) / SECONDS


def main() -> None:
    primary, replica = pgserver.PgCluster().start(), pgserver.PgCluster()
    try:
        url = pgserver.new_database(primary.url())
        import_paths(open_store(Settings(database_url=url)), sys.argv[1:], workers=1)
        replica.start_replica_of(primary)
        replica_url = url.replace(f":{primary.port}/", f":{replica.port}/")
        time.sleep(2)
        alone = run(url, None)
        both = run(url, replica_url)
        print(f"{PROCESSES} reader processes, {SECONDS} s each: primary alone {alone:.1f} searches/s,"
              f" primary + replica {both:.1f} searches/s (ratio {both / alone:.2f})")
    finally:
        replica.stop()
        primary.stop()


if __name__ == "__main__":
    main()
