"""The world map and the who-works-with-whom view of a result set: every link adds the filters it
names, and every number shown is the total of the search it links to."""
from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from app.search import pairs as pairs_module
from app.web import worldmap

VIEWS = ["q=police", "", "country=ma", "q=terrorisme", "agency=bcij&about=1"]


def api_total(client, url: str) -> int:
    return client.get("/api/search?" + urlsplit(url).query).json()["total"]


def map_links(page: str) -> list[tuple[str, str]]:
    svg = page[page.index("<svg"):page.index("</svg>")]
    return [(html.unescape(h), html.unescape(label)) for h, label in re.findall(r'<a href="([^"]+)" class="[^"]+" aria-label="([^"]+)"', svg)]


@pytest.mark.parametrize("query", VIEWS)
def test_each_country_on_the_map_links_to_its_articles_with_the_filter_added(client, query):
    page = client.get(f"/map?{query}").text
    links = map_links(page)
    facet = {f["value"]: f["count"] for f in client.get(f"/api/search?{query}").json()["facets"]["country"]}
    assert links, "the result set names countries"
    before = parse_qs(query)
    for href, label in links:
        after = parse_qs(urlsplit(href).query)
        added = set(after.get("country", [])) ^ set(before.get("country", []))
        assert len(added) == 1 and urlsplit(href).path == "/search"
        code = added.pop()
        assert {k: v for k, v in after.items() if k != "country"} == {k: v for k, v in before.items() if k != "country"}
        count = int(re.search(r": ([\d,]+) articles?", label)[1].replace(",", ""))
        if code in before.get("country", []):
            continue  # the selected country's link removes its filter
        assert count == api_total(client, href)
        if code in facet:
            assert facet[code] == count


def test_the_map_labels_every_country_it_links_and_hides_the_rest_from_screen_readers(client):
    page = client.get("/map?q=police").text
    svg = page[page.index("<svg"):page.index("</svg>")]
    assert 'role="group" aria-label="World map' in svg
    assert svg.count("<a ") == svg.count("<title>") == len(map_links(page)) > 0
    paths, _ = worldmap.shapes()
    assert svg.count("<path") == len(paths)
    assert svg.count('aria-hidden="true"') == len(paths) - svg.count("<a ")
    assert "<h2>Countries in these results</h2>" in page  # the same as a table, for whoever cannot see the map


def test_the_map_marks_a_selected_country_and_its_link_removes_the_filter(client):
    links = dict(map_links(client.get("/map?country=ma").text))
    morocco = next(h for h, label in links.items() if label.startswith("Morocco:"))
    assert "country=ma" not in morocco and "remove this filter" in next(v for k, v in links.items() if k == morocco)


def test_an_empty_result_set_draws_no_map_and_says_so(client):
    page = client.get("/map?q=zzzznothingmatches")
    assert page.status_code == 200 and "No country is named in these articles." in page.text


def test_the_outlines_come_from_the_packaged_svg_simplified_once():
    paths, (width, height) = worldmap.shapes()
    assert worldmap.shapes() is worldmap.shapes()  # cached after the first use
    assert (width, height) == (1000, 561) and len(paths) == 184  # every <g class="xx country"> of the package
    assert {"ma", "es", "fr", "us", "ad", "va"} <= set(paths)  # microstates keep an outline too
    assert sum(map(len, paths.values())) < 60_000


@pytest.mark.parametrize("d,points", [
    ("m10 10 5 0 0 5z", [[(10, 10), (15, 10), (15, 15)]]),
    ("M10 10L20 10H30V40", [[(10, 10), (20, 10), (30, 10), (30, 40)]]),
    ("m0 0c1 1 2 2 3 3s4 4 5 5", [[(0, 0), (3, 3), (8, 8)]]),
    ("m1 1 1 0zm2 2 1 0", [[(1, 1), (2, 1)], [(3, 3), (4, 3)]]),
    ("m1e1 0 -5-5", [[(10, 0), (5, -5)]]),
    ("m0 0 1", [[(0, 0)]]),  # a truncated path keeps what was read
    ("", []),
])
def test_path_data_is_read_as_absolute_points(d, points):
    assert worldmap.path_points(d) == points


def test_shades_grow_with_the_count_on_a_log_scale():
    assert [worldmap.shade(n, 1000) for n in (0, 1, 10, 100, 1000)] == [0, 1, 2, 4, 5]
    assert worldmap.shade(1, 1) == 5


def pair_links(page: str) -> list[tuple[str, int]]:
    found = re.findall(r'<a href="([^"]+)" aria-label="[^"]+: (\d+) articles?">', page)
    found += re.findall(r'<li><a href="([^"]+)">[^<]+</a>: ([\d,]+) articles?</li>', page)
    return [(html.unescape(h), int(n.replace(",", ""))) for h, n in found]


@pytest.mark.parametrize("query", VIEWS)
def test_each_pair_count_is_the_total_of_the_search_it_links_to(client, query):
    page = client.get(f"/pairs?{query}").text
    links = pair_links(page)
    assert links, "the result set names agencies and countries together"
    before = parse_qs(query)
    for href, n in links:
        after = parse_qs(urlsplit(href).query)
        added = sum(len(set(after.get(k, [])) - set(before.get(k, []))) for k in ("country", "agency"))
        assert added == 2 and after.get("q") == before.get("q")
        assert api_total(client, href) == n


def test_the_pairs_view_is_a_labelled_table_and_says_what_it_counts(client):
    page = client.get("/pairs?q=police").text
    assert '<table class="matrix" aria-labelledby="matrix-heading">' in page and "<caption" in page
    assert 'scope="col"' in page and 'scope="row"' in page
    assert f"Counted among the {pairs_module.TOP_AGENCIES} agencies" in page


def test_pair_counts_are_exact_across_blocks(client, monkeypatch):
    store = client.app.state.store
    idx = store.doc_index()
    import numpy as np

    from app.web.routes.pictures import kind_of

    mask = np.ones(idx.size, dtype=bool)
    whole = pairs_module.cooccurrence(idx, mask, False, kind_of)
    monkeypatch.setattr(pairs_module, "BLOCK", 3)
    blocked = pairs_module.cooccurrence(idx, mask, False, kind_of)
    assert whole.counts == blocked.counts and whole.counts


def test_pictures_of_odd_addresses_still_answer(client):
    for query in ("page=x&sort=bogus", "q=%22unbalanced", "country=zz", "from=nonsense", "q=" + "y" * 3000):
        for path in ("/map", "/pairs"):
            assert client.get(f"{path}?{query}").status_code == 200


def test_search_and_entity_pages_link_their_map_and_pairs(client):
    for page, query in (("/search?q=police", "q=police"), ("/countries/ma", "country=ma&amp;sort=newest")):
        text = client.get(page).text
        assert f'href="/map?{query}"' in text and f'href="/pairs?{query}"' in text
        assert f'href="/saved/new?{query}"' in text


def test_pairs_with_an_agency_are_listed_apart_from_country_pairs_most_named_first():
    co = pairs_module.Cooccurrence(agencies=[("bcij", 9), ("dgst", 5)], countries=[("ma", 9), ("es", 4)], counts={})
    for a, b, n in (("bcij", "ma", 7), ("bcij", "dgst", 2), ("ma", "es", 4), ("dgst", "es", 3), ("dgst", "ma", 0)):
        co.counts[(a, b)] = co.counts[(b, a)] = n
    assert co.top_pairs(10, with_agency=True) == [("bcij", "ma", 7), ("dgst", "es", 3), ("bcij", "dgst", 2)]
    assert co.top_pairs(10, with_agency=False) == [("ma", "es", 4)]
    assert co.top_pairs(1, with_agency=True) == [("bcij", "ma", 7)]
