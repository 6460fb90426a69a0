"""Date histogram of matches: app/search/histogram.py and templates/_histogram.html."""
from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from jinja2 import Environment, FileSystemLoader

from app.search.histogram import histogram

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_a_span_under_three_years_has_a_bar_per_month_including_empty_ones():
    h = histogram(np.array([20200314120000, 20200301000000, 20200415000000, 0, 20210102000000]))
    assert h.unit == "month" and h.unknown == 1 and h.total == 5
    assert [b.label for b in h.buckets][:3] == ["2020-03", "2020-04", "2020-05"]
    assert h.buckets[-1].label == "2021-01" and len(h.buckets) == 11
    first = h.buckets[0]
    assert (first.start, first.end, first.count, first.height) == ("2020-03-01", "2020-03-31", 2, 100)
    assert h.buckets[1].height == 50 and h.buckets[2].height == 0


def test_a_span_under_two_months_has_a_bar_per_day():
    h = histogram(np.array([20200314120000, 20200316000000, 20200228000000]))
    assert h.unit == "day"
    assert [b.label for b in h.buckets][:2] == ["2020-02-28", "2020-02-29"]
    assert h.buckets[-1].start == h.buckets[-1].end == "2020-03-16"


def test_a_long_span_has_a_bar_per_year_ending_on_december_31():
    h = histogram(np.array([19870314120000, 20240229000000]))
    assert h.unit == "year" and len(h.buckets) == 38
    assert (h.buckets[0].label, h.buckets[0].start, h.buckets[0].end) == ("1987", "1987-01-01", "1987-12-31")


def test_february_ends_on_its_last_day():
    h = histogram(np.array([20240205000000, 20240610000000]))
    feb = next(b for b in h.buckets if b.label == "2024-02")
    assert feb.end == "2024-02-29"


def test_no_known_date_gives_no_bars_but_counts_them():
    h = histogram(np.array([0, 0], dtype=np.int64))
    assert h.buckets == [] and h.unknown == 2 and h.unit == ""
    assert histogram(np.array([], dtype=np.int64)).total == 0


def test_a_small_count_still_shows():
    dates = np.array([20200101000000] * 1000 + [20200201000000])
    assert histogram(dates).buckets[-1].height >= 1


def test_100k_dates_take_under_5_ms():
    rng = np.random.default_rng(0)
    for span in (40, 900, 12000):
        days = np.datetime64("2015-01-01") + rng.integers(0, span, 100_000)
        ymd = np.char.replace(np.datetime_as_string(days), "-", "").astype(np.int64)
        dates = ymd * 1_000_000 + 123456
        best = min(_timed(histogram, dates) for _ in range(5))
        assert best < 0.005, f"{best * 1000:.1f} ms for a span of {span} days"


def _timed(fn, arg) -> float:
    start = time.perf_counter()
    fn(arg)
    return time.perf_counter() - start


def render(h) -> str:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    return env.get_template("_histogram.html").render(histogram=h)


def test_partial_draws_each_period_as_a_titled_link_with_accessible_text():
    h = histogram(np.array([20200314120000] * 154 + [20200501000000, 20200620000000]))
    for b in h.buckets:
        b.url = f"/search?q=x&from={b.start}&to={b.end}"
    html = render(h)
    assert '<a href="/search?q=x&amp;from=2020-03-01&amp;to=2020-03-31" title="2020-03: 154 articles"' in html
    assert 'title="2020-04: no articles"' in html and 'title="2020-05: 1 article"' in html
    assert html.count("<a ") == 3  # an empty month is not a link
    assert "<script" not in html and "style=" not in html and "h-100" in html


def test_partial_renders_nothing_without_dates():
    assert render(histogram(np.array([0]))).strip() == ""
