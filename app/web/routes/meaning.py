"""Articles near one article by meaning, as JSON (the article page shows the same lists)."""
from __future__ import annotations

from dataclasses import asdict

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.search.similar import more_like_this
from app.web.deps import StoreDep
from app.web.routes.articles import ArticleId, find_article

router = APIRouter(prefix="/api", tags=["api"])


class SimilarOut(BaseModel):
    id: int
    title: str
    language: str | None
    published_at: str | None
    similarity: float = Field(description="Cosine similarity of the two articles' vectors, -1..1")


class SimilarListOut(BaseModel):
    article: int
    meaning_search: bool = Field(description="False: no model, or this article has no vector yet (run newsarchive embed)")
    results: list[SimilarOut]


@router.get("/articles/{article_id:id}/similar", response_model=SimilarListOut, responses={
    404: {"description": "No article with this number"}})
def api_similar(store: StoreDep, article_id: ArticleId):
    """The articles closest in meaning to this one, in any language, closest first."""
    article = find_article(store, article_id)
    found = more_like_this(store, article.id)
    return {"article": article.id, "meaning_search": found is not None,
            "results": [asdict(s) for s in found or []]}
