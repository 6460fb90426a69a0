"""The entity API (/api/entities): names resolved the way the archive does, records with names,
acronyms, aliases and article counts, on the shared test archive and on a fresh one."""
from __future__ import annotations

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app
from tests.conftest import SAMPLES


def test_a_french_acronym_in_title_case_resolves_to_nato_first(client):
    r = client.get("/api/entities", params={"q": "Otan"})
    assert r.status_code == 200
    assert r.json()["entities"][0]["id"] == "nato"


def test_the_type_filter_keeps_one_kind_and_counts_every_match(client):
    body = client.get("/api/entities", params={"type": "country", "q": "guinea", "limit": "2"}).json()
    assert {e["type"] for e in body["entities"]} == {"country"}
    assert len(body["entities"]) == 2 and body["total"] >= 3  # Guinea, Guinea-Bissau, Equatorial Guinea


def test_counts_say_named_about_and_located_articles(client):
    ma = client.get("/api/entities/ma").json()
    assert ma["articles"]["mentioned"] >= 5 and ma["articles"]["about"] >= 1
    assert set(ma["articles"]) == {"mentioned", "about", "located"}


def test_an_entity_record_has_names_per_language_acronyms_and_aliases(client):
    nato = client.get("/api/entities/nato").json()
    assert nato["type"] == "agency" and nato["kind"] == "international" and nato["country"] is None
    assert "OTAN" in nato["acronyms"] and "NATO" in nato["acronyms"]
    assert nato["names"]["fr"] and "Otan" in nato["aliases"]
    assert nato["pages"]["search"] == "/api/search?agency=nato"


def test_a_name_instead_of_an_id_redirects_to_the_record(client):
    r = client.get("/api/entities/Maroc", follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"].endswith("/api/entities/ma")


def test_unknown_entities_and_bad_parameters_get_a_sentence_not_a_500(client):
    assert client.get("/api/entities/no-such-body-xyz").status_code == 404
    bad = client.get("/api/entities", params={"type": "planet"})
    assert bad.status_code == 400 and "type" in bad.json()["detail"]
    assert client.get("/api/entities", params={"limit": "0"}).status_code == 400
    assert client.get("/api/entities", params={"limit": "many"}).status_code == 400


def test_merges_and_analysts_aliases_show_in_both_records(fresh_db):
    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    db = fresh_db.database_url.removeprefix("sqlite:///")
    runner = CliRunner()
    assert runner.invoke(cli, ["entities", "merge", "dgst", "dgsn", "--db", db]).exit_code == 0
    assert runner.invoke(cli, ["entities", "add-alias", "bcij", "Brigade centrale", "--db", db]).exit_code == 0
    with TestClient(create_app(fresh_db)) as c:
        assert c.get("/api/entities/dgst").json()["merged_into"] == "dgsn"
        assert "dgst" in c.get("/api/entities/dgsn").json()["merged_from"]
        assert c.get("/api/entities/bcij").json()["analysts_aliases"] == ["Brigade centrale"]
        listed = c.get("/api/entities", params={"q": "dgst"}).json()["entities"]
        assert listed[0]["id"] == "dgst" and listed[0]["merged_into"] == "dgsn"


def test_the_entity_api_is_in_the_openapi_schema(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/entities" in paths and "/api/entities/{entity_id}" in paths
    assert "located" in str(paths["/api/entities/{entity_id}"])  or "EntityOut" in str(paths)
