"""Highlighting's tokens: each word of the original text, its folded form, and its offsets into
the original (snippets mark those offsets, so a shifted offset would mark the wrong letters)."""
from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.search.text import WORD, fold, tokens_with_offsets
from tests.conftest import SEEDS

LETTERS = [chr(c) for c in range(0x20, 0x300)] + list("œŒæÆßİıﬁ\u0301\u0308 «»’")
# beyond Latin: Greek, Cyrillic, Arabic, CJK, the Kelvin and Ångström signs (their lower case is
# ASCII or Latin), Roman numerals, digits of other scripts, a letter and an emoji outside the BMP
OTHERS = LETTERS + list("ΣσςΑθЖжدالمغرب日本語\u212a\u212bⅫ٣੩𝐀😀ǅǄ_-")


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


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(OTHERS), max_size=50).map("".join))
def test_text_in_any_script_tokenises_as_word_by_word_folding_does(text):
    check(text)


def test_a_long_real_text_takes_the_fast_path_and_a_text_beyond_the_bmp_the_careful_one():
    from app.search.text import token_columns

    text = " ".join(path.read_text(encoding="utf-8", errors="replace") for path in sorted(SEEDS.glob("*"))[:5]
                    if path.is_file()) or "Sûreté nationale à Rabat"
    check(text)
    check(text + " 😀 𝐀bc")
    check("Sûreté \udcff nationale")  # a lone surrogate, as surrogateescape leaves undecodable bytes
    check("αβΣ ΑΣ \uffff\ufffe état")  # final sigma; the noncharacters beside the fold table's marker
    words, starts, ends = token_columns("l’ÉTAT « islamique »")
    assert words == ["l", "etat", "islamique"] and starts == [0, 2, 9] and ends == [1, 6, 18]


def test_random_accented_text_keeps_every_offset():
    rng = random.Random(7)
    for _ in range(2000):
        check("".join(rng.choice(LETTERS) for _ in range(rng.randint(1, 60))))
