"""Snippets' marks (app/search/snippets.py): the fast marking pass against the plain loop, on real text."""
from __future__ import annotations

import pytest

from tests.conftest import SEEDS


def _reference_matches(hl, text: str, language):
    """The marking loop as first written, token by token: what the faster one must equal."""
    from app.search.text import stem_words, tokens_with_offsets

    toks = tokens_with_offsets(text)
    stems = stem_words([t[0] for t in toks], language)
    spans, i = [], 0
    while i < len(toks):
        word, start, end = toks[i]
        n = 0
        if stems[i] in hl.starts or word in hl.starts:
            for phrase in hl.phrases:
                k = len(phrase)
                if i + k <= len(toks) and all(stems[i + j] == w or toks[i + j][0] == w for j, w in enumerate(phrase)):
                    n = k
                    break
        if n:
            spans.append((start, toks[i + n - 1][2]))
            i += n
            continue
        stem = stems[i]
        if stem in hl.stems or word in hl.stems or (hl.prefixes and (
                word.startswith(hl.prefixes) or stem.startswith(hl.prefixes))):
            spans.append((start, end))
        i += 1
    return spans


@pytest.mark.parametrize("q", ["police", '"joint security"', "terror* maroc", '"de la" sécurité', "attentat OR attack",
                               '"the the" the', "dgst -fbi", '"joint security" security', 'police "police said"', '"security council" council', "coop* \"forces de l'ordre\""])
def test_marks_are_those_of_the_token_by_token_loop_on_the_seed_articles(q):
    from app.search.snippets import for_query

    hl = for_query(q)
    paths = sorted(p for p in SEEDS.glob("*") if p.is_file())[:60]
    if not paths:
        pytest.skip(f"{SEEDS} is absent: the shared seed articles are not beside this checkout")
    for path in paths:
        text = path.read_text(encoding="utf-8", errors="replace")
        for lang in ("en", "fr", None):
            assert hl._matches(text, lang) == _reference_matches(hl, text, lang), (q, path.name, lang)
