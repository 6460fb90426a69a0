"""Text normalisation, tokenising and sentence bounds shared by the gazetteer and the matcher.

Everything here keeps character offsets: the normalised text has exactly the length of the
original, so a token's span in the normalised text is its span in the article.
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata

# A word is a run of letters or digits; apostrophes, hyphens, dots and spaces separate words,
# so "l’Intérieur" is ("l", "interieur"), "DGSN-DGST" is ("dgsn", "dgst") and "U.S." is ("u", "s").
WORD = re.compile(r"[^\W_]+")

_APOSTROPHES = "\u2019\u2018\u02bc\u00b4\u0060\u2032"
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212"
_SPACES = "\u00a0\u202f\u2009\u2007"


def _build_fold_table() -> dict[int, str]:
    """Map each accented Latin letter to its base letter, one character for one (offsets stay)."""
    table: dict[int, str] = {}
    for code in range(0x00C0, 0x0250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char)[:1]
        if base != char and base.isascii() and base.isalpha():
            table[code] = base
    # Letters with no decomposition, as written in European press.
    for char, base in {"ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i",
                       "æ": "a", "Æ": "A", "œ": "o", "Œ": "O", "ß": "s"}.items():
        table[ord(char)] = base
    for char in _APOSTROPHES:
        table[ord(char)] = "'"
    for char in _DASHES:
        table[ord(char)] = "-"
    for char in _SPACES:
        table[ord(char)] = " "
    return table


_FOLD = _build_fold_table()


def strip_accents(text: str) -> str:
    """Same length as `text`; accents removed, curly apostrophes and dashes made plain."""
    return text.translate(_FOLD)


def fold(text: str) -> str:
    """Lowercase and strip accents, keeping the length of `text` (so offsets still hold)."""
    lowered = text.lower()
    if len(lowered) != len(text):  # e.g. "İ" lowercases to two characters
        lowered = "".join(char.lower()[:1] for char in text)
    return lowered.translate(_FOLD)


@functools.lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """fold() for one lowercase word; memoised, since articles repeat their words."""
    return word.translate(_FOLD)


def tokens(text: str) -> tuple[str, ...]:
    """Folded words of a name or alias, as the matcher sees them in an article."""
    return tuple(WORD.findall(fold(text)))


# A sentence ends at . ! ? … (and closing quotes) followed by a capital, a digit or an opening
# quote, with or without a space: OrangeSum glues paragraphs ("la DGSN.Il n'a pas").
# A newline always ends a sentence.
_BOUNDARY = re.compile(
    r"[.!?\u2026]+[\"'»”’)\]]*(?=\s*[\"«“(]?[A-Z0-9À-ÖØ-Þ])|\n"
)
# Not boundaries: initials and dotted acronyms ("U.S. officials", "M. Macron"), titles.
_NOT_AN_END = re.compile(
    r"(?:(?:^|[\s.(\"'])[A-Z]|\b(?:Mr|Mrs|Ms|Dr|St|Mt|Gen|Col|Lt|Sgt|Gov|Sen|Rep|Prof|No|Jr|Sr|Mme|Mgr|Me))$"
)


class SentenceIndex:
    """Sentence bounds of one text, computed once and looked up by offset."""

    def __init__(self, text: str):
        self.text = text
        ends = []
        for match in _BOUNDARY.finditer(text):
            start = match.start()
            if match.group() != "\n" and _NOT_AN_END.search(text[max(0, start - 5):start]):
                continue
            ends.append(match.end())
        self.ends = ends

    def bounds(self, start: int, end: int) -> tuple[int, int]:
        """Start and end offsets of the sentence holding text[start:end]."""
        index = bisect.bisect_right(self.ends, start)
        left = self.ends[index - 1] if index else 0
        right_index = bisect.bisect_left(self.ends, end)
        right = self.ends[right_index] if right_index < len(self.ends) else len(self.text)
        return left, right

    def sentence(self, start: int, end: int) -> str:
        left, right = self.bounds(start, end)
        return self.text[left:right].strip()

    def nth_end(self, offset: int, count: int) -> int:
        """Offset where the `count`-th sentence starting at `offset` ends."""
        index = bisect.bisect_right(self.ends, offset)
        while index < len(self.ends) and self.ends[index] <= offset + 1:
            index += 1  # skip the boundary that opens the text (the "\n\n" after a title)
        target = index + count - 1
        return self.ends[target] if target < len(self.ends) else len(self.text)
