"""The text the embedding model is given (app/embeddings/text.py): pure, no model, no database."""
from __future__ import annotations

import pytest

from app.embeddings.text import unshout


@pytest.mark.parametrize("text, expected", [
    # Reuters and TIME: all capitals, article and query alike
    ("THE ALLIES AFTER NASSAU IN DECEMBER 1960, THE U.S . FIRST PROPOSED",
     "the allies after nassau in december 1960, the u.s . first proposed"),
    ("KENNEDY ADMINISTRATION PRESSURE ON NGO DINH DIEM", "kennedy administration pressure on ngo dinh diem"),
    # mostly capitals (a stray lower-case unit) is still shouting
    ("BAHIA COCOA REVIEW SHOWERS CONTINUED THROUGHOUT THE WEEK IN THE BAHIA mln",
     "bahia cocoa review showers continued throughout the week in the bahia mln"),
    ("LA DGST A PERMIS DE DÉJOUER UN ATTENTAT EN ESPAGNE", "la dgst a permis de déjouer un attentat en espagne"),
    # mixed case stays as written, acronyms and all
    ("The Bank of England raised interest rates", "The Bank of England raised interest rates"),
    ("NATO and the EU meet in Brussels", "NATO and the EU meet in Brussels"),
    ("BBC NEWS: The IMF and OPEC", "BBC NEWS: The IMF and OPEC"),
    # short all-capital text is an acronym or a name: as typed
    ("NATO", "NATO"),
    ("IMF OPEC", "IMF OPEC"),
    # no letters, nothing
    ("", ""),
    ("1963 — 2026 !!!", "1963 — 2026 !!!"),
])
def test_unshout_case_folds_text_that_is_mostly_capitals_only(text, expected):
    assert unshout(text) == expected


def test_unshout_keeps_none_as_nothing_to_fold():
    assert unshout(None) is None
