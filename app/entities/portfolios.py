"""A French portfolio's bare name standing for its ministry ("à l'Intérieur"): data/agencies.yaml
`portfolios`, rule "portfolio".

The French press names a ministry by its portfolio after "à l'" or "de l'": "la nomination de
Christophe Castaner à l'Intérieur", "une circulaire de l'Intérieur", "particulièrement à
l'Intérieur". After an office-holder's title the same words are the title ("le ministre de
l'Intérieur", "le secrétaire d'État à l'Intérieur", "le ministre nigérien de l'Intérieur",
"celui de l'Intérieur"), which names no ministry (RULES.md); "ministère de l'Intérieur" is the
generic ministry's own, longer alias.
"""
from __future__ import annotations

_LINKS = frozenset({"a", "de"})  # folded: "à" is "a"
# Words that make the portfolio a title when one of them stands among the three words before
# "à l'" / "de l'": titles, their plurals and the words that stand for them.
_TITLES = frozenset("""ministre ministres ministere ministeres secretaire secretaires secretariat etat
    delegue deleguee delegues charge chargee attribution celui celle ceux collegue collegues homologue
    homologues adjoint adjointe commission commissions commissaire portefeuille responsable chef
    departement conseiller conseillere""".split())


def not_a_portfolio(doc, i: int) -> bool:
    """True unless word i ("Intérieur", not in capitals) follows "à l'" or "de l'" with no title
    before them and not at the end of a list of portfolios ("les ministres de la Justice et de
    l'Intérieur", "ceux de la Santé, du Travail et de l'Intérieur": the title stands further back)."""
    word = doc.word(i)
    if i < 2 or word.isupper() or doc.words[i - 1] != "l" or doc.gap(i) not in ("'", "\u2019") \
            or doc.words[i - 2] not in _LINKS:
        return True
    if i >= 3 and ("," in doc.gap(i - 2) or any(doc.words[k] in ("et", "ou") for k in range(max(0, i - 4), i - 2))):
        return True
    return any(doc.words[k] in _TITLES for k in range(max(0, i - 5), i - 2))


def not_an_institution(doc, i: int) -> bool:
    """True when the capitalised name of a ministry's domain ("l'Éducation nationale") is an
    office-holder's title ("le ministre de l'Éducation nationale"), a list after one, or in
    capitals; else it stands for the ministry."""
    if doc.word(i).isupper():
        return True
    if i >= 3 and ("," in doc.gap(i - 2) and doc.words[i - 2] == "de"):
        return True
    return any(doc.words[k] in _TITLES for k in range(max(0, i - 4), i))
