"""Every search, entity and tag page as CSV, JSON and Atom: all matches (up to a stated limit),
the search's own filters and order, cells a spreadsheet will not run, feeds that parse."""
from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from app.search import export
from app.search.export import safe_cell
from app.search.feed import rfc3339
from app.web.atom import xml_text
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
VIEWS = ["q=police", "q=police%20cell", "q=moroccan%20police&recency=1", "country=ma", "q=terrorisme&lang=fr", "agency=bcij&sort=newest", "q=cell&sort=oldest",
         "country=ma&country=es", "q=police&collapse=1", "q=zzzznothing"]


def api_total(client, query: str) -> int:
    return client.get(f"/api/search?{query}").json()["total"]


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("query", VIEWS)
def test_csv_holds_every_match_of_the_search_in_its_order(client, query):
    r = client.get(f"/search.csv?{query}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    header, *rows = csv_rows(r.text)
    assert header == ["id", "title", "date", "source", "url", "language", "countries", "agencies", "groups", "tags"]
    total = api_total(client, query)
    assert len(rows) == total == int(r.headers["x-total-count"])
    first_page = [h["id"] for h in client.get(f"/api/search?{query}").json()["results"] if h["match"] == "full"]
    assert [int(row[0]) for row in rows[:len(first_page)]] == first_page


@pytest.mark.parametrize("query", VIEWS)
def test_json_export_has_the_total_the_filters_and_every_article(client, query):
    data = client.get(f"/search.json?{query}").json()
    assert data["total"] == data["count"] == len(data["articles"]) == api_total(client, query)
    assert data["truncated"] is False and data["limit"] == export.MAX_ROWS and "complete" in data["note"]
    params = parse_qs(query)
    for article in data["articles"]:
        for code in params.get("country", []):
            assert code in article["countries"]
        for slug in params.get("agency", []):
            assert slug in article["agencies"]
        for lang in params.get("lang", []):
            assert article["language"] == lang
    assert set(data["links"]) == {"csv", "json", "atom"}


def test_exported_rows_carry_the_articles_countries_agencies_and_groups(client):
    article = client.get("/search.json?q=police").json()["articles"][0]
    page = client.get(f"/api/articles/{article['id']}").json()
    assert article["countries"] == [t["entity_id"] for t in page["tags"] if t["type"] == "country"]
    assert article["agencies"] == [t["entity_id"] for t in page["tags"] if t["type"] not in ("country", "group")]
    assert article["groups"] == [t["entity_id"] for t in page["tags"] if t["type"] == "group"]
    assert article["title"] == page["title"] and article["language"] == page["language"]


def test_a_limit_cuts_the_file_and_the_file_says_so(client):
    total = api_total(client, "country=ma")
    assert total > 3
    data = client.get("/search.json?country=ma&limit=3").json()
    assert data["truncated"] is True and data["count"] == 3 and len(data["articles"]) == 3 and data["total"] == total
    assert f"first 3 of {total}" in data["note"]
    rows = csv_rows(client.get("/search.csv?country=ma&limit=3").text)
    assert len(rows) == 1 + 3 + 1 and rows[-1][0].startswith("# truncated: the first 3 of")
    full = csv_rows(client.get("/search.csv?country=ma").text)
    assert not full[-1][0].startswith("#") and len(full) == 1 + total


@pytest.mark.parametrize("raw", ["0", "-5", "abc", "99999999999"])
def test_a_limit_that_is_not_a_row_count_falls_back_to_the_maximum_and_says_so(client, raw):
    r = client.get(f"/search.json?country=ma&limit={raw}")
    assert r.status_code == 200 and r.json()["limit"] == export.MAX_ROWS
    assert "the limit is" in r.headers["x-limit-note"]


def test_the_export_reads_rows_a_chunk_at_a_time(client, monkeypatch):
    store = client.app.state.store
    sizes = []
    read = type(store).export_rows
    monkeypatch.setattr(export, "CHUNK", 2)
    monkeypatch.setattr(type(store), "export_rows", lambda self, ids: sizes.append(len(ids)) or read(self, ids))
    data = client.get("/search.json?country=ma").json()
    assert len(data["articles"]) == data["total"] and max(sizes) == 2 and len(sizes) == -(-data["total"] // 2)


@pytest.mark.parametrize("value,shown", [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"),
                                         ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("Rabat", "Rabat"), ("", "")])
def test_cells_that_would_start_a_formula_get_a_quote(value, shown):
    assert safe_cell(value) == shown


BODY = ("{city} police and the DGST arrested {n} suspects on {day}, the interior ministry of Morocco said. "
        "Investigators had followed the {thing} for months with Spanish colleagues before the arrests. "
        "The operation is one more step of the cooperation between Rabat and Madrid against terrorism.")
HOSTILE = [
    {"title": '=HYPERLINK("http://evil.example","click")', "city": "Tangier", "url": "javascript:alert(1)", "date": "2024-05-02"},
    {"title": "+cmd|' /C calc'!A0", "city": "Fes", "url": "https://news.example/a?x=1&y=<2>", "date": "2024-06-01"},
    {"title": "@SUM(1+1) and a \x01 control", "city": "Oujda", "url": "http://news.example/b"},
    {"title": "-2+3 <b>not bold</b>", "city": "Nador", "date": "2023-01-01"},
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    lines = [json.dumps({"title": h["title"], "url": h.get("url"), "date": h.get("date"), "category": ["Security", "Maghreb"][i % 2],
                         "text": BODY.format(city=h["city"], n=i + 2, day=["Monday", "Friday", "Sunday", "Tuesday"][i],
                                             thing=["cell", "network", "group", "recruiters"][i])})
             for i, h in enumerate(HOSTILE)]
    (folder / "hostile.jsonl").write_text("\n".join(lines), encoding="utf-8")
    from tests.conftest import settings_for

    settings = settings_for(folder / "hostile.db")
    report = import_paths(open_store(settings), [str(folder / "hostile.jsonl")], workers=1)
    assert sum(1 for line in report.lines if line.article_id) == len(HOSTILE)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        yield c


def test_csv_cells_from_hostile_titles_are_not_formulas(hostile):
    _, *rows = csv_rows(hostile.get("/search.csv?q=police").text)
    titles = {row[1] for row in rows}
    assert titles == {"'" + h["title"] if h["title"][0] in "=+-@" else h["title"] for h in HOSTILE}
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_the_feed_is_valid_atom_newest_first_undated_last_with_only_http_links(hostile):
    r = hostile.get("/search.atom?q=police")
    assert r.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(r.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["+cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","click")', "-2+3 <b>not bold</b>",
                      "@SUM(1+1) and a  control"]
    assert [e.findtext(f"{ATOM}published") for e in entries] == ["2024-06-01T00:00:00Z", "2024-05-02T00:00:00Z",
                                                                "2023-01-01T00:00:00Z", None]
    hrefs = [link.get("href") for link in feed.iter(f"{ATOM}link")]
    assert all(urlsplit(h).scheme in ("http", "https") for h in hrefs)
    assert "https://news.example/a?x=1&y=<2>" in hrefs and not any("javascript" in h for h in hrefs)
    for e in entries:
        assert e.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        assert e.findtext(f"{ATOM}id") and e.findtext(f"{ATOM}updated") and e.findtext(f"{ATOM}summary")
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "newsarchive"


def test_the_feed_of_a_filtered_search_holds_exactly_its_matches(client):
    for query in ("country=ma", "q=police&lang=en", "agency=bcij"):
        feed = ET.fromstring(client.get(f"/search.atom?{query}").content)
        ids = {int(e.findtext(f"{ATOM}id").rsplit("/", 1)[1]) for e in feed.findall(f"{ATOM}entry")}
        exported = {a["id"] for a in client.get(f"/search.json?{query}").json()["articles"]}
        assert ids == exported and len(ids) == api_total(client, query)


def test_xml_text_drops_what_xml_cannot_carry_and_dates_become_rfc3339():
    assert xml_text("a\x00b\x01c\x1fd\ud800e\tf") == "abcde\tf"
    assert rfc3339("2024-03-01") == "2024-03-01T00:00:00Z"
    assert rfc3339("2024-03-01 10:05:00") == "2024-03-01T10:05:00Z"
    assert rfc3339("2024-03-01T10:05:00+02:00") == "2024-03-01T08:05:00Z"
    assert rfc3339("not a date") is None and rfc3339(None) is None


@pytest.mark.parametrize("page,query", [("/search?q=police&country=ma", "q=police&country=ma"),
                                        ("/countries/ma", "country=ma&sort=newest"),
                                        ("/agencies/bcij", "agency=bcij&sort=newest")])
def test_search_and_entity_pages_link_their_exports_and_their_feed(client, page, query):
    html = client.get(page).text
    assert f'<link rel="alternate" type="application/atom+xml" title="Atom feed of these results" href="/search.atom?{query.replace("&", "&amp;")}">' in html
    for fmt in ("csv", "json", "atom"):
        assert f'href="/search.{fmt}?{query.replace("&", "&amp;")}"' in html


def test_a_tag_page_links_its_exports_and_they_hold_the_tagged_articles(hostile):
    tags = hostile.get("/api/search").json()["facets"]["tag"]
    assert tags, "the hostile archive's category column gives every article a source tag"
    tag, count = tags[0]["value"], tags[0]["count"]
    html = hostile.get(f"/tags/{tag}").text
    assert 'href="/search.csv?tag=' in html and 'rel="alternate" type="application/atom+xml"' in html
    data = hostile.get("/search.json", params={"tag": tag, "sort": "newest"}).json()
    assert data["total"] == count == len(data["articles"]) and all(tag in a["tags"] for a in data["articles"])
    feed = ET.fromstring(hostile.get("/search.atom", params={"tag": tag}).content)
    assert len(feed.findall(f"{ATOM}entry")) == count


def test_the_api_links_the_exports_of_the_same_search(client):
    links = client.get("/api/search?q=police&country=ma&page=2").json()["links"]
    exports = {name: links[name] for name in ("csv", "json", "atom")}  # beside the pages' links
    assert exports == {"csv": "/search.csv?q=police&country=ma", "json": "/search.json?q=police&country=ma",
                       "atom": "/search.atom?q=police&country=ma"}


@pytest.mark.parametrize("query", ["page=abc&sort=bogus", "from=notadate", "q=" + "x" * 3000, "country=zz",
                                   "q=%22unbalanced", "tag=%00"])
def test_exports_of_odd_addresses_still_answer(client, query):
    for fmt in ("csv", "json", "atom"):
        assert client.get(f"/search.{fmt}?{query}").status_code == 200
