"""JSON shapes of the API (and of `newsarchive search --json`), and the models that declare them
in /openapi.json, so the published schema is what the API returns (schemathesis checks it)."""
from __future__ import annotations

from dataclasses import asdict

from pydantic import BaseModel, Field

from urllib.parse import urlencode

from app.search.params import SearchParams
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
    groups: list[str] = Field(default_factory=list, description="Armed groups named (isis, al-qaeda)")
    match: str = Field(description='"full", "partial": only some of the words, or "meaning": none of them')
    matched: str = Field(description='How it was found: "keyword", "meaning" or "both"')
    scores: dict[str, float] = Field(description="bm25 (higher is better) and similarity (cosine) when it has them")
    versions: int = Field(description="With collapse=1: articles of this story among the matches")
    url: str = Field("", description="The article's page, with the query so that it marks the searched words")


class FacetOut(BaseModel):
    value: str
    label: str
    count: int


class FilterOut(BaseModel):
    name: str = Field(description="country, agency, group, lang, source, tag, from or to")
    value: str
    label: str
    remove: str = Field(description="This search without the filter (from the URL and from the query text)")


class SuggestionOut(BaseModel):
    kind: str = Field(description="country, agency or group named in the query")
    name: str
    url: str = Field(description="This search with that filter added")


class DidYouMeanOut(BaseModel):
    query: str
    url: str


class BucketOut(BaseModel):
    label: str
    start: str
    end: str
    count: int
    url: str | None = Field(None, description="This search narrowed to the period")


class HistogramOut(BaseModel):
    unit: str = Field(description='"day", "month" or "year"; "" when no match has a date')
    buckets: list[BucketOut]
    undated: int = Field(description="Matches without a publication date (listed last when sorted by date)")


class LinksOut(BaseModel):
    self: str
    first: str
    last: str
    prev: str | None = None
    next: str | None = None
    page: str = Field(description="The same search as a web page")
    clear_filters: str = Field(description="The same search without any filter")
    csv: str | None = Field(None, description="Every match of this search as CSV (streamed, up to 10,000 rows)")
    # "json" would shadow BaseModel.json(): the field is json_, published and read as "json"
    json_: str | None = Field(None, alias="json",
                              description="Every match of this search as JSON (streamed, up to 10,000 rows)")
    atom: str | None = Field(None, description="This search's Atom feed (newest 50)")


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
    pages: int = Field(0, description="Pages of results (total and partial matches)")
    query: str = Field(description="How the query and filters were read")
    warnings: list[str]
    results: list[HitOut]
    facets: dict[str, list[FacetOut]]
    filters: list[FilterOut] = Field(default_factory=list, description="Every active filter, as the page's chips")
    suggestions: list[SuggestionOut] = Field(default_factory=list)
    did_you_mean: DidYouMeanOut | None = None
    histogram: HistogramOut | None = None
    seconds: float = Field(0.0, description="Time the search took on the server")
    links: LinksOut | None = None


class TagOut(BaseModel):
    entity_id: str
    type: str
    name: str
    about: bool
    mention_count: int
    sentences: list[str]
    mentions: list[list[tuple[int, int]]] = Field(default_factory=list,
                                                  description="Per sentence: [start, end] of each mention in it")
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
    other_language: list[dict] = Field(default=[], description="The same story in another language (id, title,"
                                       " language, published_at, similarity), found by meaning and date")


def search_json(r: SearchResults, params: SearchParams | None = None) -> dict:
    """The page's content as JSON; with ``params``, the links (pages, the web page) too."""
    m = r.meaning
    return {
        "mode": r.mode,
        "meaning": None if m is None else {"on": m.on, "reason": m.reason, "model": m.model, "unembedded": m.unembedded,
                                           "summary": m.summary, "counts": m.counts},
        "total": r.total,
        "partial_total": r.partial_total,
        "page": r.page,
        "page_size": r.page_size,
        "pages": r.pages,
        "query": r.description,
        "warnings": r.warnings,
        "results": [
            {"id": h.id, "title": h.title, "snippet": str(h.snippet), "language": h.language, "source": h.source,
             "published_at": h.published_at, "countries": h.countries, "agencies": h.agencies, "groups": h.groups,
             "match": h.match, "versions": h.versions, "matched": h.matched, "scores": h.scores,
             "url": f"/articles/{h.id}" + (f"?{urlencode({'q': params.q})}" if params and params.q else "")}
            for h in r.hits
        ],
        "facets": {name: [{"value": f.value, "label": f.label, "count": f.count} for f in values]
                   for name, values in r.facets.items()},
        "filters": [{"name": c.name, "value": c.value, "label": c.label, "remove": _api(c.url)} for c in r.chips],
        "suggestions": [{"kind": k, "name": n, "url": _api(u)} for k, n, u in r.suggestions],
        "did_you_mean": {"query": r.did_you_mean[0], "url": _api(r.did_you_mean[1])} if r.did_you_mean else None,
        "histogram": _histogram_json(r.histogram),
        "seconds": round(r.seconds, 4),
        "links": _links(r, params) if params else None,
    }


def _histogram_json(h) -> dict | None:
    if h is None:
        return None
    return {"unit": h.unit, "undated": h.unknown,
            "buckets": [{"label": b.label, "start": b.start, "end": b.end, "count": b.count, "url": _api(b.url)}
                        for b in h.buckets]}


def _links(r: SearchResults, p: SearchParams) -> dict:
    api = "/api/search"
    return {
        "self": p.replace(page=p.page).url(api),
        "first": p.replace(page=1).url(api),
        "last": p.replace(page=r.pages).url(api),
        "prev": p.replace(page=min(p.page - 1, r.pages)).url(api) if p.page > 1 else None,
        "next": p.replace(page=p.page + 1).url(api) if p.page < r.pages else None,
        "page": p.replace(page=p.page).url("/search"),
        "clear_filters": _api(r.clear_url) or api,
    }


def _api(url: str | None) -> str | None:
    """A search page's address as the same search in the API (links in JSON lead to JSON)."""
    return "/api" + url if url and url.startswith("/search") else url


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
