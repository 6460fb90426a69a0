"""Article and version numbers are ASCII digits or a 404, on every id route (pages, API, admin)."""
from __future__ import annotations

import pytest

from tests.conftest import article_id_by_origin

NOT_ASCII = ["%C2%B9", "①", "%D9%A3", "٣", "３", "1%C2%B9", "%F0%9D%9F%99", "1e3", "0x1", "+1", " 1", "1.0",
             "9" * 19]
PAGES = ["/articles/{}", "/api/articles/{}", "/articles/{}/versions/1", "/articles/1/versions/{}"]


@pytest.mark.parametrize("template", PAGES)
@pytest.mark.parametrize("value", NOT_ASCII)
def test_a_non_ascii_or_malformed_number_is_a_404_never_a_500_nor_another_article(client, template, value):
    r = client.get(template.format(value))
    assert r.status_code == 404, (template, value, r.status_code)
    if template.startswith("/api/"):
        assert "detail" in r.json()
    else:
        assert "Back to the archive" in r.text


def test_ascii_digits_still_find_the_article(client, archive):
    aid = article_id_by_origin(archive[1], "01-dgst")
    assert client.get(f"/articles/{aid}").status_code == 200
    assert client.get(f"/api/articles/{aid}").json()["id"] == aid
    assert client.get(f"/articles/{aid}/versions/1").status_code == 404  # no older version: still a 404


@pytest.mark.parametrize("value", ["٣", "¹", "①"])
def test_corrections_refuse_an_article_number_that_is_not_ascii_digits(fresh_db, value):
    from app.corrections import CorrectionError, hide_tag, remove_correction
    from app.ingest.load import import_paths
    from app.store import open_store
    from tests.conftest import SAMPLES, connect_to

    import_paths(open_store(fresh_db), [str(SAMPLES)], workers=1)
    c = connect_to(fresh_db)
    try:
        with pytest.raises(CorrectionError, match="not an article number"):
            hide_tag(c, value, "ma")
        with pytest.raises(CorrectionError, match="is not a correction"):
            remove_correction(c, f"hide-{value}-ma")
    finally:
        c.close()
