"""Match sets and bm25 scores of a compiled FTS5 expression, computed over numpy arrays.

The expression is the one app/search/fts5.py wrote (quoted phrases, ``*`` prefixes, AND, OR, NOT,
parentheses, ``{column} :`` filters); this module reads it back into a small tree and evaluates
it over the DocIndex rows:

* the match set is the boolean combination of each phrase's rows, as dense masks;
* the score is FTS5's bm25 (app/search/postings.py): a sum over the expression's phrases of each
  phrase's contribution, which is zero in the rows that do not hold the phrase. So each phrase is
  scored on its own: a frequent word from its postings, a prefix from the postings of the words
  it expands to, and anything else (a phrase of several words, a column filter, a rare word) by
  FTS5 itself on that phrase alone, which costs in proportion to that phrase's own matches.

An expression this module does not read (NEAR groups) raises Unsupported: the caller asks FTS5.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from app.search.postings import Postings

_TOKEN = re.compile(r'\s*(?:(?P<phrase>"(?:[^"]|"")*")(?P<star>\*)?|(?P<col>\{\w+\})\s*:|(?P<op>AND|OR|NOT)\b|(?P<paren>[()]))')


class Unsupported(ValueError):
    """An expression outside the subset app/search/fts5.py writes for word queries."""


@dataclass(frozen=True)
class Leaf:
    text: str  # the phrase's tokens, space-separated, unquoted
    prefix: bool = False
    column: str | None = None

    def fts5(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")
        return f"{{{self.column}}} : {quoted}" if self.column else quoted


@dataclass(frozen=True)
class Op:
    kind: str  # "AND", "OR", "NOT" (left NOT right)
    left: object
    right: object


def parse(expr: str) -> Leaf | Op:
    tokens = _tokens(expr)
    node, at = _or(tokens, 0, None)
    if at != len(tokens):
        raise Unsupported(f"unexpected {tokens[at]!r}")
    return node


def _tokens(expr: str) -> list[tuple[str, str]]:
    out, at = [], 0
    while at < len(expr):
        if expr[at:].strip() == "":
            break
        m = _TOKEN.match(expr, at)
        if not m:
            raise Unsupported(f"cannot read {expr[at:at + 20]!r}")
        if m.group("phrase"):
            out.append(("phrase", m.group("phrase")[1:-1].replace('""', '"') + ("*" if m.group("star") else "")))
        elif m.group("col"):
            out.append(("col", m.group("col")[1:-1]))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        else:
            out.append(("paren", m.group("paren")))
        at = m.end()
    return out


# Precedence, loosest first: OR, AND, NOT (https://sqlite.org/fts5.html#fts5_boolean_operators).
_LEVELS = ("OR", "AND", "NOT")


def _or(t, at, col, level: int = 0):
    """The operators of ``_LEVELS[level]`` and tighter, left-associative."""
    if level == len(_LEVELS):
        return _primary(t, at, col)
    left, at = _or(t, at, col, level + 1)
    while at < len(t) and t[at] == ("op", _LEVELS[level]):
        right, at = _or(t, at + 1, col, level + 1)
        left = Op(_LEVELS[level], left, right)
    return left, at


def _primary(t, at, col):
    if at >= len(t):
        raise Unsupported("expression ends early")
    kind, value = t[at]
    if kind == "col":
        if col is not None:
            raise Unsupported("nested column filters")
        return _primary(t, at + 1, value)
    if kind == "paren" and value == "(":
        node, at = _or(t, at + 1, col)
        if at >= len(t) or t[at] != ("paren", ")"):
            raise Unsupported("missing )")
        return node, at + 1
    if kind == "phrase":
        prefix = value.endswith("*")
        return Leaf(value[:-1] if prefix else value, prefix, col), at + 1
    raise Unsupported(f"unexpected {value!r}")


def leaves(node) -> list[Leaf]:
    """The expression's phrases in the order FTS5 numbers them (left to right)."""
    if isinstance(node, Leaf):
        return [node]
    return leaves(node.left) + leaves(node.right)


# (rows, negated bm25 contributions) of one phrase scored by FTS5 on its own
LeafScorer = Callable[[Leaf], tuple[np.ndarray, np.ndarray]]
# every indexed word starting with a prefix
Expander = Callable[[str], list[str]]
# (rows, weighted frequencies summed over the words) of some rare words, given as runs: each run
# is words that follow one another in the index's sorted word list (no other word between them)
RarePostings = Callable[[list[list[str]]], tuple[np.ndarray, np.ndarray]]


CACHE_BYTES = 24 << 20  # per Evaluator (one per serving thread): the phrases of the last searches


class Evaluator:
    def __init__(self, postings: Postings, fts5_leaf: LeafScorer, expand: Expander, rare: RarePostings):
        self.p, self.fts5_leaf, self.expand, self.rare = postings, fts5_leaf, expand, rare
        # A search evaluates its expression more than once (the match set for the total and
        # facets, then the ranked page, and the words again for the articles that hold only
        # some of them): each phrase's rows and contributions are kept for the next lookups,
        # the newest last, within CACHE_BYTES, until the search ends (``forget``).
        self._cache: dict[Leaf, tuple[np.ndarray, np.ndarray]] = {}

    def forget(self) -> None:
        self._cache.clear()

    def leaf(self, leaf: Leaf) -> tuple[np.ndarray, np.ndarray]:
        """(rows, negated bm25 contributions) of one phrase, from the cache when it is there."""
        found = self._cache.pop(leaf, None)
        if found is None:
            found = self._leaf(leaf)
        self._cache[leaf] = found
        size = 0
        for key in reversed(list(self._cache)):
            size += self._cache[key][0].nbytes + self._cache[key][1].nbytes
            if size > CACHE_BYTES and key != leaf:
                del self._cache[key]
        return found

    def _leaf(self, leaf: Leaf) -> tuple[np.ndarray, np.ndarray]:
        if leaf.column is None and " " not in leaf.text:
            if not leaf.prefix:
                found = self.p.get(leaf.text)
                if found is not None:
                    return found[0], self.p.contributions(*found)
            else:
                return self._prefix(leaf.text)
        elif leaf.column is None and not leaf.prefix and self.p.pairs is not None and leaf.text.count(" ") == 1:
            found = self.p.pairs.get(*leaf.text.split(" "))
            if found is not None:  # a phrase of two frequent words: its own postings
                return found[0], self.p.contributions(*found)
        return self.fts5_leaf(leaf)

    def _prefix(self, prefix: str) -> tuple[np.ndarray, np.ndarray]:
        """A prefix is one phrase: its frequency is the sum over the words it expands to, and
        its document frequency the articles holding any of them."""
        parts, runs, run = [], [], []
        for word in self.expand(prefix):  # every indexed word of the prefix, in the index's order
            found = self.p.get(word)
            if found is not None:
                parts.append(found)
                if run:
                    runs.append(run)
                    run = []
            else:
                run.append(word)
        if run:
            runs.append(run)
        if runs:  # one read for all of them: their frequencies summed per article
            parts.append(self.rare(runs))
        if not parts:
            return np.empty(0, dtype=np.int64), np.empty(0)
        total = np.bincount(np.concatenate([r for r, _ in parts]), minlength=self.p.n_rows,
                            weights=np.concatenate([f for _, f in parts]).astype(np.float64))
        rows = np.flatnonzero(total)
        return rows, self.p.contributions(rows, total[rows])

    def from_postings(self, leaf: Leaf) -> bool:
        if leaf.column is not None:
            return False
        if " " not in leaf.text:
            return leaf.prefix or leaf.text in self.p.terms
        words = leaf.text.split(" ")
        return (not leaf.prefix and len(words) == 2 and self.p.pairs is not None
                and all(w in self.p.pairs.words for w in words))

    def run(self, expr: str, scores: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
        """(matching rows ascending, their negated bm25 scores or None). Raises Unsupported, also
        when no phrase has postings: FTS5 then does the whole expression faster on its own."""
        tree = parse(expr)
        if not any(self.from_postings(leaf) for leaf in leaves(tree)):
            raise Unsupported("no phrase of this expression has postings")
        found = {}
        total = np.zeros(self.p.n_rows) if scores else None
        for leaf in leaves(tree):
            rows, contrib = found[leaf] = found.get(leaf) or self.leaf(leaf)
            if scores:
                total[rows] += contrib  # rows are unique within a phrase
        mask = self._mask(tree, found)
        rows = np.flatnonzero(mask)
        return rows, (total[rows] if scores else None)

    def _mask(self, node, found) -> np.ndarray:
        if isinstance(node, Leaf):
            mask = np.zeros(self.p.n_rows, dtype=bool)
            mask[found[node][0]] = True
            return mask
        left, right = self._mask(node.left, found), self._mask(node.right, found)
        if node.kind == "AND":
            return left & right
        if node.kind == "OR":
            return left | right
        return left & ~right
