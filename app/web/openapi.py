"""/openapi.json as the API behaves: FastAPI adds a 422 "Validation Error" to every operation with
parameters, but this app answers those errors with 400 and {"detail": "..."} (app/web/app.py)."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi


def install(web: FastAPI) -> None:
    def schema() -> dict:
        if web.openapi_schema is None:
            spec = get_openapi(title=web.title, version=web.version, description=web.description, routes=web.routes)
            for path in spec.get("paths", {}).values():
                for operation in path.values():
                    operation.get("responses", {}).pop("422", None)
            schemas = spec.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            web.openapi_schema = spec
        return web.openapi_schema

    web.openapi = schema
