"""Search by words, by meaning, or both (``mode=keyword|meaning|hybrid``).

Hybrid and meaning searches gather the candidates (app/search/fusion.py) with the same filters
as keyword search (DocIndex masks), order them with the fusion design kept by measurement, and
build the page: totals, facets and the histogram are exact over the set the page describes
("12 articles contain all the words; 30 more are close in meaning"). Keyword search runs as
before (app/search/engine.py) when asked for, when the query uses operators (quotes, -word, OR,
prefix*, title:: a user who types them wants their exact meaning), when there is no text, and
when meaning search is off (no model, or no vector yet): the page says which.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from app.embeddings import registry
from app.embeddings.text import query_text
from app.search import engine, fusion
from app.search.chips import chips, cleared, without_dates
from app.search.fts5 import compile_query
from app.search.meaning_snippets import closest_sentences
from app.search.params import SearchParams
from app.search.query import And, Not, Or, ParsedQuery, Phrase, Prefix, Term
from app.search.snippets import Highlighter
from app.storage.views import SearchResults


@dataclass
class MeaningState:
    """What the page says about search by meaning."""

    on: bool
    reason: str | None = None  # why it is off, or why this search went by keyword alone
    model: str | None = None
    unembedded: int = 0  # articles not yet searchable by meaning
    counts: dict[str, int] = field(default_factory=dict)  # all_words, close, some_words (of the set)

    @property
    def summary(self) -> str:
        """How the result set was made, for the page: "12 articles contain all the words; 30 more
        are close in meaning; 400 more contain some of the words"."""
        c = self.counts
        if not c:
            return ""
        parts, more = [], ""
        if "all_words" in c:
            n = c["all_words"]
            parts.append("no article contains all the words" if not n else
                         f"{n:,} article{'s contain' if n != 1 else ' contains'} all the words")
            more = "more " if n else ""
        for key, words in (("close", "close in meaning"), ("some_words", "with some of the words")):
            n = c.get(key, 0)
            if n or (key == "close" and not parts):
                lead = f"{n:,} {more}" if more else f"{n:,} article{'s' if n != 1 else ''} "
                parts.append(f"{lead}{'are' if n != 1 else 'is'} {words}" if key == "close" else f"{lead}{words}")
                more = "more "
        return "; ".join(parts)


QUOTES = re.compile(r'["“”«»„]')


def uses_operators(q: str, node) -> bool:
    """Quotes, -word, OR, prefix* or a field (title:word). A hyphenated word (far-right) is a
    phrase in the tree too, but not an operator: only typed quotes make a phrase one."""
    return bool(QUOTES.search(q or "")) or _operator_node(node)


def _operator_node(node) -> bool:
    if isinstance(node, (Prefix, Not, Or)):
        return True
    if isinstance(node, (Term, Phrase)):
        return node.field is not None
    return any(_operator_node(c) for c in node.children) if isinstance(node, And) else False


@lru_cache(maxsize=256)
def _query_vector(model_name: str, text: str) -> np.ndarray:
    embedder, _ = registry.load(model_name)
    return embedder.embed_query(text)


def meaning_state(store) -> tuple[MeaningState, object, object]:
    """(state, embedder, vector index); the last two None when meaning search is off."""
    if not store.has_vectors():  # the model (~200 MB a process, seconds to load) waits for vectors
        return MeaningState(False, "meaning search is off: no article is embedded yet (run newsarchive embed)",
                            store.embedder_name, store.doc_index().size), None, None
    embedder, problem = registry.load(store.embedder_name)
    if embedder is None:
        return MeaningState(False, f"meaning search is off: {problem}"), None, None
    vindex = store.vector_index(embedder.name)
    idx = store.doc_index()
    if vindex is None:  # vectors of another model only (NEWSARCHIVE_EMBEDDER changed): embed again
        return MeaningState(False, f"meaning search is off: no article is embedded by {embedder.name} yet (run"
                                   f" newsarchive embed, or set NEWSARCHIVE_EMBEDDER to the archive's model)",
                            embedder.name, idx.size), embedder, None
    embedded = vindex.alive_count(idx.pos)
    return MeaningState(True, None, embedder.name, max(0, idx.size - embedded)), embedder, vindex


def gather(store, idx, p: SearchParams, parsed: ParsedQuery, vindex, qvec: np.ndarray,
           floor: float) -> fusion.Candidates:
    """Every candidate of a query without operators, within the filters; "close in meaning" from
    similarity ``floor`` (the model's ``close_floor``)."""
    fmask = engine._masks(store, idx, compile_query(None), p) if p.has_filters() else None
    c = fusion.Candidates.empty()
    compiled = compile_query(parsed.tree)
    if compiled.match:
        c.full_ids, c.full_bm25 = _keyword(store, idx, compiled.match, fmask)
        loose_tree = engine.partial_tree(parsed.tree)
        if loose_tree is not None:
            ids, scores = _keyword(store, idx, compile_query(loose_tree).match, fmask)
            keep = ~idx.mask_of_ids(c.full_ids)[idx.pos[ids]]  # a table lookup: np.isin hashed 50k ids
            c.partial_ids, c.partial_bm25 = ids[keep], scores[keep]
            c.partial_cover, c.partial_idf_cover = _cover(store, idx, parsed.tree, c.partial_ids)
    if getattr(vindex, "candidates_only", False):  # pgvector or the approximate index (app/search/ann.py)
        allowed = vindex.allowed(idx.pos, fmask)
        c.close_ids, c.close_sims = vindex.close(qvec, fusion.MEANING_K, floor, allowed)
        sampled = getattr(vindex, "sim_stats", None)  # the approximate index: z-scores from an exact sample
        scored = _best_keyword(c, MAX_SCORED) if sampled else np.concatenate([c.full_ids, c.partial_ids])
        c.sim_ids, c.sims = vindex.similarities(qvec, np.union1d(scored, c.close_ids))
        if sampled:
            c.sim_stats = sampled(qvec, allowed)
        return c
    c.sim_ids, c.sims = vindex.scores(qvec, vindex.allowed(idx.pos, fmask))
    close = np.flatnonzero(c.sims >= floor)
    if len(close) > fusion.MEANING_K:
        close = close[np.argpartition(-c.sims[close], fusion.MEANING_K)[:fusion.MEANING_K]]
    order = np.lexsort((c.sim_ids[close], -c.sims[close]))
    c.close_ids, c.close_sims = c.sim_ids[close][order], c.sims[close][order]
    return c


MAX_SCORED = 20_000  # keyword matches whose similarity the approximate index computes (the best by bm25)


def _best_keyword(c: fusion.Candidates, n: int) -> np.ndarray:
    """The ``n`` keyword matches a page can need the similarity of: those with all the words,
    then the best of those with some, by bm25. Past them a match's similarity counts as 0."""
    full = c.full_ids if len(c.full_ids) <= n else c.full_ids[np.argpartition(-c.full_bm25, n)[:n]]
    rest = n - len(full)
    if rest <= 0 or not len(c.partial_ids):
        return full
    part = c.partial_ids if len(c.partial_ids) <= rest else c.partial_ids[np.argpartition(-c.partial_bm25, rest)[:rest]]
    return np.concatenate([full, part])


MAX_COVER_WORDS = 16  # words of a long query counted for coverage (each is one lookup)


def _cover(store, idx, tree, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Share of the query's words (its top-level parts) each article has, counted plainly and
    weighted by each word's idf (bm25's, from the same lookups): "the" and "said" weigh nothing, a
    rare name most; a paraphrase shares common words with many articles, a SciFact claim its rare
    terms with the right abstract."""
    parts = [c for c in tree.children if not isinstance(c, Not)][:MAX_COVER_WORDS]
    rows = idx.pos[ids]
    count, weighted, total = np.zeros(len(ids)), np.zeros(len(ids)), 0.0
    for part in parts:
        match = compile_query(part).match
        if match:
            found = store.match_ids(match)
            idf = float(np.log1p((idx.size - len(found) + 0.5) / (len(found) + 0.5)))
            has = idx.mask_of_ids(found)[rows]
            count += has
            weighted += idf * has
            total += idf
    return count / max(1, len(parts)), weighted / total if total > 0 else weighted


def _keyword(store, idx, match: str, fmask) -> tuple[np.ndarray, np.ndarray]:
    ids, scores = store.scored(match)
    if fmask is not None and len(ids):
        ids, scores = ids[fmask[idx.pos[ids]]], scores[fmask[idx.pos[ids]]]
    return ids, -scores  # bm25: SQLite's lower-is-better turned into higher-is-better


def search(store, params: SearchParams, parsed: ParsedQuery) -> SearchResults:
    state, embedder, vindex = meaning_state(store)
    why = None
    if params.mode == "keyword":
        why = ""
    elif parsed.tree is None:
        why = "no words to search by meaning: articles listed by keyword filters"
    elif uses_operators(params.q, parsed.tree):
        why = "the query uses operators (quotes, -word, OR, prefix*, title:): searched by its exact words"
    elif not state.on:
        why = state.reason
    if why is not None:
        results = engine.run_search(store, params, parsed)
        results.mode, state.reason = "keyword", why or None
        results.meaning = state
        return results
    return _run(store, params, parsed, state, embedder, vindex)


def _run(store, params, parsed, state, embedder, vindex) -> SearchResults:
    p = engine.merge_filters(params, parsed)
    idx = store.doc_index()
    qvec = _query_vector(store.embedder_name, query_text(params.q))
    c = gather(store, idx, p, parsed, vindex, qvec, embedder.close_floor)
    if params.mode == "meaning":
        ordered = c.close_ids
        state.counts = {"close": len(ordered)}
    else:
        ordered = fusion.zmix(c, *embedder.zmix)  # DEFAULT, with the model's weights
        close = np.setdiff1d(c.close_ids, c.full_ids)
        state.counts = {"all_words": len(c.full_ids), "close": len(close),
                        "some_words": len(np.setdiff1d(c.partial_ids, close))}
    mask = idx.mask_of_ids(ordered)
    offset, size = (p.page - 1) * p.page_size, p.page_size
    sizes: dict[int, int] = {}
    if p.sort != "relevance":
        ordered = idx.ordered_by_date(mask, p.sort != "oldest")
    if p.collapse and len(ordered):
        ordered, sizes = idx.collapse(ordered)
    page = ordered[offset:offset + size].tolist()
    hits = _hits(store, embedder, qvec, query_text(params.q), page, c, parsed)
    for hit in hits:
        hit.versions = sizes.get(hit.id, 1)
    compiled = compile_query(parsed.tree)
    warnings = list(parsed.warnings) + compiled.warnings + list(p.notes) + engine._check_filters(p)
    total = len(ordered)
    return SearchResults(total=total, hits=hits, facets=engine._facets(idx, mask, p),
                         description=engine._describe(parsed, p), warnings=warnings, page=p.page,
                         page_size=p.page_size, histogram=engine._histogram(idx, mask, without_dates(params, parsed)),
                         suggestions=engine._suggest_filters(parsed, p, params),
                         did_you_mean=engine._did_you_mean(store, parsed, params) if not total else None,
                         chips=chips(params, parsed, p, engine.label), clear_url=cleared(params, parsed).url(),
                         mode=params.mode, meaning=state)


def _sentence_picker(embedder, qvec: np.ndarray, query: str):
    """(model, query vector) that choose a meaning hit's sentence: the model's faster
    ``sentence_model`` when it loads, else the model itself; None while the warm-up is still
    loading the faster one (a server's first seconds: those pages keep the hits' leads rather
    than wait 1.2 s for it)."""
    if not embedder.sentence_model:
        return embedder, qvec
    picker, why = registry.load(embedder.sentence_model, wait=False)
    if why == registry.LOADING:
        return None
    if picker is None:
        return embedder, qvec
    return picker, _query_vector(embedder.sentence_model, query)


def _hits(store, embedder, qvec, query: str, page: list[int], c: fusion.Candidates, parsed: ParsedQuery):
    compiled = compile_query(parsed.tree)
    loose = engine.partial_tree(parsed.tree)
    stems = compiled.stems | (compile_query(loose).stems if loose is not None else set())
    arr = np.array(page, dtype=np.int64)
    # Membership of the page's ids only: the candidate lists may hold most of the archive.
    partial = set(arr[np.isin(arr, c.partial_ids)].tolist())
    hits = engine._hits(store, page, Highlighter(stems, compiled.prefixes), partial)
    full, close = set(arr[np.isin(arr, c.full_ids)].tolist()), set(arr[np.isin(arr, c.close_ids)].tolist())
    bm25 = {}
    for kid, ks in ((c.partial_ids, c.partial_bm25), (c.full_ids, c.full_bm25)):
        at = np.flatnonzero(np.isin(kid, arr))
        bm25.update(zip(kid[at].tolist(), ks[at].tolist()))
    sims = dict(zip(page, c.similarity(arr).tolist()))
    meaning_only = []
    for hit in hits:
        by_words, by_meaning = hit.id in full or hit.id in partial, hit.id in close
        hit.matched = "both" if by_words and by_meaning else "meaning" if by_meaning else "keyword"
        hit.scores = {"similarity": round(sims[hit.id], 6)} | ({"bm25": round(bm25[hit.id], 6)} if hit.id in bm25 else {})
        if not by_words:
            hit.match = "meaning"
            meaning_only.append(hit.id)
    if meaning_only:
        picker = _sentence_picker(embedder, qvec, query)
        closest = closest_sentences(*picker, {i: row[2] for i, row in store.summaries(meaning_only).items()}) \
            if picker else {}
        for hit in hits:
            hit.snippet = closest.get(hit.id, hit.snippet)
    return hits
