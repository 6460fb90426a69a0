"""Articles near one article by meaning: "more like this" (any language), and "the same story in
the other language" (the closest article in another language, published within SAME_STORY_DAYS,
similar enough to be the same event: the model's ``same_story_floor``)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.embeddings import registry
from app.search.hybrid import meaning_state

MORE_LIKE_THIS = 8
SAME_STORY_DAYS = 3
NEIGHBOURS = 60  # nearest articles looked at for the other language


@dataclass
class Similar:
    id: int
    title: str
    language: str | None
    published_at: str | None
    similarity: float


def _days(a: int, b: int) -> float | None:
    """Days between two YYYYMMDDHHMMSS ints (None when either is unknown)."""
    import datetime as dt

    if not a or not b:
        return None
    try:
        da, db = (dt.date(v // 10**10, v // 10**8 % 100, v // 10**6 % 100) for v in (a, b))
    except ValueError:
        return None
    return abs((da - db).days)


def neighbours(store, article_id: int, k: int = NEIGHBOURS) -> list[tuple[int, float]] | None:
    """[(id, similarity)] nearest first, without the article itself and its near-duplicates;
    None when meaning search is off or the article has no vector yet."""
    _, _, vindex = meaning_state(store)
    if vindex is None:
        return None
    vector = vindex.vector_of(article_id)
    if vector is None:
        return None
    idx = store.doc_index()
    ids, sims = vindex.nearest(vector, k + 1, vindex.allowed(idx.pos, None))
    story = idx.story[idx.pos[article_id]] if article_id < len(idx.pos) and idx.pos[article_id] >= 0 else -1
    keep = (ids != article_id) & (idx.story[np.maximum(idx.pos[ids], 0)] != story)
    return list(zip(ids[keep].tolist(), sims[keep].tolist()))


def _views(store, pairs: list[tuple[int, float]]) -> list[Similar]:
    rows = store.summaries([i for i, _ in pairs])
    return [Similar(i, rows[i][1], rows[i][3], rows[i][5] or None, round(s, 4)) for i, s in pairs if i in rows]


def more_like_this(store, article_id: int, k: int = MORE_LIKE_THIS) -> list[Similar] | None:
    found = neighbours(store, article_id)
    return None if found is None else _views(store, found[:k])


def other_language(store, article_id: int) -> list[Similar]:
    """The closest article in another language about the same event (at most one), or []."""
    found = neighbours(store, article_id) or []
    idx = store.doc_index()
    if not found or article_id >= len(idx.pos) or idx.pos[article_id] < 0:
        return []
    row = idx.pos[article_id]
    # The model's floor (similarities differ in scale); neighbours() has loaded it already.
    floor = registry.load(store.embedder_name)[0].same_story_floor
    for other, sim in found:
        orow = idx.pos[other]
        if sim < floor:
            break
        if idx.lang[orow] == idx.lang[row] or not idx.lang[orow] or not idx.lang[row]:
            continue
        gap = _days(int(idx.published[row]), int(idx.published[orow]))
        if gap is None or gap <= SAME_STORY_DAYS:
            return _views(store, [(other, sim)])
    return []
