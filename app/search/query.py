"""User query text -> a small tree. Pure: knows nothing of SQL, never raises on user input.

Grammar (issue 2 subset; issue 5 extends it): words (all must match), "phrases"
(straight or curly quotes), ``OR`` between terms, ``-word`` / ``-"phrase"``, ``prefix*``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


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
