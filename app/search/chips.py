"""The active filters of a search as chips: one per filter, wherever it came from (the URL's
`?country=ma` or the query's `country:ma`), each with the address of the same search without it.

A filter typed in the query lives in the query text, so removing it from the URL alone kept it:
the chip's address drops it from both. Pure: labels come from the caller.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from app.search.params import SearchParams
from app.search.query import ParsedQuery
from app.tags import normalise_tag

ENTITY_KINDS = ("country", "agency", "group")  # one entity id may sit in any of them (old links)
ORDER = ("country", "agency", "group", "lang", "source", "tag", "from", "to")
_ATTR = {"from": "date_from", "to": "date_to"}
_WORDS = {"lang": "language", "from": "from", "to": "until"}


@dataclass(frozen=True)
class Chip:
    name: str  # country, agency, group, lang, source, tag, from, to
    value: str
    label: str  # what the user reads: "Morocco", "French", "2024-03-01"
    kind: str  # the filter in words: "country", "language", "from"
    url: str  # this search without the filter


def chips(params: SearchParams, parsed: ParsedQuery, merged: SearchParams,
          label: Callable[[str, str], str]) -> list[Chip]:
    """One chip per active filter of ``merged`` (the URL's filters plus the query's)."""
    out = []
    for name in ORDER:
        current = getattr(merged, _ATTR.get(name, name))
        for value in (current if isinstance(current, tuple) else (current,) if current else ()):
            out.append(Chip(name, value, label(name, value), _WORDS.get(name, name),
                            without(params, parsed, name, value).url()))
    return out


def without(params: SearchParams, parsed: ParsedQuery, name: str, value: str) -> SearchParams:
    """``params`` without one filter: out of the URL's lists and out of the query text."""
    names = ENTITY_KINDS if name in ENTITY_KINDS else (name,)
    changes: dict = {}
    for n in names:
        attr = _ATTR.get(n, n)
        current = getattr(params, attr)
        if isinstance(current, tuple):
            changes[attr] = tuple(v for v in current if _key(n, v) != _key(n, value))
        else:
            changes[attr] = ""  # one date of each kind: the chip shows the one in force
    spans = [(s, e) for n, v, s, e in parsed.filter_spans
             if n in names and (n in _ATTR or _key(n, v) == _key(n, value))]
    return params.replace(q=cut(params.q, spans), **changes)


def cleared(params: SearchParams, parsed: ParsedQuery) -> SearchParams:
    """The same query words and view, with no filter at all (URL or query text)."""
    return params.without_filters().replace(q=cut(params.q, [(s, e) for _, _, s, e in parsed.filter_spans]))


def without_dates(params: SearchParams, parsed: ParsedQuery) -> SearchParams:
    """No date range in the URL nor in the query text (a histogram bar sets its own)."""
    spans = [(s, e) for n, _, s, e in parsed.filter_spans if n in _ATTR]
    return params.replace(q=cut(params.q, spans), date_from="", date_to="")


def cut(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` without the spans, spaces tidied: 'a country:ma b' -> 'a b'."""
    if not spans:
        return text
    for start, end in sorted(spans, reverse=True):
        text = text[:start] + " " + text[end:]
    return re.sub(r"\s+", " ", text).strip()


def _key(name: str, value: str) -> str:
    if name == "tag":
        return normalise_tag(value)
    return value if name == "source" else value.lower()
