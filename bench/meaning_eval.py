"""Search by meaning, measured: success@10 and MRR of keyword, meaning and hybrid search (each
fusion design of app/search/fusion.py) on bench/relevance/meaning_queries.jsonl, overall and per
group (kind x query language), on the tuning and held-out parts separately.

    .venv/bin/python bench/meaning_eval.py            # builds bench/out/meaning-eval.db once, then reuses it
    .venv/bin/python bench/meaning_eval.py --grid     # blend's weights on the tuning part only
    .venv/bin/python bench/meaning_eval.py --rebuild  # a fresh archive

The archive is built with the real importer from BBC, OrangeSum (3,012 sample) and the seeds, and
embedded by the real embed stage with the settings' model (NEWSARCHIVE_EMBEDDER, default use-m3).
Keyword figures are the web's own results (mode=keyword); meaning and hybrid go through the same
candidate gathering as the web (app/search/hybrid.gather) and each design's order.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.config import Settings  # noqa: E402
from app.embeddings import registry  # noqa: E402
from app.embeddings.stage import embed_archive  # noqa: E402
from app.embeddings.text import query_text  # noqa: E402
from app.ingest.load import import_paths  # noqa: E402
from app.search import fusion, hybrid  # noqa: E402
from app.search.engine import merge_filters  # noqa: E402
from app.search.params import SearchParams  # noqa: E402
from app.search.query import parse  # noqa: E402
from app.store import open_store  # noqa: E402
from bench.meaning_corpus import PATHS, load_queries  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
DB = OUT / "meaning-eval.db"
DEPTH = 100  # MRR counts a hit down to this rank


def archive(rebuild: bool, workers: int):
    settings = Settings(database_url=f"sqlite:///{DB}")
    fresh = rebuild or not DB.exists()
    if fresh:
        OUT.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    store = open_store(settings)
    if fresh:
        t0 = time.perf_counter()
        report = import_paths(store, PATHS, workers=workers)
        print(f"import: {report.added} added, {report.duplicates} duplicates in {time.perf_counter() - t0:.1f} s")
    embedder, problem = registry.load(settings.embedder)
    if embedder is None:
        raise SystemExit(f"meaning_eval: {problem}")
    r = embed_archive(store.path, embedder, workers=workers)
    if r.added:
        print(f"embed: {r.added} articles with {r.model} in {r.seconds:.1f} s ({r.rate:.1f} articles/s, {workers} workers)")
    return store


def targets(store, queries: list[dict]) -> dict[str, int]:
    rows = store.conn().execute("SELECT id, title, origin FROM article").fetchall()
    # The import's report rows also map a byte-identical duplicate to the article kept for it.
    lines = store.conn().execute("SELECT article_id, origin FROM import_file WHERE article_id IS NOT NULL").fetchall()
    by_member = {o.rsplit("!", 1)[-1]: i for i, o in lines + [(i, o) for i, _, o in rows] if "!" in o}
    by_file = {Path(o).name: i for i, o in lines + [(i, o) for i, _, o in rows]}
    by_title = defaultdict(list)
    for i, t, o in rows:
        if "orangesum" in o:
            by_title[t.strip()].append(i)
    out = {}
    for q in queries:
        if q["corpus"] == "bbc":
            found = by_member.get(q["record"])
        elif q["corpus"] == "seeds":
            found = by_file.get(q["record"])
        else:
            ids = by_title.get(q["title"].strip(), [])
            found = ids[0] if len(ids) == 1 else None
        if found is None:
            raise SystemExit(f"meaning_eval: {q['id']}: no single article for {q['corpus']} {q['record']} {q['title']!r}")
        out[q["id"]] = found
    return out


def rankings(store, q: str, designs: dict) -> dict[str, list[int]]:
    """{method: ranked ids} for one query."""
    out = {"keyword": [h.id for h in store.search(SearchParams(q=q, mode="keyword", page_size=DEPTH)).hits],
           "hybrid-web": [h.id for h in store.search(SearchParams(q=q, mode="hybrid", page_size=DEPTH)).hits]}
    state, embedder, vindex = hybrid.meaning_state(store)
    parsed = parse(q)
    p = merge_filters(SearchParams(q=q), parsed)
    c = hybrid.gather(store, store.doc_index(), p, parsed, vindex, embedder.embed_query(query_text(q)),
                         embedder.close_floor)
    out["meaning"] = c.close_ids[:DEPTH].tolist()
    for name, fn in designs.items():
        out[name] = fn(c)[:DEPTH].tolist()
    return out


def rank_of(ranking: list[int], target: int) -> int | None:
    return ranking.index(target) + 1 if target in ranking else None


def table(queries, ranks: dict[str, dict[str, int | None]], methods: list[str], split: str) -> None:
    chosen = [q for q in queries if split == "all" or q["split"] == split]
    groups = [("overall", chosen)] + [
        (f"{k} {lang}", [q for q in chosen if q["kind"] == k and q["query_lang"] == lang])
        for k in ("paraphrase", "cross") for lang in ("en", "fr")]
    print(f"\n{split} ({len(chosen)} queries): success@10 / MRR")
    print(f"  {'method':<12}" + "".join(f"{name + f' ({len(g)})':>20}" for name, g in groups))
    for m in methods:
        cells = []
        for _, g in groups:
            rs = [ranks[q["id"]][m] for q in g]
            s10 = statistics.fmean(r is not None and r <= 10 for r in rs) if rs else 0.0
            mrr = statistics.fmean(1 / r if r else 0.0 for r in rs) if rs else 0.0
            cells.append(f"{s10:.3f} / {mrr:.3f}")
        print(f"  {m:<12}" + "".join(f"{c:>20}" for c in cells))


def measure(store, queries, target, designs) -> dict[str, dict[str, int | None]]:
    ranks = {}
    for q in queries:
        rs = rankings(store, q["query"], designs)
        ranks[q["id"]] = {m: rank_of(r, target[q["id"]]) for m, r in rs.items()}
    return ranks


def known_items(store) -> None:
    """The known-item set of bench/relevance_known_items.py (60 queries, BBC + OrangeSum) on this
    embedded archive: hybrid must keep keyword search's success@10 (>= 0.98)."""
    import json

    from bench.meaning_corpus import article

    path = Path(__file__).resolve().parent / "relevance" / "known_items.jsonl"
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    queries = [{"id": f"k{n}", "kind": "known", "query_lang": "en" if i["corpus"] == "bbc" else "fr",
                "corpus": i["corpus"], "record": i["target"], "title": article(i["corpus"], i["target"])[0],
                "query": i["query"], "split": "all"} for n, i in enumerate(items)]
    target = targets(store, queries)
    ranks = measure(store, queries, target, {fusion.DEFAULT: fusion.DESIGNS[fusion.DEFAULT]})
    for m in ("keyword", "hybrid-web", fusion.DEFAULT):
        rs = [ranks[q["id"]][m] for q in queries]
        print(f"known items ({len(rs)}), {m:<10}: success@10 {statistics.fmean(r is not None and r <= 10 for r in rs):.3f}"
              f"  MRR {statistics.fmean(1 / r if r else 0.0 for r in rs):.3f}")
    for q in queries:
        if (ranks[q["id"]]["hybrid-web"] or 999) > 10:
            print(f"  miss: {q['query']!r} -> rank {ranks[q['id']]['hybrid-web']} (keyword {ranks[q['id']]['keyword']})")


def grid_designs() -> dict:
    designs = {f"blend k={kw}": (lambda c, kw=kw: fusion.blend(c, kw)) for kw in (0.05, 0.1, 0.2, 0.3)}
    designs |= {f"covered k={kw} p={pw}": (lambda c, kw=kw, pw=pw: fusion.covered(c, kw, pw))
                for kw in (0.2, 0.3) for pw in (2, 3)}
    designs |= {f"confident k={kw} p={pw}": (lambda c, kw=kw, pw=pw: fusion.confident(c, kw, pw))
                for kw in (0.3, 0.6, 1.0, 2.0) for pw in (1, 2, 4)}
    designs |= {f"confident k={kw} p={pw}": (lambda c, kw=kw, pw=pw: fusion.confident(c, kw, pw))
                for kw in (3.0, 5.0) for pw in (4, 6, 8)}
    return designs


def grid(store, queries, target) -> None:
    tuning = [q for q in queries if q["split"] == "tuning"]
    designs = grid_designs()
    ranks = measure(store, tuning, target, designs)
    table(tuning, ranks, list(designs), "tuning")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rebuild", action="store_true", help="build the archive again")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--grid", action="store_true", help="blend weights on the tuning part")
    ap.add_argument("--known-items", action="store_true", help="the known-item set, keyword vs hybrid")
    args = ap.parse_args()
    store = archive(args.rebuild, args.workers)
    queries = load_queries()
    target = targets(store, queries)
    if args.grid:
        return grid(store, queries, target)
    if args.known_items:
        return known_items(store)
    t0 = time.perf_counter()
    ranks = measure(store, queries, target, fusion.DESIGNS)
    print(f"{len(queries)} queries in {time.perf_counter() - t0:.1f} s; hybrid (the web's default) = {fusion.DEFAULT}")
    methods = ["keyword", "meaning", *fusion.DESIGNS, "hybrid-web"]
    for split in ("tuning", "held-out", "all"):
        table(queries, ranks, methods, split)


if __name__ == "__main__":
    main()
