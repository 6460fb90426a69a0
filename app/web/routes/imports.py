from fastapi import APIRouter, Request

from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter()


@router.get("/imports", include_in_schema=False)
def imports_page(request: Request, store: StoreDep):
    runs = store.imports()
    lines = {r["id"]: store.import_lines(r["id"]) for r in runs[:5]}
    return templates.TemplateResponse(request, "imports.html", {"runs": runs, "lines": lines})
