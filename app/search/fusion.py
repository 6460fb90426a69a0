"""Fusion of keyword and meaning results: pure functions over fixed score lists, no database.

A query's candidates are the articles that contain all its words (``full``, bm25), those that
contain some of them (``partial``, bm25) and the nearest articles by meaning (``close``: the
MEANING_K most similar with similarity >= MEANING_FLOOR); the similarity of every embedded
article is known (``sim_ids``/``sims``). A design orders the union of the three. Designs measured
on the tuning part of bench/relevance/meaning_queries.jsonl (bench/meaning_eval.py, figures in
bench/README.md); DEFAULT is the one kept.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MEANING_K = 100  # nearest articles that count as "close in meaning"
MEANING_FLOOR = 0.25  # ... when at least this similar
RRF_K = 60  # the usual reciprocal-rank constant (Cormack et al. 2009)
BLEND_KEYWORD = 0.3  # blend: weight of the keyword score (bm25 / best bm25 of the query)
BLEND_ALL_WORDS = 0.15  # blend: bonus of an article that contains every word
COVER_KEYWORD = 0.3  # covered: weight of the keyword score ...
COVER_POWER = 2.0  # ... times (share of the query's words the article has) ** this
CONFIDENT_KEYWORD = 0.6  # confident: weight of the keyword score ...
CONFIDENT_POWER = 4.0  # ... times (best share of the query's words any article has) ** this


@dataclass
class Candidates:
    full_ids: np.ndarray
    full_bm25: np.ndarray  # higher is better
    partial_ids: np.ndarray
    partial_bm25: np.ndarray
    close_ids: np.ndarray  # closest first
    close_sims: np.ndarray
    sim_ids: np.ndarray  # every embedded article the filters allow, ascending
    sims: np.ndarray
    partial_cover: np.ndarray | None = None  # share of the query's words each partial match has

    @classmethod
    def empty(cls) -> "Candidates":
        e, f = np.empty(0, np.int64), np.empty(0, np.float64)
        return cls(e, f, e, f, e, f, e, f)

    def similarity(self, ids: np.ndarray) -> np.ndarray:
        """Similarity of each id to the query; 0 for an article not embedded yet."""
        if not len(self.sim_ids):
            return np.zeros(len(ids))
        at = np.clip(np.searchsorted(self.sim_ids, ids), 0, len(self.sim_ids) - 1)
        return np.where(self.sim_ids[at] == ids, self.sims[at], 0.0)

    def keyword_ids(self) -> np.ndarray:
        """Keyword search's own order: all the words (bm25), then some of them (bm25)."""
        return np.concatenate([_by_score(self.full_ids, self.full_bm25), _by_score(self.partial_ids, self.partial_bm25)])

    def union(self) -> np.ndarray:
        """Every candidate once, ascending. Full and partial matches are disjoint; only the
        (at most MEANING_K) close ones are checked against them: np.unique over the whole
        concatenation cost 100 ms at 50k partial matches."""
        base = np.concatenate([self.full_ids, self.partial_ids])
        extra = self.close_ids[~np.isin(self.close_ids, base, kind="table")] if len(base) else self.close_ids
        return np.sort(np.concatenate([base, extra]))


def _by_score(ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    return ids[np.lexsort((ids, -scores))]


def _order(ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    return _by_score(ids, scores)


def _rrf_scores(ids: np.ndarray, lists: list[tuple[np.ndarray, float]]) -> np.ndarray:
    score = np.zeros(len(ids))
    for ranked, weight in lists:
        pos = {int(i): r for r, i in enumerate(ranked.tolist())}
        score += weight * np.array([1.0 / (RRF_K + 1 + pos[i]) if i in pos else 0.0 for i in ids.tolist()])
    return score


def rrf(c: Candidates) -> np.ndarray:
    """Naive reciprocal-rank fusion of keyword search's list and the meaning list."""
    ids = c.union()
    return _order(ids, _rrf_scores(ids, [(c.keyword_ids(), 1.0), (c.close_ids, 1.0)]))


def rrf_tiered(c: Candidates) -> np.ndarray:
    """RRF of three lists, the partial matches at a third of the weight of the others."""
    ids = c.union()
    lists = [(_by_score(c.full_ids, c.full_bm25), 1.0), (_by_score(c.partial_ids, c.partial_bm25), 1 / 3),
             (c.close_ids, 1.0)]
    return _order(ids, _rrf_scores(ids, lists))


def tiers(c: Candidates) -> np.ndarray:
    """All the words first (bm25), then close in meaning (similarity), then some of the words."""
    full = _by_score(c.full_ids, c.full_bm25)
    seen = set(full.tolist())
    close = np.array([i for i in c.close_ids.tolist() if i not in seen], dtype=np.int64)
    seen |= set(close.tolist())
    rest = [i for i in _by_score(c.partial_ids, c.partial_bm25).tolist() if i not in seen]
    return np.concatenate([full, close, np.array(rest, dtype=np.int64)])


def blend(c: Candidates, keyword: float = BLEND_KEYWORD, all_words: float = BLEND_ALL_WORDS) -> np.ndarray:
    """One score per article: similarity + keyword * bm25 / (the query's best bm25)
    + all_words when it contains every word. bm25 of full and partial matches share one scale,
    so a partial match that scores like a full one counts like one."""
    ids = c.union()
    bm25 = np.zeros(len(ids))
    for kid, ks in ((c.partial_ids, c.partial_bm25), (c.full_ids, c.full_bm25)):
        if len(kid):
            bm25[np.searchsorted(ids, kid)] = ks
    best = bm25.max() if len(bm25) and bm25.max() > 0 else 1.0
    full = np.isin(ids, c.full_ids)
    return _order(ids, c.similarity(ids) + keyword * bm25 / best + all_words * full)


def covered(c: Candidates, keyword: float = COVER_KEYWORD, power: float = COVER_POWER,
            all_words: float = BLEND_ALL_WORDS) -> np.ndarray:
    """blend, with each article's keyword score scaled by the share of the query's words it has,
    to the power ``power``: a paraphrase shares a word or two with many articles, and bm25 over the
    query's best score makes the best of those look like a full match (which pushed the right
    article down); a long query (a SciFact claim) whose best matches have most of its words keeps
    their keyword score."""
    ids, bm25, cover, full = _keyword_arrays(c)
    best = bm25.max() if len(bm25) and bm25.max() > 0 else 1.0
    return _order(ids, c.similarity(ids) + keyword * cover ** power * bm25 / best + all_words * full)


def confident(c: Candidates, keyword: float = CONFIDENT_KEYWORD, power: float = CONFIDENT_POWER,
              all_words: float = BLEND_ALL_WORDS) -> np.ndarray:
    """blend, with the keyword weight set per query by how well its words matched at best: the
    largest share of the query's words any article has (1 when some article has them all), to the
    power ``power``. A paraphrase shares a word or two with the articles (meaning leads); a query
    whose words are mostly found (a known item, a SciFact claim) keeps keyword search's order."""
    ids, bm25, cover, full = _keyword_arrays(c)
    best = bm25.max() if len(bm25) and bm25.max() > 0 else 1.0
    weight = keyword * (cover.max() if len(cover) else 0.0) ** power
    return _order(ids, c.similarity(ids) + weight * bm25 / best + all_words * full)


def _keyword_arrays(c: Candidates) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(every candidate id, its bm25, the share of the query's words it has, whether it has all
    of them) over the union of the candidates; 0 where keyword search did not find it."""
    ids = c.union()
    bm25, cover = np.zeros(len(ids)), np.zeros(len(ids))
    full = np.zeros(len(ids), dtype=bool)
    if len(c.partial_ids):
        at = np.searchsorted(ids, c.partial_ids)
        bm25[at] = c.partial_bm25
        cover[at] = c.partial_cover if c.partial_cover is not None else 0.5
    if len(c.full_ids):
        at = np.searchsorted(ids, c.full_ids)
        bm25[at], cover[at], full[at] = c.full_bm25, 1.0, True
    return ids, bm25, cover, full


def meaning_only(c: Candidates) -> np.ndarray:
    return c.close_ids


DESIGNS = {"rrf": rrf, "rrf-tiered": rrf_tiered, "tiers": tiers, "blend": blend, "covered": covered,
           "confident": confident}
DEFAULT = "confident"
