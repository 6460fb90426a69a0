"""SciFact nDCG@10 and Recall@100 in hybrid and meaning mode beside keyword mode (issue 11: hybrid
must reach 0.70; keyword is 0.679). The archive is built by the real importer and embedded by the
real embed stage (bench/out/scifact-meaning.db, reused when present).

    nice -n 10 .venv/bin/python bench/meaning_scifact.py [--limit N]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import relevance_lib as rl  # noqa: E402
from relevance_scifact import CORPUS, load  # noqa: E402

from app.config import Settings  # noqa: E402
from app.search.params import SearchParams  # noqa: E402


def designs(store, queries, judged) -> None:
    """nDCG@10 of every fusion design and of the grid bench/meaning_eval.py --grid tunes."""
    from app.embeddings.text import query_text
    from app.search import fusion, hybrid
    from app.search.engine import merge_filters
    from app.search.query import parse
    from meaning_eval import grid_designs

    _, embedder, vindex = hybrid.meaning_state(store)
    candidates = []
    for qid, relevant in judged:
        parsed = parse(queries[qid])
        if hybrid.uses_operators(queries[qid], parsed.tree):
            candidates.append((None, relevant, qid))
            continue
        p = merge_filters(SearchParams(q=queries[qid]), parsed)
        candidates.append((hybrid.gather(store, store.doc_index(), p, parsed, vindex,
                                         embedder.embed_query(query_text(queries[qid])), embedder.close_floor),
                           relevant, qid))
    for name, fn in {**fusion.DESIGNS, **grid_designs()}.items():
        nd = []
        for c, relevant, qid in candidates:
            ranking = ([h.id for h in store.search(SearchParams(q=queries[qid], mode="keyword", page_size=100)).hits]
                       if c is None else fn(c)[:100].tolist())
            nd.append(rl.ndcg(ranking, relevant))
        print(f"SciFact {len(judged)} claims, {name:<22} nDCG@10 {statistics.fmean(nd):.4f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=rl.OUT / "scifact-meaning.db")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0, help="only the first N test claims")
    ap.add_argument("--designs", action="store_true", help="each fusion design (and the tuning grid) beside the web's")
    args = ap.parse_args()
    store, ids = rl.build_archive(args.db, [str(CORPUS / "corpus.jsonl.gz")]) if not args.db.exists() else (None, None)
    if store is None:
        from app.store import open_store

        store = open_store(Settings(database_url=f"sqlite:///{args.db}"))
        ids = {o: i for o, i in store.conn().execute("SELECT origin, id FROM article")}
    rl.embed_for_bench(store, args.workers)
    queries, qrels = load(CORPUS, ids)
    judged = list(qrels.items())[: args.limit or None]
    t0 = time.perf_counter()
    if args.designs:
        return designs(store, queries, judged)
    for mode in ("keyword", "hybrid", "meaning"):
        nd, rc = [], []
        for qid, relevant in judged:
            ranking = [h.id for h in store.search(SearchParams(q=queries[qid], mode=mode, page_size=100)).hits]
            nd.append(rl.ndcg(ranking, relevant))
            rc.append(rl.recall(ranking, relevant))
        print(f"SciFact {len(judged)} claims, {mode:<8} nDCG@10 {statistics.fmean(nd):.4f}  R@100 {statistics.fmean(rc):.4f}")
    print(f"({time.perf_counter() - t0:.0f} s)")


if __name__ == "__main__":
    main()
