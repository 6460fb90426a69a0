"""The search core with and without the frequent words' postings, in one process, query by query.

Runs ``store.search`` (what the page and the API call: exact total, facets, histogram, snippets)
for the query classes of bench/search_latency.py, alternating FTS5 alone and postings for each
query so that both see the same machine load, and prints p50/p95 per class and whether the two
gave the same total and the same page. No HTTP: bench/search_latency.py measures the page.

    .venv/bin/python bench/fulltext_core.py --db bench/out/bench.db --rounds 5
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.search.params import SearchParams  # noqa: E402
from app.storage.sqlite import SqliteStore  # noqa: E402
from bench.search_latency import CLASSES, percentile  # noqa: E402


def params_of(q: str) -> SearchParams:
    text, _, rest = q.partition("&")
    extra = dict(pair.split("=", 1) for pair in rest.split("&") if pair)
    many = {k: (v,) for k, v in extra.items() if k in ("country", "agency", "lang")}
    return SearchParams(q=text, sort=extra.get("sort", "relevance"), **many)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default="bench/out/bench.db")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    store = SqliteStore(f"sqlite:///{args.db}", read_only=True)
    start = time.perf_counter()
    store.postings(build=True)
    print(f"postings ready in {time.perf_counter() - start:.1f} s ({len(store.postings().terms):,} words,"
          f" {len(store.postings().rows):,} postings)")
    store.doc_index(), store.vocabulary()
    print(f"{'class':14} {'FTS5 p50':>9} {'p95':>7} {'postings p50':>13} {'p95':>7}  same answers")
    for name, queries in CLASSES.items():
        times = {True: [], False: []}
        same = 0
        for q in queries:
            params = params_of(q)
            answers = {}
            for use in (False, True) * (args.rounds + 1):
                store.use_postings = use
                t = time.perf_counter()
                r = store.search(params)
                times[use].append((time.perf_counter() - t) * 1000)
                answers[use] = (r.total, r.partial_total, [h.id for h in r.hits])
            same += answers[True] == answers[False]
        p = {u: (statistics.median(v), percentile(v, 0.95)) for u, v in times.items()}
        print(f"{name:14} {p[False][0]:9.1f} {p[False][1]:7.1f} {p[True][0]:13.1f} {p[True][1]:7.1f}  {same}/{len(queries)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
