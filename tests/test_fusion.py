"""Fusion designs and the vector index, on fixed score lists (no database)."""
from __future__ import annotations

import numpy as np

from app.search import fusion
from app.search.vectors import VectorIndex, dequantise, quantise


def ids(*values):
    return np.array(values, dtype=np.int64)


def scores(*values):
    return np.array(values, dtype=np.float64)


def candidates(full=(), full_bm25=(), partial=(), partial_bm25=(), sims=None):
    sims = sims or {}
    sim_ids = ids(*sorted(sims))
    sim_values = scores(*(sims[i] for i in sorted(sims)))
    order = np.lexsort((sim_ids, -sim_values))
    close = order[sim_values[order] >= fusion.MEANING_FLOOR]
    return fusion.Candidates(ids(*full), scores(*full_bm25), ids(*partial), scores(*partial_bm25),
                             sim_ids[close], sim_values[close], sim_ids, sim_values)


def test_blend_puts_an_article_close_in_meaning_above_a_partial_match_of_one_common_word():
    c = candidates(partial=(1, 2), partial_bm25=(3.0, 2.5), sims={1: 0.05, 2: 0.10, 3: 0.62})
    assert fusion.blend(c)[0] == 3


def test_blend_keeps_an_article_with_every_word_and_close_meaning_first():
    c = candidates(full=(7,), full_bm25=(9.0,), partial=(8,), partial_bm25=(4.0,), sims={7: 0.5, 8: 0.2, 9: 0.45})
    assert fusion.blend(c).tolist()[0] == 7


def test_tiers_list_all_the_words_then_meaning_then_some_of_the_words():
    c = candidates(full=(1,), full_bm25=(1.0,), partial=(2,), partial_bm25=(5.0,), sims={3: 0.9, 1: 0.1, 2: 0.1})
    assert fusion.tiers(c).tolist() == [1, 3, 2]


def test_every_design_orders_the_whole_union_once():
    c = candidates(full=(1, 2), full_bm25=(2.0, 1.0), partial=(3,), partial_bm25=(0.5,), sims={4: 0.7, 1: 0.3})
    for name, design in fusion.DESIGNS.items():
        out = design(c).tolist()
        assert sorted(out) == [1, 2, 3, 4], name


def test_an_article_not_yet_embedded_counts_as_similarity_zero():
    c = candidates(full=(5,), full_bm25=(1.0,), sims={1: 0.4})
    assert c.similarity(ids(5, 1)).tolist() == [0.0, np.float64(c.sims[0])]


def test_int8_vectors_keep_the_order_of_similarities():
    rng = np.random.default_rng(11)
    vectors = rng.normal(size=(200, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    codes, scales = quantise(vectors)
    assert codes.dtype == np.int8
    back = dequantise(codes, scales)
    assert np.abs((back * vectors).sum(axis=1) - 1).max() < 1e-3


def test_nearest_respects_the_allowed_rows():
    m = np.eye(4, dtype=np.float32)
    index = VectorIndex("k", "m", ids(10, 20, 30, 40), m)
    found, sims = index.nearest(m[2], 2)
    assert found.tolist()[0] == 30
    allowed = np.array([True, True, False, True])
    found, _ = index.nearest(m[2], 4, allowed)
    assert 30 not in found.tolist() and len(found) == 3
    doc_pos = np.full(50, -1)
    doc_pos[[10, 20, 40]] = [0, 1, 2]  # article 30 was deleted
    assert index.allowed(doc_pos, None).tolist() == [True, True, False, True]


def test_covered_discounts_a_partial_match_that_has_few_of_the_query_words():
    c = candidates(partial=(1, 2), partial_bm25=(6.0, 5.0), sims={1: 0.30, 2: 0.30, 3: 0.40})
    c.partial_cover = np.array([0.125, 0.875])  # article 1 has one word of eight, article 2 seven
    order = fusion.covered(c).tolist()
    assert order.index(2) < order.index(3) < order.index(1)


def test_evidence_is_one_with_an_article_that_has_every_word_else_the_best_share():
    c = candidates(partial=(1, 2), partial_bm25=(2.0, 1.0), sims={1: 0.3})
    c.partial_cover, c.partial_idf_cover = scores(0.5, 0.25), scores(0.8, 0.1)
    assert fusion.evidence(c) == 0.5 and fusion.idf_evidence(c) == 0.8
    assert fusion.evidence(candidates(full=(3,), full_bm25=(1.0,))) == 1.0


def test_zmix_lets_meaning_lead_when_few_words_match():
    # a paraphrase: one common word matched by two articles, the one it means matches none
    c = candidates(partial=(1, 2), partial_bm25=(3.0, 2.0), sims={1: 0.1, 2: 0.12, 3: 0.7, 4: 0.11, 5: 0.09})
    c.partial_cover = scores(0.2, 0.2)
    assert fusion.zmix(c)[0] == 3


def test_zmix_keeps_keyword_order_first_when_every_word_matches_and_meaning_is_unsure():
    # every word in 1 and 2; 3 is only a little closer in meaning than the others
    sims = {1: 0.30, 2: 0.31, 3: 0.36} | {i: 0.2 + 0.001 * i for i in range(10, 40)}
    c = candidates(full=(1, 2), full_bm25=(9.0, 4.0), partial=tuple(range(10, 40)),
                   partial_bm25=tuple(0.5 for _ in range(30)), sims=sims)
    assert fusion.zmix(c).tolist()[:2] == [1, 2]


def test_interleave_puts_meaning_hits_in_from_a_place_on_without_repeats():
    out = fusion._interleave(ids(1, 2, 3, 4, 5), ids(9, 2, 8), start=2, every=2)
    assert out.tolist() == [1, 2, 9, 3, 4, 8, 5]
