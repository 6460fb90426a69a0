from fastapi import APIRouter, HTTPException, Request

from app.web.deps import StoreDep
from app.web.templating import templates

router = APIRouter()


def find_article(store, article_id: str):
    article = store.article(int(article_id)) if article_id.isdigit() and len(article_id) < 19 else None
    if article is None:
        raise HTTPException(404, f"There is no article {article_id!r} in this archive.")
    return article


@router.get("/articles/{article_id}", include_in_schema=False)
def article_page(request: Request, store: StoreDep, article_id: str):
    return templates.TemplateResponse(request, "article.html", {"article": find_article(store, article_id)})


@router.get("/articles/{article_id}/versions/{number}", include_in_schema=False)
def version_page(request: Request, store: StoreDep, article_id: str, number: str):
    article = find_article(store, article_id)
    version = store.version(article.id, int(number)) if number.isdigit() and len(number) < 9 else None
    if version is None:
        raise HTTPException(404, f"Article {article.id} has no version {number!r}.")
    return templates.TemplateResponse(request, "version.html", {"article": article, "version": version})
