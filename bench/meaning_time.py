"""TIME (1963, 423 articles, 79 judged queries) MAP and nDCG@10 in keyword, hybrid and meaning mode
(issue 11: hybrid must not be below keyword). The archive is built by the real importer from the
JSONL bench/relevance_time.py writes, and embedded by the real embed stage (bench/out/time-meaning.db,
reused when present). Every mode goes through ``store.search``, the web's function, paged to the end
(at most 1,000 hits, as trec_eval's MAP); queries as written (TIME.QUE, all capitals).

    nice -n 10 .venv/bin/python bench/meaning_time.py      # each design: bench/meaning_lab.py
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import relevance_lib as rl  # noqa: E402
from relevance_time import CORPUS, read_numbered, read_qrels, write_jsonl  # noqa: E402

from app.config import Settings  # noqa: E402
from app.search.params import MAX_PAGE_SIZE, SearchParams  # noqa: E402

DEPTH = 1000


def archive(db: Path):
    """(store, {judged position: article id}, queries, qrels)."""
    jsonl = rl.OUT / "time" / "TIME.jsonl"
    n = write_jsonl(CORPUS, jsonl)
    if db.exists():
        from app.store import open_store

        store = open_store(Settings(database_url=f"sqlite:///{db}"))
        ids = {o: i for o, i in store.conn().execute("SELECT origin, id FROM article")}
    else:
        store, ids = rl.build_archive(db, [str(jsonl)], workers=1)
    position_article = {p: ids[f"{jsonl}:{p}"] for p in range(1, n + 1)}
    queries = read_numbered(CORPUS / "TIME.QUE", "*FIND")
    return store, queries, read_qrels(CORPUS / "TIME.REL", position_article, True)


def ranking(store, q: str, mode: str) -> list[int]:
    out: list[int] = []
    for page in range(1, DEPTH // MAX_PAGE_SIZE + 1):
        hits = store.search(SearchParams(q=q, mode=mode, page_size=MAX_PAGE_SIZE, page=page)).hits
        out += [h.id for h in hits]
        if len(hits) < MAX_PAGE_SIZE:
            break
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, default=rl.OUT / "time-meaning.db")
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    store, queries, qrels = archive(args.db)
    rl.embed_for_bench(store, args.workers)
    for mode in ("keyword", "hybrid", "meaning"):
        ap_, nd = [], []
        for qid, relevant in qrels.items():
            ranked = ranking(store, queries[qid], mode)
            ap_.append(rl.average_precision(ranked, relevant))
            nd.append(rl.ndcg(ranked, relevant))
        print(f"TIME {len(qrels)} queries, {mode:<8} MAP {statistics.fmean(ap_):.4f}  nDCG@10 {statistics.fmean(nd):.4f}")


if __name__ == "__main__":
    main()
