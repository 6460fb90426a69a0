"""The PostgreSQL full-text index: one tsvector per article over the very words FTS5 indexes on
SQLite (app/search/text.py: folded, stemmed in the article's language), and bm25 computed as
FTS5 computes it, so that both backends rank alike.

The tsvector is written as a literal (the ``simple`` configuration would re-tokenise our words
with PostgreSQL's parser, which splits differently from FTS5's 'ascii' tokenizer): title words
at weight A, the lead at B, the rest of the body at C; each column starts GAP positions after
the previous one so that a phrase or NEAR group never spans two columns, as in FTS5.
Limits of tsvector (https://www.postgresql.org/docs/15/textsearch-limitations.html): positions
stop at 16,383 and a lexeme keeps at most 256 of them, so in articles of more than ~16k words,
or for a word repeated more than 256 times in one article, phrase matches and bm25 frequencies
can differ from SQLite's; words over 2,046 bytes are not indexed.
"""
from __future__ import annotations

import math

import numpy as np

from app.search.tsquery import Expr, instances, matches, phrase_tsquery

GAP = 32  # > the longest phrase (6 words) + NEAR distance (10)
MAX_POS = 16383
MAX_LEXEME = 2046
WEIGHTS = {"A": 4.0, "B": 2.0, "C": 1.0}  # bm25(article_fts, 4.0, 2.0, 1.0) on SQLite
K1, B = 1.2, 0.75


# "12A", "12B", "12C" for every position: formatting them was most of the writer's time.
_POSITIONS = {w: [f"{min(p, MAX_POS)}{w}" for p in range(MAX_POS + 1)] for w in WEIGHTS}


def tsvector_text(title: str, lead: str, body: str) -> tuple[str, int]:
    """(tsvector literal, number of words) of an article's three index columns."""
    positions: dict[str, list[str]] = {}
    pos, words = 1, 0
    for text, weight in ((title, "A"), (lead, "B"), (body, "C")):
        tokens = text.split()
        words += len(tokens)
        names = _POSITIONS[weight]
        for i, tok in enumerate(tokens, pos):
            found = positions.get(tok)
            if found is None:
                positions[tok] = [names[i if i < MAX_POS else MAX_POS]]
            elif len(found) < 256:
                found.append(names[i if i < MAX_POS else MAX_POS])
        pos += len(tokens) + GAP
    parts = [_lexeme(lex) + ":" + ",".join(ps) for lex, ps in positions.items()
             if len(lex) * 4 <= MAX_LEXEME or len(lex.encode("utf-8")) <= MAX_LEXEME]
    return " ".join(parts), words


def _lexeme(lex: str) -> str:
    if "'" in lex or "\\" in lex:
        lex = lex.replace("\\", "\\\\").replace("'", "''")
    return "'" + lex + "'"


def index_row(c, article_id: int, title: str, lead: str, body: str) -> None:
    doc, words = tsvector_text(title, lead, body)
    c.execute("INSERT INTO article_fts(article_id, doc, words) VALUES (?, CAST(? AS tsvector), ?)"
              " ON CONFLICT (article_id) DO UPDATE SET doc=excluded.doc, words=excluded.words",
              (article_id, doc, words))


def unindex_row(c, article_id: int) -> None:
    c.execute("DELETE FROM article_fts WHERE article_id=?", (article_id,))


def _lexemes(expr: Expr) -> tuple[list[str], list[str]]:
    exact, prefixes = set(), set()
    for p in expr.phrases:
        for k, tok in enumerate(p.tokens):
            (prefixes if p.prefix and k == len(p.tokens) - 1 else exact).add(tok)
    return sorted(exact), sorted(t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for t in prefixes)


def documents(c, expr: Expr, among: np.ndarray | None = None):
    """{article id: (words, {lexeme: [(position, weight)]})} of every article the tsquery
    matches (of those ``among`` when given), holding only the query's lexemes."""
    exact, likes = _lexemes(expr)
    within = " AND f.article_id = ANY(?)" if among is not None else ""
    rows = c.execute(
        "SELECT f.article_id, f.words, u.lexeme, u.positions, u.weights FROM article_fts f"
        " CROSS JOIN LATERAL unnest(f.doc) u WHERE f.doc @@ CAST(? AS tsquery)" + within +
        " AND (u.lexeme = ANY(?) OR u.lexeme LIKE ANY(?))",
        (expr.tsquery, *([[int(i) for i in among]] if among is not None else []), exact, likes))
    docs: dict[int, tuple[int, dict]] = {}
    for aid, words, lexeme, positions, weights in rows:
        docs.setdefault(aid, (words, {}))[1][lexeme] = list(zip(positions, weights))
    if expr.near:  # the tsquery was an AND of each NEAR group's phrases: check the distances
        docs = {aid: d for aid, d in docs.items() if matches(expr.tree, d[1])}
    return docs


def match_ids(c, expr: Expr, among: np.ndarray | None = None) -> np.ndarray:
    """Ids of the matching articles (of those ``among`` when given), ascending."""
    if expr.near:
        return np.array(sorted(documents(c, expr, among)), dtype=np.int64)
    if among is not None:
        rows = c.execute("SELECT article_id FROM article_fts WHERE doc @@ CAST(? AS tsquery)"
                         " AND article_id = ANY(?) ORDER BY article_id", (expr.tsquery, [int(i) for i in among])).fetchall()
        return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    rows = c.execute("SELECT article_id FROM article_fts WHERE doc @@ CAST(? AS tsquery) ORDER BY article_id",
                     (expr.tsquery,)).fetchall()
    return np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))


class Stats:
    """The archive-wide figures bm25 needs, for one state of the archive: articles, words, and
    articles per phrase (counted once, then reused by every search until the next write)."""

    def __init__(self, c):
        self.n_rows, self.n_tokens = c.execute("SELECT count(*), COALESCE(sum(words), 0) FROM article_fts").fetchone()
        self.idf: dict = {}

    def idf_of(self, c, phrase) -> float:
        if phrase not in self.idf:
            if len(self.idf) > 10_000:
                self.idf.clear()
            self.idf[phrase] = _idf(c, phrase, self.n_rows)
        return self.idf[phrase]


def scored(c, expr: Expr, stats: Stats | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(ids, FTS5's bm25 score: negative, lower is better) of every match, by id."""
    docs = documents(c, expr)
    stats = stats or Stats(c)
    n_rows, n_tokens = stats.n_rows, stats.n_tokens
    if not docs or not n_rows:
        return np.empty(0, dtype=np.int64), np.empty(0)
    avgdl = n_tokens / n_rows if n_tokens else 1.0
    idf = [stats.idf_of(c, p) for p in expr.phrases]
    ids = np.array(sorted(docs), dtype=np.int64)
    scores = np.empty(len(ids))
    for i, aid in enumerate(ids.tolist()):
        words, doc = docs[aid]
        score = 0.0
        for p, w in zip(expr.phrases, idf):
            freq = 0.0
            for _, weight in instances(p, doc):
                freq += WEIGHTS[weight]
            score += w * ((freq * (K1 + 1.0)) / (freq + K1 * (1 - B + B * words / avgdl)))
        scores[i] = -1.0 * score
    return ids, scores


def _idf(c, phrase, n_rows: int) -> float:
    """FTS5's: log((N - n + 0.5) / (n + 0.5)), n = articles holding the phrase; 1e-6 when <= 0."""
    query = phrase_tsquery(phrase)
    hits = c.execute("SELECT count(*) FROM article_fts WHERE doc @@ CAST(? AS tsquery)", (query,)).fetchone()[0] if query else 0
    idf = math.log((n_rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6
