from fastapi import APIRouter, Request

from app.web.deps import StoreDep
from app.web.routes.entities import entity_lists
from app.web.templating import templates

router = APIRouter()


@router.get("/", include_in_schema=False)
def home_page(request: Request, store: StoreDep):
    countries, agencies = entity_lists(store, limit=24)
    return templates.TemplateResponse(request, "home.html", {
        "latest": store.latest(10), "countries": countries, "agencies": agencies,
        "total": store.doc_index().size,
    })
