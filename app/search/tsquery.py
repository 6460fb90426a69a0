"""FTS5 MATCH expressions (as app/search/fts5.py writes them) -> PostgreSQL tsquery, plus the
phrase list bm25 needs. The only code that writes tsquery syntax.

The search engine compiles a query tree once, to the FTS5 grammar; the PostgreSQL backend reads
that expression back (a small, closed grammar: quoted phrases, ``"x"*`` prefixes, AND, OR, NOT,
``{column} :`` filters, ``NEAR(...)``) so both backends search exactly the same words, variants
and aliases. Columns become tsvector weights (title A, lead B, body C: app/storage/pg_fts.py).
tsquery has no NEAR: it becomes an AND of its phrases, and ``Expr.near`` tells the caller to
check the distance on the positions (``near_ok``). https://www.postgresql.org/docs/15/datatype-textsearch.html
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

WEIGHT = {"title": "A", "lead": "B", "body": "C"}
_TOKEN = re.compile(r'\s*(?:"((?:[^"]|"")*)"(\*)?|(\{)\s*(\w+)\s*\}\s*:|(\()|(\))|(,)\s*(\d+)|(AND|OR|NOT|NEAR)\b|(\S))')
# FTS5's 'ascii' tokenizer: ASCII letters and digits, and every non-ASCII character, make words.
_WORDS = re.compile(r"[A-Za-z0-9\u0080-\U0010ffff]+")


class Unparsable(ValueError):
    """Not an expression of the grammar app/search/fts5.py writes."""


@dataclass(frozen=True)
class Phrase:
    tokens: tuple[str, ...]
    prefix: bool = False
    column: str | None = None  # title, lead or body; None: any


@dataclass
class Node:
    op: str  # phrase, and, or, not (children[0] minus children[1]), near
    children: list = field(default_factory=list)
    phrase: Phrase | None = None
    distance: int = 10


@dataclass
class Expr:
    tsquery: str
    phrases: list[Phrase]  # in the order FTS5 numbers them (left to right), for bm25
    tree: Node
    near: bool  # the tsquery is wider than the expression: check NEAR groups on positions


def _lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class _Parser:
    def __init__(self, text: str):
        self.items = [m for m in _TOKEN.finditer(text) if m.group(0).strip()]
        self.i = 0
        self.phrases: list[Phrase] = []

    def peek(self, kind: int):
        return self.i < len(self.items) and self.items[self.i].group(kind)

    def expect(self, kind: int) -> None:
        if not self.peek(kind):
            raise Unparsable("unexpected end or token")
        self.i += 1

    def or_(self, column):
        node = self.and_(column)
        while self.peek(9) == "OR":
            self.i += 1
            node = Node("or", [node, self.and_(column)])
        return node

    def and_(self, column):
        node = self.not_(column)
        while self.peek(9) == "AND":
            self.i += 1
            node = Node("and", [node, self.not_(column)])
        return node

    def not_(self, column):
        node = self.primary(column)
        while self.peek(9) == "NOT":
            self.i += 1
            node = Node("not", [node, self.primary(column)])
        return node

    def primary(self, column):
        if self.i >= len(self.items):
            raise Unparsable("unexpected end")
        m = self.items[self.i]
        if m.group(3):  # {column} : ...
            name = m.group(4)
            if name not in WEIGHT:
                raise Unparsable(f"unknown column {name}")
            self.i += 1
            return self.primary(name)
        if m.group(5):
            self.i += 1
            node = self.or_(column)
            self.expect(6)
            return node
        if m.group(9) == "NEAR":
            self.i += 1
            self.expect(5)
            node = Node("near")
            while self.i < len(self.items) and self.items[self.i].group(1) is not None:
                node.children.append(self.phrase(column))
            if self.peek(7):
                node.distance = int(self.items[self.i].group(8))
                self.i += 1
            self.expect(6)
            if not node.children:
                raise Unparsable("empty NEAR")
            return node
        if m.group(1) is not None:
            return self.phrase(column)
        raise Unparsable(f"unexpected {m.group(0).strip()!r}")

    def phrase(self, column) -> Node:
        m = self.items[self.i]
        if m.group(1) is None:
            raise Unparsable("a phrase was expected")
        self.i += 1
        tokens = tuple(t.lower() for t in _WORDS.findall(m.group(1).replace('""', '"')))
        p = Phrase(tokens, bool(m.group(2)), column)
        self.phrases.append(p)
        return Node("phrase", phrase=p)


def _ts(node: Node) -> str:
    if node.op == "phrase":
        p = node.phrase
        if not p.tokens:
            return ""
        w = WEIGHT[p.column] if p.column else ""
        parts = [_lexeme(t) + (":" + w if w else "") for t in p.tokens]
        if p.prefix:
            parts[-1] = _lexeme(p.tokens[-1]) + ":*" + w
        return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"
    parts = [s for s in (_ts(c) for c in node.children) if s]
    if node.op == "not":
        left = _ts(node.children[0])
        right = _ts(node.children[1])
        return f"({left} & !{right})" if right else left
    if not parts:
        return ""
    return "(" + (" | " if node.op == "or" else " & ").join(parts) + ")"


def phrase_tsquery(phrase: Phrase) -> str:
    """The tsquery of one phrase alone (bm25 counts the articles holding each phrase)."""
    return _ts(Node("phrase", phrase=phrase))


def _has_near(node: Node) -> bool:
    return node.op == "near" or any(_has_near(c) for c in node.children)


def to_tsquery(match: str) -> Expr:
    """Translate one FTS5 expression; raises Unparsable outside our grammar."""
    p = _Parser(match)
    tree = p.or_(None)
    if p.i != len(p.items):
        raise Unparsable("trailing tokens")
    return Expr(_ts(tree), p.phrases, tree, _has_near(tree))


# -- evaluating on positions (bm25 frequencies, NEAR) ------------------------------------------
def instances(phrase: Phrase, doc: dict[str, list[tuple[int, str]]]) -> list[tuple[int, str]]:
    """(start position, weight) of every occurrence of ``phrase`` in a document given as
    {lexeme: [(position, weight)]}: consecutive positions of one weight (one column)."""
    if not phrase.tokens:
        return []
    want = WEIGHT[phrase.column] if phrase.column else None
    if phrase.prefix and len(phrase.tokens) == 1:
        head = phrase.tokens[0]
        found = [pw for lex, pws in doc.items() if lex.startswith(head) for pw in pws]
    else:
        first = doc.get(phrase.tokens[0], [])
        if len(phrase.tokens) == 1:
            found = list(first)
        else:
            sets = []
            for k, tok in enumerate(phrase.tokens[1:], 1):
                if phrase.prefix and k == len(phrase.tokens) - 1:
                    sets.append({pw for lex, pws in doc.items() if lex.startswith(tok) for pw in pws})
                else:
                    sets.append(set(doc.get(tok, [])))
            found = [(pos, w) for pos, w in first if all((pos + k, w) in s for k, s in enumerate(sets, 1))]
    return [pw for pw in found if want is None or pw[1] == want]


def matches(node: Node, doc: dict[str, list[tuple[int, str]]]) -> bool:
    """Does the document match the expression (NEAR included)?"""
    if node.op == "phrase":
        return bool(instances(node.phrase, doc))
    if node.op == "and":
        return all(matches(c, doc) for c in node.children)
    if node.op == "or":
        return any(matches(c, doc) for c in node.children)
    if node.op == "not":
        return matches(node.children[0], doc) and not matches(node.children[1], doc)
    return near_ok(node, doc)


def near_ok(node: Node, doc) -> bool:
    """FTS5's NEAR: some instance of each phrase starts within ``nTerm + distance`` tokens before
    the latest start of the group (fts5ExprNearIsMatch)."""
    starts = [sorted(p for p, _ in instances(c.phrase, doc)) for c in node.children]
    if not all(starts):
        return False
    for top in {p for s in starts for p in s}:
        if all(any(top - len(c.phrase.tokens) - node.distance <= p <= top for p in s)
               for c, s in zip(node.children, starts)):
            return True
    return False
