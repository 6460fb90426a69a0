from fastapi import APIRouter, Request

from app.web.deps import StoreDep
from app.web.routes.entities import entities_by_type
from app.web.templating import templates

router = APIRouter()


@router.get("/", include_in_schema=False)
def home_page(request: Request, store: StoreDep):
    by_type = entities_by_type(store)
    return templates.TemplateResponse(request, "home.html", {
        "latest": store.latest(10), "countries": by_type["country"][:24], "agencies": by_type["agency"][:24],
        "groups": by_type["group"][:12], "total": store.doc_index().size, "undated": store.doc_index().undated(),
    })
