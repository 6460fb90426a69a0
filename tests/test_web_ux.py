"""What a user hit on the pages (issue 13), each checked on the test archive through the app.
What only a browser shows (layout, focus, the "/" key) is in tests/browser/."""
from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import needs_seeds


def header_form(html: str) -> str:
    return re.search(r'<form class="searchbox".*?</form>', html, re.S).group()


def hrefs(html: str, cls: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'<a class="{cls}[^"]*" href="([^"]*)"', html)]


def test_the_header_search_box_carries_the_filters_to_a_new_query(client):
    form = header_form(client.get("/search", params={"q": "terrorisme", "country": "ma", "lang": "fr",
                                                     "sort": "newest", "page": "2"}).text)
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form))
    assert hidden == {"country": "ma", "lang": "fr", "sort": "newest"}  # not the page: a new query starts at 1


def test_one_clear_filters_link_drops_url_and_typed_filters(client):
    html = client.get("/search", params={"q": "terrorisme from:2024-03-01", "country": "ma"}).text
    assert html.count("Clear filters") == 1
    assert hrefs(html, "clear-filters") == ["/search?q=terrorisme"]
    assert "Clear filters" not in client.get("/search", params={"q": "terrorisme"}).text


def test_a_filter_typed_in_the_query_is_a_chip_and_its_facet_link_removes_it(client):
    html = client.get("/search", params={"q": "police country:ma"}).text
    assert hrefs(html, "chip") == ["/search?q=police"]
    selected = re.search(r'<li class="selected"><a href="([^"]+)"[^>]*>✕ Morocco', html)
    assert selected and unescape(selected.group(1)) == "/search?q=police"


def test_newest_first_lists_undated_articles_last_and_says_how_many(client):
    data = client.get("/api/search", params={"sort": "newest", "page_size": "100"}).json()
    dated = [bool(h["published_at"]) for h in data["results"]]
    assert dated == sorted(dated, reverse=True) and True in dated and False in dated
    undated = dated.count(False)
    assert data["histogram"]["undated"] == undated
    html = client.get("/search", params={"sort": "newest"}).text
    assert f"{undated} of these articles have no publication date: listed last." in html


def test_home_latest_and_entity_pages_put_undated_articles_last(client):
    home = client.get("/").text
    latest = re.search(r"<h2>Latest articles</h2>(.*?)</ul>", home, re.S).group(1)
    marks = re.findall(r'<span class="meta">(<span>\d{4}-\d\d-\d\d</span>|<span class="undated">)', latest)
    dated = [m.startswith("<span>") for m in marks]
    assert dated == sorted(dated, reverse=True) and True in dated
    assert "without a date come after the dated ones" in home
    page = client.get("/countries/ma").text
    assert re.search(r"newest first \(\d+ without a publication date, listed last\)", page)


def test_filters_follow_the_results_in_a_disclosure_that_works_without_javascript(client):
    html = client.get("/search", params={"q": "police", "country": "ma"}).text
    assert html.index('<ol class="hits"') < html.index('<details class="filters"')
    assert "<summary>Filters (1 active)</summary>" in html


def test_armed_groups_have_their_own_filter_facet_chip_and_pages(client):
    data = client.get("/api/search", params={"q": "isis"}).json()
    assert [f["value"] for f in data["facets"]["group"]] == ["isis"]
    assert "isis" not in [f["value"] for f in data["facets"]["agency"]]
    assert any("isis" in h["groups"] for h in data["results"])
    narrowed = client.get("/api/search", params={"group": "isis"}).json()
    assert narrowed["total"] == data["facets"]["group"][0]["count"]
    assert narrowed["query"] == "group is Islamic State"
    typed = client.get("/api/search", params={"q": "group:isis"}).json()
    old_link = client.get("/api/search", params={"agency": "isis"}).json()
    assert typed["total"] == old_link["total"] == narrowed["total"]
    assert client.get("/groups/isis").status_code == 200
    moved = client.get("/agencies/isis", follow_redirects=False)
    assert moved.status_code == 307 and moved.headers["location"].endswith("/groups/isis")
    assert "Islamic State" in client.get("/groups").text
    assert client.get("/groups/bcij").status_code == 404


def test_the_suggested_filter_for_a_group_is_a_group_filter(client):
    data = client.get("/api/search", params={"q": "Daech"}).json()
    assert {"kind": "group", "name": "Islamic State", "url": "/api/search?q=Daech&group=isis"} in data["suggestions"]


def test_entity_evidence_shows_every_sentence_folded_after_three_with_the_mention_marked(client):
    data = client.get("/api/search", params={"country": "ma", "sort": "relevance"}).json()
    article = max((client.get(f"/api/articles/{h['id']}").json() for h in data["results"]),
                  key=lambda a: max(len(t["sentences"]) for t in a["tags"]))
    tag = max(article["tags"], key=lambda t: len(t["sentences"]))
    assert len(tag["sentences"]) > 3 and len(tag["mentions"]) == len(tag["sentences"])
    start, end = tag["mentions"][0][0]
    html = client.get(f"/articles/{article['id']}").text
    assert f"<summary>Show all {len(tag['sentences'])} sentences</summary>" in html
    assert f"<mark>{tag['sentences'][0][start:end]}</mark>" in unescape(html)


def test_numbered_pages_and_a_page_past_the_end_says_so_once(client):
    html = client.get("/search", params={"page_size": "2", "page": "3"}).text
    assert '<a aria-current="page" href="/search?page_size=2&amp;page=3"><span class="visually-hidden">Page </span>3</a>' in html
    assert 'rel="prev"' in html and 'rel="next"' in html
    past = client.get("/search", params={"page_size": "2", "page": "999"}).text
    assert "There is no page 999:" in past and "Page 999 of" not in past


def test_the_api_carries_what_the_page_shows(client):
    data = client.get("/api/search", params={"q": "Hamouchi country:ma", "page_size": "3"}).json()
    assert data["did_you_mean"] == {"query": "Hammouchi country:ma", "url": "/api/search?q=Hammouchi+country%3Ama&page_size=3"}
    assert data["filters"] == [{"name": "country", "value": "ma", "label": "Morocco", "remove": "/api/search?q=Hamouchi&page_size=3"}]
    assert data["seconds"] >= 0 and data["page_size"] == 3
    many = client.get("/api/search", params={"page_size": "2", "page": "2"}).json()
    assert len(many["results"]) == 2 and many["pages"] >= 3
    links = many["links"]
    assert links["prev"] == "/api/search?page_size=2" and links["next"] == "/api/search?page_size=2&page=3"
    assert links["page"] == "/search?page_size=2&page=2" and links["last"].endswith(f"page={many['pages']}")
    assert many["histogram"]["buckets"] and all(b["url"].startswith("/api/search?") for b in many["histogram"]["buckets"])
    assert all(h["url"] == f"/articles/{h['id']}" for h in many["results"])


def test_openapi_documents_every_search_parameter_with_its_values(client):
    params = {p["name"]: p for p in client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]}
    assert set(params) == {"q", "country", "agency", "group", "lang", "source", "tag", "from", "to", "about", "located",
                           "collapse", "recency", "sort", "mode", "page", "page_size"}
    assert all(len(p.get("description", "")) > 20 for p in params.values())
    assert all(word in params["sort"]["description"] for word in ("relevance", "newest", "oldest"))
    assert "1 to 100" in params["page_size"]["description"]


def test_a_page_size_out_of_range_is_explained_not_an_error(client):
    data = client.get("/api/search", params={"page_size": "1000"}).json()
    assert data["page_size"] == 20 and any("page_size" in w for w in data["warnings"])


def test_not_found_pages_say_it_once_in_words(client):
    html = client.get("/no-such-page").text
    assert "<title>Not found · newsarchive</title>" in html and "Not Found" not in html


def test_no_meta_line_starts_with_a_separator(client):
    for path in ("/", "/search", "/countries/ma", "/groups/isis", "/agencies/interpol"):
        html = client.get(path).text
        assert not re.search(r'class="meta">\s*(·|<span>\s*·)', html), path


def test_article_pages_show_the_origin_relative_to_the_import_not_the_server_path(client, archive):
    _, report = archive
    line = next(ln for ln in report.lines if ln.article_id and "samples" in ln.origin)
    html = client.get(f"/articles/{line.article_id}").text
    shown = re.search(r"from <code>([^<]+)</code>", html).group(1)
    assert shown.startswith("samples/") and not shown.startswith("/")


def test_international_agencies_say_international_once(client):
    html = client.get("/agencies").text
    assert "international · international" not in html and "international" in html
    assert "international · international" not in client.get("/agencies/interpol").text


def test_result_links_carry_the_query_and_the_article_marks_the_searched_words(client):
    html = client.get("/search", params={"q": "cellule"}).text
    link = unescape(re.search(r'<a class="hit-title" href="([^"]+)"', html).group(1))
    assert re.fullmatch(r"/articles/\d+\?q=cellule", link)
    article = client.get(link).text
    body = re.search(r'<div class="body"[^>]*>(.*?)</div>', article, re.S).group(1)
    assert "<mark>cellule</mark>" in body.lower()
    assert "<mark>" not in client.get(link.split("?")[0]).text.split('<section class="why">')[0]


def test_the_histogram_labels_its_axes_counts_and_undated_share(client):
    html = client.get("/search").text
    figure = re.search(r'<figure class="histogram".*?</figure>', html, re.S).group()
    assert 'class="histogram-y"' in figure and 'class="bar-count"' in figure
    assert re.search(r"\d+ dated, \d+ without a date", figure)
    assert "Most of these articles have no publication date" in figure  # the test archive: mostly undated


def test_toggles_name_the_action_they_take(client):
    html = client.get("/search", params={"q": "police"}).text
    assert "Count only articles about each" in html and "favour recent articles" in html
    assert "show one result per story" in html
    about = client.get("/search", params={"q": "police", "about": "1", "recency": "1", "collapse": "1"}).text
    assert "Count every article that mentions each" in about and "stop favouring recent articles" in about
    assert "show every version" in about


def test_pages_have_a_skip_link_one_h1_and_a_shortcut_script(client):
    for path in ("/", "/search?q=police", "/countries/ma"):
        html = client.get(path).text
        assert '<a class="skip-link" href="#content">' in html and '<main id="content"' in html, path
        assert html.count("<h1") == 1, path
    assert 'event.key !== "/"' in client.get("/static/keys.js").text


@needs_seeds
def test_french_text_is_marked_as_french(client):
    data = client.get("/api/search", params={"lang": "fr"}).json()
    html = client.get("/search", params={"lang": "fr"}).text
    assert html.count('lang="fr"') >= 2 * len(data["results"])  # title and snippet of each
    article = client.get(f"/articles/{data['results'][0]['id']}").text
    assert '<div class="body" lang="fr">' in article


def test_an_entity_page_lists_its_names_with_one_separator_each(client):
    html = client.get("/countries/ma").text
    meta = re.search(r'<p class="meta">(.*?)</p>', html, re.S).group(1)
    assert '<bdi lang="fr">Maroc</bdi> (fr)' in meta and "<span" not in meta  # .meta spans get a " · " each
