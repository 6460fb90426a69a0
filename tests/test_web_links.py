"""Links built from imported data: only http(s) article URLs are links, and every tag is reachable."""
from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from app.ingest.load import import_paths
from app.store import open_store
from app.web.app import create_app
from app.web.links import http_url

BODY = "Police in Rabat and Madrid said the joint security cell had made arrests, in enough words for an article {}."
HOSTILE = [" \tJaVaScRiPt:alert(document.cookie)", "java\tscript:alert(1)", "\njavascript:alert(1)",
           "DATA:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)", "//evil.example/x"]


@pytest.mark.parametrize("url,expected", [
    ("https://example.org/a?b=1", "https://example.org/a?b=1"),
    ("  HTTP://example.org/\n", "HTTP://example.org/"),
    ("ht\ttp://example.org/", "http://example.org/"),
    ("http:/no-host", None), ("https://[::1", None), ("ftp://example.org/", None), (None, None),
    *((u, None) for u in HOSTILE),
])
def test_only_http_urls_with_a_host_are_links(url, expected):
    assert http_url(url) == expected


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]*)"', html)


@pytest.fixture
def hostile(fresh_db, tmp_path):
    """A client on an archive whose JSON, CSV and RSS articles carry script URLs."""
    records = [{"title": f"Hostile {i}", "text": BODY.format(i), "url": u} for i, u in enumerate(HOSTILE)]
    (tmp_path / "a.json").write_text(json.dumps(records + [{"title": "Fine", "text": BODY.format("ok"),
                                                            "url": "https://example.org/fine"}]))
    (tmp_path / "b.csv").write_text(f'title,text,url\nFrom CSV,"{BODY.format("csv")}"," javascript:alert(2)"\n')
    (tmp_path / "c.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://example.org/</link>'
        f'<item><title>From RSS</title><link>JAVA&#x09;SCRIPT:alert(3)</link><description>{BODY.format("rss")}'
        '</description></item></channel></rss>')
    report = import_paths(open_store(fresh_db), [str(tmp_path)], workers=1)
    ids = {line.article_id for line in report.lines if line.article_id}
    assert len(ids) == len(HOSTILE) + 3, [(line.origin, line.status, line.reason) for line in report.lines]
    with TestClient(create_app(fresh_db)) as client:
        yield client, ids


def test_script_and_data_urls_are_shown_as_text_never_as_links(hostile):
    client, ids = hostile
    shown = 0
    for aid in ids:
        page = client.get(f"/articles/{aid}").text
        url = client.get(f"/api/articles/{aid}").json()["url"]  # the API keeps the text as imported
        links = hrefs(page)
        assert not [h for h in links if not h.startswith(("/", "https://example.org/", "#"))], (url, links)
        if url == "https://example.org/fine":
            assert "https://example.org/fine" in links
        else:
            assert 'class="not-a-link"' in page
            shown += 1
    assert shown == len(HOSTILE) + 2
    search = client.get("/search").text
    assert "javascript:" not in search.lower() and "data:text" not in search.lower()


CATEGORIES = ["World", "Middle East/Africa", "C#", "?", "Business, Finance", "  Sport  &  Games ", "100%"]


@pytest.fixture
def categorised(fresh_db, tmp_path):
    """A client on an archive of one feed item with awkward categories, and one CSV row with a section."""
    cats = "".join(f"<category>{c.replace('&', '&amp;')}</category>" for c in CATEGORIES)
    (tmp_path / "feed.rss").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><link>https://example.org/</link>'
        f'<item><title>Categorised</title><link>https://example.org/1</link>{cats}'
        f'<description>{BODY.format("feed")}</description></item></channel></rss>')
    (tmp_path / "rows.csv").write_text(f'title,text,section\nSectioned,"{BODY.format("csv")}",WORLD\n')
    report = import_paths(open_store(fresh_db), [str(tmp_path)], workers=1)
    assert len({line.article_id for line in report.lines if line.article_id}) == 2, [(line.origin, line.status, line.reason) for line in report.lines]
    with TestClient(create_app(fresh_db)) as client:
        yield client


def test_feed_categories_are_stored_once_normalised(categorised):
    facet = {f["value"]: f["count"] for f in categorised.get("/api/search").json()["facets"]["tag"]}
    assert facet == {"section:world": 2, "section:middle east/africa": 1, "section:c#": 1, "section:?": 1,
                     "section:business, finance": 1, "section:sport & games": 1, "section:100%": 1}


def test_every_tag_link_on_article_and_search_pages_reaches_its_articles(categorised):
    article = categorised.get("/api/search", params={"q": "Categorised"}).json()["results"][0]["id"]
    tag_links = [h.replace("&amp;", "&") for h in hrefs(categorised.get(f"/articles/{article}").text)
                 if h.startswith("/tags/")]
    assert len(tag_links) == len(CATEGORIES)
    for link in tag_links:
        page = categorised.get(link)
        assert page.status_code == 200, link
        assert re.search(r"<strong>[12]</strong> article", page.text), link
    facet_links = [h.replace("&amp;", "&") for h in hrefs(categorised.get("/search").text) if "tag=" in h]
    assert len(facet_links) == len(CATEGORIES)
    for link in facet_links:
        total = categorised.get("/api" + link).json()["total"]
        assert total >= 1, link


@pytest.mark.parametrize("spelling", ["section:World", "section:world", "SECTION: World", "section:ｗｏｒｌｄ"])
def test_a_tag_filter_finds_its_articles_whatever_the_spelling(categorised, spelling):
    assert categorised.get("/api/search", params={"tag": spelling}).json()["total"] == 2
    assert categorised.get("/api/search", params={"q": f'tag:"{spelling}"'}).json()["total"] == 2
    assert categorised.get(f"/tags/{spelling}").status_code == 200


def test_tag_pages_work_for_tags_with_a_slash(categorised):
    for path in ("/tags/section:middle east/africa", "/tags/section:Middle%20East%2FAfrica"):
        page = categorised.get(path)
        assert page.status_code == 200 and "<strong>1</strong> article" in page.text, path
    assert categorised.get("/tags/section:middle east/nowhere").status_code == 404


@pytest.mark.sqlite_only("downgrades below 0007 exist for SQLite archives only (PostgreSQL archives start at 0009)")
def test_upgrading_an_older_archive_normalises_its_stored_tags(fresh_db, tmp_path):
    import sqlite3

    from alembic import command

    from app.db import alembic_config

    (tmp_path / "rows.csv").write_text(f'title,text,section\nSectioned,"{BODY.format("csv")}",Sport\n')
    import_paths(open_store(fresh_db), [str(tmp_path / "rows.csv")], workers=1)
    path = fresh_db.database_url.removeprefix("sqlite:///")
    command.downgrade(alembic_config(fresh_db.database_url), "0004")  # the schema before 0005
    c = sqlite3.connect(path)
    with c:  # what archives imported before 0005 hold
        c.execute("UPDATE source_tag SET tag='section:Middle East/Africa'")
        c.execute("INSERT INTO source_tag SELECT article_id, 'section:middle  east/AFRICA' FROM source_tag")
    with TestClient(create_app(fresh_db)) as client:  # opening the archive upgrades it
        assert client.get("/tags/section:middle east/africa").status_code == 200
    assert c.execute("SELECT tag FROM source_tag").fetchall() == [("section:middle east/africa",)]
    c.close()


@pytest.mark.parametrize("raw,tag", [
    ("section:World", "section:world"), ("  Section : Middle  East/Africa ", "section:middle east/africa"),
    ("place:usa", "place:usa"), ("section:ﬁnance", "section:finance"), ("a\x00b\tc", "a b c"),
    ("section:  ", ""), ("x" * 300, "x" * 200),
])
def test_normalise_tag_gives_one_spelling_per_tag(raw, tag):
    from app.tags import normalise_tag

    assert normalise_tag(raw) == tag
