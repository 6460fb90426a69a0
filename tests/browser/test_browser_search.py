"""The search page in a real browser: filters that survive a new query, chips, facets, pager,
highlighting, the phone layout and the keyboard."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -e '.[test]'").expect

from tests.browser.conftest import shoot  # noqa: E402


def query_of(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_search_lists_results_and_marks_a_group_alias_only_as_a_whole_name(page):
    page.goto("/search?q=isis")
    expect(page.locator("ol.hits > li").first).to_be_visible()
    marks = [m.strip() for m in page.locator(".hits mark").all_inner_texts()]
    assert "Islamic State" in marks or "ISIS" in marks
    assert "State" not in marks and "stated" not in marks  # "US State Department" is not ISIS
    assert page.locator("h1").count() == 1


def test_typing_a_new_query_in_the_header_keeps_the_filters(page):
    page.goto("/search?q=terrorisme&country=ma&lang=fr")
    box = page.locator("header input[name=q]")
    box.fill("attentats")
    box.press("Enter")
    page.wait_for_url("**/search?q=attentats*")
    assert query_of(page) == {"q": ["attentats"], "country": ["ma"], "lang": ["fr"]}
    expect(page.locator(".chips")).to_contain_text("Morocco")
    expect(page.locator(".chips")).to_contain_text("French")
    page.get_by_role("link", name="Clear filters").click()
    assert query_of(page) == {"q": ["attentats"]}
    expect(page.locator(".chips")).to_have_count(0)


def test_a_chip_removes_a_filter_typed_in_the_query(page):
    page.goto("/search?q=terrorisme+country:ma+from:2024-03-01")
    chips = page.locator(".chips a.chip")
    expect(chips).to_have_count(2)
    chips.filter(has_text="Morocco").click()
    assert query_of(page) == {"q": ["terrorisme from:2024-03-01"]}
    expect(page.locator("header input[name=q]")).to_have_value("terrorisme from:2024-03-01")
    page.locator(".chips a.chip", has_text="2024-03-01").click()
    assert query_of(page) == {"q": ["terrorisme"]}


def test_a_facet_click_adds_the_filter_and_a_second_click_removes_it(page):
    page.goto("/search?q=police")
    total = int(page.locator("h1 strong").first.inner_text().replace(",", ""))
    page.locator(".facets section", has_text="Countries").locator("a", has_text="Spain").click()
    assert query_of(page)["country"] == ["es"]
    narrowed = int(page.locator("h1 strong").first.inner_text().replace(",", ""))
    assert 0 < narrowed <= total
    page.locator(".facets li.selected a", has_text="Spain").click()
    assert "country" not in query_of(page)


def test_the_pager_numbers_pages_and_a_page_past_the_end_says_so(page):
    page.goto("/search?page_size=2")
    pager = page.get_by_role("navigation", name="Pages")
    pager.get_by_role("link", name="Page 2", exact=True).click()
    assert query_of(page)["page"] == ["2"]
    expect(page.locator(".pager a[aria-current=page]")).to_have_text("Page 2")
    expect(page.locator("ol.hits")).to_have_attribute("start", "3")
    page.goto("/search?page_size=2&page=999")
    expect(page.locator(".pager")).to_contain_text("There is no page 999")
    assert "of 999" not in page.content() and "Page 999 of" not in page.content()
    page.get_by_role("link", name="First page").click()
    expect(page.locator("ol.hits > li")).to_have_count(2)


def test_newest_first_lists_undated_articles_last_and_counts_them(page):
    page.goto("/search?sort=newest&page_size=100")
    dates = page.locator("ol.hits > li .meta").all_inner_texts()
    dated = [not d.startswith("no date") for d in dates]
    assert True in dated and False in dated
    assert dated == sorted(dated, reverse=True)  # every dated one before every undated one
    expect(page.locator(".undated").first).to_be_visible()
    expect(page.locator("p.hint.undated")).to_contain_text("no publication date: listed last")


def test_phone_layout_shows_results_first_and_folds_the_filters(phone):
    phone.goto("/search?q=police")
    first_hit = phone.locator("ol.hits > li").first
    box = first_hit.bounding_box()
    assert box and box["y"] < 844, "the first result is on the first screen"
    facets = phone.locator("details.filters .facets")
    expect(facets).to_be_hidden()
    shoot(phone, "search-phone")
    phone.locator("details.filters > summary").click()
    expect(facets).to_be_visible()
    phone.goto("/search?q=police&country=ma")
    expect(facets).to_be_hidden()
    phone.get_by_role("link", name="Filters (1 active) ↓").click()  # jumps down and unfolds them
    expect(facets).to_be_visible()
    expect(facets).to_be_in_viewport()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, "no sideways scrolling"


def test_wide_screen_shows_the_facets_beside_the_results(page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/search?q=police")
    facets = page.locator("details.filters .facets")
    expect(facets).to_be_visible()
    expect(page.locator("details.filters > summary")).to_be_hidden()
    assert facets.bounding_box()["x"] < page.locator("ol.hits").bounding_box()["x"]


def test_slash_focuses_the_search_box_and_tab_reaches_a_skip_link(page):
    page.goto("/search?q=police")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.name") == "q"
    page.goto("/countries")
    page.keyboard.press("Tab")
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "focus is visible"
    page.keyboard.press("Enter")
    assert page.url.endswith("#content")
