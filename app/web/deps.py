"""Dependencies shared by the routes."""
from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from starlette.convertors import Convertor, register_url_convertor

from app.search.params import SearchParams
from app.storage.sqlite import SqliteStore


class IdConvertor(Convertor):
    """Article and version numbers in paths: ASCII digits only, so `①`, `¹` or Arabic-Indic `٣`
    (which int() reads, or fails on) are a 404 like any other unknown path; 18 digits fit SQLite."""

    regex = "[0-9]{1,18}"

    def convert(self, value: str) -> int:
        return int(value)

    def to_string(self, value: int) -> str:
        return str(value)


register_url_convertor("id", IdConvertor())  # routes say {article_id:id}


def get_store(request: Request) -> SqliteStore:
    return request.app.state.store


def get_params(request: Request) -> SearchParams:
    return SearchParams.from_query(request.query_params, request.app.state.settings.page_size)


StoreDep = Annotated[SqliteStore, Depends(get_store)]
ParamsDep = Annotated[SearchParams, Depends(get_params)]


def merged_filters(request: Request, store: SqliteStore, params: SearchParams) -> RedirectResponse | None:
    """A redirect when a country, agency or tag filter names an entity an analyst merged into
    another (a saved link from before the merge): the same search, with the entity it became."""
    changes = {}
    for name in ("country", "agency", "tag"):
        values = getattr(params, name)
        moved = tuple(dict.fromkeys(store.merged_into(value) or value for value in values))
        if moved != values:
            changes[name] = moved
    if not changes:
        return None
    query = [(k, v) for k, v in request.query_params.multi_items() if k not in changes]
    query += [(name, value) for name, values in changes.items() for value in values]
    return RedirectResponse(f"{request.url.path}?{urlencode(query)}", status_code=307)
