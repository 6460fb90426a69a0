"""Postings of the archive's frequent words, in numpy arrays, and FTS5's bm25 computed over them.

Scoring every match through FTS5 costs ~1.5 µs per matching article in C and as much again to
bring each (rowid, score) into Python: 0.5 s for a word in 376k of a million articles, for a page
that shows 20. Here each frequent word keeps its articles (as DocIndex rows) and its weighted
frequency in each (4 x title + 2 x lead + body: the column weights of ``bm25(article_fts, 4, 2, 1)``),
and the length of every article in tokens, so a word's scores are a few numpy operations.

The formula is FTS5's own (ext/fts5/fts5_aux.c, fts5Bm25Function), so scores are the same to the
last bits, and a query's score is the sum over its phrases:

    idf(phrase) = log((N - nHit + 0.5) / (nHit + 0.5)), at least 1e-6
    score       = sum over phrases of idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl))

with N the articles, nHit those holding the phrase, f its weighted frequency in the article, D
the article's tokens over all columns, avgdl the mean of D. FTS5 reports the negated score
(lower is better); so do these functions.

Words rarer than the threshold stay with FTS5 (a few thousand matches at most, a few ms).
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass

import numpy as np

from app.search.packing import SortedStrings, load_folder, pack, save_folder, unpack

K1, B = 1.2, 0.75
WEIGHTS = {"title": 4, "lead": 2, "body": 1}  # must match app.storage.sqlite.RANK
# Words in fewer articles than this (or than N / 20,000) are left to FTS5, which scores a word
# of 50 articles in well under a millisecond. Postings are cheap below the frequent words: at
# 300k articles the words in 1,500+ articles hold 69.0M postings, those in 500+ 73.5M; and a
# broad prefix (inte*: thousands of words, most of them in a few hundred articles) is then read
# from the postings instead of from FTS5's instances one by one.
MIN_DF = 50
LAYOUT = 4  # 3: every indexed word (all_terms_*), for prefixes; 4: built with the pairs folder
# (app/search/phrase_pairs.py). Bump when the files change shape: older ones are rebuilt


def threshold(n_rows: int) -> int:
    return max(MIN_DF, n_rows // 20_000)


def idf(n_rows: int, n_hit: int) -> float:
    value = float(np.log((n_rows - n_hit + 0.5) / (n_hit + 0.5)))
    return value if value > 0 else 1e-6


@dataclass
class Postings:
    key: str  # the archive state they were built from (SqliteStore.index_key)
    n_rows: int
    avgdl: float
    doclen: np.ndarray  # tokens of each DocIndex row's article, all columns
    terms: dict[str, int]  # word -> its slot
    starts: np.ndarray  # slot -> offset into rows / freq (CSR; one more than slots)
    rows: np.ndarray  # DocIndex rows, ascending within a word
    freq: np.ndarray  # weighted frequency of the word in that row
    # every word of the index, with or without postings, sorted: what a prefix expands to
    all_terms: SortedStrings | None = None
    pairs: object | None = None  # app.search.phrase_pairs.PairPostings of the same archive state, when built

    def expand(self, prefix: str) -> list[str] | None:
        """The indexed words starting with ``prefix`` (None when this copy has no word list)."""
        if self.all_terms is None or not prefix:
            return None
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        lo, hi = bisect_left(self.all_terms, prefix), bisect_left(self.all_terms, upper)
        return self.all_terms.between(lo, hi)

    def get(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        slot = self.terms.get(term)
        if slot is None:
            return None
        lo, hi = self.starts[slot], self.starts[slot + 1]
        return self.rows[lo:hi], self.freq[lo:hi]

    def contributions(self, rows: np.ndarray, freq: np.ndarray) -> np.ndarray:
        """Negated bm25 contribution of one phrase to each of its rows (FTS5's sign)."""
        f = freq.astype(np.float64)
        d = self.doclen[rows].astype(np.float64)
        weight = idf(self.n_rows, len(rows))
        return -(weight * (f * (K1 + 1.0)) / (f + K1 * (1.0 - B + B * d / self.avgdl)))


# -- kept on disk beside the archive: a folder of .npy files, memory-mapped when loaded ----------
_ARRAYS = ("doclen", "starts", "rows", "freq")


def save(p: Postings, folder: str) -> None:
    """Write ``p`` to ``folder`` (replaced whole: a reader sees the old folder or the new one)."""
    words = sorted(p.terms, key=p.terms.__getitem__)
    every = p.all_terms if p.all_terms is not None else SortedStrings.of(p.terms)
    save_folder(folder, {name: getattr(p, name) for name in _ARRAYS} | {"terms": pack(words)}
                | {"all_terms_buffer": every.buffer, "all_terms_offsets": every.offsets},
                {"layout": LAYOUT, "key": p.key, "n_rows": p.n_rows, "avgdl": p.avgdl})


def load(folder: str, key: str) -> Postings | None:
    """The postings saved in ``folder`` if built at ``key``, else None (absent, stale, damaged)."""
    found = load_folder(folder, _ARRAYS + ("terms", "all_terms_buffer", "all_terms_offsets"), LAYOUT)
    if found is None or found[0].get("key") != key:
        return None
    meta, arrays = found
    try:
        words = unpack(arrays.pop("terms"))
    except UnicodeDecodeError:
        return None
    every = SortedStrings(arrays.pop("all_terms_buffer"), arrays.pop("all_terms_offsets"))
    if len(words) + 1 != len(arrays["starts"]):
        return None
    return Postings(key=key, n_rows=int(meta["n_rows"]), avgdl=float(meta["avgdl"]),
                    terms={w: i for i, w in enumerate(words)}, all_terms=every, **arrays)
