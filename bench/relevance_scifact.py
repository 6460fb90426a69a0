"""Relevance on BEIR SciFact: nDCG@10 and Recall@100 over the 300 test claims.

Imports /work/shared/corpora/scifact/corpus.jsonl.gz with the real importer into a fresh
archive (bench/out/scifact.db), maps each corpus line's ``_id`` to its article through the
origin the JSONL reader records (``corpus.jsonl.gz:LINE``), runs every test claim through
``store.search`` (the web's search) with page_size 100, and the variants of
bench/relevance_lib.py. Published BM25 baseline: nDCG@10 = 0.665, Recall@100 = 0.908
(BEIR, Thakur et al. 2021).

    .venv/bin/python bench/relevance_scifact.py
    .venv/bin/python bench/relevance_scifact.py --weights 1,1,1 --weights 4,2,1
"""
from __future__ import annotations

import argparse
import csv
import gzip
import json
import time
from pathlib import Path

import relevance_lib as rl

CORPUS = Path("/work/shared/corpora/scifact")
TARGET_NDCG = 0.665


def load(corpus: Path, ids: dict[str, int], split: str = "test") -> tuple[dict[str, str], dict[str, set[int]]]:
    """(claims, judgments) of the ``split`` (BEIR's test: 300 claims; train: 809, for tuning)."""
    origin = str(corpus / "corpus.jsonl.gz")
    doc_article = {}
    with gzip.open(corpus / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            doc_article[json.loads(line)["_id"]] = ids[f"{origin}:{number}"]
    queries = {}
    with open(corpus / "queries.jsonl", encoding="utf-8") as f:
        for line in f:
            q = json.loads(line)
            queries[q["_id"]] = q["text"]
    qrels: dict[str, set[int]] = {}
    with open(corpus / "qrels" / f"{split}.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if int(row["score"]) > 0:
                qrels.setdefault(row["query-id"], set()).add(doc_article[row["corpus-id"]])
    return queries, qrels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--db", type=Path, default=rl.OUT / "scifact.db")
    ap.add_argument("--weights", action="append", default=[],
                    help="extra bm25 column weights title,lead,body to measure (repeatable)")
    args = ap.parse_args()
    store, ids = rl.build_archive(args.db, [str(args.corpus / "corpus.jsonl.gz")])
    queries, qrels = load(args.corpus, ids)
    metrics = {"nDCG@10": rl.ndcg, "R@100": rl.recall}
    t0 = time.perf_counter()
    results = rl.evaluate(store, queries, qrels, 100, metrics)
    rl.print_table(f"SciFact test, {len(qrels)} queries, bm25 weights 4,2,1 (the app's)", results)
    extra = [tuple(float(x) for x in w.split(",")) for w in args.weights] or [(1.0, 1.0, 1.0), (2.0, 1.0, 1.0)]
    for weights in extra:
        res = rl.evaluate(store, queries, qrels, 100, metrics, ("or", "and-then-or"), weights)
        rl.print_table("bm25 weights {:g},{:g},{:g}".format(*weights), res)
    web = results["web"]["nDCG@10"]
    print(f"\ntarget nDCG@10 >= {TARGET_NDCG}: web {web:.4f} {'met' if web >= TARGET_NDCG else 'NOT met'};"
          f" best partial-match fallback {results['and-then-or']['nDCG@10']:.4f}"
          f" ({time.perf_counter() - t0:.1f} s of queries)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
