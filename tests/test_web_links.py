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
        assert not [h for h in links if not h.startswith(("/", "https://example.org/"))], (url, links)
        if url == "https://example.org/fine":
            assert "https://example.org/fine" in links
        else:
            assert 'class="not-a-link"' in page
            shown += 1
    assert shown == len(HOSTILE) + 2
    search = client.get("/search").text
    assert "javascript:" not in search.lower() and "data:text" not in search.lower()
