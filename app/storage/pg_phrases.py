"""Phrases on PostgreSQL, scored on the positions of the matches that can reach the page only.

A phrase's matches are cheap to find: the GIN index gives the articles holding all its words
and PostgreSQL checks ``<->`` on each candidate's tsvector in C (~20 µs an article). What is
dear is its bm25, which needs the phrase's frequency in every match: reading positions back
with ``unnest(tsvector)`` builds a row for each of an article's ~300 lexemes (~250 µs an
article: 1.2 s for "prime minister" at 100k, 5,000 matches, before this module).

So a phrase whose words all have numpy postings (app/search/postings.py) is scored first by an
upper bound: its weighted frequency in an article is at most that of each of its words (every
instance of the phrase is an instance of each word, in the same column), and bm25 grows with
the frequency. The page is then cut by the bounds: the best-bounded matches have their exact
scores computed from their positions, a growing chunk at a time, until the page's last exact
score beats the best bound left (``refine``). Totals, facets and the match set stay exact (the
index and ``<->``); the page is the one every exact score gives; a full ranking (recency,
story collapse) still scores every match exactly (``exact``).
"""
from __future__ import annotations

import numpy as np

from app.search.evaluate import Leaf, leaves
from app.search.postings import Postings
from app.search.tsquery import instances, to_tsquery
from app.storage import pg_fts

SLACK = 1e-9  # bounds computed in numpy may differ from the exact scalar bm25 in the last bits
CHUNK = 64  # matches scored exactly at first (then twice as many each time)


def phrase_tokens(leaf: Leaf, p: Postings) -> tuple[str, ...] | None:
    """The words of a phrase of several words that all have postings (None: another leaf)."""
    if leaf.prefix or " " not in leaf.text:
        return None
    expr = to_tsquery(leaf.fts5())
    tokens = expr.phrases[0].tokens if len(expr.phrases) == 1 else ()
    return tokens if len(tokens) > 1 and all(t in p.terms for t in tokens) else None


def bounds(p: Postings, stats: pg_fts.Stats, weight: float, tokens, rows: np.ndarray) -> np.ndarray:
    """Negated bm25 contributions no worse than the phrase's exact ones, for its matching rows."""
    freq = np.full(len(rows), np.inf)
    for tok in tokens:
        word_rows, word_freq = p.get(tok)
        if not len(word_rows):
            continue
        at = np.minimum(np.searchsorted(word_rows, rows), len(word_rows) - 1)
        found = word_rows[at] == rows  # a match holds every word; else no bound from this word
        freq = np.where(found, np.minimum(freq, word_freq[at].astype(np.float64)), freq)
    avgdl = stats.n_tokens / stats.n_rows if stats.n_tokens else 1.0
    norm = pg_fts.K1 * (1 - pg_fts.B + pg_fts.B * p.doclen[rows].astype(np.float64) / avgdl)
    with np.errstate(invalid="ignore"):
        g = np.where(np.isinf(freq), pg_fts.K1 + 1.0, freq * (pg_fts.K1 + 1.0) / (freq + norm))
    return -(weight * g) * (1 + SLACK)


def exact(c, stats: pg_fts.Stats, bounded: list[Leaf], ids: np.ndarray) -> dict[Leaf, dict[int, float]]:
    """{leaf: {article id: exact negated bm25 contribution}} of the ``bounded`` phrases in the
    articles ``ids`` that hold them, from their positions (as app/storage/pg_fts.scored)."""
    unique = list(dict.fromkeys(bounded))
    expr = to_tsquery(" OR ".join(leaf.fts5() for leaf in unique))
    docs = pg_fts.documents(c, expr, ids)
    avgdl = stats.n_tokens / stats.n_rows if stats.n_tokens else 1.0
    out: dict[Leaf, dict[int, float]] = {}
    for leaf, phrase in zip(unique, expr.phrases):
        w = stats.idf_of(c, phrase)
        found = out[leaf] = {}
        for aid, (words, doc) in docs.items():
            freq = 0.0
            for _, weight in instances(phrase, doc):
                freq += pg_fts.WEIGHTS[weight]
            if freq:
                found[aid] = -1.0 * (w * ((freq * (pg_fts.K1 + 1.0))
                                          / (freq + pg_fts.K1 * (1 - pg_fts.B + pg_fts.B * words / avgdl))))
    return out


def exact_scores(c, stats, evaluator, tree, rows: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Exact scores of the tree in ``rows`` (article ``ids``): the bounded phrases' contributions
    from positions, the others' from the evaluator, summed in the evaluator's order (the same bits)."""
    every = leaves(tree)
    bounded = [leaf for leaf in every if leaf in evaluator.bounded]
    found = exact(c, stats, bounded, ids) if bounded else {}
    total = np.zeros(len(rows))
    for leaf in every:
        if leaf in found:
            total += np.array([found[leaf].get(i, 0.0) for i in ids.tolist()])
            continue
        leaf_rows, contrib = evaluator.leaf(leaf)
        at = np.minimum(np.searchsorted(leaf_rows, rows), max(len(leaf_rows) - 1, 0))
        hit = leaf_rows[at] == rows if len(leaf_rows) else np.zeros(len(rows), dtype=bool)
        total += np.where(hit, contrib[at] if len(leaf_rows) else 0.0, 0.0)
    return total


def refine(score_rows, rows: np.ndarray, ids: np.ndarray, bound: np.ndarray, k: int) -> np.ndarray:
    """Positions (into rows) of the k best matches by exact score then id, computing exact
    scores (``score_rows(positions) -> scores``) best bound first until no bound left can
    beat the k-th exact score."""
    order = np.lexsort((ids, bound))
    exact_s = np.empty(len(rows))
    done, chunk = 0, max(CHUNK, 2 * k)
    while True:
        part = order[done:done + chunk]
        exact_s[part] = score_rows(part)
        done += len(part)
        seen = order[:done]
        seen = seen[np.lexsort((ids[seen], exact_s[seen]))]
        if done >= len(order) or (len(seen) >= k and exact_s[seen[k - 1]] < bound[order[done]]):
            return seen[:k]
        chunk *= 2
