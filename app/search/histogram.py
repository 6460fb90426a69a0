"""A date histogram of a search's matches, drawn by templates/_histogram.html.

    h = histogram(idx.date[mask])        # DocIndex dates: int64 YYYYMMDDHHMMSS, 0 = unknown
    for b in h.buckets:                  # the engine sets b.url (from=b.start&to=b.end)
        ...

Bucket size follows the span from the first to the last known date: days up to DAY_SPAN
days, months up to MONTH_SPAN months, else years. Empty periods in between are kept as
zero buckets, so the bars are a time axis. Everything is numpy: ~2 ms for 100k dates.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

DAY_SPAN = 62  # days: per-day bars up to about two months
MONTH_SPAN = 37  # months: per-month bars up to about three years
MIN_HEIGHT = 2  # percent: a non-empty period never draws as an empty one


@dataclass
class Bucket:
    label: str  # "2020-03-14", "2020-03" or "2020"
    start: str  # ISO date, first day of the period
    end: str  # ISO date, last day of the period (inclusive)
    count: int
    height: int  # 0-100, relative to the fullest bucket
    url: str | None = None  # set by the caller: the search narrowed to this period


@dataclass
class Histogram:
    unit: str  # "day" | "month" | "year" | "" (no known date)
    buckets: list[Bucket] = field(default_factory=list)
    unknown: int = 0  # matches without a date
    max_count: int = 0

    @property
    def total(self) -> int:
        return sum(b.count for b in self.buckets) + self.unknown


def _day_numbers(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01, in integer arithmetic (converting 100k values through
    datetime64 costs ~10 ms; this costs ~1). http://howardhinnant.github.io/date_algorithms.html"""
    y = year - (month <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def histogram(dates: np.ndarray) -> Histogram:
    dates = np.asarray(dates, dtype=np.int64)
    known = dates[dates > 0]
    unknown = int(len(dates) - len(known))
    if not len(known):
        return Histogram("", [], unknown, 0)
    ymd = known // 1_000_000
    year = ymd // 10000
    month = np.clip(ymd // 100 % 100, 1, 12)  # out-of-range parts are clipped, not rejected
    months = (year - 1970) * 12 + month - 1
    span = int(months.max() - months.min())
    if span <= 2:
        days = _day_numbers(year, month, np.clip(ymd % 100, 1, 31))
        if int(days.max() - days.min()) < DAY_SPAN:
            return _bucketed("day", days, unknown)
    if span < MONTH_SPAN:
        return _bucketed("month", months, unknown)
    return _bucketed("year", year - 1970, unknown)


_UNIT = {"day": "D", "month": "M", "year": "Y"}


def _bucketed(unit: str, keys: np.ndarray, unknown: int) -> Histogram:
    """keys: periods since 1970 in `unit`; one bucket per period from the first to the last."""
    lo = int(keys.min())
    counts = np.bincount(keys - lo)
    top = int(counts.max())
    heights = np.where(counts > 0, np.maximum(counts * 100 // top, MIN_HEIGHT), 0)
    periods = np.arange(lo, lo + len(counts)).astype(f"datetime64[{_UNIT[unit]}]")
    starts = periods.astype("datetime64[D]")
    ends = (periods + 1).astype("datetime64[D]") - 1
    labels = np.datetime_as_string(periods)
    buckets = [Bucket(str(label), str(s), str(e), int(c), int(h))
               for label, s, e, c, h in zip(labels, starts, ends, counts, heights)]
    return Histogram(unit, buckets, unknown, top)
