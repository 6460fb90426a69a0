"""The fusion lab: every query's candidates (app/search/hybrid.gather, the web's own) on the three
sets, saved once to bench/out/lab-*.pkl, then any fusion design of app/search/fusion.py (and the
parameter grids below) scored on all of them in seconds:

* the meaning query set (bench/relevance/meaning_queries.jsonl): success@10 / MRR, tuning and
  held-out apart, and the worst group's success@10;
* SciFact: nDCG@10 on BEIR's train claims (tuning) and test claims (reported, never tuned on);
* TIME: MAP (reported, never tuned on: it has no split).

    nice -n 10 .venv/bin/python bench/meaning_lab.py gather      # after the three archives exist
    nice -n 10 .venv/bin/python bench/meaning_lab.py designs [--grid] [--only NAME...]
    NEWSARCHIVE_EMBEDDER=e5-small ... gather --floor 0   # another model: its own lab-*-e5-small.pkl
    NEWSARCHIVE_EMBEDDER=e5-small ... designs --floor 0.8  # "close in meaning" from 0.8, without gathering again

The archives are those of bench/meaning_eval.py, bench/meaning_scifact.py and bench/meaning_time.py
(run them first: they build and embed). Designs whose query uses operators are not in the sets'
hybrid path; such queries are ranked by keyword order here as on the web (none in the query set).
"""
from __future__ import annotations

import argparse
import pickle
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import relevance_lib as rl  # noqa: E402

from app.config import Settings  # noqa: E402
from app.embeddings.text import query_text  # noqa: E402
from app.search import fusion, hybrid  # noqa: E402
from app.search.engine import merge_filters  # noqa: E402
from app.search.params import SearchParams  # noqa: E402
from app.search.query import parse  # noqa: E402
from app.store import open_store  # noqa: E402

OUT = rl.OUT


FLOOR: float | None = None  # gather --floor: "close in meaning" from this similarity, not the model's


def _gather(store, q: str):
    _, embedder, vindex = hybrid.meaning_state(store)
    parsed = parse(q)
    if hybrid.uses_operators(q, parsed.tree):
        return None
    p = merge_filters(SearchParams(q=q), parsed)
    return hybrid.gather(store, store.doc_index(), p, parsed, vindex, embedder.embed_query(query_text(q)),
                         embedder.close_floor if FLOOR is None else FLOOR)


def _path(name: str) -> Path:
    """lab-NAME.pkl for the default model, lab-NAME-MODEL.pkl for another (NEWSARCHIVE_EMBEDDER)."""
    model = Settings().embedder
    return OUT / (f"lab-{name}.pkl" if model == "use-m3" else f"lab-{name}-{model}.pkl")


def floored(c, floor: float):
    """The candidates with "close in meaning" cut at ``floor`` (at or above the gathering's)."""
    import copy

    keep = c.close_sims >= floor
    c = copy.copy(c)
    c.close_ids, c.close_sims = c.close_ids[keep], c.close_sims[keep]
    return c


def _keyword(store, q: str) -> list[int]:
    return [h.id for h in store.search(SearchParams(q=q, mode="keyword", page_size=100)).hits]


def gather_all() -> None:
    import meaning_eval as me
    from meaning_time import archive as time_archive
    from relevance_scifact import CORPUS, load

    from bench.meaning_corpus import load_queries

    store = open_store(Settings(database_url=f"sqlite:///{me.DB}"))
    queries = load_queries()
    target = me.targets(store, queries)
    rows = [dict(q, relevant={target[q["id"]]}, c=_gather(store, q["query"]), keyword=_keyword(store, q["query"]))
            for q in queries]
    _save("queries", rows)
    db = OUT / "scifact-meaning.db"
    store = open_store(Settings(database_url=f"sqlite:///{db}"))
    ids = {o: i for o, i in store.conn().execute("SELECT origin, id FROM article")}
    rows = []
    for split in ("train", "test"):
        claims, qrels = load(CORPUS, ids, split)
        rows += [dict(id=qid, split=split, query=claims[qid], relevant=rel, c=_gather(store, claims[qid]),
                      keyword=_keyword(store, claims[qid])) for qid, rel in qrels.items()]
    _save("scifact", rows)
    store, queries, qrels = time_archive(OUT / "time-meaning.db")
    _save("time", [dict(id=qid, query=queries[qid], relevant=rel, c=_gather(store, queries[qid]),
                        keyword=_keyword(store, queries[qid]))
                   for qid, rel in qrels.items()])


def _save(name: str, rows: list[dict]) -> None:
    with open(_path(name), "wb") as f:
        pickle.dump(rows, f)
    print(f"{name}: {len(rows)} queries")


def _load(name: str) -> list[dict]:
    with open(_path(name), "rb") as f:
        rows = pickle.load(f)
    if FLOOR is not None:
        for r in rows:
            if r["c"] is not None:
                r["c"] = floored(r["c"], FLOOR)
    return rows


def _rank(row, fn) -> list[int]:
    return row["keyword"] if row["c"] is None else fn(row["c"]).tolist()


def score(fn, sets) -> dict[str, float]:
    qs, sf, tm = sets
    out = {}
    for split in ("tuning", "held-out"):
        ranks = []
        groups: dict[tuple, list[bool]] = {}
        for r in (r for r in qs if r["split"] == split):
            ranked = _rank(r, fn)[:100]
            t = next(iter(r["relevant"]))
            rank = ranked.index(t) + 1 if t in ranked else None
            ranks.append(rank)
            groups.setdefault((r["kind"], r["query_lang"]), []).append(rank is not None and rank <= 10)
        out[f"{split} s@10"] = statistics.fmean(x is not None and x <= 10 for x in ranks)
        out[f"{split} MRR"] = statistics.fmean(1 / x if x else 0.0 for x in ranks)
        out[f"{split} min"] = min(statistics.fmean(g) for g in groups.values())
    for split in ("train", "test"):
        out[f"sf {split}"] = statistics.fmean(rl.ndcg(_rank(r, fn)[:10], r["relevant"]) for r in sf if r["split"] == split)
    out["time MAP"] = statistics.fmean(rl.average_precision(_rank(r, fn)[:1000], r["relevant"]) for r in tm)
    return out


def print_scores(name: str, s: dict[str, float], header: bool = False) -> None:
    if header:
        print(f"{'design':<34}" + "".join(f"{k:>14}" for k in s))
    print(f"{name:<34}" + "".join(f"{v:>14.3f}" for v in s.values()), flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("what", choices=("gather", "designs", "floors"))
    ap.add_argument("--grid", action="store_true", help="the parameter grids of the designs too")
    ap.add_argument("--only", nargs="*", help="these designs (names of fusion.DESIGNS or the grid)")
    ap.add_argument("--floor", type=float, help="gather: close in meaning from this similarity (not the model's);"
                                                " designs: cut the gathered close set here")
    args = ap.parse_args()
    global FLOOR
    FLOOR = args.floor
    if args.what == "gather":
        return gather_all()
    if args.what == "floors":
        return floors()
    sets = (_load("queries"), _load("scifact"), _load("time"))
    from app.embeddings import registry

    weights = registry.load(Settings().embedder)[0].zmix
    designs = {"keyword": lambda c: c.keyword_ids(), "meaning": fusion.meaning_only, **fusion.DESIGNS,
               "hybrid (the model's zmix)": lambda c: fusion.zmix(c, *weights)}
    if args.grid:
        designs |= grid()
    first = True
    for name, fn in designs.items():
        if args.only and name not in args.only:
            continue
        print_scores(name, score(fn, sets), first)
        first = False


def floors() -> None:
    """A model's close_floor, calibrated on the default model's without relevance judgements: the
    similarity above which the same share of the archive lies, per query, as above use-m3's 0.25
    (medians over the tuning queries; the lab files of both models must exist)."""
    model = Settings().embedder
    base = pickle.load(open(OUT / "lab-queries.pkl", "rb"))
    other = pickle.load(open(_path("queries"), "rb"))
    shares, cuts = [], []
    for a, b in zip(base, other):
        if a["split"] != "tuning" or a["c"] is None:
            continue
        share = float((a["c"].sims >= fusion.MEANING_FLOOR).mean())
        shares.append(share)
        cuts.append(float(np.quantile(b["c"].sims, 1 - share)) if share > 0 else float(b["c"].sims.max()))
    print(f"use-m3 >= {fusion.MEANING_FLOOR}: median share {statistics.median(shares):.5f} of the archive;"
          f" {model} at the same share: median similarity {statistics.median(cuts):.4f}"
          f" (quartiles {np.quantile(cuts, 0.25):.4f} - {np.quantile(cuts, 0.75):.4f})")
    same_story_floor(model)


def same_story_floor(model: str) -> None:
    """A model's same_story_floor, calibrated the same way: the share of the query-set archive's
    articles whose nearest article in the other language is at least use-m3's 0.55 similar, and the
    model's similarity at that share (use-m3's vectors made afresh: the archive holds one model's)."""
    import meaning_eval as me

    from app.embeddings import registry
    from app.embeddings.text import document_text
    from app.embeddings.use_m3 import UseM3Embedder

    store = open_store(Settings(database_url=f"sqlite:///{me.DB}"))
    embedder = registry.load(model)[0]
    vindex = store.vector_index(embedder.name)
    rows = {i: (t, b, lang) for i, t, b, lang in store.conn().execute(
        "SELECT id, title, substr(unz(body), 1, 400), language FROM article")}
    ids = [int(i) for i in vindex.ids if int(i) in rows and rows[int(i)][2] in ("en", "fr")]
    theirs = vindex.matrix[np.searchsorted(vindex.ids, ids)]
    base = registry.load("use-m3")[0].embed_documents([document_text(rows[i][0], rows[i][1]) for i in ids])
    french = np.array([rows[i][2] == "fr" for i in ids])

    def nearest_other(m):
        best = np.empty(len(ids))
        for lang in (False, True):
            a, b = m[french == lang], m[french != lang]
            best[french == lang] = (a @ b.T).max(axis=1)
        return best

    ours, other = nearest_other(base), nearest_other(theirs)
    share = float((ours >= UseM3Embedder.same_story_floor).mean())
    print(f"same story: {share:.4f} of {len(ids)} articles have an other-language neighbour >= {UseM3Embedder.same_story_floor}"
          f" by use-m3; {model} at that share: {np.quantile(other, 1 - share):.4f}")


def grid() -> dict:
    f = fusion
    g = {f"gated g={gt} s={st} e={ev}": (lambda c, gt=gt, st=st, ev=ev: f.gated(c, gt, st, ev))
         for gt in (0.5, 0.75, 1.0) for st in (0, 5, 10) for ev in (2, 3)}
    g |= {f"zmix lo={lo} hi={hi} p={pw}": (lambda c, lo=lo, hi=hi, pw=pw: f.zmix(c, lo, hi, pw))
          for lo in (0.0, 0.1, 0.2) for hi in (0.7, 0.9) for pw in (1, 2, 4)}
    g |= {f"rerank d={d} w={w} g={gt} s={st}": (lambda c, d=d, w=w, gt=gt, st=st: f.rerank(c, d, w, gt, st))
          for d in (20, 100) for w in (0.1, 0.3, 0.6) for gt in (0.5, 0.75) for st in (5, 10)}
    g |= {f"stepped g={gt} hi={hi}": (lambda c, gt=gt, hi=hi: f.stepped(c, gt, hi))
          for gt in (0.4, 0.5, 0.6, 0.7, 0.8) for hi in (0.6, 1.0, 2.0, 4.0, 8.0)}
    g |= {f"rerank-idf g={gt} w={w} s={st}": (lambda c, w=w, gt=gt, st=st: f.rerank(c, 100, w, gt, st, 3, True))
          for gt in (0.5, 0.55, 0.6, 0.65, 0.7, 0.75) for w in (0.0, 0.05, 0.1, 0.2) for st in (10, 20)}
    g |= {f"agreed r={r} g={gt} w={w}": (lambda c, r=r, w=w, gt=gt: f.agreed(c, r, gt, w))
          for r in (1, 3, 10, 30) for gt in (0.0, 0.4, 0.5, 0.6) for w in (0.0, 0.05, 0.1)}
    g |= {f"zramp {e0}-{e1} lo={lo} hi={hi}": (lambda c, e0=e0, e1=e1, lo=lo, hi=hi: f.zmix(c, lo, hi, 1, (e0, e1)))
          for e0, e1 in ((0.5, 0.7), (0.6, 0.8), (0.6, 0.7), (0.65, 0.85), (0.7, 0.9)) for lo in (0.0, 0.1)
          for hi in (0.8, 0.9, 1.0)}
    g |= {f"zmix lo={lo} hi={hi} p={pw}": (lambda c, lo=lo, hi=hi, pw=pw: f.zmix(c, lo, hi, pw))
          for lo in (0.0, 0.03, 0.05) for hi in (0.6, 0.7, 0.8, 0.9, 1.0) for pw in (3, 4, 5, 6, 8)}
    g |= {f"zmix lo={lo} hi={hi} p={pw}": (lambda c, lo=lo, hi=hi, pw=pw: f.zmix(c, lo, hi, pw))  # e5-small's
          for lo in (0.03, 0.05, 0.08, 0.1) for hi in (0.6, 0.7, 0.8, 1.0) for pw in (6, 8, 10, 12)}
    g["zmix all-words-first"] = lambda c: f.zmix(c, all_words_first=True)
    return g


if __name__ == "__main__":
    main()
