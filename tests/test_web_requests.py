"""What every response carries (security headers), and odd requests: HEAD, over-long URLs and queries."""
from __future__ import annotations

import re

import pytest

from app.search.params import MAX_QUERY
from app.web.middleware import MAX_URL_BYTES
from tests.conftest import article_id_by_origin

PAGES = ["/", "/search", "/search?q=Interpol&country=ma", "/countries", "/agencies", "/imports", "/countries/ma",
         "/agencies/interpol", "/no/such/page", "/articles/999999", "/api/search?q=maroc", "/static/style.css",
         "/search?page=zz"]


def every_page(archive) -> list[str]:
    return PAGES + [f"/articles/{article_id_by_origin(archive[1], '01-dgst')}"]


def test_every_response_carries_the_security_headers(client, archive):
    for path in every_page(archive):
        h = client.get(path).headers
        csp = h["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "http" not in csp, path  # no inline script, nothing off-site
        assert h["x-content-type-options"] == "nosniff" and h["x-frame-options"] == "DENY", path
        assert h["referrer-policy"] == "same-origin", path
        assert "cache-control" not in h, path  # pages may be cached; only admin pages say no-store


def test_pages_have_no_inline_script_or_style_the_policy_would_block(client, archive):
    for path in every_page(archive) + ["/search?q=police&sort=newest"]:
        html = client.get(path).text
        # one script file of our own (keys.js: "/" focuses the search box) is allowed; inline ones are not
        assert not re.search(r'<script(?! src="/static/[a-z]+\.js" defer></script>)|<style|\sstyle=|\son[a-z]+=', html, re.I), path


def test_the_api_docs_load_swagger_ui_from_this_server_with_no_inline_script(client):
    r = client.get("/docs")
    assert r.status_code == 200 and 'id="swagger-ui"' in r.text
    csp = r.headers["content-security-policy"]
    assert "http" not in csp and "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-frame-options"] == "DENY"
    scripts = re.findall(r'<script src="([^"]+)"></script>', r.text)
    assert scripts and all(s.startswith("/") for s in scripts)
    assert not re.search(r"<script>|<script(?![^>]*src=)", r.text)
    for src in scripts + re.findall(r'<link rel="stylesheet" href="([^"]+)"', r.text):
        asset = client.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src


@pytest.mark.parametrize("path", PAGES + ["/docs", "/openapi.json", "/admin"])
def test_head_answers_like_get_without_a_body(client, path):
    get, head = client.get(path), client.head(path)
    assert head.status_code == get.status_code != 405, path
    assert head.content == b""
    # the search API's body says how long the search took, so its length varies by a byte or two
    varies = {"content-length"} if path.startswith("/api/search") else set()
    assert {k: v for k, v in head.headers.items() if k not in varies} == \
        {k: v for k, v in get.headers.items() if k not in varies}, path


def test_a_url_over_the_limit_gets_a_414_page(client):
    r = client.get("/search?q=" + "a" * (MAX_URL_BYTES + 1))
    assert r.status_code == 414 and "too long" in r.text
    assert r.headers["x-frame-options"] == "DENY"
    r = client.get("/api/search?q=" + "a" * (MAX_URL_BYTES + 1))
    assert r.status_code == 414 and "longer than" in r.json()["detail"]
    assert client.get("/search?q=" + "a" * (MAX_URL_BYTES - 100)).status_code == 200


def test_a_long_query_is_cut_and_the_page_says_so_so_links_do_not_repeat_it(client):
    q = "police cell " * 1250  # 15,000 characters
    r = client.get("/search", params={"q": q})
    assert r.status_code == 200
    assert f"only its first {MAX_QUERY:,} are searched" in r.text
    links = re.findall(r'href="(/search\?[^"]*)"', r.text)
    assert links and max(len(link) for link in links) < 3 * MAX_QUERY + 300
    assert len(r.content) < 150_000
    short = client.get("/search", params={"q": "police"}).text
    assert "are searched" not in short


def test_the_openapi_schema_documents_404_and_400_not_422(client):
    spec = client.get("/openapi.json").json()
    article = spec["paths"]["/api/articles/{article_id}"]["get"]["responses"]
    search = spec["paths"]["/api/search"]["get"]["responses"]
    assert {"200", "400", "404"} <= set(article) and {"200", "400", "307"} <= set(search)
    assert "422" not in article and "422" not in search
    assert article["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorOut")
    assert client.get("/api/articles/424242").json() == {"detail": "There is no article 424242 in this archive."}
