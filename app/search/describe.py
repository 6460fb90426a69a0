"""A parsed query, read back: the words it searches for (highlighting, suggestions) and a
sentence for the page ("all of: morocco, intelligence; excluding: isis; country: Morocco")."""
from __future__ import annotations

from collections.abc import Callable, Iterator

from app.search.query import FILTERS, And, Node, Not, Or, ParsedQuery, Phrase, Prefix, Term


def _walk_positive(node: Node | None) -> Iterator[Node]:
    if node is None or isinstance(node, Not):
        return
    if isinstance(node, (And, Or)):
        for child in node.children:
            yield from _walk_positive(child)
    else:
        yield node


def terms_of(node: Node | ParsedQuery | None) -> list[str]:
    """Every positive word, phrase word and prefix, in order, without repeats: for highlighting."""
    if isinstance(node, ParsedQuery):
        node = node.tree
    found: list[str] = []
    for leaf in _walk_positive(node):
        words = leaf.words if isinstance(leaf, Phrase) else leaf.text.split(" ")
        found.extend(w for w in words if w not in found)
    return found


def _render(node: Node) -> str:
    if isinstance(node, Term):
        text = node.text
    elif isinstance(node, Phrase):
        text = '"' + " ".join(node.words) + '"'
    elif isinstance(node, Prefix):
        text = node.text + "*"
    elif isinstance(node, Not):
        return "not " + _render(node.child)
    else:
        joiner = " and " if isinstance(node, And) else " or "
        return "(" + joiner.join(_render(c) for c in node.children) + ")"
    return f"{text} (in title)" if node.field else text


_FILTER_NAMES = {"lang": "language"}


def describe(parsed: ParsedQuery, labels: Callable[[str, str], str] | None = None) -> str:
    """How the query was read, as one sentence:
    'all of: morocco, intelligence; phrase: "joint security cell"; excluding: isis; country: Morocco'.
    labels(filter_name, value) gives a value's display label (default: the value itself)."""
    tree = parsed.tree
    parts = tree.children if isinstance(tree, And) else () if tree is None else (tree,)

    def listed(kind: type) -> list[str]:
        return [_render(p) for p in parts if isinstance(p, kind)]

    words, phrases, prefixes = listed(Term), listed(Phrase), listed(Prefix)
    clauses = []
    if words:
        clauses.append(("all of: " if len(words) > 1 else "word: ") + ", ".join(words))
    if phrases:
        clauses.append(("phrases: " if len(phrases) > 1 else "phrase: ") + ", ".join(phrases))
    if prefixes:
        clauses.append("starting with: " + ", ".join(prefixes))
    for p in parts:
        if isinstance(p, Or):
            clauses.append("any of: " + ", ".join(_render(c) for c in p.children))
    excluded = [_render(p.child) for p in parts if isinstance(p, Not)]
    if excluded:
        clauses += ([] if clauses else ["all articles"]) + ["excluding: " + ", ".join(excluded)]
    for name in FILTERS:
        shown = [(labels(name, v) if labels else None) or v for v in parsed.filters.get(name, ())]
        if shown:
            clauses.append(f"{_FILTER_NAMES.get(name, name)}: " + ", ".join(shown))
    return "; ".join(clauses) or "all articles"
