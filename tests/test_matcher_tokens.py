"""The matcher's tokeniser (``split_words``): the words, folded as ``fold_word`` folds them, and
the offsets that ``SPLIT.split`` gives, whichever path (ASCII, numpy over code points, or the
regex for text with a lone surrogate) gives them; and the sentence bounds, as the regex gave
them when it was written as an alternation."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from app.entities.normalise import _TITLES, SPLIT, SentenceIndex, fold, fold_word, split_words

LETTERS = [chr(c) for c in range(0x20, 0x300)] + list("œŒæÆßİıǅǆḀḁẞỹ’‘ʼ´`′‐‑–—−\u00a0\u202f\u2009\u2007\n\t")
OTHERS = LETTERS + list("ΣσςЖدال日本\u212a\u1f00\u1eff𝐀😀\udc80_-.")


def by_regex(lowered: str) -> tuple[list[str], list[int], list[int]]:
    found = [(m.group(), m.start(), m.end()) for m in SPLIT.finditer(lowered)]
    return [fold_word(w) for w, _, _ in found], [s for _, s, _ in found], [e for _, _, e in found]


def test_french_text_gives_folded_words_and_their_offsets():
    lowered = "le ministère de l’intérieur, la dgsn-dgst et u.s. cœur"
    words, starts, ends = split_words(lowered)
    assert words == ["le", "ministere", "de", "l", "interieur", "la", "dgsn", "dgst", "et", "u", "s", "cour"]
    assert [lowered[s:e] for s, e in zip(starts, ends)][:4] == ["le", "ministère", "de", "l"]
    assert (words, starts, ends) == by_regex(lowered)


def test_ascii_text_and_empty_text():
    assert split_words("the u.s. 9/11 a_b ") == (["the", "u", "s", "9", "11", "a", "b"],
                                                  [0, 4, 6, 9, 11, 14, 16], [3, 5, 7, 10, 13, 15, 17])
    assert split_words("") == ([], [], [])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LETTERS), max_size=60).map("".join))
def test_any_latin_text_splits_as_the_regex_does(text):
    lowered = text.lower() if len(text.lower()) == len(text) else fold(text)
    assert split_words(lowered) == by_regex(lowered)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(OTHERS), max_size=60).map("".join))
def test_text_in_any_script_or_with_a_lone_surrogate_splits_as_the_regex_does(text):
    assert split_words(text) == by_regex(text)


# The sentence-boundary regex as it was written before it opened with one character set.
_ALTERNATION = re.compile(
    r"[.!?\u2026](?<![\s.(\"'][A-Z].)(?<!^[A-Z].)"
    + "".join(f"(?<!\\b{title}.)" for title in _TITLES)
    + r"[.!?\u2026]*[\"'»”’)\]]*(?=\s*[\"«“(]?[A-Z0-9À-ÖØ-Þ])|\n"
)
SENTENCE_BITS = list("ab AZÉM. \n\n!?…\"'«»“”’)](0") + ["Mr.", "U.S.", "Dr", "No.", "...", ". A", ".\nB"]


def test_sentence_ends_of_news_text():
    text = "Le ministre a dit.Il part. M. Macron et le U.S. Army... Mr. Smith? Oui!\nFin « Non. » (Ah.) 2"
    assert SentenceIndex(text).ends == [m.end() for m in _ALTERNATION.finditer(text)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(SENTENCE_BITS), max_size=40).map("".join))
def test_sentence_ends_are_the_alternations(text):
    assert SentenceIndex(text).ends == [m.end() for m in _ALTERNATION.finditer(text)]
