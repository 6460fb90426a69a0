"""JSON API mirroring the pages (OpenAPI docs at /docs). Its schema declares what it returns:
the models of app/web/api_models.py, 404 for an unknown article, 400 (not FastAPI's 422) for a
parameter it cannot read, 307 when a filter names a merged entity, 414 for an over-long URL."""
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.web.api_models import ArticleOut, ErrorOut, SearchOut, article_json, search_json
from app.web.deps import ParamsDep, StoreDep, merged_filters
from app.web.routes.articles import ArticleId, find_article
from app.web.routes.exports import export_links

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
    q: Annotated[str, Query(description='Query: words (all must match), "a phrase", a OR b, -word, -"phrase", '
                                        "prefix*, (groups), title:word, and filters typed in it: country:ma agency:bcij "
                                        'group:isis lang:fr source:"Morocco World News" tag:place:usa from:2024-03 to:2024-06-30.'
                                        " At most 1,000 characters are read.")] = "",
    country: Annotated[Many, Query(description="Country: ISO 3166-1 alpha-2 code in lower case (ma, fr, es); repeatable, all must match")] = [],  # noqa: B006
    agency: Annotated[Many, Query(description="Agency slug (bcij, fbi, interpol, us-state-department); repeatable, all must match")] = [],  # noqa: B006
    group: Annotated[Many, Query(description="Armed group slug (isis, al-qaeda); repeatable, all must match")] = [],  # noqa: B006
    lang: Annotated[Many, Query(description="Language code (en, fr); repeatable: any of them")] = [],  # noqa: B006
    source: Annotated[Many, Query(description="Source name exactly as listed in the facets (Morocco World News); repeatable: any of them")] = [],  # noqa: B006
    tag: Annotated[Many, Query(description="Source tag (place:usa, section:world) or entity id; repeatable, all must match")] = [],  # noqa: B006
    date_from: Annotated[str, Query(alias="from", description="Published on or after: YYYY, YYYY-MM or YYYY-MM-DD (from=2024 is 2024-01-01); undated articles are left out")] = "",
    date_to: Annotated[str, Query(alias="to", description="Published on or before: YYYY, YYYY-MM or YYYY-MM-DD (to=2024 is 2024-12-31); undated articles are left out")] = "",
    about: Annotated[str, Query(description="1: country, agency and group filters and facets count only articles about each (title, lead or frequent mention); absent or 0: every article that mentions it")] = "",
    located: Annotated[str, Query(description="0: countries named in the text only; by default a country is "
                                              "also found through its cities and regions (located tags)")] = "",
    collapse: Annotated[str, Query(description="1: one result per story (near-duplicates folded, `versions` says how many); absent or 0: every version")] = "",
    recency: Annotated[str, Query(description="1 (with sort=relevance): relevance blended with recency, newer articles first among equals")] = "",
    sort: Annotated[str, Query(description="relevance (default, bm25), newest or oldest (by publication date; undated articles last)")] = "relevance",
    mode: Annotated[str, Query(description="hybrid (words and meaning, the default), keyword (words only) or meaning (meaning only); queries with operators go by their words")] = "hybrid",
    page: Annotated[str, Query(description="Page number from 1 (at most 10,000); a page past the last is empty and says so in `links`")] = "1",
    page_size: Annotated[str, Query(description="Results per page, 1 to 100 (default: NEWSARCHIVE_PAGE_SIZE, 20)")] = "",
):
    """Same parameters and results as the /search page."""
    moved = merged_filters(request, store, params)
    if moved:
        return moved
    data = search_json(store.search(params), params)
    data["links"].update(export_links(params))  # the same search as files and as a feed
    return data


@router.get("/articles/{article_id:id}", response_model=ArticleOut,
            responses={**ERRORS, 404: {"model": ErrorOut, "description": "No article with this number"}})
def api_article(store: StoreDep, article_id: ArticleId):
    """Every stored field of one article, plus its countries and agencies, and the same story in
    the other language when meaning search finds it."""
    from dataclasses import asdict

    from app.search.similar import other_language

    article = find_article(store, article_id)
    return article_json(article) | {"other_language": [asdict(s) for s in other_language(store, article.id)]}
