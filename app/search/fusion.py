"""Fusion of keyword and meaning results: pure functions over fixed score lists, no database.

A query's candidates are the articles that contain all its words (``full``, bm25), those that
contain some of them (``partial``, bm25) and the nearest articles by meaning (``close``: the
MEANING_K most similar with similarity at least the model's ``close_floor``); the similarity of every embedded
article is known (``sim_ids``/``sims``). A design orders the union of the three. Designs measured
on the tuning part of bench/relevance/meaning_queries.jsonl (bench/meaning_eval.py, figures in
bench/README.md); DEFAULT is the one kept.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MEANING_K = 100  # nearest articles that count as "close in meaning"
MEANING_FLOOR = 0.25  # ... when at least this similar: the default model's close_floor (use-m3)
RRF_K = 60  # the usual reciprocal-rank constant (Cormack et al. 2009)
BLEND_KEYWORD = 0.3  # blend: weight of the keyword score (bm25 / best bm25 of the query)
BLEND_ALL_WORDS = 0.15  # blend: bonus of an article that contains every word
COVER_KEYWORD = 0.3  # covered: weight of the keyword score ...
COVER_POWER = 2.0  # ... times (share of the query's words the article has) ** this
CONFIDENT_KEYWORD = 0.6  # confident: weight of the keyword score ...
CONFIDENT_POWER = 4.0  # ... times (best share of the query's words any article has) ** this
ZMIX_LOW = 0.03  # zmix (kept): keyword weight of a query none of whose words match ...
ZMIX_HIGH = 0.6  # ... of a query some article has all the words of ...
ZMIX_POWER = 3.0  # ... in between: LOW + (HIGH - LOW) * (best share of the words) ** this


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
    partial_idf_cover: np.ndarray | None = None  # ... each word weighted by its idf
    sim_stats: tuple[float, float] | None = None  # (mean, sd) of the similarity over the allowed articles,
    # when ``sims`` holds the candidates' only (the approximate index: from an exact sample)

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


def evidence(c: Candidates) -> float:
    """How well the query's words matched at best: 1 when some article has them all, else the
    largest share of them any article has (0 with no keyword match)."""
    if len(c.full_ids):
        return 1.0
    return float(c.partial_cover.max()) if c.partial_cover is not None and len(c.partial_cover) else 0.0


def idf_evidence(c: Candidates) -> float:
    """evidence with each word weighted by its idf: 1 when some article has all the words, else the
    largest idf-weighted share of them any article has."""
    if len(c.full_ids):
        return 1.0
    if c.partial_idf_cover is None:
        return evidence(c)
    return float(c.partial_idf_cover.max()) if len(c.partial_idf_cover) else 0.0


def stepped(c: Candidates, gate: float = 0.6, high: float = 2.0, low: float = CONFIDENT_KEYWORD,
            power: float = CONFIDENT_POWER, all_words: float = BLEND_ALL_WORDS) -> np.ndarray:
    """confident's blend, with the keyword weight in two regimes by idf-weighted evidence: at
    least ``gate`` (the query's rare words are found together: a claim, a known item) the keyword
    score leads at weight ``high`` and similarity re-orders within it; below, confident's weight
    (meaning leads)."""
    ids, bm25, cover, full = _keyword_arrays(c)
    best = bm25.max() if len(bm25) and bm25.max() > 0 else 1.0
    e = idf_evidence(c)
    weight = high if e >= gate else low * (cover.max() if len(cover) else 0.0) ** power
    return _order(ids, c.similarity(ids) + weight * bm25 / best + all_words * full)


def _interleave(first: np.ndarray, extra: np.ndarray, start: int, every: int) -> np.ndarray:
    """``first`` in its order, with ``extra``'s ids (those not in ``first``) put one in every
    ``every`` places from place ``start`` on, the rest of them after."""
    extra = extra[~np.isin(extra, first)]
    if not len(extra):
        return first
    out, e = list(first[:start].tolist()), 0
    for n, i in enumerate(first[start:].tolist()):
        if n % every == 0 and e < len(extra):
            out.append(int(extra[e]))
            e += 1
        out.append(i)
    return np.array(out + extra[e:].tolist(), dtype=np.int64)


def gated(c: Candidates, gate: float = 0.75, start: int = 10, every: int = 3, weak=None) -> np.ndarray:
    """Gated by keyword evidence: when some article has all the words or most of them (share >=
    ``gate``), keyword search's order, with the close-in-meaning articles it lacks put in from place
    ``start`` on, one in every ``every``; else ``weak`` (confident) decides, meaning leading."""
    if evidence(c) >= gate:
        return _interleave(c.keyword_ids(), c.close_ids, start, every)
    return (weak or confident)(c)


def _z(x: np.ndarray) -> np.ndarray:
    sd = x.std() if len(x) > 1 else 0.0
    return (x - x.mean()) / sd if sd > 0 else np.zeros(len(x))


def zmix(c: Candidates, low: float = ZMIX_LOW, high: float = ZMIX_HIGH, power: float = ZMIX_POWER,
         ramp: tuple[float, float] | None = None, all_words_first: bool = False) -> np.ndarray:
    """Score-level fusion with each list z-scored (bm25 over the keyword matches, similarity over
    every embedded article), weighted by keyword evidence e: w = low + (high - low) * e ** power,
    or, with ``ramp`` = (e0, e1), idf-weighted evidence ramped linearly from low at e0 to high at
    e1; score = w * z(bm25) + (1 - w) * z(similarity). An article keyword search did not find
    takes the lowest keyword z of the query. With ``all_words_first``, the articles that have every
    word come first, in keyword search's order (when every word matches, keyword relevance must
    not get worse), then the others by that score."""
    ids, bm25, _, found = _keyword_arrays(c)
    if all_words_first and len(c.full_ids):
        full = _by_score(c.full_ids, c.full_bm25)
        rest = zmix(c, low, high, power, ramp, False)
        return np.concatenate([full, rest[~np.isin(rest, full)]])
    found = found | np.isin(ids, c.partial_ids)
    zk = np.full(len(ids), 0.0)
    if found.any():
        zk[found] = _z(bm25[found])
        zk[~found] = zk[found].min()
    sims = c.similarity(ids)
    if c.sim_stats is not None:
        mean, sd = c.sim_stats
    else:
        mean, sd = (c.sims.mean(), c.sims.std()) if len(c.sims) > 1 else (0.0, 1.0)
    zs = (sims - mean) / (sd or 1.0)
    if ramp:
        e0, e1 = ramp
        w = low + (high - low) * min(1.0, max(0.0, (idf_evidence(c) - e0) / (e1 - e0)))
    else:
        w = low + (high - low) * evidence(c) ** power
    return _order(ids, w * zk + (1 - w) * zs)


def rerank(c: Candidates, depth: int = 100, weight: float = 0.3, gate: float = 0.5,
           start: int = 10, every: int = 3, idf: bool = False) -> np.ndarray:
    """When keyword evidence (``idf``: idf-weighted) is at least ``gate``: keyword search's top
    ``depth`` re-ordered by bm25 / best + weight * similarity rescaled to [0, 1] over them, the rest
    in keyword order, and the close-in-meaning articles keyword search lacks put in from ``start``
    on (as gated); else confident."""
    if (idf_evidence(c) if idf else evidence(c)) < gate:
        return confident(c)
    kw = c.keyword_ids()
    if weight:
        top, rest = kw[:depth], kw[depth:]
        ids, bm25, _, _ = _keyword_arrays(c)
        b = bm25[np.searchsorted(ids, top)]
        s = c.similarity(top)
        span = s.max() - s.min() if len(s) else 0.0
        s = (s - s.min()) / span if span > 0 else np.zeros(len(s))
        best = b.max() if len(b) and b.max() > 0 else 1.0
        kw = np.concatenate([_order(top, b / best + weight * s), rest])
    return _interleave(kw, c.close_ids, start, every)


def agreement(c: Candidates, top: int = 3) -> int:
    """How far down meaning's order keyword search's best hits are: the meaning rank (0 = the
    nearest) of the best placed of keyword search's first ``top``; a large number when keyword
    search found nothing. One comparison over the similarities per hit, no sort."""
    kw = c.keyword_ids()[:top]
    if not len(kw) or not len(c.sims):
        return 1 << 30
    return int(min((c.sims > s).sum() for s in c.similarity(kw)))


def agreed(c: Candidates, rank: int = 10, gate: float = 0.5, weight: float = 0.05, start: int = 10,
           every: int = 3) -> np.ndarray:
    """Keyword order when meaning confirms it: one of keyword search's first three hits is among
    the ``rank`` nearest by meaning and the idf-weighted evidence is at least ``gate`` (the words
    that matter are found, and the article that has them means what the query means); keyword's
    top 100 then re-ordered with ``weight`` of similarity and the close-in-meaning articles it
    lacks put in from ``start`` on. Otherwise meaning leads (confident)."""
    if idf_evidence(c) < gate or agreement(c) >= rank:
        return confident(c)
    return rerank(c, 100, weight, 0.0, start, every)


DESIGNS = {"rrf": rrf, "rrf-tiered": rrf_tiered, "tiers": tiers, "blend": blend, "covered": covered,
           "confident": confident, "gated": gated, "zmix": zmix, "rerank": rerank,
           "stepped": stepped, "agreed": agreed}
DEFAULT = "zmix"  # the web's order, with the weights of the archive's model (Embedder.zmix)
