"""Exact against approximate vector search at scale (app/search/ann.py), on synthetic vectors.

The vectors are clustered unit vectors (THEMES themes of TOPICS topics; each article is its
topic's direction plus noise, weighted per article, so that a query's nearest neighbours have
similarities of about 0.3-0.6 and fall off gradually, as USE-m3's do on news), quantised to int8 as the archive stores them. Queries are
drawn the same way and are not in the index. The exact answer is the product over every allowed row
(as app/search/vectors.py does); the approximate one is AnnIndex.nearest. Filters are random rows
(1 %, 10 %, 50 %).

    nice -n 19 .venv/bin/python bench/meaning_ann.py build --n 1000000 --out bench/out/ann-1m
    nice -n 19 .venv/bin/python bench/meaning_ann.py measure --out bench/out/ann-1m
    nice -n 19 .venv/bin/python bench/meaning_ann.py memory --out bench/out/ann-1m
    nice -n 19 .venv/bin/python bench/meaning_ann.py vectors --db bench/out/bench-100000.db  # then the page:
    NEWSARCHIVE_VECTOR_ANN_MIN=0 nice -n 19 .venv/bin/python bench/search_bench.py --db bench/out/bench-100000.db \
        --corpus bench/out/corpus-100000 --duration 0
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.search import ann  # noqa: E402
from app.search.vectors import quantise  # noqa: E402

DIMS = 512
THEMES = 500
TOPICS = 20_000
NOISE = 0.055  # per dimension: |noise| ~ 1.25, about the topic's own weight
BATCH = 50_000


def _draw(rng: np.random.Generator, centres: np.ndarray, n: int) -> np.ndarray:
    topic = rng.integers(0, len(centres), n)
    weight = rng.uniform(0.7, 1.3, n).astype(np.float32)[:, None]
    v = centres[topic] * weight + rng.normal(size=(n, DIMS)).astype(np.float32) * NOISE
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _centres(seed: int = 1) -> np.ndarray:
    """TOPICS topic directions, each a THEMES theme's direction plus its own part: an article's
    neighbours are its topic's articles, then its theme's, then the rest."""
    rng = np.random.default_rng(seed)
    themes = rng.normal(size=(THEMES, DIMS)).astype(np.float32)
    themes /= np.linalg.norm(themes, axis=1, keepdims=True)
    own = rng.normal(size=(TOPICS, DIMS)).astype(np.float32)
    c = themes[rng.integers(0, THEMES, TOPICS)] + own / np.linalg.norm(own, axis=1, keepdims=True)
    return c / np.linalg.norm(c, axis=1, keepdims=True)


def build(n: int, out: str) -> None:
    rng, centres = np.random.default_rng(2), _centres()
    folder = f"{out}/vectors"
    Path(out).mkdir(parents=True, exist_ok=True)
    builder = ann.Builder(folder, DIMS, n)
    t0 = time.perf_counter()
    for at in range(0, n, BATCH):
        codes, _ = quantise(_draw(rng, centres, min(BATCH, n - at)))
        builder.add(np.arange(at, at + len(codes), dtype=np.int64) + 1, codes)
    t1 = time.perf_counter()
    builder.finish(f"synthetic:{n}", "synthetic", threads=2)
    t2 = time.perf_counter()
    sizes = {p.name: p.stat().st_size for p in Path(folder).iterdir()}
    print(f"build: {n:,} vectors drawn in {t1 - t0:.0f} s; graph built and saved in {t2 - t1:.0f} s (2 threads,"
          f" load {os.getloadavg()[0]:.1f}); files: " + ", ".join(f"{k} {v / 2**20:.0f} MiB" for k, v in sorted(sizes.items())))


def _queries(count: int) -> np.ndarray:
    return _draw(np.random.default_rng(3), _centres(), count)


def _exact_top(index: ann.AnnIndex, q: np.ndarray, k: int, allowed) -> np.ndarray:
    index.force_exact = True
    try:
        return index.nearest(q, k, allowed)[0]
    finally:
        index.force_exact = False


def measure(out: str, count: int, efs: list[int]) -> None:
    index = ann.load(f"{out}/vectors")
    queries = _queries(count)
    rng = np.random.default_rng(4)
    print(f"{index.size:,} vectors, {count} queries, load {os.getloadavg()[0]:.1f}")
    for name, share in (("all", None), ("50 %", 0.5), ("10 %", 0.1), ("1 %", 0.01)):
        allowed = None if share is None else rng.random(index.size) < share
        truth, t_exact = [], []
        for q in queries:
            t = time.perf_counter()
            truth.append(_exact_top(index, q, 100, allowed))
            t_exact.append((time.perf_counter() - t) * 1000)
        print(f"{name:>5}: exact over the int8 codes p50 {_pct(t_exact, 50):.0f} ms p95 {_pct(t_exact, 95):.0f} ms")
        for ef in efs:
            index.graph.expansion_search = ef
            r10, r100, t_ann = [], [], []
            for q, exact in zip(queries, truth):
                t = time.perf_counter()
                got = index.nearest(q, 100, allowed)[0]
                t_ann.append((time.perf_counter() - t) * 1000)
                r10.append(len(set(got[:10].tolist()) & set(exact[:10].tolist())) / 10)
                r100.append(len(set(got.tolist()) & set(exact.tolist())) / 100)
            print(f"       ef {ef}: recall@10 {statistics.mean(r10):.3f}, recall@100 {statistics.mean(r100):.3f};"
                  f" p50 {_pct(t_ann, 50):.1f} ms p95 {_pct(t_ann, 95):.1f} ms (load {os.getloadavg()[0]:.1f})")
        index.graph.expansion_search = ann.EXPANSION_SEARCH
    one = queries[0]
    t = time.perf_counter()
    index.sim_stats(one, None)
    print(f"sim_stats (exact sample of {ann.SAMPLE}): {(time.perf_counter() - t) * 1000:.1f} ms")
    ids = np.sort(rng.choice(index.ids, 50_000, replace=False))
    t = time.perf_counter()
    index.similarities(one, ids)
    print(f"similarities of 50,000 candidates: {(time.perf_counter() - t) * 1000:.1f} ms")
    _float32_exact(index, queries[:20])


def _float32_exact(index: ann.AnnIndex, queries: np.ndarray) -> None:
    """Today's in-memory index for comparison: the float32 matrix (2 GB at 1M) and its product."""
    from app.search.vectors import VectorIndex

    matrix = np.empty(index.codes.shape, dtype=np.float32)
    for at in range(0, index.size, ann.CHUNK):
        matrix[at:at + ann.CHUNK] = index._codes(np.arange(at, min(at + ann.CHUNK, index.size))).astype(np.float32) * index.inverse[at:at + ann.CHUNK, None]
    vi = VectorIndex("x", "x", np.asarray(index.ids), matrix)
    times = []
    for q in queries:
        t = time.perf_counter()
        vi.nearest(q, 100)
        times.append((time.perf_counter() - t) * 1000)
    print(f"float32 in-memory VectorIndex ({matrix.nbytes / 2**20:.0f} MiB a process), unfiltered:"
          f" p50 {_pct(times, 50):.1f} ms p95 {_pct(times, 95):.1f} ms")


def _pct(values: list[float], p: int) -> float:
    return float(np.percentile(values, p))


def _memory(pid: int) -> tuple[int, int]:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    fields = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.split()[1:2] and line.split()[1].isdigit()}
    return fields["Rss"], fields["Pss"]


def memory(out: str, count: int) -> None:
    """Two processes open the index and each runs ``count`` queries (unfiltered, then 10 %
    filtered); their RSS and PSS after, in MiB."""
    code = ("import sys, numpy as np; sys.path.insert(0, '.'); from app.search import ann; from bench.meaning_ann import _queries;"
            f"i = ann.load('{out}/vectors'); a = np.random.default_rng(5).random(i.size) < 0.1;"
            f"[i.nearest(q, 100, None) for q in _queries({count})]; [i.nearest(q, 100, a) for q in _queries({count})];"
            "print('ready', flush=True); sys.stdin.read()")
    procs = [subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[1]) for _ in range(2)]
    for p in procs:
        p.stdout.readline()
    for n, p in enumerate(procs):
        rss, pss = _memory(p.pid)
        print(f"process {n + 1}: RSS {rss / 1024:.0f} MiB, PSS {pss / 1024:.0f} MiB after {2 * count} queries")
    for p in procs:
        p.stdin.close()
        p.wait()


def vectors(db: str) -> None:
    """Give every article of a bench archive (a copy or one built here: it is written to) a
    clustered synthetic vector under the real model's name (the server embeds the queries with
    it; the page's time and memory do not depend on what the vectors mean), then build the
    approximate index beside it."""
    from app.config import Settings
    from app.embeddings import registry
    from app.storage import sqlite_vectors
    from app.storage.sqlite import connect
    from app.store import open_store

    conn = connect(db, read_only=False)
    ids = [r[0] for r in conn.execute("SELECT id FROM article ORDER BY id")]
    embedder, problem = registry.load("use-m3")
    if embedder is None:
        raise SystemExit(problem)
    rng, centres, model = np.random.default_rng(2), _centres(), embedder.name
    t0 = time.perf_counter()
    for at in range(0, len(ids), BATCH):
        part = ids[at:at + BATCH]
        sqlite_vectors.write(conn, model, part, _draw(rng, centres, len(part)))
    t1 = time.perf_counter()
    store = open_store(Settings(database_url=f"sqlite:///{db}", vector_ann_min=0))
    built = store.build_vector_index()
    print(f"{len(ids):,} synthetic vectors written in {t1 - t0:.0f} s; approximate index of {built:,} built in"
          f" {time.perf_counter() - t1:.0f} s (load {os.getloadavg()[0]:.1f})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("step", choices=("build", "measure", "memory", "vectors"))
    ap.add_argument("--db", help="vectors: the bench archive to give synthetic vectors (written to)")
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--out", default="bench/out/ann-1m")
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--ef", type=int, nargs="+", default=[ann.EXPANSION_SEARCH], help="graph search lists to try")
    args = ap.parse_args()
    if args.step == "build":
        build(args.n, args.out)
    elif args.step == "measure":
        measure(args.out, args.queries, args.ef)
    elif args.step == "vectors":
        vectors(args.db)
    else:
        memory(args.out, args.queries)


if __name__ == "__main__":
    main()
