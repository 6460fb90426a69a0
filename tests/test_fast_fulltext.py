"""Search over the frequent words' postings answers exactly as FTS5 does: the same match sets,
the same bm25 scores (to rounding), so the same totals, facets and top 20 on the same queries.

The archive: BBC (2,225 real articles), the seeds and our samples, imported by the real importer.
At this size no word reaches the default threshold, so the tests lower it: every word then has
postings, and the rare-word and prefix paths are checked with a middle threshold."""
from __future__ import annotations

import numpy as np
import pytest

from app.ingest.load import import_paths
from app.search import postings
from app.search.evaluate import Unsupported, leaves, parse
from app.search.fts5 import compile_query
from app.search.params import SearchParams
from app.search.query import parse as parse_query
from app.store import open_store
from tests.conftest import ROOT, SAMPLES, SEEDS, settings_for

BBC = ROOT.parent / "shared" / "corpora" / "bbc-news" / "bbc-fulltext.tar.gz"
QUERIES = [
    "said", "government", "police", "Interpol", "terror*", "minist*", "econom*", '"prime minister"',
    '"interest rates"', "police attaque Paris", "government minister said", "oil prices opec", "said -police",
    "police OR gendarmerie", "title:police", "title:minist*", "DGST", "état islamique", "gouvern* france",
    "(police OR justice) -said", "cannabis Maroc", "Daech", "anti-terror*", "l'ONU", "-said", "Blair Brown election",
    "mobile phone* -apple", '"chief executive" profits', "securite", "zzzunknownword", "film OR music OR tv",
    # phrases of frequent words, and pages further on
    '"of the"', '"said the"', '"the prime minister"', '"de la"', '"in the" "of the"', '"the the"', '"that the" -said',
]
FILTERS = [{}, {"country": ("gb",)}, {"lang": ("en",)}, {"sort": "newest"}, {"collapse": True}, {"page": 4}]

pytestmark = pytest.mark.skipif(not BBC.is_file(), reason=f"{BBC} is absent: the shared corpora are not beside this checkout")


@pytest.fixture(scope="module")
def bbc_settings(tmp_path_factory):
    settings = settings_for(tmp_path_factory.mktemp("bbc") / "archive.db")
    paths = [str(BBC), str(SAMPLES)] + ([str(SEEDS)] if SEEDS.is_dir() else [])
    import_paths(open_store(settings), paths, workers=1)
    return settings


def fts5_only(settings):
    store = open_store(settings, read_only=True)
    assert store.postings() is None  # nothing built yet beside the archive: FTS5 alone
    return store


def with_postings(settings, monkeypatch, min_df: int):
    monkeypatch.setattr(postings, "MIN_DF", min_df)
    store = open_store(settings, read_only=True)
    store.postings(build=True)
    assert store._fast() is not None
    return store


def same_as_fts5(fast, expr: str) -> int:
    """Asserts that the postings give FTS5's own matches and bm25 scores for ``expr``; returns
    how many articles match."""
    ids, scores = fast.scored(expr)
    rows = fast.conn().execute("SELECT rowid, bm25(article_fts, 4.0, 2.0, 1.0) FROM article_fts"
                               " WHERE article_fts MATCH ? ORDER BY rowid", (expr,)).fetchall()
    assert ids.tolist() == [r[0] for r in rows], expr
    assert np.allclose(scores, [r[1] for r in rows], rtol=1e-12, atol=1e-12), expr
    return len(rows)


def outcome(store, q: str, extra: dict):
    r = store.search(SearchParams(q=q, **extra))
    return (r.total, r.partial_total, [h.id for h in r.hits], [h.match for h in r.hits],
            {k: [(f.value, f.count) for f in v] for k, v in r.facets.items()})


@pytest.mark.parametrize("min_df", [1, 50])
def test_searches_over_postings_give_the_same_pages_as_fts5(bbc_settings, monkeypatch, tmp_path, min_df):
    plain = fts5_only(bbc_settings)
    expected = {(q, i): outcome(plain, q, f) for q in QUERIES for i, f in enumerate(FILTERS)}
    fast = with_postings(bbc_settings, monkeypatch, min_df)
    assert len(fast.postings().terms) > (4_000 if min_df == 1 else 500)
    for (q, i), want in expected.items():
        assert outcome(fast, q, FILTERS[i]) == want, (q, FILTERS[i])
    fast.close()
    import shutil
    shutil.rmtree(fast.cache_path("postings"))  # the next test starts without


def test_scores_over_postings_are_fts5_bm25(bbc_settings, monkeypatch):
    fast = with_postings(bbc_settings, monkeypatch, 1)
    checked = 0
    for q in QUERIES:
        compiled = compile_query(parse_query(q).tree)
        for expr in filter(None, (compiled.match, compiled.exclude)):
            checked += same_as_fts5(fast, expr)
    assert checked > 5_000
    import shutil
    fast.close()
    shutil.rmtree(fast.cache_path("postings"))


def test_broad_prefixes_read_their_rare_words_as_ranges_with_fts5_scores(bbc_settings, monkeypatch):
    """Between two frequent words of a prefix, its rare words are read as one range of the index:
    the same articles and bm25 as FTS5's prefix query."""
    from app.storage.sqlite_postings import RANGE_MIN

    fast = with_postings(bbc_settings, monkeypatch, 50)
    evaluator, ranges = fast._fast().evaluator, []
    real = evaluator.rare
    evaluator.rare = lambda runs: ranges.extend(r for r in runs if len(r) >= RANGE_MIN) or real(runs)
    for expr in ('"co"*', '"s"*', '"pre"* AND "tr"*', '"in"* OR "ma"*'):
        same_as_fts5(fast, expr)
    assert len(ranges) > 20  # the range reads were taken
    import shutil
    fast.close()
    shutil.rmtree(fast.cache_path("postings"))


def test_stale_postings_are_not_used_after_an_import(bbc_settings, monkeypatch, tmp_path):
    fast = with_postings(bbc_settings, monkeypatch, 1)
    key = fast.postings().key
    import_paths(open_store(bbc_settings), [str(ROOT / "tests" / "fixtures" / "cp1252.txt")], workers=1)
    assert fast.index_key() != key
    assert fast.postings() is None and fast._fast() is None  # stale: FTS5 answers until rebuilt
    assert fast.postings(build=True).key == fast.index_key()


@pytest.mark.parametrize("expr", ['NEAR("a" "b", 10)', '"a" "b"', "(", '"a" AND'])
def test_expressions_outside_the_subset_are_left_to_fts5(expr):
    with pytest.raises(Unsupported):
        parse(expr)


def test_the_parser_reads_what_the_compiler_writes():
    for q in QUERIES:
        compiled = compile_query(parse_query(q).tree)
        for expr in filter(None, (compiled.match, compiled.exclude)):
            parse(expr)  # never Unsupported for a compiled word query



def test_a_search_reads_each_phrase_once_and_the_cache_stays_bounded(bbc_settings, monkeypatch):
    from app.search import evaluate

    fast = with_postings(bbc_settings, monkeypatch, 50)
    evaluator = fast._fast().evaluator
    calls = []
    real = evaluator.fts5_leaf
    evaluator.fts5_leaf = lambda leaf: calls.append(leaf) or real(leaf)
    fast.search(SearchParams(q='"prime minister" blair'))  # total, page and partial matches
    assert calls and len(calls) == len(set(calls))  # each phrase (and stem variant) read once
    assert not evaluator._cache  # forgotten when the search ends: a server has dozens of threads
    monkeypatch.setattr(evaluate, "CACHE_BYTES", 1)
    for q in ("said", "government", "police", "minist*"):
        for leaf in leaves(parse(compile_query(parse_query(q).tree).match)):
            evaluator.leaf(leaf)
    assert len(evaluator._cache) == 1  # only the newest phrase survives a tiny budget
    fast.close()
    import shutil
    shutil.rmtree(fast.cache_path("postings"))


def test_phrases_of_two_frequent_words_are_scored_from_their_pair_postings(bbc_settings, monkeypatch):
    """Two-word phrases of the hot words come from the pairs table, built from FTS5's positions:
    the same articles and bm25 as FTS5's phrase query; a pair too rare for the table goes to FTS5."""
    fast = with_postings(bbc_settings, monkeypatch, 50)
    pairs = fast.postings().pairs
    assert pairs is not None and len(pairs.words) > 300 and len(pairs.codes) > 500
    evaluator, asked = fast._fast().evaluator, []
    real = evaluator.fts5_leaf
    evaluator.fts5_leaf = lambda leaf: asked.append(leaf.text) or real(leaf)
    checked = 0
    for expr in ('"of the"', '"the prime minister"', '"said the" OR "in the"', '"the of"', '"de la"',
                 '"of the" AND "said"', '"chief executive"', '{title} : "of the"'):
        checked += same_as_fts5(fast, expr)
    assert checked > 3_000
    # only the pair too rare for the table went to FTS5 leaf by leaf; the three-word phrase and
    # the column filter, which the table cannot answer, went to FTS5 whole
    assert asked == ["the of"], asked
    from app.search.evaluate import Leaf
    assert evaluator.from_postings(Leaf("of the")) and not evaluator.from_postings(Leaf("the prime minister"))
    assert not evaluator.from_postings(Leaf("of the", column="title"))
    reopened = open_store(bbc_settings, read_only=True)  # and they are found again beside the archive
    assert reopened.postings().pairs is not None and len(reopened.postings().pairs.codes) == len(pairs.codes)
    import shutil
    fast.close()
    shutil.rmtree(fast.cache_path("postings"))
    shutil.rmtree(fast.cache_path("pairs"))


def test_pairs_of_a_block_follow_positions_and_weigh_columns():
    from app.search import phrase_pairs as PP

    doc = np.array([7, 7, 7, 7, 9, 9])
    col = np.array([0, 0, 2, 2, 2, 2])
    off = np.array([0, 1, 5, 6, 3, 5])  # article 7: "a b" in the title and in the body; 9: not adjacent
    words = np.array([0, 1, 0, 1, 0, 1])
    combined, weight = PP.block_pairs(PP.instance_key(doc, col, off)[::-1].copy(), words[::-1].copy(), 2)
    assert (combined >> 32).tolist() == [1] and (combined & 0xFFFFFFFF).tolist() == [7] and weight.tolist() == [5]


def test_the_pairs_table_is_built_block_by_block_in_bounded_pieces(tmp_path):
    """Pairs spread over several blocks of articles come out with their articles ascending and
    their frequencies summed per article; pairs in too few articles are left out."""
    from app.search import phrase_pairs as PP

    rng = np.random.default_rng(7)
    n_docs, length = 60, 40
    text = rng.integers(0, 3, size=(n_docs, length))  # words 0..2 ("a", "b", "c") in 60 bodies
    text[:5] = 3  # five articles of a fourth word only, never paired with the others
    expect: dict[tuple[int, int], dict[int, int]] = {}
    for doc in range(n_docs):
        for i in range(length - 1):
            per = expect.setdefault((int(text[doc, i]), int(text[doc, i + 1])), {})
            per[doc] = per.get(doc, 0) + 1  # body: weight 1
    docs, offsets = np.divmod(np.arange(n_docs * length), length)
    keys = PP.instance_key(docs, np.full(len(docs), 2), offsets)
    instances = ((w, keys[text.ravel() == w]) for w in range(4))
    table = PP.build(["a", "b", "c", "d"], instances, np.array([0, 17, 35, 61]), np.arange(n_docs), 6, str(tmp_path))
    names = "abcd"
    for (x, y), per in expect.items():
        got = table.get(names[x], names[y])
        if len(per) < 6:
            assert got is None
            continue
        assert got[0].tolist() == sorted(per) and got[1].tolist() == [per[d] for d in sorted(per)]
    assert table.get("d", "d") is None and table.get("a", "zz") is None
    assert list(tmp_path.iterdir()) == []  # the scratch files are gone
    # an article the DocIndex does not hold (here 20) is left out, the others keep their rows
    pos = np.arange(n_docs)
    pos[20] = -1
    instances = ((w, keys[text.ravel() == w]) for w in range(4))
    partial = PP.build(["a", "b", "c", "d"], instances, np.array([0, 17, 35, 61]), pos, 6, str(tmp_path))
    for x, y in (("a", "b"), ("c", "a"), ("b", "b")):
        whole, part = table.get(x, y), partial.get(x, y)
        held = whole[0] != 20
        assert part[0].tolist() == whole[0][held].tolist() and part[1].tolist() == whole[1][held].tolist()


@pytest.mark.parametrize("lookups", [0, 3, 10**9])
def test_the_proximity_tier_checked_on_the_best_matches_gives_the_same_pages(bbc_settings, monkeypatch, lookups):
    """SQLite checks NEAR only when the phrase matches do not fill the page, on the best-scored
    matches of several words, a chunk at a time (then, past NEAR_LOOKUPS articles, on the rest at
    once): the same pages as every match checked by one NEAR over the index."""
    from app.search import engine
    from app.storage.sqlite import SqliteStore

    queries = ["government minister said", "oil prices opec", "police attaque Paris", "Blair Brown election",
               "said police", "mobile phone", "chief executive profits", "the of"]
    store = fts5_only(bbc_settings)
    monkeypatch.setattr(SqliteStore, "match_among", None)  # every match checked by one NEAR over the index
    cases = [(q, {"page": page, "page_size": size, "recency": recency})
             for q in queries for page in (1, 2, 4) for size in (1, 3, 20) for recency in (False, True)]
    expected = [outcome(store, q, extra)[:3] for q, extra in cases]
    monkeypatch.undo()
    monkeypatch.setattr(SqliteStore, "NEAR_AMONG_FROM", 0)
    monkeypatch.setattr(SqliteStore, "NEAR_LOOKUPS", lookups)
    monkeypatch.setattr(engine, "NEAR_CHUNK", 1)  # as on a large archive: several chunks per page
    looked_up = []
    among = SqliteStore.match_among
    monkeypatch.setattr(SqliteStore, "match_among", lambda self, m, ids: looked_up.append(len(ids)) or among(self, m, ids))
    assert [outcome(store, q, extra)[:3] for q, extra in cases] == expected
    assert bool(looked_up) == (lookups > 0)  # the chunked path ran
