"""One search, end to end: parsed query + filters -> total, page of hits, facets, sentence.

Backend-neutral: the store supplies ``match_ids`` / ``ranked_ids`` (full text), ``doc_index``
(filters, facets, date order), ``summaries`` and ``tags_for``.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from app.entities import load_gazetteer
from app.search.fts5 import compile_query
from app.search.params import SearchParams
from app.search.query import ParsedQuery
from app.search.snippets import Highlighter
from app.storage.views import FacetValue, Hit, SearchResults

FACET_LIMIT = 30


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    import pycountry

    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return lang.name if lang else code


def entity_label(entity_id: str) -> str:
    ent = load_gazetteer().entities.get(entity_id)
    return ent.name if ent else entity_id


def entity_short(entity_id: str) -> str:
    """The acronym of an agency when it has one (BCIJ), else its name: for tags and facets."""
    ent = load_gazetteer().entities.get(entity_id)
    return (ent.acronym or ent.name) if ent else entity_id


def label(kind: str, value: str) -> str:
    if kind in ("country", "agency", "tag"):
        return entity_label(value)
    if kind == "lang":
        return language_name(value)
    return value


def merge_filters(params: SearchParams, parsed: ParsedQuery) -> SearchParams:
    """In-query filters (country:ma) are the same as URL filters (?country=ma)."""
    extra = {}
    for name in ("country", "agency", "lang", "tag"):
        values = tuple(v.lower() for v in parsed.filters.get(name, ()))
        if values:
            extra[name] = tuple(dict.fromkeys(getattr(params, name) + values))
    if parsed.filters.get("source"):
        extra["source"] = tuple(dict.fromkeys(params.source + tuple(parsed.filters["source"])))
    return params.replace(page=params.page, **extra) if extra else params


def describe_filters(p: SearchParams) -> list[str]:
    out = []
    kind = " (about)" if p.about else ""
    for name, word in (("country", "country"), ("agency", "agency"), ("lang", "language"), ("source", "source"), ("tag", "tag")):
        for v in getattr(p, name):
            out.append(f"{word}{kind if name in ('country', 'agency') else ''} is {label(name, v)}")
    return out


def _describe(parsed: ParsedQuery, p: SearchParams) -> str:
    parts = []
    if parsed.tree is not None:
        try:
            from app.search.query import describe

            parts.append(describe(ParsedQuery(parsed.tree, {}, []), label))
        except ImportError:  # pragma: no cover - the parser always has describe()
            parts.append(f"matching “{p.q}”")
    parts += describe_filters(p)
    return "; ".join(parts) if parts else "all articles"


def _check_filters(p: SearchParams) -> list[str]:
    gz = load_gazetteer()
    notes = []
    for name, type_ in (("country", "country"), ("agency", "agency")):
        for v in getattr(p, name):
            ent = gz.entities.get(v)
            if ent is None or ent.type not in (type_, "group" if type_ == "agency" else type_):
                notes.append(f"unknown {name} {v!r}: no article can match it")
    return notes


def _facets(idx, mask: np.ndarray, p: SearchParams) -> dict[str, list[FacetValue]]:
    gz = load_gazetteer()
    by_type: dict[str, list[FacetValue]] = {"country": [], "agency": []}
    for eid, n in idx.entity_counts(mask, p.about):
        ent = gz.entities.get(eid)
        kind = "country" if ent is not None and ent.type == "country" else "agency"
        if ent is not None and ent.type == "group":
            continue
        by_type[kind].append(FacetValue(eid, ent.name if ent else eid, n, eid in getattr(p, kind)))
    facets = {k: v[:FACET_LIMIT] + [f for f in v[FACET_LIMIT:] if f.selected] for k, v in by_type.items()}
    facets["language"] = [FacetValue(v, language_name(v), n, v in p.lang) for v, n in idx.lang_counts(mask)]
    return facets


def run_search(store, params: SearchParams, parsed: ParsedQuery) -> SearchResults:
    p = merge_filters(params, parsed)
    compiled = compile_query(parsed.tree)
    idx = store.doc_index()
    mask = np.ones(idx.size, dtype=bool)
    if compiled.match:
        mask = idx.mask_of_ids(store.match_ids(compiled.match))
    if compiled.exclude:
        mask &= ~idx.mask_of_ids(store.match_ids(compiled.exclude))
    filtered = p.has_filters()
    if filtered:
        mask &= idx.filter_mask(entities=p.country + p.agency, about=p.about, langs=p.lang,
                                sources=p.source, tags=p.tag)
    total = int(mask.sum())
    offset = (p.page - 1) * p.page_size
    if total == 0 or offset >= total:
        ids: list[int] = []
    elif p.sort == "relevance" and compiled.match:
        within = mask if (filtered or compiled.exclude) else None
        ids = store.ranked_ids(compiled.match, offset, p.page_size, within)
    else:
        ids = idx.page_by_date(mask, p.sort != "oldest", offset, p.page_size)
    hl = Highlighter(compiled.stems, compiled.prefixes)
    rows, tags = store.summaries(ids), store.tags_for(ids)
    gz = load_gazetteer()
    hits = []
    for i in ids:
        _, title, body, lang, source, published = rows[i]
        ents = tags.get(i, [])
        hits.append(Hit(
            id=i, title=title, snippet=hl.snippet(body, lang), language=lang, source=source,
            published_at=published or None,
            countries=[e for e, _ in ents if (gz.entities.get(e) and gz.entities[e].type == "country")],
            agencies=[e for e, _ in ents if not (gz.entities.get(e) and gz.entities[e].type in ("country", "group"))],
            title_html=hl.mark(title, lang),
        ))
    warnings = list(parsed.warnings) + compiled.warnings + list(p.notes) + _check_filters(p)
    return SearchResults(total=total, hits=hits, facets=_facets(idx, mask, p), description=_describe(parsed, p),
                         warnings=warnings, page=p.page, page_size=p.page_size)
