"""Article pages and the article API, on the seeds, our samples and our fixtures."""
from __future__ import annotations

import pytest

from tests.conftest import article_id_by_origin, needs_seeds

SEED_TITLES = {
    "000": "New Year’s Celebrations: European Police Request Moroccan Assistance",
    "001": "Euro-Moroccan Front to Counter Growing Terror Threat",
    "002": "Morocco, Three European Countries Set up Joint Security Cell",
}
# What an analyst expects each seed to be tagged with (at least).
SEED_TAGS = {
    "000": ({"ma", "fr", "be", "es", "de"}, {"bcij", "fbi"}),
    "001": ({"ma", "fr", "be", "es"}, set()),
    "002": ({"ma", "fr", "es", "be", "us"}, {"interpol", "cia", "us-state-department"}),
    "003": ({"us", "ma"}, {"bcij", "dgsn", "dgst", "fbi", "us-state-department"}),
    "004": ({"ma", "es", "fr", "be"}, set()),
}


def api_article(client, report, origin: str) -> dict:
    r = client.get(f"/api/articles/{article_id_by_origin(report, origin)}")
    assert r.status_code == 200
    return r.json()


@needs_seeds
@pytest.mark.parametrize("prefix,title", SEED_TITLES.items())
def test_seed_title_is_the_first_line_without_its_repeat(client, archive, prefix, title):
    a = api_article(client, archive[1], f"{prefix}_")
    assert a["title"] == title
    assert not a["title_derived"]
    assert not a["body"].startswith(title)


@needs_seeds
def test_seed_without_title_gets_a_short_derived_title(client, archive):
    a = api_article(client, archive[1], "003_")
    assert a["title_derived"]
    assert a["title"].startswith("Published on Monday")
    assert len(a["title"]) <= 101


@needs_seeds
def test_boilerplate_and_source_line_are_removed_and_source_kept(client, archive):
    a = api_article(client, archive[1], "003_")
    assert a["source"] == "Morocco World News"
    for junk in ("Add Comment", "Source: Morocco World News"):
        assert junk not in a["body"]
    assert "Add Comment" in a["original_text"]  # provenance keeps the text as imported
    assert "Share This" not in api_article(client, archive[1], "000_")["body"]


@needs_seeds
def test_french_teasers_are_not_part_of_the_body_nor_tagged(client, archive):
    a = api_article(client, archive[1], "004_")
    assert a["language"] == "fr"
    assert a["body"].startswith("Des pays européens")
    assert "Aller plus loin" not in a["body"] and "..." not in a["body"]
    assert "bcij" not in a["agencies"]  # the BCIJ appears only in a teaser of another article


@needs_seeds
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_english_seeds_are_detected_as_english(client, archive, prefix):
    assert api_article(client, archive[1], f"{prefix}_")["language"] == "en"


@needs_seeds
@pytest.mark.parametrize("prefix,expected", SEED_TAGS.items())
def test_each_seed_is_tagged_with_its_countries_and_agencies(client, archive, prefix, expected):
    countries, agencies = expected
    a = api_article(client, archive[1], f"{prefix}_")
    assert countries <= set(a["countries"]), a["countries"]
    assert agencies <= set(a["agencies"]), a["agencies"]


@needs_seeds
def test_article_page_shows_tags_linked_with_the_sentence_that_mentions_them(client, archive):
    aid = article_id_by_origin(archive[1], "003_")
    html = client.get(f"/articles/{aid}").text
    assert 'href="/agencies/bcij"' in html
    assert 'href="/countries/ma"' in html
    assert "is the primary agency that is in charge of counterterrorism prosecutions" in html
    assert "Original text as imported" in html


def test_title_with_markup_is_shown_as_text(client, archive):
    aid = article_id_by_origin(archive[1], "script-title.txt")
    html = client.get(f"/articles/{aid}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    search = client.get("/search", params={"q": "interpol alert"}).text
    assert "<script>alert(1)</script>" not in search


def test_windows_1252_and_bom_files_are_decoded(client, archive):
    for name in ("cp1252.txt", "bom.txt"):
        a = api_article(client, archive[1], name)
        assert "\ufffd" not in a["body"] and "\ufeff" not in a["title"]
    assert "é" in api_article(client, archive[1], "cp1252.txt")["body"]


@pytest.mark.parametrize("path", ["/articles/999999", "/articles/abc", "/articles/-1", "/countries/zz", "/agencies/nope",
                                  "/tags/nothing-here", "/no/such/page"])
def test_unknown_ids_and_slugs_give_a_real_404_page(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "text/html" in r.headers["content-type"]
    assert "Back to the archive" in r.text


def test_api_unknown_article_is_a_json_404(client):
    r = client.get("/api/articles/424242")
    assert r.status_code == 404 and "detail" in r.json()


def test_api_article_has_every_stored_field(client, archive):
    aid = next(line.article_id for line in archive[1].lines if line.article_id)
    a = client.get(f"/api/articles/{aid}").json()
    for field in ("id", "title", "body", "language", "source", "origin", "content_hash", "original_text",
                  "imported_at", "published_at", "countries", "agencies"):
        assert field in a
