"""Near-duplicate stories, related articles and versions, through the importer and HTTP."""
from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.ingest.load import import_paths
from app.search.params import SearchParams
from app.storage import sqlite_stories
from app.store import open_store
from tests.conftest import connect_to
from app.web.app import create_app
from tests.conftest import ROOT, SEEDS, needs_seeds, settings_for

WIRE = ("Moroccan and Spanish police arrested four suspects in Tangier and Ceuta on Tuesday, "
        "accused of recruiting fighters for the Islamic State group through encrypted messaging apps. "
        "The operation was led by the DGST with the Guardia Civil, according to a joint statement. "
        "Investigators seized phones, computers and propaganda material during searches of five homes. "
        "The suspects, aged between 19 and 34, are due to appear before an anti-terrorism judge in Rabat.")


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_reprint_under_another_title_joins_the_story_of_the_first(fresh_db, tmp_path):
    first = write(tmp_path, "a.txt", f"Four arrested in Tangier and Ceuta\n\n{WIRE}\n")
    reprint = write(tmp_path, "b.txt", f"Police dismantle recruitment cell\n\n{WIRE.replace('Tuesday', 'Tuesday morning')}\n\nShare This\n")
    store = open_store(fresh_db)
    import_paths(store, [first], workers=1)
    report = import_paths(store, [reprint], workers=1)
    line = report.lines[0]
    assert line.status == "near-duplicate" and line.reason.startswith("near-duplicate of #")
    client = TestClient(create_app(fresh_db))
    a = client.get(f"/api/articles/{line.article_id}").json()
    assert len(a["same_story"]) == 1
    assert "Other versions of this story" in client.get(f"/articles/{line.article_id}").text
    collapsed = client.get("/api/search", params={"q": "Tangier", "collapse": "1"}).json()
    assert collapsed["total"] == 1 and collapsed["results"][0]["versions"] == 2
    assert client.get("/api/search", params={"q": "Tangier"}).json()["total"] == 2


def test_a_chain_of_edits_in_one_import_is_one_story_named_after_its_first_article(fresh_db, tmp_path):
    v2 = WIRE.replace("on Tuesday", "on Tuesday morning")
    v3 = v2.replace("propaganda material", "extremist literature")
    other = ("The European Commission presented its budget for research on Wednesday, with more money for "
             "universities, laboratories and young scientists across the member states, officials said. ") * 2
    paths = [write(tmp_path, f"{name}.txt", f"{title}\n\n{body}\n") for name, title, body in (
        ("1", "Four arrested in Tangier", WIRE), ("2", "Other", other),
        ("3", "Recruiters held in Ceuta", v2), ("4", "Cell dismantled", v3))]
    report = import_paths(open_store(fresh_db), paths, workers=1)
    first, alone, second, third = report.lines
    assert [line.status for line in report.lines] == ["added", "added", "near-duplicate", "near-duplicate"]
    assert second.reason == f"near-duplicate of #{first.article_id}"
    client = TestClient(create_app(fresh_db))
    story = set(client.get(f"/api/articles/{third.article_id}").json()["same_story"])
    assert story == {first.article_id, second.article_id}
    assert client.get(f"/api/articles/{alone.article_id}").json()["same_story"] == []


@needs_seeds
def test_seeds_that_share_a_passage_are_related_not_the_same_story(fresh_db):
    store = open_store(fresh_db)
    report = import_paths(store, [str(SEEDS)], workers=1)
    assert report.count("near-duplicate") == 0
    ids = {line.origin.rsplit("/", 1)[-1][:3]: line.article_id for line in report.lines}
    client = TestClient(create_app(fresh_db))
    a = client.get(f"/api/articles/{ids['000']}").json()
    assert ids["001"] in a["related"] and a["same_story"] == []


def test_new_text_at_the_same_url_becomes_a_new_version(fresh_db, tmp_path):
    def record(title: str, text: str) -> str:
        return json.dumps({"title": title, "text": text, "url": "https://news.example/2024/cell", "date": "2024-03-05"})

    v1 = write(tmp_path, "v1.jsonl", record("Cell dismantled in Tangier", WIRE) + "\n")
    v2 = write(tmp_path, "v2.jsonl", record("Cell dismantled in Tangier (updated)",
                                            WIRE + " A fifth suspect was arrested in Tetouan on Wednesday.") + "\n")
    store = open_store(fresh_db)
    first = import_paths(store, [v1], workers=1).lines[0]
    second = import_paths(store, [v2], workers=1).lines[0]
    assert second.status == "updated" and second.article_id == first.article_id
    client = TestClient(create_app(fresh_db))
    a = client.get(f"/api/articles/{first.article_id}").json()
    assert a["title"].endswith("(updated)")
    assert [v["version"] for v in a["versions"]] == [1]
    old = client.get(a["versions"][0]["url"])
    assert old.status_code == 200 and "Cell dismantled in Tangier" in old.text and "fifth suspect" not in old.text
    assert client.get("/api/search", params={"q": "Tetouan"}).json()["total"] == 1
    assert client.get(f"/articles/{first.article_id}/versions/7").status_code == 404
    again = import_paths(store, [v1], workers=1).lines[0]
    assert again.status == "duplicate" and "older version" in again.reason


BBC_TAR = ROOT.parent / "shared" / "corpora" / "bbc-news" / "bbc-fulltext.tar.gz"


def _stories_of(settings) -> list[tuple[int, int]]:
    c = connect_to(settings)
    try:
        return c.execute("SELECT id, COALESCE(story_id, id) FROM article ORDER BY id").fetchall()
    finally:
        c.close()


@pytest.mark.skipif(not BBC_TAR.is_file(), reason=f"{BBC_TAR} is absent: the shared corpora are not beside this checkout")
def test_grouping_partition_by_partition_finds_the_same_stories_as_in_memory(tmp_path, monkeypatch):
    """Past KEYS_IN_MEMORY band keys the pass spills partitions to temporary files (bounded
    memory at a million articles); the stories must be exactly those found in one piece."""
    whole = settings_for(tmp_path / "whole.db")
    import_paths(open_store(whole), [str(BBC_TAR)], workers=1)
    monkeypatch.setattr(sqlite_stories, "KEYS_IN_MEMORY", 5_000)  # ~45,000 keys: 16 partitions
    monkeypatch.setattr(sqlite_stories, "CONFIRM_PAIRS", 50)
    parted = settings_for(tmp_path / "parted.db")
    import_paths(open_store(parted), [str(BBC_TAR)], workers=1)
    stories = _stories_of(whole)
    assert stories == _stories_of(parted)
    assert sum(1 for aid, story in stories if aid != story) >= 60  # BBC's edited reprints did group (67)


def test_a_new_version_leaves_no_word_of_the_old_text_in_the_index(fresh_db, tmp_path):
    """The index keeps no copy of its text: the old text's words are removed from the text as
    stored (sqlite_fts.unindex_row), and the index stays whole."""
    old = {"url": "https://example.org/a", "title": "Port raid", "text": "Customs seized zanzibarite ore at the port. " * 5}
    new = {"url": "https://example.org/a", "title": "Port raid", "text": "Customs seized quarzitol ore at the port. " * 5}
    store = open_store(fresh_db)
    import_paths(store, [write(tmp_path, "v1.json", json.dumps(old))], workers=1)
    import_paths(store, [write(tmp_path, "v2.json", json.dumps(new))], workers=1)
    assert store.search(SearchParams(q="quarzitol")).total == 1
    assert store.search(SearchParams(q="zanzibarite")).total == 0
    assert store.integrity_check()  # FTS5's integrity-check on SQLite: the index against the stored text


def test_an_index_built_by_another_normalisation_stops_writes_until_rebuilt(fresh_db, tmp_path):
    from app.cli import app as cli
    from typer.testing import CliRunner

    db = fresh_db.database_url.removeprefix("sqlite:///")
    import_paths(open_store(fresh_db), [write(tmp_path, "a.txt", "Title one\n\n" + WIRE)], workers=1)
    with connect_to(fresh_db) as c:
        c.execute("UPDATE meta SET value='0' WHERE key='index_text'")
    result = CliRunner().invoke(cli, ["import", "--db", db, write(tmp_path, "b.txt", "Title two\n\n" + WIRE + " More.")])
    assert result.exit_code == 2 and "rebuild-fts" in result.output
    assert CliRunner().invoke(cli, ["rebuild-fts", "--db", db]).exit_code == 0
    result = CliRunner().invoke(cli, ["import", "--db", db, write(tmp_path, "b.txt", "Title two\n\n" + WIRE + " More.")])
    assert result.exit_code == 0, result.output
