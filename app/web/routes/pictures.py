"""/map and /pairs: pictures of a result set (the /search parameters), drawn on the server.

/map: the countries named in the results on a world map (app/web/worldmap.py), each a link to
the results with that country's filter added. /pairs: which agencies and countries are named
together (app/search/pairs.py), each pair a link to the results with both filters.
"""
from __future__ import annotations

from fastapi import APIRouter, Request

from app.entities import load_gazetteer
from app.search.engine import entity_label, matching
from app.search.export import view_title
from app.search.pairs import TOP_AGENCIES, TOP_COUNTRIES, cooccurrence
from app.search.params import SearchParams
from app.web import worldmap
from app.web.deps import ParamsDep, StoreDep, merged_filters
from app.web.templating import templates

router = APIRouter()
TOP_PAIRS = 30
MATRIX = 12  # rows and columns of the agencies x countries table


def kind_of(entity_id: str) -> str | None:
    ent = load_gazetteer().entities.get(entity_id)
    if ent is None or ent.type == "group":
        return None
    return "country" if ent.type == "country" else "agency"


def with_filter(p: SearchParams, entity_id: str) -> SearchParams:
    name = "country" if kind_of(entity_id) == "country" else "agency"
    return p if entity_id in getattr(p, name) else p.replace(**{name: getattr(p, name) + (entity_id,)})


def _context(store, params: SearchParams):
    """(merged params, mask of the matches, what both pages show above their picture)."""
    p, _, mask = matching(store, params)
    return p, mask, {"params": params, "total": int(mask.sum()), "title": view_title(p), "results_url": params.replace().url()}


@router.get("/map", include_in_schema=False)
def map_page(request: Request, store: StoreDep, params: ParamsDep):
    moved = merged_filters(request, store, params)
    if moved:
        return moved
    p, mask, context = _context(store, params)
    countries = []
    for eid, n in store.doc_index().entity_counts(mask, p.about):
        if kind_of(eid) == "country":
            selected = eid in p.country
            countries.append({"id": eid, "name": entity_label(eid), "count": n, "selected": selected,
                              "url": p.toggle("country", eid).url(),
                              "action": "remove this filter" if selected else "show these articles"})
    shapes, _ = worldmap.shapes()
    context.update(svg=worldmap.render(countries), countries=countries,
                   unmapped=[c for c in countries if c["id"] not in shapes])
    return templates.TemplateResponse(request, "map.html", context)


@router.get("/pairs", include_in_schema=False)
def pairs_page(request: Request, store: StoreDep, params: ParamsDep):
    moved = merged_filters(request, store, params)
    if moved:
        return moved
    p, mask, context = _context(store, params)
    co = cooccurrence(store.doc_index(), mask, p.about, kind_of, skip=set(p.country + p.agency))
    link = lambda a, b: with_filter(with_filter(p, a), b).url()  # noqa: E731
    context.update(co=co, rows=co.agencies[:MATRIX], cols=co.countries[:MATRIX], pairs=co.top_pairs(TOP_PAIRS, with_agency=True),
                   country_pairs=co.top_pairs(TOP_PAIRS, with_agency=False),
                   link=link, label=entity_label, top_agencies=TOP_AGENCIES, top_countries=TOP_COUNTRIES,
                   top_pairs=TOP_PAIRS, matrix=MATRIX)
    return templates.TemplateResponse(request, "pairs.html", context)
