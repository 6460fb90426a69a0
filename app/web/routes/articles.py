from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request

from app.entities import load_gazetteer
from app.entities.outlets import outlet_reading
from app.search.snippets import for_query
from app.web.deps import StoreDep
from app.web.origin import shown_origin
from app.web.templating import templates

router = APIRouter()
# The {…:id} convertor (app/web/deps.py) already refused anything but ASCII digits.
ArticleId = Annotated[int, Path(ge=0, le=10**18 - 1, description="Article number (ASCII digits)")]
VersionNumber = Annotated[int, Path(ge=0, le=10**18 - 1, description="Version number (ASCII digits)")]


def find_article(store, article_id: int):
    article = store.article(article_id)
    if article is None:
        raise HTTPException(404, f"There is no article {article_id} in this archive.")
    return article


@router.get("/articles/{article_id:id}", include_in_schema=False)
def article_page(request: Request, store: StoreDep, article_id: ArticleId):
    """The article; opened from a result (`?q=`), the searched words are marked in it."""
    from app.search.similar import more_like_this, other_language

    article = find_article(store, article_id)
    q = request.query_params.get("q", "")
    return templates.TemplateResponse(request, "article.html", {
        "article": article, "q": q, "highlight": for_query(q), "origin": shown_origin(article.origin, article.import_paths),
        "similar": more_like_this(store, article.id), "other_language": other_language(store, article.id),
        "outlet_country": _outlet_country(article)})


def _outlet_country(article) -> str | None:
    """The name of the outlet's country when it placed the article's bodies (outlets.py)."""
    entities = load_gazetteer().entities
    countries = {entities[t.entity_id].country for t in article.tags
                 if t.type == "agency" and t.entity_id in entities}
    code = outlet_reading(article.url, article.source,
                          [t.entity_id for t in article.tags if t.type == "country"], countries)
    return entities[code].name if code and code in entities else None


@router.get("/articles/{article_id:id}/versions/{number:id}", include_in_schema=False)
def version_page(request: Request, store: StoreDep, article_id: ArticleId, number: VersionNumber):
    article = find_article(store, article_id)
    version = store.version(article.id, number)
    if version is None:
        raise HTTPException(404, f"Article {article.id} has no version {number}.")
    return templates.TemplateResponse(request, "version.html", {"article": article, "version": version})
