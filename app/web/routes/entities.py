from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse

from app.entities import load_gazetteer
from app.search.params import SearchParams
from app.tags import normalise_tag
from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter()


PAGES = {"country": ("country_page", "code"), "agency": ("agency_page", "slug"), "group": ("group_page", "slug")}


def entity_lists(store, limit: int | None = None):
    """(countries, agencies) as (entity, count) pairs, most articles first."""
    by_type = entities_by_type(store)
    countries, agencies = by_type["country"], by_type["agency"]
    return (countries[:limit], agencies[:limit]) if limit else (countries, agencies)


def entities_by_type(store) -> dict[str, list]:
    """{"country"|"agency"|"group": [(entity, article count)]}, most articles first."""
    gz = load_gazetteer()
    out: dict[str, list] = {"country": [], "agency": [], "group": []}
    for eid, n in store.entity_counts():
        ent = gz.entities.get(eid)
        if ent is not None and ent.type in out:
            out[ent.type].append((ent, n))
    return out


def _entity_page(request: Request, store, entity, params: SearchParams):
    results = store.search(params.replace(sort="newest", page=params.page))
    return templates.TemplateResponse(request, "entity.html", {"entity": entity, "results": results, "params": params,
                                                              "undated": results.histogram.unknown})


def _params(request: Request, **filters) -> SearchParams:
    base = SearchParams.from_query(request.query_params, request.app.state.settings.page_size)
    return SearchParams(page=base.page, page_size=base.page_size, sort="newest",
                        named_only=base.named_only, **filters)


def _merged_away(request: Request, store, entity_id: str) -> RedirectResponse | None:
    """An analyst merged this entity into another: its articles are there now, so is its page."""
    target = store.merged_into(entity_id)
    ent = load_gazetteer().entities.get(target) if target else None
    if ent is None:
        return None
    return _moved(request, ent)


def _moved(request: Request, ent) -> RedirectResponse:
    name, key = PAGES.get(ent.type, PAGES["agency"])
    url = request.url_for(name, **{key: ent.id})
    return RedirectResponse(str(url.include_query_params(**request.query_params)), status_code=307)


@router.get("/countries/{code}", include_in_schema=False)
def country_page(request: Request, store: StoreDep, code: str):
    ent = load_gazetteer().entities.get(code.lower())
    if ent is None or ent.type != "country":
        raise HTTPException(404, f"There is no country with the code {code!r}.")
    return _merged_away(request, store, ent.id) or _entity_page(request, store, ent, _params(request, country=(ent.id,)))


@router.get("/agencies/{slug}", include_in_schema=False)
def agency_page(request: Request, store: StoreDep, slug: str):
    ent = load_gazetteer().entities.get(slug.lower())
    if ent is None or ent.type == "country":
        raise HTTPException(404, f"There is no agency {slug!r}.")
    if ent.type == "group":  # links from before groups had pages of their own
        return _moved(request, ent)
    return _merged_away(request, store, ent.id) or _entity_page(request, store, ent, _params(request, agency=(ent.id,)))


@router.get("/groups/{slug}", include_in_schema=False)
def group_page(request: Request, store: StoreDep, slug: str):
    ent = load_gazetteer().entities.get(slug.lower())
    if ent is None or ent.type != "group":
        raise HTTPException(404, f"There is no armed group {slug!r} in the gazetteer.")
    return _merged_away(request, store, ent.id) or _entity_page(request, store, ent, _params(request, group=(ent.id,)))


@router.get("/tags/{slug:path}", include_in_schema=False)  # path: `section:middle east/africa`
def tag_page(request: Request, store: StoreDep, slug: str):
    slug = normalise_tag(slug)
    ent = load_gazetteer().entities.get(slug)
    if ent is None and slug not in store.doc_index().tag_codes.index:
        raise HTTPException(404, f"There is no tag {slug!r}.")
    return _entity_page(request, store, ent, _params(request, tag=(slug,)))


@router.get("/countries", include_in_schema=False)
def countries_page(request: Request, store: StoreDep):
    countries, _ = entity_lists(store)
    return templates.TemplateResponse(request, "entities.html", {"title": "Countries", "kind": "countries", "items": countries})


@router.get("/agencies", include_in_schema=False)
def agencies_page(request: Request, store: StoreDep):
    _, agencies = entity_lists(store)
    return templates.TemplateResponse(request, "entities.html", {"title": "Agencies", "kind": "agencies", "items": agencies})


@router.get("/groups", include_in_schema=False)
def groups_page(request: Request, store: StoreDep):
    groups = entities_by_type(store)["group"]
    return templates.TemplateResponse(request, "entities.html", {"title": "Armed groups", "kind": "groups", "items": groups})
