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
    match: str = Field(description='"full", or "partial": only some of the words')
    versions: int = Field(description="With collapse=1: articles of this story among the matches")


class FacetOut(BaseModel):
    value: str
    label: str
    count: int


class SearchOut(BaseModel):
    total: int
    partial_total: int
    page: int
    page_size: int
    query: str = Field(description="How the query and filters were read")
    warnings: list[str]
    results: list[HitOut]
    facets: dict[str, list[FacetOut]]
    links: dict[str, str] = Field(default_factory=dict, description="Every match of this search as csv and json"
                                  " (streamed, up to 10,000 rows), and its atom feed (newest 50)")


class TagOut(BaseModel):
    entity_id: str
    type: str
    name: str
    about: bool
    mention_count: int
    sentences: list[str]
    located_only: bool = Field(False, description="a country known only from its cities or regions")
    places: list[str] = Field([], description="the places that justified a located tag, as written")


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


def search_json(r: SearchResults) -> dict:
    return {
        "total": r.total,
        "partial_total": r.partial_total,
        "page": r.page,
        "page_size": r.page_size,
        "query": r.description,
        "warnings": r.warnings,
        "results": [
            {"id": h.id, "title": h.title, "snippet": str(h.snippet), "language": h.language, "source": h.source,
             "published_at": h.published_at, "countries": h.countries, "agencies": h.agencies, "match": h.match,
             "versions": h.versions}
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


class EntityCountsOut(BaseModel):
    mentioned: int = Field(description="articles that name it (its name, adjective, acronym ...)")
    about: int = Field(description="articles about it (title or lead, or named often)")
    located: int = Field(description="countries: articles naming one of its cities or regions")


class EntitySummaryOut(BaseModel):
    id: str = Field(description="ISO 3166-1 alpha-2 code (countries) or slug: the value of ?country= / ?agency=")
    type: str = Field(description="country, agency or group")
    name: str
    acronym: str | None
    kind: str | None = Field(description="agencies: intelligence, police, judicial, ministry, military, international ...")
    country: str | None = Field(description="agencies: the country whose body it is; none for international bodies")
    articles: EntityCountsOut
    merged_into: str | None = Field(description="an analyst merged it into this entity: its articles are there")
    url: str


class EntityListOut(BaseModel):
    total: int
    entities: list[EntitySummaryOut]


class EntityOut(EntitySummaryOut):
    names: dict[str, str] = Field(description="name per language code")
    acronyms: list[str]
    aliases: list[str] = Field(description="every form the tagger matches, generated phrasings included")
    analysts_aliases: list[str]
    merged_from: list[str] = Field(description="entities an analyst merged into this one")
    pages: dict[str, str]
