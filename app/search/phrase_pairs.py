"""Postings of the two-word phrases made of the archive's most frequent words ("selon les", "of
the", "company said"), so that such a phrase is scored like a frequent word: a few numpy
operations instead of FTS5 reading both words' whole position lists.

At a million articles FTS5 takes 85 ms only to count the articles holding ``"selon les"`` (both
words are in hundreds of thousands of articles, and a phrase reads every position of both) and
364 ms to score them, for a page that shows 20. Here every pair of adjacent words that are both
among the ``hot`` words (those in at least ``word_threshold(N)`` articles) keeps its articles and
its weighted frequency in each (4 x title + 2 x lead + body occurrences, as for words), built from
FTS5's own positions (fts5vocab 'instance'), so the phrase's bm25 is FTS5's to the last bits.

Every pair of two hot words is kept, however rare: a pair absent from the table is a phrase no
article holds. A phrase with a word that is not hot is left to FTS5, which is fast there (the
rarer word's positions bound the work).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.search.packing import load_folder, pack, save_folder, unpack

LAYOUT = 1
MIN_WORD_DF = 50  # words in fewer articles never take part
WORD_SHARE = 50  # ... nor do words in fewer than N / WORD_SHARE articles (2 %)
MAX_WORDS = 40_000  # a pair's code (first * words + second) and an article id share one int64
OFFSET_BITS, COLUMN_BITS = 22, 2  # an instance's key: article id, column, token offset in it
COLUMN_WEIGHTS = np.array([4, 2, 1], dtype=np.int64)  # title, lead, body: postings.WEIGHTS' order


def word_threshold(n_rows: int) -> int:
    return max(MIN_WORD_DF, n_rows // WORD_SHARE)


def instance_key(doc: np.ndarray, column: np.ndarray, offset: np.ndarray) -> np.ndarray:
    return (doc.astype(np.int64) << (OFFSET_BITS + COLUMN_BITS)) | (column.astype(np.int64) << OFFSET_BITS) | offset


@dataclass
class PairPostings:
    words: dict[str, int]  # hot word -> its number
    codes: np.ndarray  # sorted pair codes: first * len(words) + second
    starts: np.ndarray  # code slot -> offset into rows / freq (one more than codes)
    rows: np.ndarray  # DocIndex rows, ascending within a pair
    freq: np.ndarray  # weighted frequency of the phrase in that row

    def get(self, first: str, second: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(rows, weighted frequencies) of the phrase ``first second``; None when one of the
        words is not hot (this table cannot say), empty arrays when no article holds it."""
        a, b = self.words.get(first), self.words.get(second)
        if a is None or b is None:
            return None
        code = a * len(self.words) + b
        at = int(np.searchsorted(self.codes, code))
        if at == len(self.codes) or self.codes[at] != code:
            return self.rows[:0], self.freq[:0]
        lo, hi = self.starts[at], self.starts[at + 1]
        return self.rows[lo:hi], self.freq[lo:hi]


def block_pairs(keys: np.ndarray, words: np.ndarray, n_words: int) -> tuple[np.ndarray, np.ndarray]:
    """The pairs in one block of articles: ``keys`` (instance_key) and ``words`` (hot word
    numbers) of every instance of a hot word in those articles, in any order. Returns the
    sorted ``code << 32 | article id`` of each (pair, article) and the pair's weighted frequency
    there."""
    order = np.argsort(keys, kind="stable")
    keys, words = keys[order], words[order]
    follows = np.flatnonzero(keys[1:] == keys[:-1] + 1)  # same article and column, next token
    if not len(follows):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    first = keys[follows]
    codes = words[follows].astype(np.int64) * n_words + words[follows + 1]
    doc = first >> (OFFSET_BITS + COLUMN_BITS)
    weight = COLUMN_WEIGHTS[(first >> OFFSET_BITS) & ((1 << COLUMN_BITS) - 1)]
    combined, inverse = np.unique((codes << 32) | doc, return_inverse=True)
    return combined, np.bincount(inverse.ravel(), weights=weight, minlength=len(combined)).astype(np.int64)


def assemble(words: list[str], blocks: list[tuple[np.ndarray, np.ndarray]], doc_pos: np.ndarray) -> PairPostings:
    """One table from ``block_pairs`` of consecutive, ascending blocks of article ids.
    ``doc_pos``: article id -> DocIndex row (-1: not in it)."""
    combined = np.concatenate([c for c, _ in blocks]) if blocks else np.empty(0, dtype=np.int64)
    weights = np.concatenate([w for _, w in blocks]) if blocks else np.empty(0, dtype=np.int64)
    del blocks[:]
    codes = (combined >> 32).astype(np.int64)
    order = np.argsort(codes, kind="stable")  # blocks are in article order: articles stay ascending
    combined, codes, weights = combined[order], codes[order], weights[order]
    doc = combined & 0xFFFFFFFF
    ok = doc < len(doc_pos)
    rows = np.full(len(doc), -1, dtype=np.int64)
    rows[ok] = doc_pos[doc[ok]]
    keep = rows >= 0
    rows, codes, weights = rows[keep], codes[keep], weights[keep]
    uniq, first_at = np.unique(codes, return_index=True)
    starts = np.append(first_at, len(codes)).astype(np.int64)
    freq_type = np.uint16 if weights.max(initial=0) <= np.iinfo(np.uint16).max else np.uint32
    return PairPostings({w: i for i, w in enumerate(words)}, uniq, starts, rows.astype(np.int32),
                        weights.astype(freq_type))


_ARRAYS = ("codes", "starts", "rows", "freq")


def save(pairs: PairPostings, folder: str, key: str) -> None:
    words = sorted(pairs.words, key=pairs.words.__getitem__)
    save_folder(folder, {name: getattr(pairs, name) for name in _ARRAYS} | {"words": pack(words)},
                {"layout": LAYOUT, "key": key})


def load(folder: str, key: str) -> PairPostings | None:
    """The table saved in ``folder`` if built at ``key``, else None (absent, stale, damaged)."""
    found = load_folder(folder, _ARRAYS + ("words",), LAYOUT)
    if found is None or found[0].get("key") != key:
        return None
    arrays = found[1]
    try:
        words = unpack(arrays.pop("words"))
    except UnicodeDecodeError:
        return None
    if len(arrays["codes"]) + 1 != len(arrays["starts"]):
        return None
    return PairPostings({w: i for i, w in enumerate(words)}, **arrays)
