"""User query text -> a small tree. Pure: knows nothing of SQL, never raises on user input.

Tokenizer -> parser -> frozen dataclass tree (after linkding's query parser). The grammar:

- words separated by whitespace must all match: ``a b`` -> ``And(a, b)``; one part stays bare.
- ``"phrases"`` with straight or curly quotes (“ ” « » ‘ ’ „). An unbalanced quote reads the rest of
  the query as the phrase, with a warning.
- ``a OR b``: uppercase only, binds tighter than the implicit AND (``a b OR c`` = a AND (b OR c)).
  A dangling OR (leading, trailing, doubled) is dropped with a warning; lowercase "or" is a word.
- ``-word``, ``-"phrase"``, ``-(group)``, ``NOT word``: negation. ``NOT``/``AND`` with nothing to
  join are searched as words; ``a AND b`` is the implicit AND. ``NEAR`` is always a word.
- ``prefix*``: Prefix; a lone ``*`` or a one-letter prefix is dropped with a warning.
- ``( )`` group; an extra ")" is ignored, a missing one closed at the end, with a warning.
- ``title:word`` / ``title:"phrase"`` / ``title:pre*`` / ``title:(a b)``: field="title".
- Filters go to ``ParsedQuery.filters``: ``country: agency: group: source: lang: tag: from: to:``.
  Values are lowercased except ``source`` (``source:"Morocco World News"``); dates accept
  YYYY, YYYY-MM or YYYY-MM-DD and are completed (``from:2020`` -> 2020-01-01, ``to:2020`` ->
  2020-12-31). Other ``xyz:`` prefixes (``https://``, ``12:30``) are plain text.

Text inside a word: a word keeps only letters, digits and marks, plus apostrophes between letters
(``l'ONU``, ``d’attentats``). Any other character inside a word (``-``, ``:``, ``.``, ``/``, ``^``)
separates parts, and a word of several parts becomes a Phrase of its parts, so ``DGSN-DGST`` ->
``Phrase(("DGSN", "DGST"))``: this is how FTS5's unicode61 tokenizer would split the text anyway,
and a phrase keeps the parts adjacent, which plain AND would not. A prefix of several parts
(``anti-ter*``) is a Prefix whose text holds the parts joined by spaces: the backend quotes it as a
phrase whose last token is a prefix (``"anti ter"*``). Tree text therefore never carries FTS5
syntax (``" * ^ : + { } ( ) -``). Case and accents are kept: the backend folds them.

Limits keep the work linear and bounded: at most 64 terms, and parentheses nested at most 16 deep.
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Callable, Union


@dataclass(frozen=True)
class Term:
    text: str  # as typed (not folded, not stemmed): the backend normalises
    field: str | None = None  # None = all text; "title" for title:word


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None


@dataclass(frozen=True)
class Prefix:
    text: str  # without the trailing *
    field: str | None = None


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


Node = Union[Term, Phrase, Prefix, Not, And, Or]


@dataclass
class ParsedQuery:
    tree: Node | None  # None: no text to search (empty query, or only filters)
    # In-query filters such as country:ma agency:bcij source:"Morocco World News" lang:fr
    filters: dict[str, list[str]] = field(default_factory=dict)
    # Human sentences about text that could not be used, e.g. 'unbalanced quote: treated as a phrase'.
    warnings: list[str] = field(default_factory=list)
    # (name, value, start, end) of each filter in the query text, so that a page can offer the
    # query without it (the chip that removes "country:ma" removes it from the text too).
    filter_spans: list[tuple[str, str, int, int]] = field(default_factory=list)


MAX_TERMS = 64
MAX_DEPTH = 16
MAX_CHARS = 10_000  # far above any typed query; bounds the work on pasted text
FILTERS = ("country", "agency", "group", "source", "lang", "tag", "from", "to")
FIELDS = ("title",)

# Opening quote -> the characters that close it. Curly quotes are paired loosely because
# keyboards and languages mix them („…“ in German, ”…” in Swedish, »…« in Danish).
_CLOSERS = {
    '"': '"”“', "“": '”"“', "”": '”"', "„": '“”"', "«": '»"', "»": '«"', "‘": "’",
}
_APOSTROPHES = "'’ʼ"
_PREFIX_RE = re.compile(r"([A-Za-z]+):(?=[^\s)])")
_DATE_RE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")

W_UNBALANCED_QUOTE = 'unbalanced quote: read "{}" as a phrase'
W_EMPTY_QUOTE = "unbalanced quote: ignored"
W_DANGLING_OR = "dangling OR ignored"
W_LONE_STAR = 'lone "*" ignored'
W_SHORT_PREFIX = 'prefix "{}*" too short (2 letters at least): ignored'
W_EXTRA_PAREN = 'unmatched ")" ignored'
W_MISSING_PAREN = 'missing ")": closed at the end'
W_TOO_DEEP = "parentheses nested too deep: the inner ones ignored"
W_TOO_MANY = f"too many terms: only the first {MAX_TERMS} searched"
W_NEGATED_FILTER = 'cannot exclude a filter: "-{}:{}" ignored'
W_BAD_DATE = '{}: "{}" is not a date (YYYY-MM-DD): ignored'
W_TOO_LONG = f"query too long: only the first {MAX_CHARS:,} characters read"


def _is_word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM"


def _parts(raw: str) -> list[str]:
    """Split a token on everything but letters, digits, marks and inner apostrophes."""
    parts: list[str] = []
    start = None
    for i, ch in enumerate(raw):
        inner_apostrophe = (
            ch in _APOSTROPHES and start is not None
            and i + 1 < len(raw) and _is_word_char(raw[i + 1])
        )
        if _is_word_char(ch) or inner_apostrophe:
            if start is None:
                start = i
        elif start is not None:
            parts.append(raw[start:i])
            start = None
    if start is not None:
        parts.append(raw[start:])
    return parts


def _strip_edges(raw: str) -> str:
    chars = [i for i, ch in enumerate(raw) if _is_word_char(ch)]
    return raw[chars[0]: chars[-1] + 1] if chars else ""


def _negate(node: Node) -> Node:
    return node.child if isinstance(node, Not) else Not(node)


def _with_field(node: Node, name: str) -> Node:
    if isinstance(node, (Term, Phrase, Prefix)):
        return replace(node, field=name)
    if isinstance(node, Not):
        return Not(_with_field(node.child, name))
    return type(node)(tuple(_with_field(c, name) for c in node.children))


def _join(kind: type, items: list[Node]) -> Node | None:
    """And/Or of the items, flattening nested nodes of the same kind; one item stays bare."""
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, kind) else (item,))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def complete_date(name: str, value: str) -> str | None:
    """'2020' / '2020-03' / '2020-03-15' -> 'YYYY-MM-DD': the first day for ``from``, the last for ``to``."""
    m = _DATE_RE.fullmatch(value)
    if not m:
        return None
    year, month, day = int(m[1]), int(m[2] or 0), int(m[3] or 0)
    try:
        if not month:
            month, day = (1, 1) if name == "from" else (12, 31)
        elif not day:
            day = 1 if name == "from" else calendar.monthrange(year, month)[1]
        return date(year, month, day).isoformat()
    except ValueError:
        return None


@dataclass
class _Token:
    kind: str  # LEAF LP RP OR AND NOT NEG FIELD
    node: Node | None = None  # LEAF: the node; AND/NOT: the word, when read as a word
    value: str = ""  # FIELD: the field name


class _Tokenizer:
    def __init__(self, text: str, result: ParsedQuery):
        self.text, self.n, self.pos = text, len(text), 0
        self.result = result
        self.tokens: list[_Token] = []
        self.pending: list[_Token] = []  # NEG / FIELD waiting for the operand they touch
        self.leaves = 0
        self.depth = 0
        self.skipped_parens = 0
        self.full = False

    def warn(self, message: str) -> None:
        if message not in self.result.warnings:
            self.result.warnings.append(message)

    def emit(self, token: _Token) -> None:
        if token.kind == "LEAF":
            if self.leaves >= MAX_TERMS:
                self.warn(W_TOO_MANY)
                self.full = True
                return
            self.leaves += 1
        self.tokens.extend(self.pending)
        self.pending.clear()
        self.tokens.append(token)

    def run(self) -> list[_Token]:
        while self.pos < self.n and not self.full:
            ch = self.text[self.pos]
            if ch.isspace():
                self.pending.clear()
                self.pos += 1
            elif ch == "(":
                self.open_paren()
            elif ch == ")":
                self.close_paren()
            elif ch == "-":
                self.dash()
            elif ch in _CLOSERS:
                self.phrase()
            else:
                self.word()
        return self.tokens

    def open_paren(self) -> None:
        self.pos += 1
        if self.depth >= MAX_DEPTH:
            self.warn(W_TOO_DEEP)
            self.skipped_parens += 1
            self.pending.clear()
            return
        self.depth += 1
        self.emit(_Token("LP"))

    def close_paren(self) -> None:
        self.pos += 1
        self.pending.clear()
        if self.skipped_parens:
            self.skipped_parens -= 1
            return
        self.depth = max(0, self.depth - 1)
        self.emit(_Token("RP"))

    def dash(self) -> None:
        end = self.pos
        while end < self.n and self.text[end] == "-":
            end += 1
        self.pos = end
        if end < self.n and not self.text[end].isspace():
            self.pending.append(_Token("NEG"))  # a lone "-" is punctuation

    def quoted(self) -> tuple[str, bool]:
        """Read a quoted string at pos: (its content, whether it was closed)."""
        closers = _CLOSERS[self.text[self.pos]]
        start = end = self.pos + 1
        while end < self.n:
            ch = self.text[end]
            # ’ closes ‘ only at a word end: ‘l’ONU’ keeps its apostrophe
            if ch in closers and not (
                ch == "’" and end + 1 < self.n and _is_word_char(self.text[end + 1])
            ):
                self.pos = end + 1
                return self.text[start:end], True
            end += 1
        self.pos = self.n
        return self.text[start:], False

    def phrase(self) -> None:
        content, closed = self.quoted()
        words = [p for w in content.split() for p in _parts(w)]
        if len(words) > MAX_TERMS:
            self.warn(W_TOO_MANY)
            words = words[:MAX_TERMS]
        if not closed:
            self.warn(W_UNBALANCED_QUOTE.format(" ".join(words)) if words else W_EMPTY_QUOTE)
        if words:
            self.emit(_Token("LEAF", Phrase(tuple(words))))
        else:
            self.pending.clear()

    def word(self) -> None:
        m = _PREFIX_RE.match(self.text, self.pos)
        name = m[1].lower() if m else ""
        if name in FIELDS:
            self.pos = m.end()
            self.pending.append(_Token("FIELD", value=name))
            return
        if name in FILTERS:
            self.pos = m.end()
            self.filter(name, m.start())
            return
        raw = self.raw()
        if raw in ("OR", "AND", "NOT") and not self.pending:
            self.emit(_Token(raw, Term(raw)))
            return
        node = self.leaf(raw)
        if node is None:
            self.pending.clear()
        else:
            self.emit(_Token("LEAF", node))

    def raw(self) -> str:
        """Read up to the next space or parenthesis."""
        start = self.pos
        while self.pos < self.n and self.text[self.pos] not in "()" \
                and not self.text[self.pos].isspace():
            self.pos += 1
        return self.text[start:self.pos]

    def leaf(self, raw: str) -> Node | None:
        body = raw
        while body and body[-1] != "*" and not _is_word_char(body[-1]):
            body = body[:-1]
        if not body.endswith("*"):
            parts = _parts(raw)
            if len(parts) > MAX_TERMS:
                self.warn(W_TOO_MANY)
                parts = parts[:MAX_TERMS]
            if not parts:
                return None  # punctuation only: dropped silently
            return Term(parts[0]) if len(parts) == 1 else Phrase(tuple(parts))
        parts = _parts(body.rstrip("*"))
        if not parts:
            self.warn(W_LONE_STAR)
            return None
        if len(parts[-1]) < 2:
            self.warn(W_SHORT_PREFIX.format(" ".join(parts)))
            return None
        return Prefix(" ".join(parts))

    def filter(self, name: str, start: int) -> None:
        if self.text[self.pos] in _CLOSERS:
            content, closed = self.quoted()
            value = " ".join(content.split())
            if not closed:
                self.warn(f'unbalanced quote: read "{value}" as the {name}')
        else:
            value = _strip_edges(self.raw())
        value = value if name == "source" else value.lower()
        negated = any(t.kind == "NEG" for t in self.pending)
        self.pending.clear()
        if not value:
            return
        if negated:
            self.warn(W_NEGATED_FILTER.format(name, value))
            return
        if name in ("from", "to"):
            completed = complete_date(name, value)
            if completed is None:
                self.warn(W_BAD_DATE.format(name, value))
                return
            value = completed
        self.result.filter_spans.append((name, value, start, self.pos))
        values = self.result.filters.setdefault(name, [])
        if value not in values:
            values.append(value)


_OPERAND_STARTS = ("LEAF", "LP", "NEG", "NOT", "FIELD")


class _Parser:
    """Recursive descent: seq := or_expr (AND? or_expr)* ; or_expr := unary (OR unary)* ;
    unary := (NEG | NOT | FIELD)* primary ; primary := LEAF | "(" seq ")"."""

    def __init__(self, tokens: list[_Token], warn: Callable[[str], None]):
        self.tokens, self.i, self.warn = tokens, 0, warn

    def peek(self, ahead: int = 0) -> str:
        j = self.i + ahead
        return self.tokens[j].kind if j < len(self.tokens) else "END"

    def seq(self, depth: int) -> Node | None:
        items: list[Node] = []
        while self.peek() != "END":
            kind = self.peek()
            if kind == "RP" and depth:
                break
            self.i += 1
            if kind == "RP":
                self.warn(W_EXTRA_PAREN)
            elif kind == "OR":
                self.warn(W_DANGLING_OR)
            elif kind == "AND" and not (items and self.peek() in _OPERAND_STARTS):
                items.append(self.tokens[self.i - 1].node)  # "AND" with nothing to join: a word
            elif kind != "AND":
                self.i -= 1
                node = self.or_expr()
                if node is not None:
                    items.append(node)
        return _join(And, items)

    def or_expr(self) -> Node | None:
        first = self.unary()
        items = [first] if first is not None else []
        while self.peek() == "OR":
            self.i += 1
            while self.peek() == "OR":
                self.warn(W_DANGLING_OR)
                self.i += 1
            if self.peek() not in _OPERAND_STARTS:
                self.warn(W_DANGLING_OR)
                break
            node = self.unary()
            if node is not None:
                items.append(node)
        return _join(Or, items)

    def unary(self) -> Node | None:
        negations, field_name = 0, None
        while True:  # a loop, not recursion: "NOT NOT NOT ..." must not exhaust the stack
            kind = self.peek()
            if kind == "NEG" or (kind == "NOT" and self.peek(1) in _OPERAND_STARTS):
                negations += 1
            elif kind == "FIELD":
                field_name = self.tokens[self.i].value
            else:
                break
            self.i += 1
        node = self.primary()
        if node is not None and field_name:
            node = _with_field(node, field_name)
        if node is not None and negations % 2:
            node = _negate(node)
        return node

    def primary(self) -> Node | None:
        kind = self.peek()
        if kind in ("LEAF", "NOT"):  # NOT here was not followed by an operand: a word
            self.i += 1
            return self.tokens[self.i - 1].node
        if kind != "LP":
            return None
        self.i += 1
        node = self.seq(depth=1)
        if self.peek() == "RP":
            self.i += 1
        else:
            self.warn(W_MISSING_PAREN)
        return node


def parse(text: str) -> ParsedQuery:
    """Read the user's query. Never raises: what cannot be used is dropped with a warning."""
    result = ParsedQuery(tree=None)
    if not isinstance(text, str):
        return result
    if len(text) > MAX_CHARS:
        result.warnings.append(W_TOO_LONG)
        cut = text.rfind(" ", MAX_CHARS // 2, MAX_CHARS)  # not in the middle of a word
        text = text[: cut if cut > 0 else MAX_CHARS]
    tokenizer = _Tokenizer(text, result)
    try:
        tokens = tokenizer.run()
        result.tree = _Parser(tokens, tokenizer.warn).seq(depth=0)
    except Exception as exc:  # a bug must not cost the user the page; the fuzz test hunts these
        result.tree = None
        tokenizer.warn(f"could not read the query ({type(exc).__name__})")
    return result
