"""Postings of the two-word phrases made of the archive's most frequent words ("selon les", "of
the", "company said"), so that such a phrase is scored like a frequent word: a few numpy
operations instead of FTS5 reading both words' whole position lists.

At a million articles FTS5 takes 85 ms only to count the articles holding ``"selon les"`` (both
words are in hundreds of thousands of articles, and a phrase reads every position of both) and
364 ms to score them, for a page that shows 20. Here every pair of adjacent words that are both
among the ``hot`` words (those in at least ``word_threshold(N)`` articles) keeps its articles and
its weighted frequency in each (4 x title + 2 x lead + body occurrences, as for words), built from
FTS5's own positions (fts5vocab 'instance'), so the phrase's bm25 is FTS5's to the last bits.

Pairs in fewer than ``pair_threshold(N)`` articles, and phrases with a word that is not hot, are
left to FTS5, which is fast there: few matches to score, and the rarer word bounds the reading.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from app.search.docindex import rows_of
from app.search.packing import load_folder, pack, save_folder, unpack

LAYOUT = 1
MIN_WORD_DF = 50  # words in fewer articles never take part
WORD_SHARE = 50  # ... nor do words in fewer than N / WORD_SHARE articles (2 %)
# Pairs in fewer articles than this (or than N / PAIR_SHARE) are left to FTS5: at 1M, one in
# 1 %+ of the articles is a few thousand pairs but ~120M postings (a phrase's bm25 through FTS5
# costs ~1.5 us per match: 15 ms for the rarest pairs kept)
MIN_PAIR_DF = 50
PAIR_SHARE = 100
WORD_BITS = 12
MAX_WORDS = (1 << WORD_BITS) - 1  # the most frequent hot words at most: pair codes are counted in one array
OFFSET_BITS, COLUMN_BITS = 22, 2  # an instance's key: article id, column, token offset in it
BLOCK_BITS = 20  # a block spans fewer article ids than this (its instances are sorted as one array)
COLUMN_WEIGHTS = np.array([4, 2, 1], dtype=np.int64)  # title, lead, body: postings.WEIGHTS' order


def word_threshold(n_rows: int) -> int:
    return max(MIN_WORD_DF, n_rows // WORD_SHARE)


def pair_threshold(n_rows: int) -> int:
    return max(MIN_PAIR_DF, n_rows // PAIR_SHARE)


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
        """(rows, weighted frequencies) of the phrase ``first second``; None when the table
        does not hold it (a word not hot, or a pair in too few articles)."""
        a, b = self.words.get(first), self.words.get(second)
        if a is None or b is None:
            return None
        code = a * len(self.words) + b
        at = int(np.searchsorted(self.codes, code))
        if at == len(self.codes) or self.codes[at] != code:
            return None
        lo, hi = self.starts[at], self.starts[at + 1]
        return self.rows[lo:hi], self.freq[lo:hi]


def block_pairs(keys: np.ndarray, words: np.ndarray, n_words: int, lo: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """The pairs in one block of articles (ids from ``lo`` to less than ``lo + 2**BLOCK_BITS``):
    ``keys`` (instance_key) and ``words`` (hot word numbers) of every instance of a hot word in
    those articles, in any order. Returns the sorted ``code << 32 | article id`` of each (pair,
    article) and the pair's weighted frequency there.

    Everything an instance or a pair needs is packed into one int64, so each step is one sort of
    plain integers (no argsort, no unique with inverse: 5x faster on 40M instances)."""
    shift = OFFSET_BITS + COLUMN_BITS
    packed = ((keys - (np.int64(lo) << shift)) << WORD_BITS) | words.astype(np.int64)
    packed.sort()
    key, word = packed >> WORD_BITS, packed & ((1 << WORD_BITS) - 1)
    del packed
    follows = np.flatnonzero(key[1:] == key[:-1] + 1)  # same article and column, next token
    if not len(follows):
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    first = key[follows]
    codes = word[follows] * n_words + word[follows + 1]
    del key, word
    doc = first >> shift  # within the block
    weight = COLUMN_WEIGHTS[(first >> OFFSET_BITS) & ((1 << COLUMN_BITS) - 1)]
    value = (codes << (BLOCK_BITS + 3)) | (doc << 3) | weight  # a weight is 1, 2 or 4
    del first, codes, doc, weight
    value.sort()
    group = value >> 3
    starts = np.flatnonzero(np.concatenate(([True], group[1:] != group[:-1])))
    sums = np.add.reduceat(value & 7, starts)
    group = group[starts]
    code, doc = group >> BLOCK_BITS, group & ((1 << BLOCK_BITS) - 1)
    return (code << 32) | (doc + lo), sums


def build(words: list[str], instances, bounds: np.ndarray, doc_pos: np.ndarray, min_df: int,
          scratch: str | None) -> PairPostings:
    """The table of the pairs of ``words`` found in at least ``min_df`` articles.

    ``instances`` yields (word number, instance keys of that word, ascending) for each word;
    ``bounds``: ascending article ids cutting the archive into blocks. Memory stays bounded by
    one block and by the table: each word's keys are dealt into one scratch file per block;
    each block is paired alone (its pairs kept in a file, their article counts added up); then
    the pairs frequent enough are copied, block after block, straight to their place in the
    table (blocks are in article order, so each pair's articles come out ascending).
    ``doc_pos``: article id -> DocIndex row (-1: not in it)."""
    import tempfile

    n_words, n_blocks = len(words), len(bounds) - 1
    if n_words > MAX_WORDS or (np.diff(bounds) >= 1 << BLOCK_BITS).any():
        raise ValueError("too many words, or a block too wide, for the packed keys")
    word_type = np.int16
    cuts_at = bounds.astype(np.int64) << (OFFSET_BITS + COLUMN_BITS)
    df = np.zeros(n_words * n_words, dtype=np.int64)
    with tempfile.TemporaryDirectory(prefix="pairs-", dir=scratch) as tmp:
        files = [(open(f"{tmp}/{b}.keys", "wb"), open(f"{tmp}/{b}.words", "wb")) for b in range(n_blocks)]
        try:
            for number, keys in instances:
                cuts = np.searchsorted(keys, cuts_at)
                for b, (keys_out, words_out) in enumerate(files):
                    part = keys[cuts[b]:cuts[b + 1]]
                    keys_out.write(part.tobytes())
                    words_out.write(np.full(len(part), number, dtype=word_type).tobytes())
        finally:
            for keys_out, words_out in files:
                keys_out.close()
                words_out.close()
        for b in range(n_blocks):  # each block's pairs, and every pair's count of articles
            combined, weight = block_pairs(np.fromfile(f"{tmp}/{b}.keys", dtype=np.int64),
                                           np.fromfile(f"{tmp}/{b}.words", dtype=word_type), n_words, int(bounds[b]))
            combined.tofile(f"{tmp}/{b}.pairs")
            weight.astype(np.uint32).tofile(f"{tmp}/{b}.weights")
            df += np.bincount(combined >> 32, minlength=len(df))
        kept = np.flatnonzero(df >= min_df)  # the table's codes, ascending
        slot_of = np.full(len(df), -1, dtype=np.int64)
        slot_of[kept] = np.arange(len(kept))
        starts = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum(df[kept], out=starts[1:])
        del df
        rows = np.empty(int(starts[-1]), dtype=np.int32)
        freq = np.empty(int(starts[-1]), dtype=np.uint32)
        filled = starts[:-1].copy()
        for b in range(n_blocks):
            combined = np.fromfile(f"{tmp}/{b}.pairs", dtype=np.int64)
            weight = np.fromfile(f"{tmp}/{b}.weights", dtype=np.uint32)
            slot = slot_of[combined >> 32]
            keep = slot >= 0
            combined, weight, slot = combined[keep], weight[keep], slot[keep]
            # sorted by code then article: an entry's place is its pair's next free place plus
            # its rank among the block's entries of that pair
            first = np.searchsorted(slot, slot)
            at = filled[slot] + (np.arange(len(slot)) - first)
            rows[at] = (combined & 0xFFFFFFFF).astype(np.int32)  # article ids for now
            freq[at] = weight
            filled += np.bincount(slot, minlength=len(filled))
    found = rows_of(doc_pos, rows.astype(np.int64))
    keep = found >= 0
    if not keep.all():  # articles the DocIndex does not hold (none in an archive as it is built)
        pair_of = np.repeat(np.arange(len(kept)), np.diff(starts))
        starts = np.zeros(len(kept) + 1, dtype=np.int64)
        np.cumsum(np.bincount(pair_of[keep], minlength=len(kept)), out=starts[1:])
        found, freq = found[keep], freq[keep]
    freq_type = np.uint16 if freq.max(initial=0) <= np.iinfo(np.uint16).max else np.uint32
    return PairPostings({w: i for i, w in enumerate(words)}, kept.astype(np.int64), starts,
                        found.astype(np.int32), freq.astype(freq_type))


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
