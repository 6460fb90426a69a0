"""The text an embedding model is given: a document is its title and lead, a query is cut to the
model's useful length (a 100 KB paste is cut, not refused), and sentences for the snippet of a
hit found by meaning; and the case the model is given (``unshout``)."""
from __future__ import annotations

import re

DOC_CHARS = 300  # title + lead: measured better than title + 1,000 characters, and 4x cheaper (bench/README.md)
QUERY_CHARS = 1000  # the page keeps 1,000 characters of a query (app/search/params.py) too
MAX_SENTENCES = 24  # per article, for the closest-sentence snippet
SENTENCE_CHARS = 400
# OrangeSum glues paragraphs without a space ("...la DGSN.Il n'a pas"): a stop followed by a
# capital ends a sentence even without the space.
_SENTENCE_END = re.compile(r"(?<=[.!?…])(?:\s+|(?=[A-ZÀ-ÖØ-Þ«\"“]))")


SHOUT_SHARE = 0.8  # text whose cased letters are at least this share upper-case is "shouting" ...
SHOUT_MIN_LETTERS = 12  # ... when it has at least this many (an acronym query, "NATO", stays as typed)


def unshout(text: str) -> str:
    """Lower-case text that is mostly upper-case (Reuters and TIME are all capitals, and so are
    their queries): the model reads "THE ALLIES AFTER NASSAU" as rare tokens, not words; case-folded,
    TIME's meaning-only MAP went from 0.165 to 0.271 (bench/README.md). Mixed-case text and short
    all-caps text (an acronym) are returned as they are."""
    upper = lower = 0
    for ch in text or "":
        if ch.isupper():
            upper += 1
        elif ch.islower():
            lower += 1
    if upper + lower < SHOUT_MIN_LETTERS or upper < SHOUT_SHARE * (upper + lower):
        return text
    return text.lower()


def document_text(title: str, body: str) -> str:
    title = (title or "").strip()
    body = (body or "").strip()
    return f"{title}\n{body}"[:DOC_CHARS] if title else body[:DOC_CHARS]


def query_text(q: str) -> str:
    return " ".join((q or "").split())[:QUERY_CHARS]


def sentences(body: str) -> list[str]:
    """The article's first MAX_SENTENCES sentences (long ones cut), in order."""
    out = []
    for para in (body or "").splitlines():
        for s in _SENTENCE_END.split(para.strip()):
            s = s.strip()
            if len(s) >= 20:
                out.append(s[:SENTENCE_CHARS])
                if len(out) >= MAX_SENTENCES:
                    return out
    return out
