"""SQL that builds the frequent words' postings (app/search/postings.py) from the FTS5 index.

fts5vocab tables (https://sqlite.org/fts5.html#the_fts5vocab_virtual_table_module) give each
word's document frequency ('row') and each of its instances with its column ('instance');
SQLite groups the instances per article in C, so a posting costs ~1 µs to read.
"""
from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import numpy as np

from app.search import phrase_pairs as PP
from app.search import postings as P
from app.search.docindex import DocIndex, rows_of
from app.search.packing import SortedStrings, numbers

_WEIGHT = " ".join(f"WHEN '{col}' THEN {w}" for col, w in P.WEIGHTS.items())
_POSTINGS = ("SELECT group_concat(d, ' '), group_concat(w, ' ') FROM (SELECT doc AS d, sum(CASE col "
             f"{_WEIGHT} END) AS w FROM temp.article_vocab_instance WHERE term = ? GROUP BY doc)")


@contextmanager
def writable_temp(conn: sqlite3.Connection):
    """A serving connection has PRAGMA query_only on, which refuses even a table in the private
    temp schema (in memory): lifted for the statements that create one. The archive file itself
    is never written."""
    query_only = conn.execute("PRAGMA query_only").fetchone()[0]
    if query_only:
        conn.execute("PRAGMA query_only=0")
    try:
        yield conn
    finally:
        if query_only:
            conn.execute("PRAGMA query_only=1")


def _vocab_tables(conn: sqlite3.Connection) -> None:
    with writable_temp(conn):
        for kind in ("row", "instance"):
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.article_vocab_{kind}"
                         f" USING fts5vocab(main, article_fts, '{kind}')")


def _varint_sum(blob: bytes) -> int:
    """Sum of the SQLite varints in an FTS5 docsize record (one per column)."""
    total = value = 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            total += value
            value = 0
    return total


def doc_lengths(conn: sqlite3.Connection, idx: DocIndex) -> np.ndarray:
    """Tokens of each DocIndex row's article over all columns (FTS5's xColumnSize(-1))."""
    lengths = np.zeros(idx.size, dtype=np.int32)
    ids, sizes = [], []
    for rowid, blob in conn.execute("SELECT id, sz FROM article_fts_docsize"):
        ids.append(rowid)
        sizes.append(_varint_sum(blob))
    ids_a = np.array(ids, dtype=np.int64)
    ok = ids_a < len(idx.pos)
    rows = idx.pos[ids_a[ok]]
    lengths[rows[rows >= 0]] = np.array(sizes, dtype=np.int32)[ok][rows >= 0]
    return lengths


def build(conn: sqlite3.Connection, idx: DocIndex, key: str) -> P.Postings:
    """Postings of every word in at least ``postings.threshold(N)`` articles, written straight into
    arrays sized from the words' document frequencies (6 bytes a posting: a million articles hold
    ~260M postings, so no list of per-word arrays and no concatenated copy of them)."""
    _vocab_tables(conn)
    doclen = doc_lengths(conn, idx)
    every, words = [], []
    least = P.threshold(idx.size)
    for term, df in conn.execute("SELECT term, doc FROM temp.article_vocab_row"):  # in term order
        every.append(term)
        if df >= least:
            words.append((term, df))
    size = sum(df for _, df in words)
    rows_out, freq_out = np.empty(size, dtype=np.int32), np.empty(size, dtype=np.uint16)
    starts = np.zeros(len(words) + 1, dtype=np.int64)
    at = 0
    for slot, (term, _df) in enumerate(words):
        docs, weights = conn.execute(_POSTINGS, (term,)).fetchone()
        ids = numbers(docs)
        freq = numbers(weights)
        ok = ids < len(idx.pos)
        rows = idx.pos[ids[ok]]
        keep = rows >= 0
        freq = freq[ok][keep]
        if freq.max(initial=0) > np.iinfo(freq_out.dtype).max:  # an article repeating a word 65,536 times
            freq_out = freq_out.astype(np.uint32)
        n = int(keep.sum())
        rows_out[at:at + n], freq_out[at:at + n] = rows[keep], freq
        at += n
        starts[slot + 1] = at
    return P.Postings(key, len(doclen), float(doclen.sum()) / len(doclen) if len(doclen) else 1.0, doclen,
                      {term: i for i, (term, _) in enumerate(words)}, starts, rows_out[:at], freq_out[:at],
                      SortedStrings.of(every))


_COLUMN = " ".join(f"WHEN '{col}' THEN {i}" for i, col in enumerate(P.WEIGHTS))
_KEYS = (f"SELECT group_concat((doc << {PP.OFFSET_BITS + PP.COLUMN_BITS}) | ((CASE col {_COLUMN} END) << {PP.OFFSET_BITS})"
         f" | offset, ' '), max(offset) FROM temp.article_vocab_instance WHERE term = ?")
PAIR_BLOCK = 100_000  # articles whose hot words' positions are paired at once (at 1M: ~40M, ~1 GB)


def build_pairs(conn: sqlite3.Connection, idx: DocIndex, scratch: str | None) -> PP.PairPostings | None:
    """The two-word phrases of the hot words (app/search/phrase_pairs.py), from FTS5's positions,
    each hot word's read once (scratch files in ``scratch``, else the system's temporary folder).
    None when a column is longer than a key's offset can hold (FTS5 then answers such phrases)."""
    _vocab_tables(conn)
    least = PP.word_threshold(idx.size)
    hot = conn.execute("SELECT term FROM temp.article_vocab_row WHERE doc >= ? ORDER BY doc DESC, term LIMIT ?",
                       (least, PP.MAX_WORDS)).fetchall()
    words = [t for (t,) in hot]
    top = int(conn.execute("SELECT coalesce(max(id), 0) FROM article_fts_docsize").fetchone()[0])

    def instances():
        for number, word in enumerate(words):
            text, longest = conn.execute(_KEYS, (word,)).fetchone()
            if longest is not None and longest >= (1 << PP.OFFSET_BITS) - 1:
                raise _TooLong(word)
            if text:
                yield number, numbers(text)  # in article order

    bounds = np.arange(0, top + PAIR_BLOCK + 1, PAIR_BLOCK, dtype=np.int64)
    try:
        return PP.build(words, instances(), bounds, idx.pos, PP.pair_threshold(idx.size), scratch)
    except _TooLong:  # the build stops there (its scratch files are removed)
        return None


class _TooLong(Exception):
    """A column holds more tokens than an instance key's offset can say."""


RANGE_MIN = 4  # words in a run read as one range of the index rather than one by one
_LEAF = "SELECT rowid, bm25(article_fts, 4.0, 2.0, 1.0) FROM article_fts WHERE article_fts MATCH ?"


class FastText:
    """Full-text matches and bm25 scores over the postings, for one store's connection; the
    store falls back to FTS5 for what this does not read (``Unsupported``) or while the
    postings are not built for the archive as it is."""

    def __init__(self, conn: sqlite3.Connection, idx: DocIndex, postings: P.Postings):
        from app.search.evaluate import Evaluator

        self.conn, self.idx = conn, idx
        _vocab_tables(conn)
        self.evaluator = Evaluator(postings, self._leaf, self._expand, self._rare)

    def _rows(self, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = rows_of(self.idx.pos, ids)
        return rows, rows >= 0

    def _leaf(self, leaf) -> tuple[np.ndarray, np.ndarray]:
        found = self.conn.execute(_LEAF, (leaf.fts5(),)).fetchall()
        ids = np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found))
        scores = np.fromiter((r[1] for r in found), dtype=np.float64, count=len(found))
        rows, keep = self._rows(ids)
        return rows[keep], scores[keep]

    def _expand(self, prefix: str) -> list[str]:
        """The indexed words a prefix stands for: from the postings' sorted word list (fts5vocab
        counts every such word's articles to list them: 6 ms a prefix at 100k)."""
        found = self.evaluator.p.expand(prefix)
        if found is not None:
            return found
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return [t for (t,) in self.conn.execute("SELECT term FROM temp.article_vocab_row WHERE term >= ? AND term < ?",
                                                (prefix, upper))]

    def _rare(self, runs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Rows and weighted frequencies, summed over the words, of articles holding any of them
        (an article may come more than once: its frequencies are to be summed).

        A long run of words that follow one another in the index is read as one range of
        fts5vocab's instances (no other word lies between its first and last); the others by an
        IN list, which costs per word (``vena*`` at 1M, that is ``ven* OR vena*`` with 15k rare
        words: its search took 464 ms by IN lists, 143 ms with the ranges)."""
        single = [w for run in runs if len(run) < RANGE_MIN for w in run]
        queries = [(_POSTINGS.replace("term = ?", "term >= ? AND term <= ?"), (run[0], run[-1]))
                   for run in runs if len(run) >= RANGE_MIN]
        for start in range(0, len(single), 500):  # well under SQLite's limit of bound parameters
            part = single[start:start + 500]
            queries.append((_POSTINGS.replace("term = ?", f"term IN ({','.join('?' * len(part))})"), part))
        ids, freq = [], []
        for sql, args in queries:
            docs, weights = self.conn.execute(sql, args).fetchone()
            if docs:
                ids.append(numbers(docs))
                freq.append(numbers(weights))
        if not ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        rows, keep = self._rows(np.concatenate(ids))
        return rows[keep], np.concatenate(freq)[keep]

    def scored(self, match: str) -> tuple[np.ndarray, np.ndarray]:
        rows, scores = self.evaluator.run(match)
        return self.idx.ids[rows], scores

    def match_ids(self, match: str) -> np.ndarray:
        return self.idx.ids[self.evaluator.run(match, scores=False)[0]]

    def ranked_ids(self, match: str, offset: int, limit: int, within: np.ndarray | None) -> list[int]:
        """Ids by bm25 then id, as ``ORDER BY rank, rowid LIMIT limit OFFSET offset`` would give."""
        rows, scores = self.evaluator.run(match)
        if within is not None:
            keep = within[rows]
            rows, scores = rows[keep], scores[keep]
        k = offset + limit
        if k < len(rows):  # the k best, ties at the k-th score included, then ordered exactly
            cut = np.partition(scores, k - 1)[k - 1]
            keep = scores <= cut
            rows, scores = rows[keep], scores[keep]
        ids = self.idx.ids[rows]
        return ids[np.lexsort((ids, scores))][offset:k].tolist()
