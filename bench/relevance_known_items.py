"""Known-item search: can a user who half-remembers an article find it on the first page?

bench/relevance/known_items.jsonl holds 60 queries written the way users type them (30 English
over BBC News, 30 French over the OrangeSum sample: names, phrases in quotes, accent-free
French, inflections that differ from the text), each with its one target article. This
builds an archive of both corpora with the real importer (bench/out/known-items.db), maps
each target to its article by the origin the readers record (``bbc-fulltext.tar.gz!bbc/...``
and ``orangesum_fr_3012.jsonl.gz:LINE``; a byte-identical BBC duplicate maps to the article
kept for its group), runs every query through ``store.search`` (the web's search) and prints
success@10 and MRR (over the top 100), then the same for the variants of
bench/relevance_lib.py, and lists the failures of the web search.

    .venv/bin/python bench/relevance_known_items.py
"""
from __future__ import annotations

import argparse
import gzip
import json
import statistics
from pathlib import Path

import relevance_lib as rl

HERE = Path(__file__).resolve().parent
BBC = Path("/work/shared/corpora/bbc-news/bbc-fulltext.tar.gz")
ORANGESUM = Path("/work/shared/corpora/orangesum-fr/orangesum_fr_3012.jsonl.gz")
TARGETS = {"success@10": 0.95, "MRR": 0.85}


def target_origins(orangesum: Path) -> dict[tuple[str, str], str]:
    """(corpus, target) -> the origin the importer records for it."""
    out = {}
    with gzip.open(orangesum, "rt", encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            out[("orangesum", json.loads(line)["id"])] = f"{orangesum}:{number}"
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=Path, default=HERE / "relevance" / "known_items.jsonl")
    ap.add_argument("--db", type=Path, default=rl.OUT / "known-items.db")
    args = ap.parse_args()
    items = [json.loads(line) for line in args.items.read_text(encoding="utf-8").splitlines() if line.strip()]
    store, ids = rl.build_archive(args.db, [str(BBC), str(ORANGESUM)])
    origins = target_origins(ORANGESUM)
    for item in items:
        key = (item["corpus"], item["target"])
        origin = f"{BBC}!{item['target']}" if item["corpus"] == "bbc" else origins[key]
        item["article"] = ids[origin]
    for variant in rl.VARIANTS:
        ranks = []
        for item in items:
            ranking = rl.run_variant(store, variant, item["query"], 100)
            item[variant] = ranking.index(item["article"]) + 1 if item["article"] in ranking else None
            ranks.append(item[variant])
        success = statistics.fmean(r is not None and r <= 10 for r in ranks)
        mrr = statistics.fmean(1 / r if r else 0.0 for r in ranks)
        met = "met" if success >= TARGETS["success@10"] and mrr >= TARGETS["MRR"] else "NOT met"
        print(f"{variant:<12} success@10 {success:.3f}   MRR {mrr:.3f}   (targets >= 0.95 / 0.85: {met})")
        by_corpus = {c: [i[variant] for i in items if i["corpus"] == c] for c in ("bbc", "orangesum")}
        print("             " + "   ".join(
            f"{c}: success@10 {statistics.fmean(r is not None and r <= 10 for r in rs):.3f}"
            f" MRR {statistics.fmean(1 / r if r else 0.0 for r in rs):.3f}" for c, rs in by_corpus.items()))
    print("\nweb failures and ranks > 1 (rank under each variant; - = not in the top 100):")
    for item in items:
        if item["web"] != 1:
            ranks = "  ".join(f"{v} {item[v] or '-'}" for v in rl.VARIANTS)
            total = store.search(rl.SearchParams(q=item["query"], page_size=1)).total
            print(f"  [{item['kind']}] {item['query']!r} -> {item['corpus']} {item['target']}:"
                  f" {ranks}  ({total} web matches)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
