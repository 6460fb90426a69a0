"""JSON API mirroring the pages (OpenAPI docs at /docs). Its schema declares what it returns:
the models of app/web/api_models.py, 404 for an unknown article, 400 (not FastAPI's 422) for a
parameter it cannot read, 307 when a filter names a merged entity, 414 for an over-long URL."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.web.api_models import ArticleOut, ErrorOut, SearchOut, article_json, search_json
from app.web.deps import ParamsDep, StoreDep, merged_filters
from app.web.routes.articles import ArticleId, find_article

router = APIRouter(prefix="/api", tags=["api"])
ERRORS = {400: {"model": ErrorOut, "description": "A parameter that cannot be read"},
          414: {"model": ErrorOut, "description": "The URL is longer than the limit"}}
Many = list[str]


@router.get("/search", response_model=SearchOut, responses={
    **ERRORS, 307: {"description": "A filter names an entity merged into another: the same search with it"}})
def api_search(
    request: Request,
    store: StoreDep,
    params: ParamsDep,  # what the search reads; the parameters below document it
    q: Annotated[str, Query(description='Query: words, "phrases", OR, -word, prefix*, country:ma')] = "",
    country: Annotated[Many, Query(description="ISO alpha-2 code, repeatable")] = [],  # noqa: B006
    agency: Annotated[Many, Query(description="Agency slug, repeatable")] = [],  # noqa: B006
    lang: Annotated[Many, Query(description="Language code, repeatable")] = [],  # noqa: B006
    source: Annotated[Many, Query(description="Source name, repeatable")] = [],  # noqa: B006
    tag: Annotated[Many, Query(description="Source tag (place:usa) or entity id, repeatable")] = [],  # noqa: B006
    date_from: Annotated[str, Query(alias="from", description="Published from: YYYY, YYYY-MM or YYYY-MM-DD")] = "",
    date_to: Annotated[str, Query(alias="to", description="Published until: YYYY, YYYY-MM or YYYY-MM-DD")] = "",
    about: Annotated[str, Query(description="1: count and filter only articles about each country or agency")] = "",
    collapse: Annotated[str, Query(description="1: one result per story")] = "",
    recency: Annotated[str, Query(description="1: relevance blended with recency")] = "",
    sort: Annotated[str, Query(description="relevance, newest or oldest")] = "relevance",
    mode: Annotated[str, Query(description="hybrid (words and meaning), keyword or meaning")] = "hybrid",
    page: Annotated[str, Query(description="Page number from 1")] = "1",
):
    """Same parameters and results as the /search page."""
    return merged_filters(request, store, params) or search_json(store.search(params))


@router.get("/articles/{article_id:id}", response_model=ArticleOut,
            responses={**ERRORS, 404: {"model": ErrorOut, "description": "No article with this number"}})
def api_article(store: StoreDep, article_id: ArticleId):
    """Every stored field of one article, plus its countries and agencies, and the same story in
    the other language when meaning search finds it."""
    from dataclasses import asdict

    from app.search.similar import other_language

    article = find_article(store, article_id)
    return article_json(article) | {"other_language": [asdict(s) for s in other_language(store, article.id)]}
