"""Country words inside other names: a commune's, a street's, a university's, a bank's.

"Saint-Maurice" and "Bourg-Saint-Maurice" are French communes, not Mauritius; "place d'Italie" is
a square in Paris and "l'Université de Hong Kong" a university (RULES.md: a place or a country
inside an organisation's name is neither); "Union Bank of Switzerland" and "Industrial Bank of
Japan" are companies (rule 10), while "Bank of Japan", "Reserve Bank of India" or "National Bank
of Hungary" (central banks, public bodies) do name their country (rule 5).
"""
from __future__ import annotations

_SAINTS = frozenset("saint sainte saints st ste".split())
_COMPOUND_LINKS = frozenset("sur sous en le la les lez de du des aux au d l".split())


# Streets, squares and universities named after a country: "place d'Italie", "porte d'Italie",
# "avenue de France", "l'Université de Hong Kong", "the University of Hong Kong" (RULES.md).
_NAMED_AFTER = frozenset("""place rue avenue boulevard quai porte pont square cours allee impasse gare
    universite university""".split())


def in_a_compound_name(doc, i: int, j: int) -> bool:
    """A country's word inside a saint's or a hyphenated place name ("Saint-Maurice",
    "Bourg-Saint-Maurice", "Maurice-de-Rémens" name French communes, not Mauritius), or in a
    street's or a university's name ("place d'Italie", "Université de Hong Kong")."""
    if i > 0 and doc.gap(i) == "-" and doc.words[i - 1] in _SAINTS:
        return True
    if i >= 2 and doc.words[i - 1] in ("de", "d", "du", "des", "of") and doc.words[i - 2] in _NAMED_AFTER:
        return True
    return j + 2 < len(doc.words) and doc.gap(j + 1) == "-" and doc.words[j + 1] in _COMPOUND_LINKS \
        and doc.gap(j + 2) == "-"


# Capitalised words before "Bank of <country>" that make the name a commercial bank's (1987
# Reuters: "Union Bank of Switzerland", "Royal Bank of Canada", "Industrial Bank of Japan",
# "Long-Term Credit Bank of Japan", "State Bank of India"); not "Central", "Reserve", "National"
# (central banks too: the National Bank of Hungary), "Export-Import" (a state lender).
_COMMERCIAL = frozenset("""union royal industrial continental credit construction commercial overseas
    mercantile merchant savings trust investment state agricultural""".split())


def in_a_bank_name(doc, i: int) -> bool:
    """A country's word after "<Commercial word> Bank of": a company's name."""
    return i >= 3 and doc.words[i - 1] == "of" and doc.words[i - 2] in ("bank", "banking") \
        and doc.words[i - 3] in _COMMERCIAL and doc.word(i - 3)[:1].isupper()
