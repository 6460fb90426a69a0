"""JSON shapes of the API (and of `newsarchive search --json`), and the models that declare them
in /openapi.json, so the published schema is what the API returns (schemathesis checks it)."""
from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel, Field

from app.storage.views import ArticleView, SearchResults


class ErrorOut(BaseModel):
    detail: str = Field(description="What was wrong, in a sentence")


class HitOut(BaseModel):
    id: int
    title: str
    snippet: str = Field(description="HTML: the article text escaped, matches in <mark>")
    language: str | None
    source: str | None
    published_at: str | None
    countries: list[str]
    agencies: list[str]
    match: str = Field(description='"full", "partial": only some of the words, or "meaning": none of them')
    matched: str = Field(description='How it was found: "keyword", "meaning" or "both"')
    scores: dict[str, float] = Field(description="bm25 (higher is better) and similarity (cosine) when it has them")
    versions: int = Field(description="With collapse=1: articles of this story among the matches")


class FacetOut(BaseModel):
    value: str
    label: str
    count: int


class MeaningOut(BaseModel):
    on: bool = Field(description="Whether search by meaning was available for this search")
    reason: str | None = Field(description="Why it is off, or why this search went by words alone")
    model: str | None
    unembedded: int = Field(description="Articles not yet searchable by meaning")
    summary: str = Field(description="How the result set was made")
    counts: dict[str, int]


class SearchOut(BaseModel):
    mode: str = Field(description="How the search ran: hybrid, keyword or meaning")
    meaning: MeaningOut | None
    total: int
    partial_total: int
    page: int
    page_size: int
    query: str = Field(description="How the query and filters were read")
    warnings: list[str]
    results: list[HitOut]
    facets: dict[str, list[FacetOut]]


class TagOut(BaseModel):
    entity_id: str
    type: str
    name: str
    about: bool
    mention_count: int
    sentences: list[str]


class VersionOut(BaseModel):
    version: int
    title: str
    content_hash: str
    origin: str
    published_at: str | None
    imported_at: str | None
    url: str


class ArticleOut(BaseModel):
    id: int
    title: str
    title_derived: bool
    body: str
    language: str | None
    source: str | None
    url: str | None = Field(description="As imported: not necessarily an http(s) URL")
    author: str | None
    origin: str
    format: str
    content_hash: str
    original_text: str
    published_at: str | None
    published_how: str | None
    captured_at: str | None
    imported_at: str | None
    tags: list[TagOut]
    source_tags: list[str]
    story_id: int
    same_story: list[int]
    related: list[int]
    versions: list[VersionOut]
    countries: list[str]
    agencies: list[str]
    other_language: list[dict] = Field(default=[], description="The same story in another language (id, title,"
                                       " language, published_at, similarity), found by meaning and date")


def search_json(r: SearchResults) -> dict:
    m = r.meaning
    return {
        "mode": r.mode,
        "meaning": None if m is None else {"on": m.on, "reason": m.reason, "model": m.model, "unembedded": m.unembedded,
                                           "summary": m.summary, "counts": m.counts},
        "total": r.total,
        "partial_total": r.partial_total,
        "page": r.page,
        "page_size": r.page_size,
        "query": r.description,
        "warnings": r.warnings,
        "results": [
            {"id": h.id, "title": h.title, "snippet": str(h.snippet), "language": h.language, "source": h.source,
             "published_at": h.published_at, "countries": h.countries, "agencies": h.agencies, "match": h.match,
             "versions": h.versions, "matched": h.matched, "scores": h.scores}
            for h in r.hits
        ],
        "facets": {name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                   for name, values in r.facets.items()},
    }


def article_json(a: ArticleView) -> dict:
    data = asdict(a)
    data["countries"] = [t.entity_id for t in a.tags if t.type == "country"]
    data["agencies"] = [t.entity_id for t in a.tags if t.type not in ("country", "group")]
    data["same_story"] = [i for i, _ in a.same_story]
    data["related"] = [i for i, _ in a.related]
    data["versions"] = [dict(v, url=f"/articles/{a.id}/versions/{v['version']}") for v in a.versions]
    return data
