"""A search leaves the archive in a real browser: a CSV download, its Atom feed, a saved search."""
from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'").expect

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_csv_link_downloads_every_match_of_the_filtered_search(page):
    page.goto("/search?q=terrorisme&lang=fr")
    total = int(page.locator("h1.summary strong").first.inner_text().replace(",", ""))
    with page.expect_download() as info:
        page.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(open(download.path(), encoding="utf-8").read())))
    assert len(rows) == total and total > 0
    assert all(r["language"] == "fr" for r in rows)


def test_the_feed_link_of_a_search_is_a_valid_atom_feed_of_its_matches(page):
    page.goto("/search?q=police&country=ma")
    feed = page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href")
    assert feed and feed.startswith("/search.atom?")
    response = page.request.get(feed)
    assert response.ok and "atom" in response.headers["content-type"]
    root = ET.fromstring(response.body())
    assert root.tag == f"{ATOM}feed" and root.findall(f"{ATOM}entry")
    assert page.get_by_role("link", name="Atom feed").get_attribute("href") == feed


def test_a_search_saved_from_its_page_is_listed_with_its_feed_and_opens_again(page):
    page.goto("/search?q=cellule&lang=fr")
    page.get_by_role("link", name="Save this search").click()
    page.get_by_label("Name").fill("Cellules (browser test)")
    page.get_by_role("button", name="Save").click()
    row = page.locator("tr", has_text="Cellules (browser test)")
    expect(row).to_be_visible()
    assert row.get_by_role("link", name="Atom feed of Cellules (browser test)").get_attribute("href").startswith("/search.atom?")
    row.get_by_role("link", name="Cellules (browser test)", exact=True).click()
    assert "q=cellule" in page.url and "lang=fr" in page.url
    expect(page.locator("h1.summary")).to_contain_text("article")
