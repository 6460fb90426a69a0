from fastapi import APIRouter, Request

from app.web.deps import ParamsDep, StoreDep, merged_filters
from app.web.templating import templates

router = APIRouter()


@router.get("/search", include_in_schema=False)
def search_page(request: Request, store: StoreDep, params: ParamsDep):
    moved = merged_filters(request, store, params)
    if moved:
        return moved
    results = store.search(params)
    return templates.TemplateResponse(request, "search.html", {"params": params, "results": results})
