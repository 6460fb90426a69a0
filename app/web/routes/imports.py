from itertools import islice

from fastapi import APIRouter, Request

from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter()


@router.get("/imports", include_in_schema=False)
def imports_page(request: Request, store: StoreDep):
    runs = store.imports()
    # The first 500 lines of the last five imports (a big import has a line per file).
    lines = {r["id"]: list(islice(store.import_lines(r["id"]), 500)) for r in runs[:5]}
    return templates.TemplateResponse(request, "imports.html", {"runs": runs, "lines": lines})
