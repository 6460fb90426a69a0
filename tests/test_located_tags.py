"""Located country tags in an archive: stored, filtered (located=0), counted, shown, re-tagged
(issue 14), on archives built by the real importer."""
from __future__ import annotations

from contextlib import closing

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app
from tests.conftest import article_id_by_origin, connect_to

ARTICLES = {
    "casablanca.txt": "Casablanca : deux suspects arrêtés après un braquage\n\n"
                      "La police a interpellé deux hommes mardi à Casablanca, après le braquage "
                      "d'une agence bancaire du centre-ville. Les enquêteurs cherchent un troisième suspect.",
    "maroc.txt": "Le Maroc et l'Espagne renforcent leur coopération contre le trafic de drogue\n\n"
                 "Les ministres de l'Intérieur du Maroc et de l'Espagne se sont rencontrés mardi "
                 "pour signer un accord de coopération policière, selon un communiqué commun.",
}


@pytest.fixture
def located_archive(fresh_db, tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    report = import_paths(open_store(fresh_db), [str(folder)], workers=1)
    ids = {name: article_id_by_origin(report, name) for name in ARTICLES}
    return fresh_db, ids


def _db(settings):
    return closing(connect_to(settings))


def search_ids(client, **params) -> set[int]:
    return {hit["id"] for hit in client.get("/api/search", params=params).json()["results"]}


def test_a_city_gives_its_country_a_located_only_tag_with_the_place_kept(located_archive):
    settings, ids = located_archive
    with _db(settings) as c:
        row = c.execute("SELECT about, located, located_only FROM article_entity WHERE article_id=? AND entity_id='ma'",
                        (ids["casablanca.txt"],)).fetchone()
        places = {r[0] for r in c.execute("SELECT place FROM mention WHERE article_id=? AND entity_id='ma'",
                                          (ids["casablanca.txt"],))}
    assert tuple(map(int, row)) == (0, 1, 1)
    assert places == {"Casablanca"}


def test_the_country_filter_includes_located_only_articles_unless_located_0(located_archive):
    settings, ids = located_archive
    with TestClient(create_app(settings)) as client:
        assert search_ids(client, country="ma") == {ids["casablanca.txt"], ids["maroc.txt"]}
        assert search_ids(client, country="ma", located="0") == {ids["maroc.txt"]}
        page = client.get("/countries/ma", params={"located": "0"})
        assert page.status_code == 200 and "Articles that name the country (located=0)" in page.text
        assert "or one of its cities or regions" in client.get("/countries/ma").text
        assert "one of its cities or regions" in client.get("/countries").text


def test_facets_say_what_they_count_and_count_accordingly(located_archive):
    settings, _ = located_archive
    with TestClient(create_app(settings)) as client:
        every = client.get("/api/search", params={"q": "mardi"}).json()["facets"]["country"]
        named = client.get("/api/search", params={"q": "mardi", "located": "0"}).json()["facets"]["country"]
        assert {f["value"]: f["count"] for f in every}["ma"] == 2
        assert {f["value"]: f["count"] for f in named}["ma"] == 1
        html = client.get("/search", params={"q": "mardi"}).text
        assert "Now an article naming Casablanca counts for Morocco." in html and "Count only countries named in the text" in html
        named_page = client.get("/search", params={"q": "mardi", "located": "0"}).text
        assert "Now leaving out articles that name only a city or region" in named_page
        assert "Count countries found through their cities and regions too" in named_page


def test_the_article_page_shows_the_place_that_justified_the_tag(located_archive):
    settings, ids = located_archive
    with TestClient(create_app(settings)) as client:
        page = client.get(f"/articles/{ids['casablanca.txt']}").text
        assert "located" in page and "through Casablanca" in page
        tag = next(t for t in client.get(f"/api/articles/{ids['casablanca.txt']}").json()["tags"]
                   if t["entity_id"] == "ma")
        assert tag["located_only"] is True and tag["places"] == ["Casablanca"]


def test_retag_adds_located_tags_to_an_older_archive_and_keeps_corrections(located_archive):
    settings, ids = located_archive
    db = settings.database_url.removeprefix("sqlite:///")
    with _db(settings) as c:  # as an archive tagged before places: no located rows
        c.execute("DELETE FROM article_entity WHERE located_only")
        c.execute("DELETE FROM mention WHERE place IS NOT NULL")
    runner = CliRunner()
    assert runner.invoke(cli, ["entities", "hide-tag", str(ids["maroc.txt"]), "es", "--db", db]).exit_code == 0
    result = runner.invoke(cli, ["retag", "--db", db])
    assert result.exit_code == 0, result.output
    with _db(settings) as c:
        casablanca = {r[0] for r in c.execute("SELECT entity_id FROM article_entity WHERE article_id=?",
                                              (ids["casablanca.txt"],))}
        maroc = {r[0] for r in c.execute("SELECT entity_id FROM article_entity WHERE article_id=?",
                                         (ids["maroc.txt"],))}
    assert "ma" in casablanca
    assert "ma" in maroc and "es" not in maroc  # the analyst's hide-tag is kept
