"""The state of a search page as one object: parsed from a URL, turned back into canonical URLs."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from app.search.query import complete_date
from app.tags import normalise_tag

SORTS = ("relevance", "newest", "oldest")
FILTER_LISTS = ("country", "agency", "group", "lang", "source", "tag")  # repeatable URL filters, in URL order
MODES = ("hybrid", "keyword", "meaning")  # app/search/hybrid.py
MAX_PAGE = 10_000
# Every link of a results page (facets, sorts, pages, histogram bars) repeats the query: a 15 KB
# query made a 1.7 MB page. 1,000 characters hold more than the 64 terms the parser searches.
MAX_QUERY = 1000
MAX_PAGE_SIZE = 100  # ?page_size=: results per page, at most this (the API's and the page's)


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    country: tuple[str, ...] = ()
    agency: tuple[str, ...] = ()
    group: tuple[str, ...] = ()  # armed groups (isis, al-qaeda): entities of their own, not agencies
    lang: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    tag: tuple[str, ...] = ()
    about: bool = False  # country/agency filters and facets count "about" tags only
    # located=0: countries named in the text only, not those known only from a city or region
    named_only: bool = False
    collapse: bool = False  # one result per story (near-duplicates folded into it)
    recency: bool = False  # relevance blended with recency
    date_from: str = ""  # YYYY-MM-DD, inclusive: publication date
    date_to: str = ""
    sort: str = "relevance"
    mode: str = "hybrid"  # words and meaning, words only, meaning only
    page: int = 1
    page_size: int = 20
    explicit_size: bool = False  # page_size came from the URL: links repeat it
    # What was not understood in the URL itself (bad page number, unknown sort...).
    notes: tuple[str, ...] = field(default=(), compare=False)

    @classmethod
    def from_query(cls, query, page_size: int = 20) -> "SearchParams":
        """From a Starlette QueryParams / MultiDict / dict of lists. Never raises."""
        def getlist(name: str) -> list[str]:
            values = query.getlist(name) if hasattr(query, "getlist") else query.get(name, [])
            return [values] if isinstance(values, str) else [str(v) for v in values]

        def many(name: str) -> tuple[str, ...]:
            seen: list[str] = []
            for v in getlist(name):
                for part in str(v).split(","):
                    part = part.strip().lower()
                    if part and part not in seen:
                        seen.append(part)
            return tuple(seen)

        def one(name: str) -> str:
            v = query.get(name) if hasattr(query, "get") else None
            if isinstance(v, list):
                v = v[0] if v else None
            return (v or "").strip()

        notes = []
        sort = one("sort").lower() or "relevance"
        if sort not in SORTS:
            notes.append(f"unknown sort {sort!r}: sorted by relevance")
            sort = "relevance"
        mode = one("mode").lower() or "hybrid"
        if mode not in MODES:
            notes.append(f"unknown mode {mode[:20]!r}: searched by words and meaning (hybrid)")
            mode = "hybrid"
        raw_page = one("page") or "1"
        try:
            page = int(raw_page)
            if page < 1 or page > MAX_PAGE:
                raise ValueError
        except ValueError:
            notes.append(f"page {raw_page[:20]!r} is not a page number: showing page 1")
            page = 1
        size, explicit_size = _page_size(one("page_size"), page_size, notes)
        dates = {}
        for name in ("from", "to"):
            value = one(name)
            if value:
                parsed = complete_date(name, value.strip())
                if parsed:
                    dates[name] = parsed
                else:
                    notes.append(f"{name}={value[:20]!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD): ignored")
        q = one("q")
        if len(q) > MAX_QUERY:
            notes.append(f"the query is {len(q):,} characters long: only its first {MAX_QUERY:,} are searched"
                         " and kept in this page's links")
            q = q[:MAX_QUERY].rstrip()
        return cls(
            q=q,
            date_from=dates.get("from", ""),
            date_to=dates.get("to", ""),
            country=many("country"),
            agency=many("agency"),
            group=many("group"),
            lang=many("lang"),
            source=tuple(s for s in getlist("source") if s.strip()),
            # not split on commas like the others: a feed category may hold one
            tag=tuple(dict.fromkeys(t for t in map(normalise_tag, getlist("tag")) if t)),
            about=one("about").lower() in ("1", "true", "yes", "on"),
            named_only=one("located").lower() in ("0", "false", "no", "off"),
            collapse=one("collapse").lower() in ("1", "true", "yes", "on"),
            recency=one("recency").lower() in ("1", "true", "yes", "on"),
            sort=sort,
            mode=mode,
            page=page,
            page_size=size,
            explicit_size=explicit_size,
            notes=tuple(notes),
        )

    def replace(self, **changes) -> "SearchParams":
        if "page" not in changes:
            changes["page"] = 1  # a new filter starts from the first page
        return replace(self, **changes)

    def toggle(self, name: str, value: str) -> "SearchParams":
        """Add the filter value, or remove it when it is already there (facet links)."""
        current: tuple[str, ...] = getattr(self, name)
        new = tuple(v for v in current if v != value) if value in current else current + (value,)
        return self.replace(**{name: new})

    def has_filters(self) -> bool:
        return bool(self.entities() or self.lang or self.source or self.tag or self.date_from or self.date_to)

    def entities(self) -> tuple[str, ...]:
        """Every country, agency and group filter: one entity filter each, whatever its kind."""
        return self.country + self.agency + self.group

    def without_filters(self) -> "SearchParams":
        """The same search and view (sort, about, collapse) with no filter from the URL."""
        return self.replace(country=(), agency=(), group=(), lang=(), source=(), tag=(), date_from="", date_to="")

    def kept_filters(self) -> list[tuple[str, str]]:
        """(name, value) of every URL parameter but the query and the page: what the header's
        search box carries over to a new query as hidden inputs, so typing one keeps them."""
        return [pair for pair in parse_qsl(self.replace(q="").to_query()) if pair[0] != "page"]

    def to_query(self) -> str:
        """Canonical query string: only non-default parameters, in a fixed order."""
        pairs: list[tuple[str, str]] = []
        if self.q:
            pairs.append(("q", self.q))
        for name in FILTER_LISTS:
            pairs.extend((name, v) for v in getattr(self, name))
        if self.date_from:
            pairs.append(("from", self.date_from))
        if self.date_to:
            pairs.append(("to", self.date_to))
        if self.about:
            pairs.append(("about", "1"))
        if self.named_only:
            pairs.append(("located", "0"))
        if self.collapse:
            pairs.append(("collapse", "1"))
        if self.recency:
            pairs.append(("recency", "1"))
        if self.sort != "relevance":
            pairs.append(("sort", self.sort))
        if self.explicit_size:
            pairs.append(("page_size", str(self.page_size)))
        if self.mode != "hybrid":
            pairs.append(("mode", self.mode))
        if self.page != 1:
            pairs.append(("page", str(self.page)))
        return urlencode(pairs)

    def url(self, path: str = "/search") -> str:
        qs = self.to_query()
        return f"{path}?{qs}" if qs else path



def _page_size(raw: str, default: int, notes: list[str]) -> tuple[int, bool]:
    """(results per page, whether the URL chose it): 1 to MAX_PAGE_SIZE, else the default, noted."""
    if not raw:
        return default, False
    try:
        size = int(raw)
        if not 1 <= size <= MAX_PAGE_SIZE:
            raise ValueError
    except ValueError:
        notes.append(f"page_size {raw[:20]!r} is not a number from 1 to {MAX_PAGE_SIZE}: {default} per page")
        return default, False
    return size, True
