"""View models: what the store hands to pages, the API and the CLI (not the tables)."""
from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False


@dataclass
class Hit:
    id: int
    title: str
    snippet: Markup
    language: str | None
    source: str | None
    published_at: str | None
    countries: list[str]
    agencies: list[str]
    title_html: Markup = Markup("")
    match: str = "full"  # "partial": contains only some of the query's words
    versions: int = 1  # with collapse: articles of this story among the matches
    groups: list[str] = field(default_factory=list)  # armed groups named (isis), apart from agencies
    matched: str = "keyword"  # how it came: keyword, meaning or both (app/search/hybrid.py)
    scores: dict[str, float] = field(default_factory=dict)  # bm25, similarity, fused: as ranked


@dataclass
class SearchResults:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    description: str  # how the query and filters were read, for a human
    warnings: list[str] = field(default_factory=list)
    page: int = 1
    page_size: int = 20
    partial_total: int = 0  # articles with only some of the words, listed after the full matches
    histogram: object = None  # app.search.histogram.Histogram of publication dates
    suggestions: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, url) filters to add
    did_you_mean: tuple[str, str] | None = None  # (query, url)
    chips: list = field(default_factory=list)  # app.search.chips.Chip: every active filter, each removable
    clear_url: str = ""  # the same search without any filter (URL or query text)
    seconds: float = 0.0  # time the search took

    def removal(self, name: str, value: str) -> str | None:
        """The address without this active filter (a selected facet's link): the chip's."""
        for chip in self.chips:
            if chip.name == name and chip.value == value:
                return chip.url
        return None
    mode: str = "keyword"  # how this search was run: keyword, meaning or hybrid
    meaning: object = None  # app.search.hybrid.MeaningState: on/off and why, unembedded articles, the set

    @property
    def pages(self) -> int:
        return max(1, -(-(self.total + self.partial_total) // self.page_size))


@dataclass
class TagView:
    entity_id: str
    type: str  # country, agency, group
    name: str
    about: bool
    mention_count: int
    sentences: list[str]  # every sentence that names it, in text order
    mentions: list[list[tuple[int, int]]] = field(default_factory=list)  # per sentence: (start, end) of each mention
    located_only: bool = False  # a country known only from its cities or regions
    places: list[str] = field(default_factory=list)  # the places that justified a located tag


@dataclass
class ArticleView:
    id: int
    title: str
    title_derived: bool
    body: str
    language: str | None
    source: str | None
    url: str | None
    author: str | None
    origin: str
    format: str
    content_hash: str
    original_text: str
    published_at: str | None
    published_how: str
    captured_at: str | None
    imported_at: str
    tags: list[TagView]
    source_tags: list[str]
    story_id: int = 0
    same_story: list[tuple[int, str]] = field(default_factory=list)  # other versions of the story
    related: list[tuple[int, str]] = field(default_factory=list)  # other stories sharing passages
    versions: list[dict] = field(default_factory=list)  # older texts from the same URL
    import_paths: list[str] = field(default_factory=list)  # what the import that stored it was given

    def tags_of(self, type_: str) -> list[TagView]:
        return [t for t in self.tags if t.type == type_]


@dataclass
class ImportLine:
    origin: str
    status: str  # added, duplicate, rejected
    article_id: int | None = None
    reason: str | None = None


@dataclass
class ArchiveStats:
    articles: int
    by_language: list[tuple[str, int]]
    by_source: list[tuple[str, int]]
    countries: int
    agencies: int
    mentions: int
    imports: int
    first_date: str | None
    last_date: str | None
