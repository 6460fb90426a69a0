"""Highlighting's tokens: each word of the original text, its folded form, and its offsets into
the original (snippets mark those offsets, so a shifted offset would mark the wrong letters)."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.search.text import WORD, fold, tokens_with_offsets
from tests.conftest import SEEDS

LETTERS = [chr(c) for c in range(0x20, 0x300)] + list("œŒæÆßİıﬁ\u0301\u0308 «»’")


def check(text: str) -> None:
    words = [(m.start(), m.end()) for m in WORD.finditer(text)]
    tokens = tokens_with_offsets(text)
    assert [(s, e) for _, s, e in tokens] == words  # the original's word boundaries
    assert all(tok == fold(text[s:e]) for tok, s, e in tokens)  # each folded on its own terms


def test_french_and_english_words_fold_in_place_with_their_offsets():
    text = "Œuvre: la Sûreté arrête DEUX hommes à Noël; l'ÉTAT islamique, cœur d'İstanbul, straße"
    check(text)
    toks = {tok for tok, _, _ in tokens_with_offsets(text)}
    assert {"oeuvre", "surete", "arrete", "deux", "noel", "etat", "coeur", "istanbul", "strasse"} <= toks


def test_the_seed_articles_tokenise_as_word_by_word_folding_does():
    for path in sorted(p for p in SEEDS.glob("*") if p.is_file())[:40]:
        check(path.read_text(encoding="utf-8", errors="replace"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(LETTERS), max_size=40).map("".join))
def test_any_latin_text_tokenises_as_word_by_word_folding_does(text):
    check(text)


def test_random_accented_text_keeps_every_offset():
    rng = random.Random(7)
    for _ in range(2000):
        check("".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 60))))
