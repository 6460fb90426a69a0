"""/search.csv, /search.json, /search.atom: any search, entity or tag page as a file or a feed.

They take the /search page's parameters (an entity page links here with its filter, e.g.
``/search.csv?country=ma&sort=newest``); ``page`` is ignored: a file holds every match up to its
limit (app/search/export.py), a feed the newest entries (app/search/feed.py).
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from app.search.export import csv_lines, json_chunks, ordered_matches, parse_limit, view_title
from app.search.feed import feed_items
from app.search.params import SearchParams
from app.web.atom import atom
from app.web.deps import ParamsDep, StoreDep, merged_filters

router = APIRouter()
FORMATS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "atom": "application/atom+xml"}


def export_links(params: SearchParams) -> dict[str, str]:
    """The view's CSV, JSON and Atom addresses (for pages and the API)."""
    base = params.replace()  # page 1: the files hold every match, whatever the page
    return {fmt: base.url(f"/search.{fmt}") for fmt in FORMATS}


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _export(request: Request, store, params: SearchParams, fmt: str):
    moved = merged_filters(request, store, params)
    if moved:
        return moved
    limit, note = parse_limit(request.query_params.get("limit"))
    matches = ordered_matches(store, params, limit)
    headers = {"Content-Disposition": f'attachment; filename="newsarchive-search.{fmt}"',
               "X-Total-Count": str(matches.total), "X-Truncated": "1" if matches.truncated else "0"}
    if note:
        headers["X-Limit-Note"] = note
    if fmt == "csv":
        return StreamingResponse(csv_lines(store, matches), media_type=FORMATS["csv"], headers=headers)
    links = {k: _base(request) + v for k, v in export_links(params).items()}
    body = json_chunks(store, matches, params.q, links)
    return StreamingResponse(body, media_type=FORMATS["json"], headers=headers)


@router.get("/search.csv", include_in_schema=False)
def export_csv(request: Request, store: StoreDep, params: ParamsDep):
    return _export(request, store, params, "csv")


@router.get("/search.json", include_in_schema=False)
def export_json(request: Request, store: StoreDep, params: ParamsDep):
    return _export(request, store, params, "json")


@router.get("/search.atom", include_in_schema=False)
def search_feed(request: Request, store: StoreDep, params: ParamsDep):
    moved = merged_filters(request, store, params)
    if moved:
        return moved
    p, items = feed_items(store, params)
    base = _base(request)
    body = atom(items, title=view_title(p), base=base, self_url=base + export_links(params)["atom"],
                page_url=base + params.replace(sort="newest").url())
    return Response(body, media_type=FORMATS["atom"])
