"""The index text's words (``folded_words``): the words ``WORD.findall`` finds, whichever path
(plain ``split`` for ASCII text, the regex otherwise) gives them."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from app.search.text import WORD, fold, folded_words, index_folded

ASCII = [chr(c) for c in range(128)]
OTHERS = ASCII + list("éœßΣσςЖدال日本\u00a0\u2009’«»𝐀😀")


def test_ascii_text_splits_into_the_regex_words():
    text = "l'onu, u.s. state_department\x1c\x1f9/11 co-op\tx\x00y __init__ a1b2"
    assert folded_words(text) == WORD.findall(text) == [
        "l", "onu", "u", "s", "state", "department", "9", "11", "co", "op", "x", "y", "init", "a1b2"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(ASCII), max_size=60).map("".join))
def test_any_ascii_text_gives_the_regex_words(text):
    assert folded_words(text) == WORD.findall(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(OTHERS), max_size=60).map("".join))
def test_any_folded_text_gives_the_regex_words(text):
    folded = fold(text)
    assert folded_words(folded) == WORD.findall(folded)


def test_index_text_of_a_french_sentence_is_its_stems():
    assert index_folded(fold("Les attentats d'Istanbul ; l'ONU réagit."), "fr") == "le attentat d istanbul l onu reag"
