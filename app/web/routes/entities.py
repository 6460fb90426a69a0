from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse

from app.entities import load_gazetteer
from app.search.params import SearchParams
from app.tags import normalise_tag
from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter()


def entity_lists(store, limit: int | None = None):
    """(countries, agencies) as (entity, count) pairs, most articles first."""
    gz = load_gazetteer()
    countries, agencies = [], []
    for eid, n in store.entity_counts():
        ent = gz.entities.get(eid)
        if ent is None or ent.type == "group":
            continue
        (countries if ent.type == "country" else agencies).append((ent, n))
    return (countries[:limit], agencies[:limit]) if limit else (countries, agencies)


def _entity_page(request: Request, store, entity, params: SearchParams):
    results = store.search(params.replace(sort="newest", page=params.page))
    return templates.TemplateResponse(request, "entity.html", {"entity": entity, "results": results, "params": params})


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
    url = request.url_for("country_page" if ent.type == "country" else "agency_page", **(
        {"code": ent.id} if ent.type == "country" else {"slug": ent.id}))
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
    return _merged_away(request, store, ent.id) or _entity_page(request, store, ent, _params(request, agency=(ent.id,)))


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
