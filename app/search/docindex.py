"""An in-memory columnar copy of what filters, facets and date sorts need, one row per article.

Counting facets by joining every matching row in SQL costs ~100 ms on 100k matches; with
these arrays a facet is one ``numpy.bincount`` over the match mask (~1 ms). The store
rebuilds the index when the archive's generation number changes (after every import).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.search.packing import load_folder, pack, save_folder, unpack


class Codes:
    """Strings <-> small ints, for numpy."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def code(self, value: str) -> int:
        found = self.index.get(value)
        if found is None:
            found = self.index[value] = len(self.values)
            self.values.append(value)
        return found


@dataclass
class DocIndex:
    generation: str
    ids: np.ndarray  # article ids, ascending
    pos: np.ndarray  # article id -> row (or -1)
    lang: np.ndarray  # code into lang_codes (0 = unknown)
    lang_codes: Codes
    source: np.ndarray
    source_codes: Codes
    date: np.ndarray  # published_at, else imported_at, as sortable int64 YYYYMMDDHHMMSS
    published: np.ndarray  # published_at only (0 = unknown): date filters and histogram
    story: np.ndarray  # story id of each article (its own id when alone)
    ent_doc: np.ndarray  # (row, entity) pairs, sorted by entity
    ent_code: np.ndarray
    ent_about: np.ndarray
    ent_codes: Codes
    ent_start: np.ndarray  # CSR offsets per entity code into ent_doc
    tag_doc: np.ndarray  # source-provided tags, as (row, tag) pairs
    tag_code: np.ndarray
    tag_codes: Codes
    # True where the tag is "located" only (a city or region of the country named, not the
    # country): filters and facets include these unless asked for named countries only.
    ent_located_only: np.ndarray = None

    @property
    def size(self) -> int:
        return len(self.ids)

    def mask_of_ids(self, ids: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        if len(ids):
            ids = ids[ids < len(self.pos)]
            rows = self.pos[ids]
            mask[rows[rows >= 0]] = True
        return mask

    def entity_rows(self, entity_id: str, about_only: bool = False, named_only: bool = False) -> np.ndarray:
        code = self.ent_codes.index.get(entity_id)
        if code is None:
            return np.empty(0, dtype=np.int64)
        lo, hi = self.ent_start[code], self.ent_start[code + 1]
        rows = self.ent_doc[lo:hi]
        if about_only:
            return rows[self.ent_about[lo:hi]]  # an "about" tag is never located only
        return rows[~self.ent_located_only[lo:hi]] if named_only else rows

    def filter_mask(self, *, entities: tuple[str, ...] = (), about: bool = False, named_only: bool = False,
                    langs: tuple[str, ...] = (), sources: tuple[str, ...] = (),
                    tags: tuple[str, ...] = (), date_from: str = "", date_to: str = "") -> np.ndarray:
        """AND across kinds and across values: ?country=ma&country=fr means both."""
        mask = np.ones(self.size, dtype=bool)
        for entity_id in entities:
            m = np.zeros(self.size, dtype=bool)
            m[self.entity_rows(entity_id, about, named_only)] = True
            mask &= m
        if langs:
            codes = [self.lang_codes.index.get(v, -1) for v in langs]
            mask &= np.isin(self.lang, codes)
        if sources:
            codes = [self.source_codes.index.get(v, -1) for v in sources]
            mask &= np.isin(self.source, codes)
        if date_from:
            mask &= self.published >= int(date_from.replace("-", "")) * 1_000_000
        if date_to:
            mask &= (self.published > 0) & (self.published <= int(date_to.replace("-", "")) * 1_000_000 + 235959)
        for tag in tags:
            m = np.zeros(self.size, dtype=bool)
            code = self.tag_codes.index.get(tag)
            if code is not None:
                m[self.tag_doc[self.tag_code == code]] = True
            ent = self.entity_rows(tag)
            m[ent] = True  # a tag is an entity id or a source-provided tag
            mask &= m
        return mask

    def entity_counts(self, mask: np.ndarray, about: bool = False,
                      named_only: bool = False) -> list[tuple[str, int]]:
        if np.count_nonzero(mask) * SPARSE < self.size:  # a few matches: their own tags, not every tag's row
            order, starts, ends = self._by_doc()
            at = order[_ranges(starts, ends, np.flatnonzero(mask))]
        else:
            at = np.flatnonzero(mask[self.ent_doc])
        if about:
            at = at[self.ent_about[at]]
        elif named_only:
            at = at[~self.ent_located_only[at]]
        counts = np.bincount(self.ent_code[at], minlength=len(self.ent_codes.values))
        return _nonzero(counts, self.ent_codes)

    def _by_doc(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(positions of the (row, entity) pairs ordered by row, and each row's first and end
        offset into that order): built once per index, on the first small result set."""
        found = getattr(self, "_doc_order", None)
        if found is None:
            order = np.argsort(self.ent_doc, kind="stable")
            bounds = np.searchsorted(self.ent_doc[order], np.arange(self.size + 1))
            found = self._doc_order = (order, bounds[:-1], bounds[1:])
        return found

    def tag_counts(self, mask: np.ndarray) -> list[tuple[str, int]]:
        """Source-provided tags (Reuters places and topics, feed categories) over the mask."""
        counts = np.bincount(self.tag_code[mask[self.tag_doc]], minlength=len(self.tag_codes.values))
        return _nonzero(counts, self.tag_codes)

    def lang_counts(self, mask: np.ndarray) -> list[tuple[str, int]]:
        return _nonzero(np.bincount(self.lang[mask], minlength=len(self.lang_codes.values)), self.lang_codes)

    def source_counts(self, mask: np.ndarray) -> list[tuple[str, int]]:
        return _nonzero(np.bincount(self.source[mask], minlength=len(self.source_codes.values)), self.source_codes)

    def collapse(self, ordered_ids: np.ndarray) -> tuple[np.ndarray, dict[int, int]]:
        """Keep the first article of each story, in order; and story size per kept article."""
        stories = self.story[self.pos[ordered_ids]]
        _, first, counts = np.unique(stories, return_index=True, return_counts=True)
        keep = np.sort(first)
        sizes = dict(zip(ordered_ids[first].tolist(), counts.tolist()))
        return ordered_ids[keep], sizes

    def ordered_by_date(self, mask: np.ndarray, newest: bool) -> np.ndarray:
        return self._by_date(np.flatnonzero(mask), newest)

    def _sort_keys(self, rows: np.ndarray, newest: bool) -> np.ndarray:
        """Publication dates as sort keys, oriented so that ascending order is the page's order
        and undated articles come last either way: an import date says nothing of when a story
        happened (they used to sort as the newest articles of the archive)."""
        keys = self.published[rows]
        if newest:
            return -keys  # undated (0) are the largest keys: last
        return np.where(keys == 0, np.iinfo(np.int64).max, keys)

    def _by_date(self, rows: np.ndarray, newest: bool) -> np.ndarray:
        keys = self._sort_keys(rows, newest)
        # then by id, newest id first for newest; np.lexsort sorts by the last key first.
        order = np.lexsort((-self.ids[rows] if newest else self.ids[rows], keys))
        return self.ids[rows[order]]

    def page_by_date(self, mask: np.ndarray, newest: bool, offset: int, limit: int) -> list[int]:
        """One page in date order. An early page sorts only the articles whose key is at or before
        the page's last key (a partition finds it), not the whole match set."""
        rows = np.flatnonzero(mask)
        k = offset + limit
        if 0 < k < len(rows) // 4:
            keys = self._sort_keys(rows, newest)
            rows = rows[keys <= np.partition(keys, k - 1)[k - 1]]
        return self._by_date(rows, newest)[offset:k].tolist()

    def undated(self, mask: np.ndarray | None = None) -> int:
        """Articles without a publication date (among ``mask``): listed last in date order."""
        published = self.published if mask is None else self.published[mask]
        return int((published == 0).sum())


SPARSE = 64  # a result set under 1/64 of the archive counts its tags from its own rows


def rows_of(pos: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """The DocIndex row of each article id (``pos``: a DocIndex's id -> row array), -1 for an
    article it does not hold."""
    ok = ids < len(pos)
    rows = np.full(len(ids), -1, dtype=np.int64)
    rows[ok] = pos[ids[ok]]
    return rows


def _ranges(starts: np.ndarray, ends: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The concatenated index ranges starts[r]:ends[r] of each of ``rows``, in one numpy pass."""
    lo, hi = starts[rows], ends[rows]
    lengths = hi - lo
    total = int(lengths.sum())
    if not total:
        return np.empty(0, dtype=np.int64)
    shift = np.repeat(lo - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + shift


def _nonzero(counts: np.ndarray, codes: Codes) -> list[tuple[str, int]]:
    idx = np.flatnonzero(counts)
    pairs = [(codes.values[i], int(counts[i])) for i in idx if codes.values[i]]
    pairs.sort(key=lambda p: (-p[1], p[0]))
    return pairs


def build(generation: str, articles, entity_pairs, tag_pairs) -> DocIndex:
    """articles: (id, language, source, date_key, published_key, story_id) ascending by id;
    pairs: (article_id, value[, about[, located_only]])."""
    arts = list(articles)
    ids = np.fromiter((a[0] for a in arts), dtype=np.int64, count=len(arts))
    pos = np.full(int(ids.max()) + 2 if len(ids) else 1, -1, dtype=np.int64)
    pos[ids] = np.arange(len(ids))
    lang_codes, source_codes = Codes(), Codes()
    lang_codes.code(""), source_codes.code("")
    lang = np.fromiter((lang_codes.code(a[1] or "") for a in arts), dtype=np.int32, count=len(arts))
    source = np.fromiter((source_codes.code(a[2] or "") for a in arts), dtype=np.int32, count=len(arts))
    date = np.fromiter((a[3] or 0 for a in arts), dtype=np.int64, count=len(arts))
    published = np.fromiter((a[4] or 0 for a in arts), dtype=np.int64, count=len(arts))
    story = np.fromiter((a[5] or a[0] for a in arts), dtype=np.int64, count=len(arts))

    ent_codes = Codes()
    pairs = [(pos[p[0]], ent_codes.code(p[1]), bool(p[2]), bool(p[3]) if len(p) > 3 else False)
             for p in entity_pairs if p[0] < len(pos) and pos[p[0]] >= 0]
    ent_doc = np.array([p[0] for p in pairs], dtype=np.int64)
    ent_code = np.array([p[1] for p in pairs], dtype=np.int32)
    ent_about = np.array([p[2] for p in pairs], dtype=bool)
    ent_located_only = np.array([p[3] for p in pairs], dtype=bool)
    order = np.argsort(ent_code, kind="stable")
    ent_doc, ent_code, ent_about = ent_doc[order], ent_code[order], ent_about[order]
    ent_located_only = ent_located_only[order]
    ent_start = np.searchsorted(ent_code, np.arange(len(ent_codes.values) + 1))

    tag_codes = Codes()
    tpairs = [(pos[a], tag_codes.code(t)) for a, t in tag_pairs if a < len(pos) and pos[a] >= 0]
    tag_doc = np.array([p[0] for p in tpairs], dtype=np.int64)
    tag_code = np.array([p[1] for p in tpairs], dtype=np.int32)
    return DocIndex(generation, ids, pos, lang, lang_codes, source, source_codes, date, published, story,
                    ent_doc, ent_code, ent_about, ent_codes, ent_start, tag_doc, tag_code, tag_codes,
                    ent_located_only)


# -- kept on disk next to the archive, so that a server start does not rebuild it -------------
# A folder of .npy files, memory-mapped when loaded: the server's processes share one copy.
_ARRAYS = ("ids", "pos", "lang", "source", "date", "published", "story", "ent_doc", "ent_code", "ent_about",
           "ent_start", "tag_doc", "tag_code", "ent_located_only")
_BY_DOC = ("doc_order", "doc_starts", "doc_ends")
_CODES = ("lang_codes", "source_codes", "ent_codes", "tag_codes")
LAYOUT = 3  # 3: a memory-mapped folder. Bump when the saved arrays change shape or meaning: older ones are rebuilt


def _unpack(buffer: np.ndarray) -> Codes:
    codes = Codes()
    for value in unpack(buffer):
        codes.values.append(value)
        codes.index.setdefault(value, len(codes.values) - 1)
    return codes


def save(idx: DocIndex, path: str) -> None:
    """Write the index to the folder ``path`` (replaced whole: a reader sees the old one or the new)."""
    by_doc = dict(zip(_BY_DOC, idx._by_doc()))  # saved too: not rebuilt by every process
    save_folder(path, {name: getattr(idx, name) for name in _ARRAYS} | by_doc
                | {name: pack(getattr(idx, name).values) for name in _CODES},
                {"layout": LAYOUT, "generation": idx.generation})


def load(path: str, generation: str) -> DocIndex | None:
    """The index saved at ``path`` if it was built at ``generation``, else None."""
    found = load_folder(path, _ARRAYS + _BY_DOC + _CODES, LAYOUT)
    if found is None or found[0].get("generation") != generation:
        return None
    arrays = found[1]
    try:
        codes = {name: _unpack(arrays.pop(name)) for name in _CODES}
    except UnicodeDecodeError:
        return None
    by_doc = tuple(arrays.pop(name) for name in _BY_DOC)
    if len(arrays["pos"]) != (int(arrays["ids"].max()) + 2 if len(arrays["ids"]) else 1) or len(by_doc[1]) != len(arrays["ids"]):
        return None
    idx = DocIndex(generation=generation, **arrays, **codes)
    idx._doc_order = by_doc
    return idx
