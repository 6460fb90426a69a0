"""The world map of the countries in a result set: an inline SVG made on the server.

The country outlines are pygal_maps_world's `worldmap.svg` (PyPI package ``pygal_maps_world``,
LGPL-3.0-or-later; one <g class="ma country"> per ISO 3166-1 alpha-2 code, paths already in its
own equirectangular-like projection). At first use they are read from the installed package,
scaled to ``WIDTH`` and simplified (curves become their end points, points closer than
``TOLERANCE`` to the last one kept are dropped), then kept in memory: 778 KB of paths become a
48 KB per page. Nothing is fetched at run time.
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from importlib import resources

from markupsafe import Markup, escape

SVG_NS = "{http://www.w3.org/2000/svg}"
WIDTH = 1000  # of our viewBox; the source's is 2475 x 1388
TOLERANCE = 2.0  # viewBox units: about two pixels at the page's usual width
SHADES = 5  # colour classes c1..c5, on a log scale of the count
_TOKEN = re.compile(r"[MmCcSsQqTtLlHhVvZz]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
# numbers per segment of each relative/absolute command, and which two of them are its end point
_ARITY = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1}


def path_points(d: str) -> list[list[tuple[float, float]]]:
    """An SVG path's subpaths as lists of absolute points (curves reduced to their end points)."""
    tokens = _TOKEN.findall(d)
    subpaths: list[list[tuple[float, float]]] = []
    x = y = 0.0
    cmd, i = "", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            cmd = tokens[i]
            i += 1
            if cmd in "Zz":
                if subpaths and subpaths[-1]:
                    x, y = subpaths[-1][0]
                continue
        low = cmd.lower()
        if low not in _ARITY or i + _ARITY[low] > len(tokens):
            break  # an unknown command or a truncated path: keep what was read
        args = [float(t) for t in tokens[i:i + _ARITY[low]]]
        i += _ARITY[low]
        rel = cmd.islower()
        if low == "h":
            x = x + args[0] if rel else args[0]
        elif low == "v":
            y = y + args[0] if rel else args[0]
        else:
            x, y = (x + args[-2], y + args[-1]) if rel else (args[-2], args[-1])
        if low == "m":
            subpaths.append([])
            cmd = "l" if rel else "L"  # further pairs after a moveto are linetos
        if not subpaths:
            subpaths.append([])
        subpaths[-1].append((x, y))
    return subpaths


def simplify(points: list[tuple[float, float]], scale: float, tolerance: float) -> list[tuple[int, int]]:
    kept: list[tuple[int, int]] = []
    last = None
    for px, py in points:
        sx, sy = px * scale, py * scale
        if last is None or math.hypot(sx - last[0], sy - last[1]) >= tolerance:
            kept.append((round(sx), round(sy)))
            last = (sx, sy)
    return kept


@lru_cache(maxsize=1)
def shapes() -> tuple[dict[str, str], tuple[int, int]]:
    """({alpha-2 code: simplified path data}, (width, height)): read and simplified once per process."""
    source = resources.files("pygal_maps_world").joinpath("worldmap.svg").read_text(encoding="utf-8")
    root = ET.fromstring(source)
    _, _, w, h = (float(v) for v in root.get("viewBox", "0 0 2475 1388").split())
    scale = WIDTH / w
    out: dict[str, str] = {}
    for group in root.iter(f"{SVG_NS}g"):
        classes = (group.get("class") or "").split()
        if "country" not in classes or not classes:
            continue
        subs = [sub for path in group.iter(f"{SVG_NS}path") for sub in path_points(path.get("d", ""))]
        # a microstate (Andorra, Vatican) would vanish at TOLERANCE: it keeps every rounded point
        parts = _outline(subs, scale, TOLERANCE) or _outline(subs, scale, 0.0)
        if parts:
            out[classes[0].lower()] = parts
    return out, (WIDTH, round(h * scale))


def _outline(subpaths: list[list[tuple[float, float]]], scale: float, tolerance: float) -> str:
    """Path data in relative moves (short: most steps are one or two digits)."""
    parts, x, y = [], 0, 0
    for sub in subpaths:
        pts = simplify(sub, scale, tolerance)
        if len(pts) < 3:
            continue
        steps = [f"m{pts[0][0] - x} {pts[0][1] - y}"]
        steps += [f"{bx - ax} {by - ay}" for (ax, ay), (bx, by) in zip(pts, pts[1:])]
        parts.append(steps[0] + "l" + " ".join(steps[1:]) + "z")
        x, y = pts[0]  # after z the current point is the subpath's start
    return "".join(parts)


def shade(count: int, top: int) -> int:
    """1..SHADES on a log scale, so one country with most articles does not wash out the rest."""
    if count <= 0 or top <= 0:
        return 0
    return 1 + min(SHADES - 1, int(SHADES * math.log1p(count) / math.log1p(top + 1e-9) - 1e-9))


def render(countries: list[dict]) -> Markup:
    """countries: {"id", "name", "count", "url", "selected", "action"} of the result set.
    Each country with articles is a link (aria-label and <title> say what it does); the rest is
    background, hidden from screen readers (the list beside the map names every country too)."""
    paths, (width, height) = shapes()
    by_id = {c["id"]: c for c in countries}
    top = max((c["count"] for c in countries), default=0)
    out = [f'<svg class="worldmap" viewBox="0 0 {width} {height}" role="group" '
           f'aria-label="World map: countries named in these results, darker with more articles">']
    for code, d in paths.items():
        c = by_id.get(code)
        if c is None:
            out.append(f'<path d="{d}" aria-hidden="true"/>')
            continue
        words = f'{c["name"]}: {c["count"]:,} article{"" if c["count"] == 1 else "s"} — {c["action"]}'
        classes = f'c{shade(c["count"], top)}' + (" selected" if c["selected"] else "")
        out.append(f'<a href="{escape(c["url"])}" class="{classes}" aria-label="{escape(words)}">'
                   f'<title>{escape(words)}</title><path d="{d}"/></a>')
    out.append("</svg>")
    return Markup("".join(out))
