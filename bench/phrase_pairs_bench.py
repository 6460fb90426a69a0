"""Two-word phrases scored through FTS5 against the pairs table, in-process, on one archive:
the table's build time and size, and each phrase's time both ways (issue 10).

    .venv/bin/python bench/phrase_pairs_bench.py --db bench/out/bench-1000000.db --corpus bench/out/corpus-1000000

Phrases: the bench's own draw (search_queries.draw: 2- and 3-word phrases at random places of
sampled articles), each compiled as the search page compiles it. Reads the archive in one read
transaction (a consistent state even while an import writes); uses the postings and pairs
files beside the archive when they are current, else (or with --build) builds both in memory
and in a scratch folder, never beside the archive.
"""
from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from search_queries import draw, sample_articles  # noqa: E402

from app.config import Settings  # noqa: E402
from app.search.evaluate import Evaluator, leaves, parse  # noqa: E402
from app.search.fts5 import compile_query  # noqa: E402
from app.search.query import parse as parse_query  # noqa: E402
from app.storage import sqlite_postings  # noqa: E402
from app.store import open_store  # noqa: E402


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--corpus", required=True)
    ap.add_argument("--build", action="store_true", help="build the postings and pairs in memory even when the files beside the archive are current")
    ap.add_argument("--n", type=int, default=1_000_000, help="articles in the corpus (as search_queries reads it)")
    args = ap.parse_args()
    store = open_store(Settings(database_url=f"sqlite:///{args.db}"), read_only=True)
    conn = store.conn()
    conn.execute("BEGIN")
    conn.execute("SELECT count(*) FROM article").fetchone()  # the snapshot every read below sees
    out: dict = {}
    t = time.perf_counter()
    idx = store.doc_index()
    out["docindex_s"] = round(time.perf_counter() - t, 1)
    out["articles"] = idx.size
    p = store.postings() if not args.build else None  # the files beside the archive, when built for it
    if p is None or p.pairs is None:
        with tempfile.TemporaryDirectory() as scratch:
            t = time.perf_counter()
            pairs = sqlite_postings.build_pairs(conn, idx, scratch)
            out["pairs_build_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        p = sqlite_postings.build(conn, idx, "bench")
        out["postings_build_s"] = round(time.perf_counter() - t, 1)
        out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    else:
        pairs = p.pairs
        out["pairs_from"] = store.cache_path("pairs")
    out["pairs"] = len(pairs.codes)
    out["pair_words"] = len(pairs.words)
    out["pair_postings"] = int(len(pairs.rows))
    out["pairs_mb"] = round((pairs.rows.nbytes + pairs.freq.nbytes + pairs.codes.nbytes + pairs.starts.nbytes) / 2**20)
    fast = sqlite_postings.FastText(conn, idx, p)
    with_pairs = fast.evaluator
    p_with = p
    sampled = sample_articles(Path(args.corpus), args.n, args.db, random.Random(10))
    phrases = sorted(draw(sampled, random.Random(10))["phrase"])
    rows = []
    for q in phrases:
        expr = compile_query(parse_query(q).tree).match
        if not expr:
            continue
        tree = parse(expr)
        timing = {}
        for name, use_pairs in (("fts5", False), ("pairs", True)):
            p_with.pairs = pairs if use_pairs else None
            ev = Evaluator(p_with, fast._leaf, fast._expand, fast._rare)
            t = time.perf_counter()
            found = {}
            for leaf in leaves(tree):
                found[leaf] = ev.leaf(leaf)
            timing[name] = (time.perf_counter() - t) * 1000
            timing[name + "_matches"] = sum(len(r) for r, _ in found.values())
        p_with.pairs = pairs
        used = any(with_pairs.from_postings(leaf) for leaf in leaves(tree))
        rows.append({"q": q, "words": len(q.strip('"').split()), "from_pairs": used, **timing})
    for name in ("fts5", "pairs"):
        times = [r[name] for r in rows]
        out[f"{name}_p50_ms"], out[f"{name}_p95_ms"] = round(pct(times, 50), 1), round(pct(times, 95), 1)
        two = [r[name] for r in rows if r["words"] == 2]
        out[f"{name}_two_words_p95_ms"] = round(pct(two, 95), 1)
    out["phrases"] = len(rows)
    out["two_word_phrases"] = sum(r["words"] == 2 for r in rows)
    out["answered_by_pairs"] = sum(r["from_pairs"] for r in rows)
    out["slowest_fts5"] = sorted(rows, key=lambda r: -r["fts5"])[:8]
    out["slowest_with_pairs"] = sorted(rows, key=lambda r: -r["pairs"])[:8]
    assert all(r["fts5_matches"] == r["pairs_matches"] for r in rows), "the pairs changed a match set"
    conn.execute("ROLLBACK")
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
