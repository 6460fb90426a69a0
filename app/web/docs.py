"""/docs: Swagger UI served from the swagger-ui-bundle-v2 package's files, not from a CDN, so
the API docs work offline and under a policy with no inline script (app/web/middleware.py)."""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from app.web.templating import templates

ASSETS = "/docs/assets"


def swagger_ui_dir() -> Path | None:
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # the package is a dependency; without it /docs says so instead of a blank page
        return None
    path = Path(swagger_ui_path)
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def install(web: FastAPI) -> None:
    """The /docs page and its assets; FastAPI's own /docs and /redoc (CDN scripts) are off."""
    folder = swagger_ui_dir()
    if folder is not None:
        web.mount(ASSETS, StaticFiles(directory=folder), name="docs-assets")

    @web.get("/docs", include_in_schema=False)
    def docs_page(request: Request):
        return templates.TemplateResponse(request, "docs.html", {"assets": ASSETS if folder else None},
                                          status_code=200 if folder else 503)
