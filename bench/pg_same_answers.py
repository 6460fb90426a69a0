"""The same files imported into SQLite and into PostgreSQL: do searches give the same answers?

Prints the import rate of each backend, then over a fixed query set (x a few filters and sorts)
how many searches have the same total and the same first page (20 ids, in order) on both, and
the search latencies. PostgreSQL is a temporary cluster (tests/pgserver.py) unless --pg-url.
Both search through the frequent words' numpy postings, as servers do once built (the build
time is printed), unless --fts-only.

    .venv/bin/python bench/pg_same_answers.py ../shared/corpora/bbc-news/bbc-fulltext.tar.gz
    .venv/bin/python bench/pg_same_answers.py --archives a.db --pg-url postgresql://...   # no import
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.config import Settings  # noqa: E402
from app.ingest.load import import_paths  # noqa: E402
from app.search.params import SearchParams  # noqa: E402
from app.store import open_store  # noqa: E402
from tests import pgserver  # noqa: E402

QUERIES = ["security", "police", "election", "government minister", "terror*", "bank rates", '"prime minister"',
           "title:film", "music -rock", "football OR rugby", "mobile phone*", "oil price*", "court ruling",
           "champions league", '"world cup"', "broadband", "tax", "labour party", "microsoft", "actor award",
           "economy growth", "chelsea", "iraq war", "blair brown", "games console", "virus", "london -olympic",
           "sales fell", "digital music", "title:england", "the", "stock market", "european union", "strike",
           "film*", "spam email", "injury", "album chart", "interest", "zzzq"]
VARIANTS = [{}, {"sort": "newest"}, {"recency": "1"}, {"page": "2"}]


def timed_import(settings: Settings, paths: list[str]) -> tuple[int, float]:
    start = time.perf_counter()
    report = import_paths(open_store(settings), paths, workers=1)
    return report.added, time.perf_counter() - start


def compare(lite, pg) -> dict:
    n = totals = pages = 0
    lat = {"sqlite": [], "postgresql": []}
    diffs = []
    for q in QUERIES:
        for extra in VARIANTS:
            params = SearchParams.from_query({"q": q, **extra})
            out = {}
            for name, store in (("sqlite", lite), ("postgresql", pg)):
                t = time.perf_counter()
                out[name] = store.search(params)
                lat[name].append((time.perf_counter() - t) * 1000)
            a, b = out["sqlite"], out["postgresql"]
            n += 1
            same_total = (a.total, a.partial_total) == (b.total, b.partial_total)
            same_page = [h.id for h in a.hits] == [h.id for h in b.hits]
            totals, pages = totals + same_total, pages + same_page
            if not (same_total and same_page):
                diffs.append(f"{q!r} {extra}: totals {a.total}/{b.total}, first ids {[h.id for h in a.hits][:5]} /"
                             f" {[h.id for h in b.hits][:5]}")
    return {"searches": n, "same_totals": totals, "same_pages": pages, "latency": lat, "diffs": diffs}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--pg-url", help="an empty PostgreSQL database to use instead of a temporary cluster")
    ap.add_argument("--archives", metavar="SQLITE_FILE", help="no import: compare this SQLite archive with the"
                    " PostgreSQL one at --pg-url (the same files imported into both)")
    ap.add_argument("--fts-only", action="store_true", help="search without the frequent words' postings"
                    " (FTS5's bm25 on SQLite, bm25 from tsvector positions on PostgreSQL)")
    args = ap.parse_args()
    if args.archives and not args.pg_url:
        ap.error("--archives needs --pg-url")
    if not args.archives and not args.paths:
        ap.error("name the files to import (or --archives with --pg-url)")
    cluster = None
    if not args.pg_url:
        cluster = pgserver.PgCluster().start()
        args.pg_url = pgserver.new_database(cluster.url())
    try:
        with tempfile.TemporaryDirectory() as tmp:
            lite_s = Settings(database_url=f"sqlite:///{args.archives or tmp + '/a.db'}")
            pg_s = Settings(database_url=args.pg_url)
            for name, s in (("sqlite", lite_s), ("postgresql", pg_s)) if not args.archives else ():
                added, secs = timed_import(s, args.paths)
                print(f"import {name:10s} {added:,} articles in {secs:.1f} s = {added / secs:,.0f} articles/s")
            lite, pg = open_store(lite_s, read_only=True), open_store(pg_s, read_only=True)
            lite.search(SearchParams(q="warm")), pg.search(SearchParams(q="warm"))  # in-memory indexes built
            for name, store in (("sqlite", lite), ("postgresql", pg)):
                if args.fts_only:
                    store.use_postings = False
                else:  # as a server has them once its background build is done
                    t = time.perf_counter()
                    store.postings(build=True)
                    print(f"postings {name:10s} built in {time.perf_counter() - t:.1f} s")
            r = compare(lite, pg)
            print(f"same totals: {r['same_totals']}/{r['searches']}, same first page (20 ids in order):"
                  f" {r['same_pages']}/{r['searches']}")
            for name, values in r["latency"].items():
                values = sorted(values)
                print(f"search {name:10s} p50 {statistics.median(values):.1f} ms,"
                      f" p95 {values[int(len(values) * 0.95)]:.1f} ms, max {values[-1]:.1f} ms")
            for d in r["diffs"][:10]:
                print("  differs:", d)
    finally:
        if cluster:
            cluster.stop()


if __name__ == "__main__":
    main()
