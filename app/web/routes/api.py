"""JSON API mirroring the pages (OpenAPI docs at /docs)."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.web.api_models import article_json, search_json
from app.web.deps import ParamsDep, StoreDep, merged_filters
from app.web.routes.articles import ArticleId, find_article

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/search")
def api_search(
    request: Request,
    store: StoreDep,
    params: ParamsDep,
    q: Annotated[str, Query(description='Query: words, "phrases", OR, -word, prefix*, country:ma')] = "",
    country: Annotated[list[str], Query(description="ISO alpha-2 code, repeatable")] = [],  # noqa: B006
    agency: Annotated[list[str], Query(description="Agency slug, repeatable")] = [],  # noqa: B006
    lang: Annotated[list[str], Query(description="Language code, repeatable")] = [],  # noqa: B006
    sort: Annotated[str, Query(description="relevance, newest or oldest")] = "relevance",
    page: Annotated[str, Query(description="Page number from 1")] = "1",
) -> dict:
    """Same parameters and results as the /search page."""
    return merged_filters(request, store, params) or search_json(store.search(params))


@router.get("/articles/{article_id:id}")
def api_article(store: StoreDep, article_id: ArticleId) -> dict:
    """Every stored field of one article, plus its countries and agencies."""
    return article_json(find_article(store, article_id))
