"""The outlet's country (app/entities/outlets.py): a generic body of an article that names no
country and no place is the one of the country its outlet writes from ("Ministry of Education
Launches Survey" in a Moroccan paper is Morocco's), at import, at retag and when corrections
re-tag; an outlet of no known country, or a text that names a country, changes nothing."""
from __future__ import annotations

from contextlib import closing

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.corrections import retag_articles
from app.entities.outlets import home_of
from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app
from tests.conftest import article_id_by_origin, connect_to
from tests.test_tagger_classes import gz  # noqa: F401  (the gazetteer fixture)


@pytest.mark.parametrize("url, source, home", [
    ("https://www.moroccoworldnews.com/2020/05/303696/some-story/", None, "ma"),
    ("https://en.hespress.com/12345-story.html", None, "ma"),  # a listed host's subdomain
    ("https://le360.ma/societe/x", None, "ma"),  # a country-code domain
    ("https://www.lemonde.fr/international/article/x.html", None, "fr"),
    ("http://news.bbc.co.uk/1/hi/uk_politics/x.stm", None, "gb"),  # .uk is the United Kingdom
    ("https://www.elpais.com/x", None, "es"),
    ("https://example.github.io/post", None, None),  # .io is sold for general use
    ("https://t.co/abc", None, None),
    ("https://www.reuters.com/world/x", None, None),  # a wire writes for every country
    ("https://localhost/x", None, None),
    ("http://[::1", None, None),  # a broken URL has no outlet
    ("not a url", None, None),
    (None, "BBC News", "gb"),  # the source an import names, when the URL says nothing
    ("https://example.com/x", "Le Monde", "fr"),
    (None, "Some Blog", None),
    (None, None, None),
])
def test_the_outlets_country_from_its_url_or_name(url, source, home):
    assert home_of(url, source) == home


@pytest.mark.parametrize("title, body, home, wanted, unwanted", [
    ("Ministry of Education Launches Survey to Assess Remote Learning", "The ministry said so.",
     "ma", {"ma-education-ministry"}, set()),
    ("Ministry of Education Launches Survey to Assess Remote Learning", "The ministry said so.",
     None, set(), {"ma-education-ministry"}),
    # the text names a country, or a place: the outlet's country does not override it
    ("Spain Reopens Schools", "The Ministry of Education said.", "ma", {"es-education-ministry"},
     {"ma-education-ministry"}),
    ("Schools Reopen in Madrid", "The Ministry of Education said.", "ma", {"es-education-ministry"},
     {"ma-education-ministry"}),
    # a generic armed service too: "the Navy said" in a US outlet's contract story
    ("Contract", "Lockheed Corp has received a 46.6 mln dlr contract, the Navy said.", "us",
     {"us-navy"}, set()),
    # and it names no country itself: no "ma" tag from the outlet
    ("Ministry of Interior Issues Exceptions for Ramadan Curfew", "The ministry said.", "ma",
     {"ma-interior-ministry"}, {"ma"}),
])
def test_a_generic_body_of_a_text_naming_no_country_is_the_outlets(gz, title, body, home, wanted, unwanted):
    found = {t.entity_id for t in gz.tag(title, body, "en", home)}
    assert wanted <= found and not (unwanted & found), found


CSV = (
    "title,headline,url\n"
    '"Ministry of Education Launches Survey to Assess Remote Learning","The ministry asked teachers '
    'about remote classes during the lockdown.",https://www.moroccoworldnews.com/2020/05/1/survey/\n'
    '"Ministry of Education Postpones Exams Again","The ministry gave no new date for the written '
    'exams.",https://www.reuters.com/world/exams/\n'
)


def _entities(settings, article_id: int) -> set[str]:
    with closing(connect_to(settings)) as c:
        return {r[0] for r in c.execute("SELECT entity_id FROM article_entity WHERE article_id=?",
                                        (article_id,))}


def test_import_retag_and_corrections_read_the_outlet_from_the_url(fresh_db, tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text(CSV, encoding="utf-8")
    report = import_paths(open_store(fresh_db), [str(path)], workers=1)
    moroccan = article_id_by_origin(report, "outlets.csv:2")
    wire = article_id_by_origin(report, "outlets.csv:3")
    assert _entities(fresh_db, moroccan) == {"ma-education-ministry"}
    assert _entities(fresh_db, wire) == set()  # a wire's ministry is no one country's
    with closing(connect_to(fresh_db)) as c:  # as an archive tagged before outlets were read
        c.execute("DELETE FROM article_entity")
        c.execute("DELETE FROM mention")
        c.commit()
    db = fresh_db.database_url.removeprefix("sqlite:///")
    result = CliRunner().invoke(cli, ["retag", "--db", db])
    assert result.exit_code == 0, result.output
    assert _entities(fresh_db, moroccan) == {"ma-education-ministry"}
    with closing(connect_to(fresh_db)) as c:  # the corrections' re-tag of a few articles
        c.execute("DELETE FROM article_entity")
        retag_articles(c, [moroccan, wire])
        c.commit()
    assert _entities(fresh_db, moroccan) == {"ma-education-ministry"}
    assert _entities(fresh_db, wire) == set()


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.none(), st.text(), st.builds(lambda h, p: f"http://{h}/{p}", st.text(), st.text())),
       st.one_of(st.none(), st.text()))
def test_any_url_or_source_gives_a_country_code_or_none(url, source):
    home = home_of(url, source)
    assert home is None or (len(home) == 2 and home.islower())


def test_the_article_page_says_when_the_outlet_placed_the_bodies(fresh_db, tmp_path):
    path = tmp_path / "outlets.csv"
    path.write_text(CSV + '"Morocco\'s Ministry of Health Reports New Cases","Moroccan officials said.",'
                    "https://www.moroccoworldnews.com/2020/05/2/cases/\n", encoding="utf-8")
    report = import_paths(open_store(fresh_db), [str(path)], workers=1)
    with TestClient(create_app(fresh_db), raise_server_exceptions=False) as client:
        placed = client.get(f"/articles/{article_id_by_origin(report, 'outlets.csv:2')}").text
        wire = client.get(f"/articles/{article_id_by_origin(report, 'outlets.csv:3')}").text
        named = client.get(f"/articles/{article_id_by_origin(report, 'outlets.csv:4')}").text
    assert "read as those of the country its outlet writes from, Morocco." in placed
    assert "Source</dt><dd>moroccoworldnews.com" in placed  # a row with no source: its URL's site
    assert "its outlet writes from" not in wire  # no outlet country: nothing was placed
    assert "its outlet writes from" not in named  # the text names Morocco itself
