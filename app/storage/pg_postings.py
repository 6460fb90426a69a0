"""The frequent words' postings (app/search/postings.py) built from PostgreSQL's tsvectors, and the
FastText that the SQLite store uses over them, with PostgreSQL's SQL for what is not in them.

So both backends search through the same numpy core (app/search/evaluate.py) and score with the
same bm25 code: a word's weighted frequency in an article is 4 x its title positions + 2 x its
lead positions + its body positions (weights A, B, C of app/storage/pg_fts.py), an article's
length its ``words``. Phrases, column filters and rare words are scored by app/storage/pg_fts.py
on that phrase alone; prefixes expand over the archive's words (ts_stat), kept with the
postings (``all_terms``), as on SQLite. Built in each server process's memory (there is no folder beside a database server).
"""
from __future__ import annotations

import numpy as np

from app.search import postings as P
from app.search.docindex import DocIndex
from app.search.packing import SortedStrings
from app.search.evaluate import Evaluator, Leaf, leaves, parse
from app.search.tsquery import to_tsquery
from app.storage import pg_fts, pg_phrases
from app.storage.sqlite_postings import FastText

# A word's weighted frequency in one article, from unnest(tsvector)'s weights array.
_FREQ = ("(4 * COALESCE(cardinality(array_positions(u.weights, 'A')), 0)"
         " + 2 * COALESCE(cardinality(array_positions(u.weights, 'B')), 0)"
         " + COALESCE(cardinality(array_positions(u.weights, 'C')), 0))")
FETCH = 200  # words per round trip while building


def build(conn, idx: DocIndex, key: str) -> P.Postings:
    """Postings of every word in at least ``postings.threshold(N)`` articles (as on SQLite),
    read in one pass over the tsvectors, grouped by word on the server."""
    doclen = np.zeros(idx.size, dtype=np.int32)
    rows = conn.execute("SELECT article_id, words FROM article_fts ORDER BY article_id").fetchall()
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    lens = np.fromiter((r[1] for r in rows), dtype=np.int64, count=len(rows))
    at = _rows(idx, ids)
    doclen[at[at >= 0]] = lens[at >= 0]
    vocab = sorted(conn.execute("SELECT word, ndoc FROM ts_stat('SELECT doc FROM article_fts')").fetchall())
    frequent = [w for w, df in vocab if df >= P.threshold(idx.size)]
    terms, starts, parts_rows, parts_freq = {}, [0], [], []
    raw = conn.raw
    with raw.transaction(), raw.cursor(name="newsarchive_postings") as cur:
        cur.execute("SELECT u.lexeme, string_agg(f.article_id::text, ' ' ORDER BY f.article_id),"
                    f" string_agg({_FREQ}::text, ' ' ORDER BY f.article_id)"
                    " FROM article_fts f CROSS JOIN LATERAL unnest(f.doc) u WHERE u.lexeme = ANY(%s)"
                    " GROUP BY u.lexeme ORDER BY u.lexeme", (frequent,))
        while batch := cur.fetchmany(FETCH):
            for word, docs, weights in batch:
                r = _rows(idx, np.array(docs.split(), dtype=np.int64))
                keep = r >= 0
                terms[word] = len(terms)
                parts_rows.append(r[keep].astype(np.int32))
                parts_freq.append(np.array(weights.split(), dtype=np.int64)[keep])
                starts.append(starts[-1] + int(keep.sum()))
    freq = np.concatenate(parts_freq) if parts_freq else np.empty(0, dtype=np.int64)
    freq = freq.astype(np.uint16 if freq.max(initial=0) <= np.iinfo(np.uint16).max else np.uint32)
    return P.Postings(key, len(doclen), float(doclen.sum()) / len(doclen) if len(doclen) else 1.0, doclen, terms,
                      np.array(starts, dtype=np.int64),
                      np.concatenate(parts_rows) if parts_rows else np.empty(0, dtype=np.int32), freq,
                      all_terms=SortedStrings.of(w for w, _ in vocab))


def _rows(idx: DocIndex, ids: np.ndarray) -> np.ndarray:
    """DocIndex rows of article ids; -1 for an id the index does not hold."""
    out = np.full(len(ids), -1, dtype=np.int64)
    ok = ids < len(idx.pos)
    out[ok] = idx.pos[ids[ok]]
    return out


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


class PhraseEvaluator(Evaluator):
    """The numpy evaluator, which also takes phrases of words that have postings: their match
    set from PostgreSQL's index (exact), their scores bounded from above (app/storage/pg_phrases.py)
    until the page needs them exact; ``bounded`` names those leaves."""

    def __init__(self, postings: P.Postings, leaf, expand, rare, conn, idx: DocIndex, stats: pg_fts.Stats):
        super().__init__(postings, leaf, expand, rare)
        self.conn, self.idx, self.stats = conn, idx, stats
        self.bounded: set[Leaf] = set()

    def from_postings(self, leaf: Leaf) -> bool:
        return super().from_postings(leaf) or pg_phrases.phrase_tokens(leaf, self.p) is not None

    def _leaf(self, leaf: Leaf) -> tuple[np.ndarray, np.ndarray]:
        tokens = pg_phrases.phrase_tokens(leaf, self.p)
        if tokens is None:
            return super()._leaf(leaf)
        expr = to_tsquery(leaf.fts5())
        rows = _rows(self.idx, pg_fts.match_ids(self.conn, expr))
        rows = rows[rows >= 0]
        self.bounded.add(leaf)
        weight = self.stats.idf_of(self.conn, expr.phrases[0])
        return rows, pg_phrases.bounds(self.p, self.stats, weight, tokens, rows)


class PgFastText(FastText):
    """The SQLite store's FastText (app/storage/sqlite_postings.py) for a PostgreSQL connection:
    the same evaluator over the same kind of postings; leaves it does not hold go to PostgreSQL,
    and phrases are scored exactly only where the answer needs it."""

    def __init__(self, conn, idx: DocIndex, postings: P.Postings, stats: pg_fts.Stats):
        self.conn, self.idx, self.stats = conn, idx, stats
        self.evaluator = PhraseEvaluator(postings, self._leaf, self._expand, self._rare, conn, idx, stats)

    def _exact(self, tree, rows: np.ndarray) -> np.ndarray:
        return pg_phrases.exact_scores(self.conn, self.stats, self.evaluator, tree, rows, self.idx.ids[rows])

    def scored(self, match: str) -> tuple[np.ndarray, np.ndarray]:
        rows, scores = self.evaluator.run(match)
        tree = parse(match)
        if any(leaf in self.evaluator.bounded for leaf in leaves(tree)):
            scores = self._exact(tree, rows)
        return self.idx.ids[rows], scores

    def ranked_ids(self, match: str, offset: int, limit: int, within: np.ndarray | None) -> list[int]:
        """As FastText's; with bounded phrases, exact scores for the best-bounded matches only."""
        rows, bound = self.evaluator.run(match)
        tree = parse(match)
        if not any(leaf in self.evaluator.bounded for leaf in leaves(tree)):
            return super().ranked_ids(match, offset, limit, within)
        if within is not None:
            keep = within[rows]
            rows, bound = rows[keep], bound[keep]
        k = offset + limit
        if not len(rows) or k <= 0:
            return []
        ids = self.idx.ids[rows]
        best = pg_phrases.refine(lambda part: self._exact(tree, rows[part]), rows, ids, bound, k)
        return ids[best][offset:k].tolist()

    def _leaf(self, leaf) -> tuple[np.ndarray, np.ndarray]:
        ids, scores = pg_fts.scored(self.conn, to_tsquery(leaf.fts5()), self.stats)
        rows = _rows(self.idx, ids)
        keep = rows >= 0
        return rows[keep], scores[keep]

    def _rare(self, runs: list[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Rows and weighted frequencies, summed over the words, of articles holding any of them."""
        words = [w for run in runs for w in run]
        ids, freq = [], []
        for start in range(0, len(words), 500):
            part = words[start:start + 500]
            found = self.conn.execute(
                f"SELECT f.article_id, sum({_FREQ}) FROM article_fts f CROSS JOIN LATERAL unnest(f.doc) u"
                " WHERE f.doc @@ CAST(? AS tsquery) AND u.lexeme = ANY(?) GROUP BY f.article_id",
                (" | ".join(_lexeme(w) for w in part), part)).fetchall()
            ids.append(np.fromiter((r[0] for r in found), dtype=np.int64, count=len(found)))
            freq.append(np.fromiter((r[1] for r in found), dtype=np.int64, count=len(found)))
        if not ids:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        rows = _rows(self.idx, np.concatenate(ids))
        keep = rows >= 0
        return rows[keep], np.concatenate(freq)[keep]
