"""Shared by the bench/relevance_*.py scripts: build an archive with the real importer, run a
query as the web does or as a measured variant, and score the rankings.

Variants (``run_variant``), all over the same archive, index and query stems:

- ``web``: ``store.search(SearchParams(q=..., page_size=k))``, the function behind the page
  and the API: every word must match (AND), bm25 title 4, lead 2, body 1.
- ``or``: the same parsed query with its top-level words joined by OR instead of AND
  (``compile_query(Or(children))``), ranked by bm25 with the given column weights.
- ``and-else-or``: the web result when it has any hit, else ``or``.
- ``and-then-or``: the web hits first, then the ``or`` hits not already listed (all words
  first, then the best partial matches), cut at k.

Metrics follow trec_eval / pytrec_eval with binary relevance, as BEIR reports them.
"""
from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from app.config import Settings
from app.ingest.load import import_paths
from app.search.fts5 import compile_query
from app.search.params import SearchParams
from app.search.query import And, Or, parse
from app.store import open_store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
APP_WEIGHTS = (4.0, 2.0, 1.0)  # app/storage/sqlite.py: ranked_ids, bm25(article_fts, 4.0, 2.0, 1.0)
VARIANTS = ("web", "or", "and-else-or", "and-then-or")


def build_archive(db: Path, paths: list[str], *, fmt: str | None = None,
                  mapping: dict[str, str] | None = None, workers: int = 2):
    """A fresh archive of ``paths`` and {origin: article id} (duplicates map to the kept article)."""
    db.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    t0 = time.perf_counter()
    report = import_paths(store, paths, fmt=fmt, mapping=mapping, workers=workers)
    ids = {line.origin: line.article_id for line in report.lines if line.article_id}
    print(f"archive {db.relative_to(ROOT) if db.is_relative_to(ROOT) else db}: {report.added} added, "
          f"{report.duplicates} duplicates, {report.rejected} rejected in {time.perf_counter() - t0:.1f} s")
    return store, ids


def embed_for_bench(store, workers: int = 1) -> None:
    """Embed what the bench archive lacks with the configured model (exits when it is missing)."""
    from app.embeddings import registry
    from app.embeddings.stage import embed_archive

    embedder, problem = registry.load(Settings().embedder)
    if embedder is None:
        raise SystemExit(problem)
    r = embed_archive(store.path, embedder, workers=workers)
    if r.added:
        print(f"embed: {r.added} articles in {r.seconds:.0f} s ({r.rate:.1f}/s, {workers} workers)")


def or_match(q: str) -> str | None:
    """The query's top-level parts OR-ed (exclusions dropped), compiled like the web's query."""
    tree = parse(q).tree
    if tree is None:
        return None
    children = tree.children if isinstance(tree, And) else (tree,)
    return compile_query(Or(children=tuple(children))).match


def ranked(store, match: str | None, k: int, weights: tuple[float, float, float]) -> list[int]:
    if not match:
        return []
    rank = "bm25(article_fts, {:g}, {:g}, {:g})".format(*weights)
    rows = store.conn().execute(f"SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY {rank}, rowid"
                                " LIMIT ?", (match, k))
    return [r[0] for r in rows]


def web_ids(store, q: str, k: int) -> list[int]:
    return [h.id for h in store.search(SearchParams(q=q, page_size=k)).hits]


def and_ids(store, q: str, k: int, weights: tuple[float, float, float]) -> list[int]:
    """The web's AND query ranked with other weights (equal to ``web_ids`` at APP_WEIGHTS)."""
    if weights == APP_WEIGHTS:
        return web_ids(store, q, k)
    return ranked(store, compile_query(parse(q).tree).match, k, weights)


def run_variant(store, variant: str, q: str, k: int, weights=APP_WEIGHTS) -> list[int]:
    if variant == "web":
        return and_ids(store, q, k, weights)
    if variant == "or":
        return ranked(store, or_match(q), k, weights)
    first = and_ids(store, q, k, weights)
    if variant == "and-else-or":
        return first or ranked(store, or_match(q), k, weights)
    if variant == "and-then-or":
        seen = set(first)
        rest = [i for i in ranked(store, or_match(q), k, weights) if i not in seen]
        return (first + rest)[:k]
    raise ValueError(f"unknown variant {variant!r}")


# -- metrics (binary relevance) -------------------------------------------------
def ndcg(ranking: list[int], relevant: set[int], k: int = 10) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, d in enumerate(ranking[:k]) if d in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(k, len(relevant))))
    return dcg / ideal if ideal else 0.0


def recall(ranking: list[int], relevant: set[int], k: int = 100) -> float:
    return len(set(ranking[:k]) & relevant) / len(relevant) if relevant else 0.0


def average_precision(ranking: list[int], relevant: set[int]) -> float:
    hits, total = 0, 0.0
    for i, d in enumerate(ranking):
        if d in relevant:
            hits += 1
            total += hits / (i + 1)
    return total / len(relevant) if relevant else 0.0


def reciprocal_rank(ranking: list[int], relevant: set[int]) -> float:
    return next((1 / (i + 1) for i, d in enumerate(ranking) if d in relevant), 0.0)


def evaluate(store, queries: dict[str, str], qrels: dict[str, set[int]], k: int,
             metrics: dict[str, Callable[[list[int], set[int]], float]],
             variants: Iterable[str] = VARIANTS, weights=APP_WEIGHTS) -> dict[str, dict[str, float]]:
    """{variant: {metric: mean over the judged queries, "empty": share of queries with no hit}}."""
    out = {}
    for variant in variants:
        scores: dict[str, list[float]] = {m: [] for m in metrics}
        empty = 0
        for qid, relevant in qrels.items():
            ranking = run_variant(store, variant, queries[qid], k, weights)
            empty += not ranking
            for name, fn in metrics.items():
                scores[name].append(fn(ranking, relevant))
        out[variant] = {m: statistics.fmean(v) for m, v in scores.items()}
        out[variant]["no hit"] = empty / len(qrels)
    return out


def print_table(title: str, results: dict[str, dict[str, float]]) -> None:
    metrics = list(next(iter(results.values())))
    print(f"\n{title}")
    print(f"  {'variant':<14}" + "".join(f"{m:>11}" for m in metrics))
    for variant, row in results.items():
        print(f"  {variant:<14}" + "".join(f"{row[m]:>11.4f}" for m in metrics))
