"""How much a per-query keyword weight could do, and which query signals could set it (issue 11).

Reads the fusion lab's candidates (bench/meaning_lab.py gather: lab-queries/scifact/time-MODEL.pkl)
and scores zmix with one fixed keyword weight w per query (w * z(bm25) + (1 - w) * z(similarity)):

* the three sets' figures at each fixed w, and with the best w chosen per query (an oracle: the
  headroom a per-query choice has);
* for each query signal, how well it tells the queries that want a high weight (w = 0.4) from
  those that want a low one (w = 0.05): the AUC over the tuning queries where the choice matters
  (the query set's tuning part and SciFact train);
* the best of a family that sets w from the meaning rank of keyword search's first hit, under the
  rule the kept weights were chosen by (tuning success@10 >= 0.75, MRR >= 0.55, worst group >= 0.5;
  then the best SciFact train).

    NEWSARCHIVE_EMBEDDER=e5-small .venv/bin/python bench/meaning_signals.py   # ~1 min
"""
from __future__ import annotations

import itertools
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
import relevance_lib as rl  # noqa: E402

import meaning_lab as lab  # noqa: E402
from app.config import Settings  # noqa: E402
from app.embeddings import registry  # noqa: E402
from app.search import fusion  # noqa: E402

WEIGHTS = np.round(np.arange(0, 1.0001, 0.025), 3)
SETS = (("q", "tuning"), ("q", "held-out"), ("sf", "train"), ("sf", "test"), ("tm", "all"))
LOW, HIGH = 2, 16  # indexes of w = 0.05 and w = 0.4 in WEIGHTS


def signals(c, query: str) -> dict[str, float]:
    bm = np.concatenate([c.full_bm25, c.partial_bm25])
    sims = c.sims
    mean, sd = (sims.mean(), sims.std() or 1.0) if len(sims) > 1 else (0.0, 1.0)
    first = c.keyword_ids()[:1]
    s1 = c.similarity(first)[0] if len(first) else None
    return {"evidence": fusion.evidence(c), "idf evidence": fusion.idf_evidence(c),
            "query words": len(query.split()),
            "bm25 peak z": (bm.max() - bm.mean()) / bm.std() if len(bm) > 1 and bm.std() > 0 else 0.0,
            "best similarity z": (sims.max() - mean) / sd if len(sims) else 0.0,
            "keyword first hit's similarity z": (s1 - mean) / sd if s1 is not None else -5.0,
            "keyword first hit's meaning rank": float((sims > s1).sum()) if s1 is not None else 1e6}


def per_query(floor: float) -> list[dict]:
    rows = []
    for kind, data in (("q", lab._load("queries")), ("sf", lab._load("scifact")), ("tm", lab._load("time"))):
        for r in data:
            if r["c"] is None:
                continue
            c = lab.floored(r["c"], floor)
            m, hit = [], []
            for w in WEIGHTS:
                ranked = fusion.zmix(c, w, w, 1.0).tolist()
                if kind == "q":
                    t = next(iter(r["relevant"]))
                    rank = ranked[:100].index(t) + 1 if t in ranked[:100] else None
                    m.append(1 / rank if rank else 0.0)
                    hit.append(float(rank is not None and rank <= 10))
                elif kind == "sf":
                    m.append(rl.ndcg(ranked[:10], r["relevant"]))
                else:
                    m.append(rl.average_precision(ranked[:1000], r["relevant"]))
            rows.append({"set": (kind, r.get("split", "all")), "signals": signals(c, r["query"]), "m": m,
                         "hit": hit, "group": (r.get("kind"), r.get("query_lang"))})
    return rows


def scores(rows, choose) -> dict:
    out = {}
    for key in SETS:
        sel = [r for r in rows if r["set"] == key]
        at = [choose(r) for r in sel]
        out[key] = float(np.mean([r["m"][i] for r, i in zip(sel, at)]))
        if key[0] == "q":
            out[key + ("s@10",)] = float(np.mean([r["hit"][i] for r, i in zip(sel, at)]))
            groups: dict = {}
            for r, i in zip(sel, at):
                groups.setdefault(r["group"], []).append(r["hit"][i])
            out[key + ("worst",)] = min(float(np.mean(v)) for v in groups.values())
    return out


def _auc(x: np.ndarray, y: np.ndarray) -> float:
    pos, neg = x[y > 0], x[y < 0]
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg]))


def main() -> None:
    embedder = registry.load(Settings().embedder)[0]
    rows = per_query(embedder.close_floor)
    print(f"{len(rows)} queries; model {embedder.name}, close floor {embedder.close_floor}")
    print("fixed keyword weight w: query-set MRR (tuning, held-out) | SciFact nDCG@10 (train, test) | TIME MAP")
    for k, w in enumerate(WEIGHTS):
        if k % 4 == 0:
            s = scores(rows, lambda r, k=k: k)
            print(f"  w {w:.2f}: " + "  ".join(f"{s[key]:.3f}" for key in SETS))
    best = scores(rows, lambda r: int(np.argmax(r["m"])))
    print("  best w per query (oracle): " + "  ".join(f"{best[key]:.3f}" for key in SETS))
    tune = [r for r in rows if r["set"] in (("q", "tuning"), ("sf", "train"))]
    y = np.array([r["m"][HIGH] - r["m"][LOW] for r in tune])
    print(f"signals, AUC of 'w 0.4 beats w 0.05' over the {int((y != 0).sum())} tuning queries where it matters:")
    for name in tune[0]["signals"]:
        x = np.array([r["signals"][name] for r in tune])
        print(f"  {name:<36} {_auc(x[y != 0], y[y != 0]):.3f}")
    found = []
    for low, high, tau in itertools.product((0.0, 0.025, 0.05, 0.08), (0.3, 0.4, 0.5, 0.6, 0.8), (1, 3, 10, 30, 100)):
        def choose(r, low=low, high=high, tau=tau):
            rank = r["signals"]["keyword first hit's meaning rank"]
            w = high if r["signals"]["evidence"] >= 1 else low + (high - low) / (1 + rank / tau)
            return int(np.clip(np.round(w / 0.025), 0, len(WEIGHTS) - 1))
        s = scores(rows, choose)
        if s[("q", "tuning", "s@10")] >= 0.75 and s[("q", "tuning")] >= 0.55 and s[("q", "tuning", "worst")] >= 0.5:
            found.append((s[("sf", "train")], (low, high, tau), s))
    if found:
        _, setting, s = max(found)
        print(f"meaning-rank ramp, best of {len(found)} settings that reach the tuning targets {setting}: "
              + "  ".join(f"{s[key]:.3f}" for key in SETS))


if __name__ == "__main__":
    main()
