"""Search by meaning at scale, on a COPY of a bench archive (it writes vectors into it):

1. embed throughput of the real model on a sample of the archive's own articles (articles/s, as
   the embed stage feeds it: title + lead, batches of 128; ``--workers``);
2. with every other article given a synthetic unit vector (random: the time and memory of a vector
   search do not depend on what the vectors mean), the time to load the vectors, their memory, and
   the exact search time, unfiltered and with a language filter.

Then bench/search_latency.py --mode hybrid on the same copy measures the page.

    cp bench/out/bench-100000.db /tmp/bench-100k.db
    nice -n 10 .venv/bin/python bench/meaning_scale.py --db /tmp/bench-100k.db --sample 256
    ... --pool bench/out/meaning-eval.db   # synthetic vectors drawn around that archive's real ones

Random unit vectors are nearly orthogonal to every query, so no article reaches the model's
floor and no hit comes by meaning alone; with ``--pool`` each synthetic vector is a real vector of
the same model from another archive (the query set's) plus a little noise, so similarities, the
close set and the meaning hits' snippets cost what they cost on real vectors.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import Settings  # noqa: E402
from app.embeddings import registry  # noqa: E402
from app.embeddings.stage import embed_archive  # noqa: E402
from app.storage.sqlite import connect  # noqa: E402
from app.store import open_store  # noqa: E402


class SampleOnly:
    """The real model for the first ``n`` articles, then random vectors (throughput is measured on
    the first part only)."""

    def __init__(self, real, n: int, pool: np.ndarray | None = None):
        self.real, self.left, self.name, self.dimensions = real, n, real.name, real.dimensions
        self.rng = np.random.default_rng(10)
        self.pool = pool
        self.real_seconds = 0.0
        self.real_count = 0

    def embed_documents(self, texts):
        if self.left > 0:
            t0 = time.perf_counter()
            out = self.real.embed_documents(texts)
            self.real_seconds += time.perf_counter() - t0
            self.real_count += len(texts)
            self.left -= len(texts)
            return out
        v = self.rng.normal(size=(len(texts), self.dimensions)).astype(np.float32)
        if self.pool is not None:  # a real vector, moved by noise of ~0.1 of its length
            v = self.pool[self.rng.integers(0, len(self.pool), len(texts))] + 0.1 * v / np.sqrt(self.dimensions)
        return v / np.linalg.norm(v, axis=1, keepdims=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", required=True, help="a copy of a bench archive (it is written to)")
    ap.add_argument("--sample", type=int, default=256, help="articles embedded by the real model")
    ap.add_argument("--pool", help="an archive embedded by the same model: synthetic vectors near its vectors")
    args = ap.parse_args()
    settings = Settings(database_url=f"sqlite:///{args.db}")
    store = open_store(settings)
    real, problem = registry.load(settings.embedder)
    if real is None:
        raise SystemExit(problem)
    pool = None
    if args.pool:
        pool = open_store(Settings(database_url=f"sqlite:///{args.pool}"), read_only=True).vector_index(real.name)
        if pool is None:
            raise SystemExit(f"{args.pool} has no vectors of {real.name}")
        pool = pool.matrix
    model = SampleOnly(real, args.sample, pool)
    r = embed_archive(store.path, model, workers=1)
    print(f"embed: {model.real_count} real articles at {model.real_count / model.real_seconds:.1f} articles/s"
          f" (1 process); {r.added:,} vectors written in {r.seconds:.0f} s")
    reader = open_store(settings, read_only=True)
    t0 = time.perf_counter()
    index = reader.vector_index(real.name)
    print(f"load: {index.size:,} vectors in {time.perf_counter() - t0:.2f} s, matrix {index.matrix.nbytes / 2**20:.0f} MiB")
    idx = reader.doc_index()
    q = real.embed_query("central bank makes borrowing dearer again")
    fr = idx.filter_mask(langs=("fr",))
    for name, mask in (("all", None), ("lang=fr", fr)):
        allowed = index.allowed(idx.pos, mask)
        times = []
        for _ in range(20):
            t = time.perf_counter()
            index.nearest(q, 100, index.allowed(idx.pos, mask))
            times.append((time.perf_counter() - t) * 1000)
        n = index.size if allowed is None else int(allowed.sum())
        print(f"nearest 100 of {n:,} ({name}): median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")
    conn = connect(store.path, read_only=True)
    print("vectors on disk:", conn.execute("SELECT sum(length(vector)) + 4 * count(*) FROM article_vector").fetchone()[0] // 2**20, "MiB")


if __name__ == "__main__":
    main()
