"""Article, entity and docs pages in a real browser, and a screenshot of each main page."""
from __future__ import annotations

import re

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'").expect

from tests.browser.conftest import DESKTOP, PHONE, shoot  # noqa: E402

MAIN_PAGES = {
    "home": "/",
    "search": "/search?q=police",
    "search-filtered": "/search?q=terrorisme&country=ma&lang=fr",
    "search-all": "/search",
    "country": "/countries/ma",
    "agency": "/agencies/bcij",
    "group": "/groups/isis",
    "countries": "/countries",
    "agencies": "/agencies",
    "groups": "/groups",
    "imports": "/imports",
    "map": "/map?q=police",
    "pairs": "/pairs?q=police",
    "saved": "/saved",
    "not-found": "/no-such-page",
}


def test_a_result_opens_its_article_with_the_searched_words_marked(page):
    page.goto("/search?q=cellule")
    page.locator("ol.hits > li a.hit-title").first.click()
    assert re.search(r"/articles/\d+\?q=cellule$", page.url)
    expect(page.locator(".body mark").first).to_be_visible()
    expect(page.locator("p.highlighted")).to_contain_text("cellule")
    assert "/work/" not in page.locator("dl.facts").inner_text(), "no server path, only the origin in the import"


def test_article_evidence_marks_each_mention_and_folds_the_rest(page):
    page.goto("/search?q=Morocco&sort=relevance")
    page.locator("ol.hits > li a.hit-title").first.click()
    entry = page.locator(".evidence > li").filter(has=page.locator("details")).first
    expect(entry.locator("li.sentence mark").first).to_be_visible()
    summary = entry.locator("details > summary")
    total = int(re.search(r"Show all (\d+)", summary.inner_text())[1])
    expect(entry.locator("details li.sentence").first).to_be_hidden()
    summary.click()
    expect(entry.locator("li.sentence")).to_have_count(total)
    shoot(page, "article-evidence-open")


def test_entity_pages_list_articles_newest_first_and_groups_have_their_own(page):
    page.goto("/agencies/isis")  # an armed group given as an agency moves to its own page
    assert page.url.endswith("/groups/isis")
    expect(page.locator("h1")).to_have_text("Islamic State")
    expect(page.locator("p.meta").first).to_contain_text("Armed group")
    dates = [d[:10] for d in page.locator("ol.hits > li .meta").all_inner_texts() if d[:4].isdigit()]
    assert dates == sorted(dates, reverse=True)
    page.locator("a", has_text="search within them").click()
    expect(page.locator(".chips")).to_contain_text("Islamic State")


def test_the_api_docs_render_with_no_network_but_this_server(page, base_url):
    blocked = []
    page.route(re.compile(r"^(?!" + re.escape(base_url) + ").*"), lambda route: (blocked.append(route.request.url), route.abort()))
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto("/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/search")).to_be_visible(timeout=15_000)
    assert not blocked, blocked
    assert not [e for e in errors if "Content Security Policy" in e], errors
    shoot(page, "docs")


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_screenshot_of_each_main_page(browser, base_url, width):
    context = browser.new_context(viewport=DESKTOP if width == "desktop" else PHONE, base_url=base_url)
    page = context.new_page()
    for name, path in MAIN_PAGES.items():
        response = page.goto(path)
        assert response.status == (404 if name == "not-found" else 200), path
        assert shoot(page, f"{name}-{width}").stat().st_size > 1000
    article = page.locator("a[href^='/articles/']").first
    page.goto("/search?q=police")
    page.locator("ol.hits > li a.hit-title").first.click()
    shoot(page, f"article-{width}")
    assert article is not None
    context.close()
