"""Which text of an article to embed, measured: vectors of the title alone, of the title and the
first N characters, and the best of two vectors per article (title; title + lead), each put in
place of the archive's vectors for bench/meaning_eval.py's queries (meaning and blend, tuning and
held-out). Vectors are computed once into bench/out/meaning-docs-<variant>.npy.

    nice -n 10 .venv/bin/python bench/meaning_docs.py --embed title
    nice -n 10 .venv/bin/python bench/meaning_docs.py --embed 300
    nice -n 10 .venv/bin/python bench/meaning_docs.py
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.embeddings import registry  # noqa: E402
from app.search import fusion  # noqa: E402
from app.search.vectors import VectorIndex  # noqa: E402
from bench import meaning_eval as me  # noqa: E402
from bench.meaning_corpus import load_queries  # noqa: E402


def texts(store, variant: str) -> tuple[np.ndarray, list[str]]:
    rows = store.conn().execute("SELECT id, title, substr(unz(body), 1, 1000) FROM article ORDER BY id").fetchall()
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    if variant == "title":
        return ids, [r[1] or r[2][:200] for r in rows]
    n = int(variant)
    return ids, [f"{r[1]}\n{r[2]}"[:n] for r in rows]


class MaxOf(VectorIndex):
    """Two vectors per article: the similarity of an article is the better of its two."""

    def __init__(self, base: VectorIndex, other: np.ndarray):
        super().__init__(base.key, base.model, base.ids, base.matrix)
        self.other = other

    def scores(self, query, allowed=None):
        ids, a = super().scores(query, allowed)
        b = self.other @ query if allowed is None else self.other[np.flatnonzero(allowed)] @ query
        return ids, np.maximum(a, b)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embed", help="title, or a number of characters")
    args = ap.parse_args()
    store = me.archive(False, 1)
    embedder, _ = registry.load("use-m3")
    if args.embed:
        ids, ts = texts(store, args.embed)
        np.save(me.OUT / f"meaning-docs-{args.embed}.npy", embedder.embed_documents(ts))
        return
    queries = load_queries()
    target = me.targets(store, queries)
    base = store.vector_index(embedder.name)
    variants = {"title+1000 (stored)": base}
    for name in ("title", "300", "500"):
        path = me.OUT / f"meaning-docs-{name}.npy"
        if path.exists():
            m = np.load(path)
            variants[f"title+{name}" if name != "title" else "title"] = VectorIndex("x" + name, base.model, base.ids, m)
            variants[f"max(title+1000, {name})"] = MaxOf(base, m)
    designs = {"blend": fusion.blend, "tiers": fusion.tiers}
    for name, index in variants.items():
        store._vectors = index
        store.vector_index = lambda model, index=index: index
        ranks = me.measure(store, queries, target, designs)
        print(f"\n=== documents embedded as: {name}")
        for split in ("tuning", "held-out"):
            me.table(queries, ranks, ["keyword", "meaning", "blend", "tiers"], split)


if __name__ == "__main__":
    main()
