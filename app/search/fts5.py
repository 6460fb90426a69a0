"""Query tree -> FTS5 MATCH expressions. The only code that writes FTS5 query syntax.

User text never reaches FTS5 raw: every word is folded, stemmed and double-quoted, so a
query can never be an FTS5 syntax error. Syntax: https://sqlite.org/fts5.html#full_text_query_syntax
"""
from __future__ import annotations

from dataclasses import dataclass, field

from app.search.query import And, Node, Not, Or, Phrase, Prefix, Term
from app.search.aliases import expand_group_aliases
from app.search.text import QUERY_LANGUAGES, fold, query_words, stem_words, variants

MAX_PREFIX_VARIANTS = 4


@dataclass
class CompiledQuery:
    match: str | None = None  # rows that must match (None: every article)
    exclude: str | None = None  # rows to remove, when the query is only negations
    stems: set[str] = field(default_factory=set)  # for highlighting
    prefixes: tuple[str, ...] = ()
    # Phrases (a typed "phrase", a group's other name "Islamic State"): highlighted only where
    # the whole sequence stands, as FTS5 matched it; their words alone are not marked ("isis"
    # used to mark "State" in "US State Department").
    phrases: set[tuple[str, ...]] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    expansions: dict[str, list[str]] = field(default_factory=dict)  # "Daech" -> other names searched


def _q(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _column(expr: str, column: str | None) -> str:
    return f"{{{column}}} : ({expr})" if column else expr


class _Compiler:
    def __init__(self) -> None:
        self.stems: set[str] = set()
        self.prefixes: set[str] = set()
        self.phrases: set[tuple[str, ...]] = set()
        self.warnings: list[str] = []
        self.expansions: dict[str, list[str]] = {}

    def node(self, node: Node) -> str | None:
        if isinstance(node, Term):
            return self.term(node)
        if isinstance(node, Phrase):
            words = [w for part in node.words for w in query_words(part, keep_elisions=True)]
            return self.words(words, node.field)
        if isinstance(node, Prefix):
            return self.prefix(node)
        if isinstance(node, Or):
            return self.or_(node)
        if isinstance(node, And):
            return self.and_(node.children)
        if isinstance(node, Not):
            return self.and_((node,))
        return None

    def words(self, words: list[str], column: str | None) -> str | None:
        if not words:
            return None
        if len(words) == 1:
            alts = variants(words[0])
            self.stems.update(alts)
            expr = " OR ".join(_q(a) for a in alts)
            return _column(f"({expr})" if len(alts) > 1 else expr, column)
        # A phrase: the article's words were stemmed in its own language, so try the
        # phrase stemmed in each query language (and unstemmed) as alternatives.
        phrases = {tuple(words)}
        for lang in QUERY_LANGUAGES:
            phrases.add(tuple(stem_words(list(words), lang)))
        self.phrases.update(phrases)
        expr = " OR ".join(_q(" ".join(p)) for p in sorted(phrases))
        return _column(f"({expr})" if len(phrases) > 1 else expr, column)

    def term(self, node: Term) -> str | None:
        """A word; a group's name also finds its other names (Daech -> ISIS, État islamique)."""
        expr = self.words(query_words(node.text), node.field)
        aliases = [a for a in expand_group_aliases(node.text) if fold(a) != fold(node.text)]
        if not expr or not aliases:
            return expr
        alts = [expr] + [e for a in aliases if (e := self.words(query_words(a, keep_elisions=True), node.field))]
        self.expansions[node.text] = aliases
        return " OR ".join(f"({a})" for a in alts)

    def prefix(self, node: Prefix) -> str | None:
        words = query_words(node.text)
        if not words:
            return None
        head, last = words[:-1], words[-1]
        # Stems can be shorter than the typed prefix ("terroris" -> "terror"), so the stems of
        # the prefix are prefixes too; the folded prefix itself catches unstemmed words.
        alts = sorted({last, *(s for s in variants(last) if len(s) >= 2)}, key=len)[:MAX_PREFIX_VARIANTS]
        self.prefixes.update(alts)
        expr = " OR ".join(f"{_q(a)}*" for a in alts)
        if head:
            before = self.words(head, None)
            expr = f"{before} AND ({expr})"
        return _column(f"({expr})", node.field)

    def or_(self, node: Or) -> str | None:
        parts = []
        for child in node.children:
            if isinstance(child, Not):
                self.warnings.append("an excluded term inside OR cannot be searched; it was left out")
                continue
            expr = self.node(child)
            if expr:
                parts.append(f"({expr})")
        if not parts:
            return None
        return " OR ".join(parts)

    def and_(self, children) -> str | None:
        pos, neg = self.split(children)
        if not pos:
            if neg:
                self.warnings.append("excluded terms need something to search within; only the exclusions were kept at the top level")
            return None
        expr = " AND ".join(f"({p})" for p in pos)
        for n in neg:
            expr = f"({expr}) NOT ({n})"
        return expr

    def split(self, children) -> tuple[list[str], list[str]]:
        pos, neg = [], []
        for child in children:
            if isinstance(child, Not):
                before = set(self.stems), set(self.prefixes), set(self.phrases)
                expr = self.node(child.child)
                self.stems, self.prefixes, self.phrases = before  # excluded words are not highlighted
                if expr:
                    neg.append(expr)
            else:
                expr = self.node(child)
                if expr:
                    pos.append(expr)
        return pos, neg


def compile_query(tree: Node | None) -> CompiledQuery:
    """Compile the parsed tree; a top level made only of exclusions becomes ``exclude``."""
    if tree is None:
        return CompiledQuery()
    c = _Compiler()
    children = tree.children if isinstance(tree, And) else (tree,)
    pos, neg = c.split(children)
    out = CompiledQuery(stems=c.stems, prefixes=tuple(sorted(c.prefixes)), warnings=c.warnings,
                        expansions=c.expansions, phrases=c.phrases)
    if pos:
        expr = " AND ".join(f"({p})" for p in pos) if len(pos) > 1 else pos[0]
        for n in neg:
            expr = f"({expr}) NOT ({n})"
        out.match = expr
    elif neg:
        out.exclude = " OR ".join(f"({n})" for n in neg)
    return out
