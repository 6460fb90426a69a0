"""Pure pieces of the search page: chips, the pager's numbers, origins, highlighting, marks."""
from __future__ import annotations

import numpy as np
import pytest

from app.search import docindex
from app.search.chips import chips, cleared, cut, without
from app.search.engine import _first_ranked, label, merge_filters
from app.search.params import SearchParams
from app.search.query import parse
from app.search.snippets import Highlighter, for_query, marked
from app.web.origin import shown_origin
from app.web.pager import page_numbers


def chips_of(url_params: dict, q: str):
    params = SearchParams.from_query({"q": [q], **{k: [v] for k, v in url_params.items()}})
    parsed = parse(params.q)
    return params, parsed, chips(params, parsed, merge_filters(params, parsed), label)


def test_every_filter_from_the_url_or_the_query_is_one_chip():
    _, _, found = chips_of({"lang": "fr"}, "terrorisme country:ma from:2024-03-01")
    assert [(c.name, c.value, c.label) for c in found] == [
        ("country", "ma", "Morocco"), ("lang", "fr", "French"), ("from", "2024-03-01", "2024-03-01")]


def test_a_chip_for_a_filter_typed_in_the_query_removes_it_from_the_query_text():
    _, _, found = chips_of({"lang": "fr"}, "terrorisme country:ma from:2024-03-01")
    assert found[0].url == "/search?q=terrorisme+from%3A2024-03-01&lang=fr"
    assert found[2].url == "/search?q=terrorisme+country%3Ama&lang=fr"


def test_a_filter_both_in_the_url_and_the_query_is_one_chip_that_removes_both():
    params, parsed, found = chips_of({"country": "ma"}, "police country:MA")
    assert [c.value for c in found] == ["ma"]
    assert without(params, parsed, "country", "ma").url() == "/search?q=police"


def test_an_armed_group_given_as_an_agency_is_a_group_chip():
    params, parsed, found = chips_of({"agency": "isis"}, "attaque")
    assert [(c.name, c.kind, c.label) for c in found] == [("group", "group", "Islamic State")]
    assert found[0].url == "/search?q=attaque"


def test_clearing_drops_every_filter_but_keeps_the_words_and_the_view():
    params = SearchParams.from_query({"q": ['"joint cell" source:"Morocco World News" tag:place:usa'],
                                      "country": ["ma"], "to": ["2024"], "sort": ["newest"]})
    assert cleared(params, parse(params.q)).url() == "/search?q=%22joint+cell%22&sort=newest"


@pytest.mark.parametrize("text, spans, expected", [
    ("a country:ma b", [(2, 12)], "a b"),
    ("country:ma", [(0, 10)], ""),
    ("keep  as  typed", [], "keep  as  typed"),
])
def test_cutting_spans_out_of_a_query_tidies_the_spaces(text, spans, expected):
    assert cut(text, spans) == expected


@pytest.mark.parametrize("page, pages, expected", [
    (1, 1, []),
    (1, 2, [1, 2]),
    (999, 2, [1, 2]),
    (6, 40, [1, None, 4, 5, 6, 7, 8, None, 40]),
    (1, 10, [1, 2, 3, None, 10]),
    (5, 9, [1, 2, 3, 4, 5, 6, 7, 8, 9]),
])
def test_the_pager_shows_the_ends_and_the_pages_around_the_current_one(page, pages, expected):
    assert page_numbers(page, pages) == expected


@pytest.mark.parametrize("origin, paths, shown", [
    ("/srv/data/seeds/003.txt", ["/srv/data/seeds"], "seeds/003.txt"),
    ("/home/me/newsarchive/app/samples/01.txt", ["app/samples"], "samples/01.txt"),
    ("/srv/r.tar.gz!reut2-000.sgm", ["/srv/r.tar.gz"], "r.tar.gz!reut2-000.sgm"),
    ("/srv/one.txt", ["/srv/one.txt"], "one.txt"),
    ("/srv/elsewhere/two.txt", ["/other"], "two.txt"),
    ("https://example.org/a", [], "https://example.org/a"),
])
def test_an_origin_is_shown_relative_to_what_was_imported(origin, paths, shown):
    assert shown_origin(origin, paths) == shown


def test_searching_a_group_marks_its_other_names_whole_and_never_part_of_another_name():
    text = "The US State Department said the Islamic State group, ISIS and Daech stated it."
    html = str(for_query("isis").mark(text, "en"))
    assert "<mark>Islamic State</mark>" in html and "<mark>ISIS</mark>" in html and "<mark>Daech</mark>" in html
    assert "<mark>State</mark> Department" not in html and "<mark>stated" not in html


def test_a_phrase_is_marked_only_where_its_words_stand_together():
    html = str(Highlighter(set(), (), {("joint", "cell")}).mark("A joint cell; a cell, joint.", "en"))
    assert html == "A <mark>joint cell</mark>; a cell, joint."


def test_a_mention_is_marked_inside_its_sentence_after_escaping():
    assert str(marked("<b>BCIJ</b> & co", [(3, 7)])) == "&lt;b&gt;<mark>BCIJ</mark>&lt;/b&gt; &amp; co"
    assert str(marked("abc", [(5, 9), (1, 2), (0, 3)])) == "<mark>abc</mark>"


def test_date_order_puts_undated_articles_last_both_ways():
    arts = [(1, "en", "", 20260101000000, 0, 1), (2, "en", "", 20240301000000, 20240301000000, 2),
            (3, "en", "", 20260101000000, 0, 3), (4, "en", "", 20240305000000, 20240305000000, 4)]
    idx = docindex.build("g", arts, [], [])
    everything = np.ones(4, dtype=bool)
    assert idx.page_by_date(everything, True, 0, 4) == [4, 2, 3, 1]
    assert idx.page_by_date(everything, False, 0, 4) == [2, 4, 1, 3]
    assert idx.page_by_date(everything, True, 0, 1) == [4]
    assert idx.undated() == 2


def test_the_first_places_by_tier_score_and_id_are_those_of_a_full_sort():
    """The page's order is cut from a partial selection; with many ties at the cut, and tiers
    (phrase, near, scattered), it must be the full sort's."""
    rng = np.random.default_rng(1)
    for trial in range(2000):
        n = int(rng.integers(0, 60))
        ids = np.sort(rng.choice(1000, n, replace=False)).astype(np.int64)
        scores = rng.integers(0, 5, n) * 0.5  # few distinct scores: ties everywhere
        tier = rng.integers(0, 3, n).astype(np.int8) if trial % 2 else np.zeros(n, dtype=np.int8)
        first = int(rng.integers(1, 70))
        expected = ids[np.lexsort((ids, -scores, -tier))][:first]
        assert _first_ranked(ids, scores, tier, first).tolist() == expected.tolist(), trial
