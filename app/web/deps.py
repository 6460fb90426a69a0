"""Dependencies shared by the routes."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.search.params import SearchParams
from app.storage.sqlite import SqliteStore


def get_store(request: Request) -> SqliteStore:
    return request.app.state.store


def get_params(request: Request) -> SearchParams:
    return SearchParams.from_query(request.query_params, request.app.state.settings.page_size)


StoreDep = Annotated[SqliteStore, Depends(get_store)]
ParamsDep = Annotated[SearchParams, Depends(get_params)]
