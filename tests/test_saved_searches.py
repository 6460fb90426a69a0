"""Saved searches: saved under a name in the archive, listed with their new articles since last
opened, followed by a feed, and reported by `newsarchive alerts` (for cron) since its last run."""
from __future__ import annotations

import json
import re
import sqlite3

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app
from tests.conftest import connect_to, SAMPLES

TOKEN = "a-long-enough-admin-token"
STORY = ("Moroccan police and the DGST arrested {n} suspects in {city} on {day}, the interior ministry said. "
         "Investigators had followed the {thing} for months with Spanish colleagues before the arrests. "
         "The operation is one more step of the cooperation between Rabat and Madrid against terrorism.")


def add_articles(settings, folder, names: list[str]) -> list[int]:
    """Import one article per name (a city): each names Morocco, Spain and the DGST."""
    folder.mkdir(exist_ok=True)
    for i, city in enumerate(names):
        (folder / f"{city}.txt").write_text(
            f"Arrests in {city}\n\n" + STORY.format(n=i + 2, city=city, day=f"day {i}", thing=f"{city} network"),
            encoding="utf-8")
    report = import_paths(open_store(settings), [str(folder / f"{c}.txt") for c in names], workers=1)
    return [line.article_id for line in report.lines if line.status == "added"]


@pytest.fixture
def archive_with_samples(fresh_db):
    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    return fresh_db


def app_client(settings, token=None):
    return TestClient(create_app(settings.model_copy(update={"admin_token": token})), raise_server_exceptions=False)


def new_counts(page: str) -> dict[str, int]:
    rows = re.findall(r'<td><a href="/saved/\d+">([^<]+)</a></td>.*?<td class="num">(?:<strong>)?([\d,]+)', page, re.S)
    return {name: int(n.replace(",", "")) for name, n in rows}


def test_a_saved_search_lists_its_new_articles_until_it_is_opened(archive_with_samples, tmp_path):
    with app_client(archive_with_samples) as web:
        form = web.get("/saved/new?q=arrested&country=ma&page=3")
        assert 'name="query" value="q=arrested&amp;country=ma"' in form.text  # no page: a saved search has none
        r = web.post("/saved", data={"name": "Arrests in Morocco", "query": "q=arrested&country=ma"}, follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/saved#saved-")
        assert new_counts(web.get("/saved").text) == {"Arrests in Morocco": 0}

        new = add_articles(archive_with_samples, tmp_path / "more", ["Tangier", "Nador", "Oujda"])
        page = web.get("/saved").text
        total = web.get("/api/search?q=arrested&country=ma").json()["total"]
        assert new_counts(page) == {"Arrests in Morocco": len(new)} and total >= len(new) == 3
        assert 'href="/search.atom?q=arrested&amp;country=ma"' in page  # each with its feed

        saved_id = int(re.search(r'/saved/(\d+)"', page)[1])
        opened = web.get(f"/saved/{saved_id}", follow_redirects=False)
        assert opened.status_code == 303 and opened.headers["location"] == "/search?q=arrested&country=ma"
        assert new_counts(web.get("/saved").text) == {"Arrests in Morocco": 0}


def test_only_matching_articles_count_as_new(archive_with_samples, tmp_path):
    with app_client(archive_with_samples) as web:
        web.post("/saved", data={"name": "Nador only", "query": "q=nador"})
        web.post("/saved", data={"name": "Everything", "query": ""})
        add_articles(archive_with_samples, tmp_path / "more", ["Nador", "Agadir"])
        assert new_counts(web.get("/saved").text) == {"Everything": 2, "Nador only": 1}


@pytest.mark.parametrize("name,why", [("", "Give the saved search a name"), ("   \x00\x07 ", "Give the saved search a name"),
                                      ("x" * 121, "at most 120")])
def test_a_save_without_a_usable_name_says_why(archive_with_samples, name, why):
    with app_client(archive_with_samples) as web:
        r = web.post("/saved", data={"name": name, "query": "q=police"})
        assert r.status_code == 400 and why in r.text and 'value="q=police"' in r.text


def test_two_saved_searches_cannot_share_a_name(archive_with_samples):
    with app_client(archive_with_samples) as web:
        assert web.post("/saved", data={"name": "Police", "query": "q=police"}).status_code == 200
        r = web.post("/saved", data={"name": " Police ", "query": "q=gendarmerie"})
        assert r.status_code == 400 and "already called" in r.text


def test_a_saved_search_can_be_deleted_and_unknown_ones_are_a_404(archive_with_samples):
    with app_client(archive_with_samples) as web:
        web.post("/saved", data={"name": "To delete", "query": "q=police"})
        saved_id = int(re.search(r'/saved/(\d+)"', web.get("/saved").text)[1])
        r = web.post(f"/saved/{saved_id}/delete")
        assert r.status_code == 200 and "Deleted the saved search" in r.text and "To delete</a>" not in r.text
        assert web.get(f"/saved/{saved_id}").status_code == 404
        assert web.post(f"/saved/{saved_id}/delete").status_code == 404


def test_a_form_posted_from_another_site_is_refused(archive_with_samples):
    with app_client(archive_with_samples) as web:
        r = web.post("/saved", data={"name": "Forged", "query": "q=x"}, headers={"Origin": "https://evil.example"})
        assert r.status_code == 403 and "another site" in r.text
        assert "Forged" not in web.get("/saved").text


def test_with_an_admin_token_saved_searches_need_it(archive_with_samples):
    with app_client(archive_with_samples, TOKEN) as web:
        assert web.get("/saved").status_code == 401
        assert web.post("/saved", data={"name": "No token", "query": "q=x"}).status_code == 403
        assert web.post("/saved/login", data={"token": "wrong-token-wrong-token"}).status_code == 403
        page = web.post("/saved/login", data={"token": TOKEN, "then": "/saved/new?q=police"})
        assert page.status_code == 200 and TOKEN not in page.text and TOKEN not in web.cookies.get("newsarchive_saved")
        csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
        assert web.post("/saved", data={"name": "No csrf", "query": "q=x"}).status_code == 403
        assert web.post("/saved", data={"name": "With token", "query": "q=police", "csrf": csrf}).status_code == 200
        assert "With token" in web.get("/saved").text


def run_alerts(settings, *args):
    db = settings.database_url.removeprefix("sqlite:///")
    result = CliRunner().invoke(cli, ["alerts", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_alerts_print_the_new_matches_once_then_nothing(archive_with_samples, tmp_path):
    with app_client(archive_with_samples) as web:
        web.post("/saved", data={"name": "Arrests", "query": "q=arrested"})
        web.post("/saved", data={"name": "Nador", "query": "q=nador"})
    assert json.loads(run_alerts(archive_with_samples, "--json"))["saved_searches"][0]["new"] == 0
    new = add_articles(archive_with_samples, tmp_path / "more", ["Tangier", "Nador"])

    peek = json.loads(run_alerts(archive_with_samples, "--json", "--dry-run"))
    assert peek["marked"] is False
    first = json.loads(run_alerts(archive_with_samples, "--json"))
    assert first["saved_searches"] == peek["saved_searches"]
    by_name = {s["name"]: s for s in first["saved_searches"]}
    assert by_name["Arrests"]["new"] == 2 and {a["id"] for a in by_name["Arrests"]["articles"]} == set(new)
    assert by_name["Nador"]["new"] == 1 and by_name["Nador"]["articles"][0]["title"] == "Arrests in Nador"
    assert by_name["Nador"]["feed_url"] == "/search.atom?q=nador"
    assert {"countries", "agencies", "url", "date"} <= set(by_name["Nador"]["articles"][0])

    again = json.loads(run_alerts(archive_with_samples, "--json"))
    assert [s["new"] for s in again["saved_searches"]] == [0, 0]
    assert run_alerts(archive_with_samples) == ""  # cron mails nothing when nothing is new


def test_alerts_as_text_name_each_saved_search_and_its_articles(archive_with_samples, tmp_path):
    with app_client(archive_with_samples) as web:
        web.post("/saved", data={"name": "Oujda", "query": "q=oujda"})
    add_articles(archive_with_samples, tmp_path / "more", ["Oujda"])
    out = run_alerts(archive_with_samples)
    assert out.startswith("Oujda: 1 new article (/search?q=oujda)") and "Arrests in Oujda" in out


def test_alerts_and_the_page_keep_their_own_marks(archive_with_samples, tmp_path):
    with app_client(archive_with_samples) as web:
        web.post("/saved", data={"name": "Arrests", "query": "q=arrested"})
        add_articles(archive_with_samples, tmp_path / "more", ["Safi"])
        run_alerts(archive_with_samples)
        assert new_counts(web.get("/saved").text) == {"Arrests": 1}  # cron did not open it for the user


def test_alerts_without_an_archive_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["alerts", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 2 and "no archive there" in result.output


@pytest.mark.sqlite_only("reads SQLite's PRAGMA table_info; on PostgreSQL the same migration makes the table the other tests use")
def test_the_saved_search_table_comes_from_its_migration(archive_with_samples):
    c = sqlite3.connect(archive_with_samples.database_url.removeprefix("sqlite:///"))
    cols = [r[1] for r in c.execute("PRAGMA table_info(saved_search)")]
    assert cols == ["id", "name", "query", "created_at", "seen_id", "seen_at", "alerted_id", "alerted_at"]


def test_a_saved_filter_on_an_entity_merged_since_counts_the_entity_it_became(archive_with_samples, tmp_path):
    from app.corrections import merge_entities

    with app_client(archive_with_samples) as web:
        web.post("/saved", data={"name": "DGST", "query": "agency=dgst"})
        c = connect_to(archive_with_samples)
        try:
            merge_entities(c, "dgst", "guardia-civil")  # an analyst's (odd) decision: DGST counts as Guardia Civil
        finally:
            c.close()
        add_articles(archive_with_samples, tmp_path / "more", ["Larache"])  # names the DGST: tagged guardia-civil now
        assert new_counts(web.get("/saved").text) == {"DGST": 1}
