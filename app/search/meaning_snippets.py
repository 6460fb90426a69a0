"""The snippet of a hit found by meaning: its sentence closest to the query (not its lead).

Sentence vectors cost a model's time at search time (use-m3 ~1.6 ms a sentence here, e5-small
28 ms, so e5-small's are picked by use-m3, its ``sentence_model``: app/search/hybrid.py), so only
hits that came by meaning alone get one, from their first SNIPPET_SENTENCES sentences, at most
PAGE_SENTENCES new sentences per page (in page order: the hits past that keep their lead), and
each article's sentence vectors are kept in a small cache for the next page or query."""
from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from markupsafe import Markup, escape

from app.embeddings.text import sentences

SNIPPET_SENTENCES = 3
PAGE_SENTENCES = 24  # ~2.5 ms each by use-m3 here: 40 were 100 of a rare word's 115 ms page at 100k
EMBED_CHARS = 200  # of each sentence, for its vector (the snippet shows it whole): cost grows with length
CACHE_ARTICLES = 2000
_cache: OrderedDict[tuple[str, int], tuple[list[str], np.ndarray]] = OrderedDict()
_lock = threading.Lock()


def _sentence_vectors(embedder, pending: dict[int, str]) -> dict[int, tuple[list[str], np.ndarray]]:
    out, todo = {}, {}
    budget = PAGE_SENTENCES
    with _lock:
        for aid, body in pending.items():
            found = _cache.get((embedder.name, aid))
            if found is not None:
                _cache.move_to_end((embedder.name, aid))
                out[aid] = found
            elif budget > 0:
                todo[aid] = sentences(body)[:min(SNIPPET_SENTENCES, budget)]
                budget -= len(todo[aid])
    flat = [s for ss in todo.values() for s in ss]
    vectors = (embedder.embed_documents([s[:EMBED_CHARS] for s in flat]) if flat
               else np.zeros((0, embedder.dimensions), np.float32))
    at = 0
    with _lock:
        for aid, ss in todo.items():
            out[aid] = (ss, vectors[at:at + len(ss)])
            at += len(ss)
            _cache[(embedder.name, aid)] = out[aid]
        while len(_cache) > CACHE_ARTICLES:
            _cache.popitem(last=False)
    return out


def closest_sentences(embedder, query_vector: np.ndarray, bodies: dict[int, str]) -> dict[int, Markup]:
    """{article id: its sentence closest to the query, escaped}; articles with no usable
    sentence are left out (they keep their ordinary snippet)."""
    out = {}
    for aid, (ss, vectors) in _sentence_vectors(embedder, bodies).items():
        if ss:
            out[aid] = Markup(escape(ss[int(np.argmax(vectors @ query_vector))]))
    return out
