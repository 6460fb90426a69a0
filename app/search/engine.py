"""One search, end to end: parsed query + filters -> total, page of hits, facets, sentence.

Backend-neutral: the store supplies ``match_ids`` / ``ranked_ids`` (full text), ``doc_index``
(filters, facets, date order), ``summaries`` and ``tags_for``.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from app.entities import load_gazetteer
from app.search.fts5 import compile_query
from app.search.params import SearchParams
from app.search.aliases import entity_suggestions
from app.search.histogram import histogram
from app.search.chips import chips, cleared, without_dates
from app.search.describe import describe, terms_of
from app.tags import normalise_tag
from app.search.query import And, Not, Or, ParsedQuery, Phrase, Term, parse
from app.search.text import fold
from app.search.snippets import Highlighter
from app.storage.views import FacetValue, Hit, SearchResults

FACET_LIMIT = 30
PROXIMITY = 10  # words: "near each other" for ranking
MAX_PHRASE_WORDS = 6
RECENCY_WEIGHT = 1.0  # recency=1: a new article's score is up to (1 + this) times its bm25
RECENCY_HALF_LIFE_DAYS = 365
MAX_SUGGEST_WORDS = 8
MAX_SUGGEST_CHARS = 30


@lru_cache(maxsize=64)
def language_name(code: str) -> str:
    import pycountry

    lang = pycountry.languages.get(alpha_2=code) if len(code) == 2 else None
    return lang.name if lang else code


def entity_label(entity_id: str) -> str:
    ent = load_gazetteer().entities.get(entity_id)
    return ent.name if ent else entity_id


def entity_short(entity_id: str) -> str:
    """The acronym of an agency when it has one (BCIJ), else its name: for tags and facets."""
    ent = load_gazetteer().entities.get(entity_id)
    return (ent.acronym or ent.name) if ent else entity_id


def label(kind: str, value: str) -> str:
    if kind in ("country", "agency", "group", "tag"):
        return entity_label(value)
    if kind == "lang":
        return language_name(value)
    return value


def merge_filters(params: SearchParams, parsed: ParsedQuery) -> SearchParams:
    """In-query filters (country:ma) are the same as URL filters (?country=ma)."""
    extra = {}
    for name in ("country", "agency", "group", "lang", "tag"):
        values = tuple(v for v in (normalise_tag(v) if name == "tag" else v.lower() for v in parsed.filters.get(name, ())) if v)
        if values:
            extra[name] = tuple(dict.fromkeys(getattr(params, name) + values))
    if parsed.filters.get("source"):
        extra["source"] = tuple(dict.fromkeys(params.source + tuple(parsed.filters["source"])))
    for name, attr in (("from", "date_from"), ("to", "date_to")):
        if parsed.filters.get(name):
            extra[attr] = parsed.filters[name][-1]
    merged = params.replace(page=params.page, **extra) if extra else params
    return _regroup(merged)


def _regroup(p: SearchParams) -> SearchParams:
    """Armed groups given as agencies (links from before groups had a filter of their own,
    `agency:isis`) filter as groups."""
    gz = load_gazetteer()
    groups = tuple(v for v in p.agency if (ent := gz.entities.get(v)) is not None and ent.type == "group")
    if not groups:
        return p
    return p.replace(page=p.page, agency=tuple(v for v in p.agency if v not in groups),
                     group=tuple(dict.fromkeys(p.group + groups)))


def describe_filters(p: SearchParams) -> list[str]:
    out = []
    kind = " (about)" if p.about else " (named)" if p.named_only else ""
    for name, word in (("country", "country"), ("agency", "agency"), ("group", "group"), ("lang", "language"),
                       ("source", "source"), ("tag", "tag")):
        for v in getattr(p, name):
            out.append(f"{word}{kind if name in ('country', 'agency', 'group') else ''} is {label(name, v)}")
    if p.date_from:
        out.append(f"published from {p.date_from}")
    if p.date_to:
        out.append(f"published until {p.date_to}")
    return out


def _describe(parsed: ParsedQuery, p: SearchParams) -> str:
    parts = []
    if parsed.tree is not None:
        parts.append(describe(ParsedQuery(parsed.tree, {}, []), label))
    parts += describe_filters(p)
    return "; ".join(parts) if parts else "all articles"


def _check_filters(p: SearchParams) -> list[str]:
    gz = load_gazetteer()
    notes = []
    for name in ("country", "agency", "group"):
        for v in getattr(p, name):
            ent = gz.entities.get(v)
            if ent is None or ent.type != name:
                notes.append(f"unknown {name} {v!r}: no article can match it")
    return notes


def _facets(idx, mask: np.ndarray, p: SearchParams) -> dict[str, list[FacetValue]]:
    gz = load_gazetteer()
    by_type: dict[str, list[FacetValue]] = {"country": [], "agency": [], "group": []}
    for eid, n in idx.entity_counts(mask, p.about, p.named_only):
        ent = gz.entities.get(eid)
        kind = ent.type if ent is not None and ent.type in by_type else "agency"
        by_type[kind].append(FacetValue(eid, ent.name if ent else eid, n, eid in getattr(p, kind)))
    facets = {k: v[:FACET_LIMIT] + [f for f in v[FACET_LIMIT:] if f.selected] for k, v in by_type.items()}
    facets["language"] = [FacetValue(v, language_name(v), n, v in p.lang) for v, n in idx.lang_counts(mask)]
    facets["source"] = [FacetValue(v, v, n, v in p.source) for v, n in idx.source_counts(mask)[:FACET_LIMIT]]
    tags = [FacetValue(v, v, n, v in p.tag) for v, n in idx.tag_counts(mask)]
    facets["tag"] = tags[:FACET_LIMIT] + [f for f in tags[FACET_LIMIT:] if f.selected]
    return facets


def partial_tree(tree):
    """The query as "any of its words" (exclusions kept), when it has several required parts:
    what ranks the articles that match most of the words when few or none match all."""
    if not isinstance(tree, And):
        return None
    positive = tuple(c for c in tree.children if not isinstance(c, Not))
    if len(positive) < 2:
        return None
    return And((Or(positive),) + tuple(c for c in tree.children if isinstance(c, Not)))


def _masks(store, idx, compiled, p: SearchParams) -> np.ndarray:
    """Articles matching the compiled query and every filter."""
    mask = idx.mask_of_ids(store.match_ids(compiled.match)) if compiled.match else np.ones(idx.size, dtype=bool)
    if compiled.exclude:
        mask &= ~idx.mask_of_ids(store.match_ids(compiled.exclude))
    if p.has_filters():
        mask &= idx.filter_mask(entities=p.entities(), about=p.about, named_only=p.named_only,
                                langs=p.lang, sources=p.source,
                                tags=p.tag, date_from=p.date_from, date_to=p.date_to)
    return mask


def _page(store, idx, compiled, mask: np.ndarray, p: SearchParams, offset: int, limit: int, narrowed: bool,
          phrase: str | None = None) -> list[int]:
    if limit <= 0 or not mask.any():
        return []
    if p.sort == "relevance" and compiled.match:
        if phrase or p.recency:
            return _blended(store, idx, compiled.match, mask, p, phrase, offset + limit)[offset:offset + limit].tolist()
        return store.ranked_ids(compiled.match, offset, limit, mask if narrowed else None)
    return idx.page_by_date(mask, p.sort != "oldest", offset, limit)


def _blended(store, idx, match: str, mask: np.ndarray, p: SearchParams, phrase: str | None,
             first: int) -> np.ndarray:
    """The ``first`` matches in relevance order, with two refinements of bm25:
    - the query's words as an exact phrase, then near each other (within PROXIMITY words),
      rank ahead of the same words scattered through the text;
    - with ``recency=1``, newer articles gain: the score is scaled by a factor that halves
      every RECENCY_HALF_LIFE_DAYS of age."""
    ids, scores = store.scored(match)
    keep = mask[idx.pos[ids]]
    ids, scores = ids[keep], -scores[keep]  # higher is better from here
    if p.recency:
        days = _age_days(idx.published[idx.pos[ids]])
        scores = scores * (1 + RECENCY_WEIGHT * 0.5 ** (days / RECENCY_HALF_LIFE_DAYS))
    tier = np.zeros(len(ids), dtype=np.int8)
    if phrase and getattr(store, "match_among", None) is not None:
        near_lookups = getattr(store, "near_lookups", None)
        _tiers_for_first(store, ids, scores, tier, phrase, first, near_lookups(len(ids)) if near_lookups else None)
    elif phrase:
        for level, expr in ((2, phrase), (1, _near(phrase))):
            close = np.isin(ids, store.match_ids(expr))
            tier[(tier == 0) & close] = level
    return _first_ranked(ids, scores, tier, first)


def _first_ranked(ids: np.ndarray, scores: np.ndarray, tier: np.ndarray, first: int) -> np.ndarray:
    """The ``first`` ids by tier, then score (higher first), then id: what sorting them all
    gives, from a partial selection (a sort of 178k matches took 17 ms): the tiers above the
    cut whole, and in the tier it falls in, the scores down to the cut's (ties kept), then only
    those are sorted."""
    picked, left = [], first
    for level in np.unique(tier)[::-1]:
        if left <= 0:
            break
        at = np.flatnonzero(tier == level)
        if len(at) > left:
            neg = -scores[at]
            at = at[neg <= np.partition(neg, left - 1)[left - 1]]
        picked.append(at)
        left -= len(at)
    sel = np.concatenate(picked) if picked else np.empty(0, dtype=np.int64)
    return ids[sel[np.lexsort((ids[sel], -scores[sel], -tier[sel]))]][:first]


NEAR_CHUNK = 256  # articles checked for NEAR at first (then twice as many each time)


def _tiers_for_first(store, ids, scores, tier, phrase: str, first: int, lookups: int | None = None) -> None:
    """The tiers the ``first`` places need, for a store that checks NEAR on some articles only
    (PostgreSQL: on their positions, which cost per article; SQLite: FTS5 looks each one up):
    every phrase match, then, when they are fewer than ``first``, the others in score order,
    checked in growing chunks until enough are near matches. An article left unchecked ranks
    below every near match found, so the first places are the same as with every article
    checked; the order past them is not. After ``lookups`` articles (when given: the store's
    estimate of when one NEAR over the whole index costs less), the rest are checked at once."""
    tier[np.isin(ids, store.match_ids(phrase))] = 2
    need = first - int((tier == 2).sum())
    if need <= 0:
        return
    rest = np.flatnonzero(tier == 0)
    rest = rest[np.lexsort((ids[rest], -scores[rest]))]
    near, at, chunk = _near(phrase), 0, max(NEAR_CHUNK, 4 * need)
    while need > 0 and at < len(rest):
        if lookups is not None and at >= lookups:
            part = rest[at:]
            tier[part[np.isin(ids[part], store.match_ids(near))]] = 1
            return
        part = rest[at:at + chunk]
        hit = np.isin(ids[part], store.match_among(near, ids[part]))
        tier[part[hit]] = 1
        need -= int(hit.sum())
        at, chunk = at + chunk, chunk * 2


def _near(phrase_expr: str) -> str:
    """'"a b c"' (or an OR of such phrases) -> NEAR("a" "b" "c", PROXIMITY) for each."""
    parts = re.findall(r'"((?:[^"]|"")*)"', phrase_expr)
    nears = [f"NEAR({' '.join(chr(34) + w + chr(34) for w in part.split())}, {PROXIMITY})" for part in parts]
    return " OR ".join(nears)


def _age_days(published: np.ndarray) -> np.ndarray:
    """Days since publication (YYYYMMDDHHMMSS ints; unknown dates count as old)."""
    import datetime as dt

    today = dt.date.today().toordinal()
    out = np.full(len(published), 36500.0)
    for i, value in enumerate(published.tolist()):
        if value:
            try:
                d = dt.date(value // 10**10, value // 10**8 % 100, value // 10**6 % 100)
                out[i] = max(0, today - d.toordinal())
            except ValueError:
                pass
    return out


def _phrase_expr(tree) -> str | None:
    """The query's words as one phrase, when it is several plain words (for proximity ranking)."""
    if not isinstance(tree, And) or not all(isinstance(c, Term) and c.field is None for c in tree.children):
        return None
    words = tuple(c.text for c in tree.children)
    return compile_query(Phrase(words)).match if 2 <= len(words) <= MAX_PHRASE_WORDS else None


def _hits(store, ids: list[int], hl: Highlighter, partial: set[int]) -> list[Hit]:
    rows, tags = store.summaries(ids), store.tags_for(ids)
    gz = load_gazetteer()

    def kind(e: str) -> str | None:
        ent = gz.entities.get(e)
        return ent.type if ent else None

    hits = []
    for i in ids:
        _, title, body, lang, source, published = rows[i]
        ents = [e for e, _ in tags.get(i, [])]
        hits.append(Hit(
            id=i, title=title, snippet=hl.snippet(body, lang), language=lang, source=source,
            published_at=published or None,
            countries=[e for e in ents if kind(e) == "country"],
            agencies=[e for e in ents if kind(e) not in ("country", "group")],
            groups=[e for e in ents if kind(e) == "group"],
            title_html=hl.mark(title, lang), match="partial" if i in partial else "full",
        ))
    return hits


def _collapsed_page(store, idx, compiled, mask: np.ndarray, p: SearchParams, offset: int, size: int):
    """One result per story: order every match, keep each story's best, then cut the page."""
    if p.sort == "relevance" and compiled.match:
        ordered = np.array(store.ranked_ids(compiled.match, 0, int(mask.sum()), mask), dtype=np.int64)
    else:
        ordered = idx.ordered_by_date(mask, p.sort != "oldest")
    kept, sizes = idx.collapse(ordered)
    return len(kept), kept[offset:offset + size].tolist(), sizes


def run_search(store, params: SearchParams, parsed: ParsedQuery) -> SearchResults:
    p = merge_filters(params, parsed)
    compiled = compile_query(parsed.tree)
    idx = store.doc_index()
    narrowed = p.has_filters() or bool(compiled.exclude)
    mask = _masks(store, idx, compiled, p)
    total = int(mask.sum())
    offset, size = (p.page - 1) * p.page_size, p.page_size
    story_sizes: dict[int, int] = {}
    if p.collapse and total:
        total, ids, story_sizes = _collapsed_page(store, idx, compiled, mask, p, offset, size)
    else:
        ids = _page(store, idx, compiled, mask, p, offset, size, narrowed, _phrase_expr(parsed.tree))

    # Then the articles that match some of the words, ranked after every full match.
    partial_ids: list[int] = []
    partial_total = 0
    loose_tree = partial_tree(parsed.tree)
    if loose_tree is not None:
        loose = compile_query(loose_tree)
        loose_mask = _masks(store, idx, loose, p) & ~mask
        partial_total = int(loose_mask.sum())
        if len(ids) < size and partial_total:
            partial_ids = _page(store, idx, loose, loose_mask, p, max(0, offset - total), size - len(ids), True)
    hits = _hits(store, ids + partial_ids, Highlighter(compiled.stems | loose.stems if loose_tree else compiled.stems,
                                                       compiled.prefixes,
                                                       compiled.phrases | loose.phrases if loose_tree else compiled.phrases),
                 set(partial_ids))
    for hit in hits:
        hit.versions = story_sizes.get(hit.id, 1)
    warnings = list(parsed.warnings) + compiled.warnings + list(p.notes) + _check_filters(p)
    if partial_total and not total:
        warnings.insert(0, "No article contains all of these words: showing the articles that contain most of them.")
    warnings += [f"{word}: also searched {', '.join(alts)}" for word, alts in compiled.expansions.items()]
    facet_mask = mask if total or not partial_total else loose_mask
    return SearchResults(total=total, hits=hits, facets=_facets(idx, facet_mask, p), description=_describe(parsed, p),
                         warnings=warnings, page=p.page, page_size=p.page_size, partial_total=partial_total,
                         histogram=_histogram(idx, facet_mask, without_dates(params, parsed)), suggestions=_suggest_filters(parsed, p, params),
                         did_you_mean=_did_you_mean(store, parsed, params) if not total else None,
                         chips=chips(params, parsed, p, label), clear_url=cleared(params, parsed).url())


def _histogram(idx, mask: np.ndarray, p: SearchParams):
    """Matches per day, month or year; each bar links to the search narrowed to its period."""
    hist = histogram(idx.published[mask])
    for bucket in hist.buckets:
        bucket.url = p.replace(date_from=bucket.start, date_to=bucket.end).url()
    return hist


def _suggest_filters(parsed: ParsedQuery, p: SearchParams, raw: SearchParams) -> list[tuple[str, str, str]]:
    """(kind, name, url) for countries, agencies and groups the query names ("Maroc" ->
    filter by country Morocco, which also finds English articles)."""
    out = []
    for ent in entity_suggestions(terms_of(parsed.tree)):
        kind = ent.type if ent.type in ("country", "group") else "agency"
        if ent.id not in getattr(p, kind):
            out.append((kind, ent.name, raw.toggle(kind, ent.id).url()))
    return out[:4]


def _did_you_mean(store, parsed: ParsedQuery, p: SearchParams) -> tuple[str, str] | None:
    """(corrected query, its URL) when some word of the query is in no article."""
    # Bounded: a pasted paragraph must not cost a lookup per word, nor a 5,000-letter "word".
    words = [w for w in terms_of(parsed.tree) if len(w) <= MAX_SUGGEST_CHARS][:MAX_SUGGEST_WORDS]
    if not words:
        return None
    vocabulary = store.vocabulary()
    if vocabulary is None:  # a server's first minutes on a new archive: being built
        return None
    fixes = vocabulary.corrections(words)
    if not fixes:
        return None
    def fix(m: re.Match) -> str:
        word = m.group()
        right = fixes.get(fold(word))
        if right is None:
            return word
        return right[:1].upper() + right[1:] if word[:1].isupper() else right

    fixed = re.sub(r"[^\W_]+", fix, p.q)
    return fixed, p.replace(q=fixed).url()


def matching(store, params: SearchParams):
    """(params with the query's filters merged, compiled query, mask of every article the search's
    total counts): what exports, feeds, alerts and the map and pairs views go through, so they
    always agree with the page."""
    parsed = parse(params.q)
    p = merge_filters(params, parsed)
    compiled = compile_query(parsed.tree)
    return p, compiled, _masks(store, store.doc_index(), compiled, p)


def ordered_matches(store, params: SearchParams, limit: int) -> tuple[SearchParams, list[int], int]:
    """(merged params, the first ``limit`` matches in the page's own order, how many there are):
    every page of the search at once, for exports. Articles with only some of the words are not
    in it (the total counts full matches)."""
    parsed = parse(params.q)
    p, compiled, mask = matching(store, params)
    idx = store.doc_index()
    total = int(mask.sum())
    if p.collapse and total:
        total, ids, _ = _collapsed_page(store, idx, compiled, mask, p, 0, limit)
        return p, ids, total
    narrowed = p.has_filters() or bool(compiled.exclude)
    return p, _page(store, idx, compiled, mask, p, 0, limit, narrowed, _phrase_expr(parsed.tree)), total
