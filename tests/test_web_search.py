"""The search page and /api/search through HTTP, on a real archive."""
from __future__ import annotations

import pytest

from tests.conftest import needs_seeds


def search(client, **params) -> dict:
    r = client.get("/api/search", params=params)
    assert r.status_code == 200, r.text
    return r.json()


def titles(result: dict) -> list[str]:
    return [h["title"] for h in result["results"]]


@needs_seeds
def test_phrase_search_finds_the_joint_security_cell(client):
    r = search(client, q='"joint security cell"')
    assert r["total"] >= 1
    assert "Morocco, Three European Countries Set up Joint Security Cell" in titles(r)
    assert "<mark>" in r["results"][0]["snippet"]


@needs_seeds
@pytest.mark.parametrize("query,needle", [
    ("attacks", "attack"),            # English stemming
    ("terroristes", "terroriste"),    # French stemming
    ("securite", "sécurité"),         # accents ignored
    ("SÉCURITÉ", "sécurité"),         # case ignored
    ("renseignements", "renseignement"),
])
def test_words_match_whatever_their_endings_accents_and_case(client, query, needle):
    r = search(client, q=query)
    bodies = [client.get(f"/api/articles/{h['id']}").json()["body"].lower() for h in r["results"]]
    assert any(needle in body for body in bodies)
    assert any("<mark>" in h["snippet"] for h in r["results"])


@needs_seeds
def test_country_filter_narrows_and_is_combinable_with_query_and_agency(client):
    everything = search(client)["total"]
    morocco = search(client, country="ma")
    assert 0 < morocco["total"] <= everything
    assert all("ma" in h["countries"] for h in morocco["results"])
    both = search(client, country="ma", agency="bcij")
    assert 0 < both["total"] <= morocco["total"]
    assert all("bcij" in h["agencies"] for h in both["results"])
    narrowed = search(client, q="counterterrorism", country="ma", agency="bcij")
    assert narrowed["total"] <= both["total"]


@needs_seeds
def test_repeated_country_filters_mean_all_of_them(client):
    r = search(client, country=["ma", "us"])
    assert r["total"] >= 1
    assert all({"ma", "us"} <= set(h["countries"]) for h in r["results"])


@needs_seeds
def test_facet_counts_cover_the_whole_match_set(client):
    r = search(client, q="morocco")
    facets = {f["value"]: f["count"] for f in r["facets"]["country"]}
    assert facets["ma"] <= r["total"]
    # Each facet count equals the total when that filter is added.
    for value, count in list(facets.items())[:5]:
        assert search(client, q="morocco", country=value)["total"] == count
    langs = {f["value"]: f["count"] for f in r["facets"]["language"]}
    assert sum(langs.values()) <= r["total"]
    assert {"value", "label", "count"} <= set(r["facets"]["agency"][0])


@needs_seeds
def test_language_filter_keeps_only_french(client):
    r = search(client, lang="fr")
    assert r["total"] >= 1 and all(h["language"] == "fr" for h in r["results"])


def test_empty_query_lists_every_article(client, archive):
    r = search(client)
    assert r["total"] == archive[1].added


@needs_seeds
def test_or_and_exclusion_and_prefix(client):
    a, b = search(client, q="Interpol")["total"], search(client, q="Hammouchi")["total"]
    assert search(client, q="Interpol OR Hammouchi")["total"] >= max(a, b)
    assert search(client, q="morocco -interpol")["total"] < search(client, q="morocco")["total"]
    assert search(client, q="counterterror*")["total"] >= search(client, q="counterterrorism")["total"] > 0


def test_sort_newest_and_pagination(client):
    r1 = search(client, sort="newest", page="1")
    assert r1["page"] == 1
    html = client.get("/search", params={"sort": "oldest"}).text
    assert "<strong>oldest</strong>" in html


BAD_QUERIES = ['"unbalanced', "AND", "OR OR", "NOT", "NEAR(", "((((", "))", "*", "-", '"', "title:", "^x",
               "a:b:c", "{col}: x", "\x00", "'; DROP TABLE article; --", "é" * 5000, "x " * 3000, "😀 🚀",
               "country:", "agency:zz", "\\", "%", "col:(a OR", "NOT NOT NOT", "-(-(-x))"]


@pytest.mark.parametrize("q", BAD_QUERIES)
def test_any_query_gets_a_page_never_a_500(client, q):
    for path in ("/search", "/api/search"):
        r = client.get(path, params={"q": q})
        assert r.status_code in (200, 400), (q, r.status_code)


@pytest.mark.parametrize("params", [{"page": "abc"}, {"page": "-3"}, {"page": "99999999999"}, {"sort": "sideways"},
                                    {"country": "xx"}, {"lang": "klingon"}, {"page": "500"}])
def test_bad_parameters_get_an_explaining_page(client, params):
    r = client.get("/search", params=params)
    assert r.status_code in (200, 400)
    assert "<html" in r.text


def test_unbalanced_quote_is_explained_on_the_page(client):
    html = client.get("/search", params={"q": '"joint security'}).text
    assert "unbalanced quote" in html


@needs_seeds
def test_facet_links_add_and_remove_filters(client):
    html = client.get("/search", params={"q": "security"}).text
    assert 'href="/search?q=security&amp;country=ma"' in html
    html = client.get("/search", params={"q": "security", "country": "ma"}).text
    assert 'href="/search?q=security"' in html  # the selected value links back without it


@needs_seeds
def test_home_lists_latest_articles_and_entity_counts(client):
    html = client.get("/").text
    assert "Latest articles" in html and 'href="/countries/ma"' in html and 'href="/agencies/' in html


@needs_seeds
def test_country_agency_and_tag_pages_list_their_articles(client):
    for path in ("/countries/ma", "/agencies/bcij", "/tags/ma", "/countries/MA"):
        r = client.get(path)
        assert r.status_code == 200 and "/articles/" in r.text, path
    assert client.get("/countries").status_code == 200 and client.get("/agencies").status_code == 200


def test_openapi_docs_are_served(client):
    assert client.get("/docs").status_code == 200
    assert "/api/search" in client.get("/openapi.json").json()["paths"]


@needs_seeds
def test_when_no_article_has_every_word_the_ones_with_most_words_come_as_partial(client):
    r = search(client, q="Hammouchi zanzibarxyz")
    assert r["total"] == 0 and r["partial_total"] >= 1
    assert r["results"] and all(h["match"] == "partial" for h in r["results"])
    html = client.get("/search", params={"q": "Hammouchi zanzibarxyz"}).text
    assert "contain most of them" in html and "some of the words" in html


@needs_seeds
def test_full_matches_are_listed_before_partial_ones(client):
    r = search(client, q="Interpol Hammouchi")
    matches = [h["match"] for h in r["results"]]
    assert matches == sorted(matches)  # "full" < "partial"
    assert "partial" in matches


def test_date_range_filters_on_publication_date(client):
    dated = search(client, **{"from": "2024-03-01", "to": "2024-03-31"})
    assert dated["total"] >= 2  # two samples are dated March 2024
    assert all(h["published_at"].startswith("2024-03") for h in dated["results"])
    assert search(client, **{"from": "2024-03-04", "to": "2024"})["total"] == dated["total"] - 1
    assert search(client, q="to:2000")["total"] == 0
    html = client.get("/search", params={"from": "March"}).text
    assert "is not a date" in html


@needs_seeds
def test_source_facet_and_filter(client):
    r = search(client)
    sources = {f["value"]: f["count"] for f in r["facets"]["source"]}
    assert sources.get("Morocco World News") == 1
    assert search(client, source="Morocco World News")["total"] == 1
    assert search(client, q='source:"Morocco World News"')["total"] == 1


@needs_seeds
def test_a_misspelt_name_gets_a_did_you_mean_link(client):
    html = client.get("/search", params={"q": "Hamouchi"}).text
    assert "Did you mean" in html and 'href="/search?q=Hammouchi"' in html
    assert search(client, q="Hammouchi")["total"] >= 1


@needs_seeds
def test_a_country_named_in_french_suggests_the_country_filter(client):
    html = client.get("/search", params={"q": "Maroc"}).text
    assert 'href="/search?q=Maroc&amp;country=ma"' in html and "Filter by country: Morocco" in html
    # The filter finds the English articles too.
    assert search(client, country="ma")["total"] > search(client, q="Maroc")["total"]


@needs_seeds
def test_a_group_name_in_french_finds_articles_naming_it_otherwise(client):
    daech = {h["id"] for h in search(client, q="Daech")["results"]}
    isis = {h["id"] for h in search(client, q="ISIS")["results"]}
    assert isis <= daech and len(daech) > len({h["id"] for h in search(client, q='"Daech" -ISIS -Daesh')["results"]})


def test_the_date_histogram_links_each_bar_to_its_period(client):
    html = client.get("/search").text
    assert 'class="histogram"' in html
    import re

    # The dated samples span ten days of March 2024: one bar per day, each a link to its day.
    assert re.search(r'href="/search\?from=2024-03-(\d\d)&amp;to=2024-03-\1"', html)


@needs_seeds
def test_the_words_as_a_phrase_rank_ahead_of_the_same_words_scattered(client):
    r = search(client, q="security cell")
    first = client.get(f"/api/articles/{r['results'][0]['id']}").json()
    assert "security cell" in (first["title"] + " " + first["body"]).lower()


def test_recency_blend_is_an_option_of_relevance(client):
    plain = search(client, q="Interpol")
    recent = search(client, q="Interpol", recency="1")
    assert recent["total"] == plain["total"]
    assert sorted(h["id"] for h in recent["results"]) == sorted(h["id"] for h in plain["results"])
    assert "favour recent" in client.get("/search", params={"q": "Interpol"}).text


def test_source_provided_tags_are_a_facet_that_narrows_the_search(fresh_db):
    """Reuters' places and topics (and feed categories) count like our own tags do."""
    from fastapi.testclient import TestClient

    from app.ingest.load import import_paths
    from app.store import open_store
    from app.web.app import create_app
    from tests.conftest import FIXTURES

    import_paths(open_store(fresh_db), [str(FIXTURES / "readers" / "reut-sample.sgm")], workers=1)
    client = TestClient(create_app(fresh_db))
    facet = {f["value"]: f["count"] for f in search(client)["facets"]["tag"]}
    assert facet["place:usa"] >= 1 and facet["org:imf"] >= 1
    narrowed = search(client, tag="org:imf")
    assert 1 <= narrowed["total"] < search(client)["total"]
    page = client.get("/search", params={"tag": "org:imf"}).text
    assert "Source tags" in page and "✕ org:imf" in page


def test_an_archive_without_source_tags_shows_no_such_facet(client):
    assert "Source tags" not in client.get("/search").text
