"""axe-core in each main page, on the demo archive, the seeds archive and a larger one (BBC): no serious or
critical violation. The script is the axe.min.js that the axe-playwright-python package ships,
read from disk: nothing is fetched at test time."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.test_browser_pages import MAIN_PAGES


def axe_script() -> str:
    import axe_playwright_python

    path = Path(axe_playwright_python.__file__).parent / "axe.min.js"
    if not path.is_file():
        pytest.skip(f"{path} is absent: axe-playwright-python ships axe-core there")
    return path.read_text(encoding="utf-8")


def serious_violations(page) -> list[str]:
    page.add_script_tag(content=axe_script())
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("which", ["demo_server", "seeds_server", "large_server"])
def test_main_pages_have_no_serious_accessibility_violation(browser, request, which):
    server = request.getfixturevalue(which)
    # axe is injected as an inline script, which the pages' own policy rightly refuses
    context = browser.new_context(base_url=server.url, bypass_csp=True)
    page = context.new_page()
    found = {}
    pages = dict(MAIN_PAGES)
    page.goto("/search?q=police")
    first = page.locator("ol.hits > li a.hit-title").first
    if first.count():
        pages["article"] = first.get_attribute("href")
    page.goto("/search?lang=fr")
    french = page.locator("ol.hits > li a.hit-title").first
    if french.count():
        pages["article-fr"] = french.get_attribute("href")
    for name, path in pages.items():
        page.goto(path)
        problems = serious_violations(page)
        if problems:
            found[f"{name} {path}"] = problems
    context.close()
    assert not found, found
