"""When a place name in a text is not the place: the context rules of "located" tags.

A city or region name next to another capitalised name is part of a longer name ("Paris
Hilton", "George Washington", "London Stock Exchange", "Nice-Matin"); after an organisation's
head word it names the organisation ("University of Reading"); a name that is also an ordinary
word or a person's name in the text's language ("nice", "Reading", "Jackson": the flags of
data/places.tsv) counts only after a locative ("à Nice", "in Reading"). Title-case headings
("Casablanca Police Arrest Two") are read word by word: there every word has a capital.
"""
from __future__ import annotations

from .context import _TITLE_WORDS, SPACES, in_a_ticker_name, names_company, starts_sentence

# After a place, capitalised words that leave it a place: "Casablanca Police", "Paris Mayor".
_NEXT_OK = _TITLE_WORDS | frozenset(
    "city mayor council court airport region province county district governor governorate "
    "prefecture department département officials residents police prosecutor prosecutors "
    "attack attacks bombing blast suspect suspects "
    # a party member's state: "the Michigan Democrat", "Ohio Republicans"
    "democrat democrats republican republicans".split())
# Before a place, capitalised points of the compass that leave it a place: "West Texas", "far
# West\nTexas", "Northern California" (a region of the state, of the same country).
_DIRECTIONS = frozenset("north south east west northern southern eastern western central".split())
_BEFORE_OK = frozenset(
    "the in of and to from with for by on at into near outside between via "
    "le la les en au aux du de des et vers à a d l dans sur pour par depuis".split())
_TITLE_ABBREVIATIONS = frozenset("m mr mrs ms dr mme me st sir lord".split())
_COUNTRY_INITIALS = frozenset({("u", "s"), ("u", "k"), ("u", "n")})  # "U.S.", "U.K.", "U.N." are no initials
_ORG_HEADS = frozenset(
    "university universite college school ecole bank banque institute institut museum musee "
    "hospital hopital club archbishop bishop duke duchess earl team fc banco banca cassa banks "
    "association".split())
_LOCATIVES = frozenset("in at near outside from à vers en".split())
# French determiners: a city's name takes none ("la Divo", "La Savannah", "la Halle" name a
# car, a villa, a shop), regions do ("la Bretagne"). Not "le", "au", "du": "le Québec", "au
# Québec" are the province, which places.tsv lists under its city's name.
_DETERMINERS_FR = frozenset("la les l un une cette".split())
# Heads of street, square and building names: "place Saint-Marc", "cité Bellevue", "l'université
# Georgetown", "école Bellevue" are not the city; nor the family of "la famille Kennedy".
_STREET_HEADS = frozenset(
    "place rue avenue boulevard quai cite ecole universite lycee college gare stade hopital "
    "palais pont porte parc square residence villa theatre salle hotel eglise prison "
    "street square avenue road "
    # ... and of a person's: "la famille Kennedy", "la jeune Mila"
    "famille fratrie clan dynastie jeune family "
    # ... and of a case named after a person: "l'affaire Mila", "the Dreyfus affair" is English
    "affaire".split())
# After a hyphen, the words that continue a French compound place name ("Beaumont-sur-Oise").
_COMPOUND_FR = frozenset("sur sous en le la les les lez de du des aux au d l et".split())
_QUOTES = frozenset('"\u00ab\u00bb\u201c\u201d')
_PREPOSITIONS = frozenset("in at a".split())  # folded: "à" is "a"; not "de": "de George Floyd"


def _capitalised(doc, k: int) -> bool:
    word = doc.word(k)
    return word[:1].isupper()


def _title_case_line(doc, i: int) -> bool:
    """Word i is in the title (the text's first line) and most of its words start with a
    capital (a title-case heading). Body paragraphs are never headings: not scanned."""
    title_end = doc.text.find("\n")
    if title_end != -1 and doc.starts[i] > title_end:
        return False
    lo, hi = 0, i
    while hi + 1 < len(doc.words) and "\n" not in doc.gap(hi + 1):
        hi += 1
    if hi - lo < 3:
        return False
    capitals = sum(_capitalised(doc, k) for k in range(lo, hi + 1))
    return capitals >= 0.7 * (hi - lo + 1)


_JOINS = SPACES | {"-"}  # a line wrapped inside a paragraph joins names too: "Kansas City\nSouthern"


def _joined_capital_after(doc, j: int) -> bool:
    if j + 1 >= len(doc.words) or doc.gap(j + 1) not in _JOINS:
        return False
    return _capitalised(doc, j + 1) and doc.words[j + 1] not in _NEXT_OK


def _capital_before(doc, i: int) -> bool:
    if i == 0:
        return False
    before = doc.words[i - 1]
    if before in _TITLE_ABBREVIATIONS and doc.gap(i) in (" ", ". "):
        return True  # "M. Bolton", "Mr Jackson"
    if len(before) == 1 and doc.gap(i) == ". " and doc.word(i - 1).isupper() and i >= 2 \
            and doc.gap(i - 1) == "." and (doc.words[i - 2], before) not in _COUNTRY_INITIALS:
        return True  # initials: "J.C. Bradford"; not "the U.S. Chicago office"
    if doc.gap(i) not in SPACES or starts_sentence(doc, i - 1) and before in _BEFORE_OK:
        return False
    return _capitalised(doc, i - 1) and before not in _BEFORE_OK and before not in _DIRECTIONS


def _organisation_of(doc, i: int) -> bool:
    """"University of Reading", "Banque de France"-like names: head word, "of"/"de", place; one
    capitalised word may stand between ("Banque Nationale de Paris", "Florida National Banks of")."""
    if i < 2 or doc.words[i - 1] not in ("of", "de", "d", "di", "del", "do", "da"):
        return False
    return doc.words[i - 2] in _ORG_HEADS or (  # "Banco di Sicilia"
        i >= 3 and _capitalised(doc, i - 2) and doc.words[i - 3] in _ORG_HEADS and _capitalised(doc, i - 3))


def _after_locative(doc, i: int) -> bool:
    return i > 0 and doc.gap(i) == " " and doc.word(i - 1).lower() in _LOCATIVES


def _inside_other_name(doc, i: int, j: int, city: bool) -> bool:
    """Part of a hyphenated name ("Beaumont-sur-Oise", "Wisconsin-Madison"), a quoted title
    ('"Batman"'), a street or building ("place Saint-Marc"), or a French city after a
    determiner ("la Divo", "au Châtelet")."""
    text, count = doc.text, len(doc.words)
    if j + 1 < count and doc.gap(j + 1) == "-" and doc.words[j + 1] in _COMPOUND_FR:
        return True
    if i > 0 and doc.gap(i) == "-" and _capitalised(doc, i - 1):
        return True
    start, end = doc.starts[i], doc.ends[j]
    if start > 0 and text[start - 1] in _QUOTES and text[end:end + 1] in _QUOTES:
        return True
    if i > 0 and doc.gap(i) == " " and doc.words[i - 1] in _STREET_HEADS \
            and not _capitalised(doc, i - 1):
        return True
    return city and doc.language == "fr" and i > 0 and doc.gap(i) in (" ", "'", "\u2019") \
        and doc.words[i - 1] in _DETERMINERS_FR


def place_rejects(rule: str, doc, i: int, j: int) -> bool:
    rule, _, kind = rule.partition(":")
    surface = doc.text[doc.starts[i]:doc.ends[j]]
    if surface.isupper() and len(surface) > 1:
        return True  # "FAVORED TRADE STATUS FOR MOSCOW": all-capital headings are not read
    if _inside_other_name(doc, i, j, kind == "city"):
        return True
    needs_locative = rule == "place-locative" or (
        rule.startswith("place-locative-") and rule.removeprefix("place-locative-") in (
            doc.language or rule.removeprefix("place-locative-"),))
    if needs_locative and not _after_locative(doc, i):
        return True
    if names_company(doc, j) or _organisation_of(doc, i) or in_a_ticker_name(doc, i, j):
        return True
    # "à Lyon Gérard Collomb a dit": after a locative, a name may follow the place.
    if not (rule == "place" and _after_preposition(doc, i)) and _joined_capital_after(doc, j):
        return True
    if _role_before(doc, i):
        return True  # "CBOE chairman Alger", "economist Cork said": a person's name
    if doc.words[i] == "manche" and any(doc.words[k] in _CHANNEL_CUES for k in range(max(0, i - 3), i)):
        return True  # "traverser la Manche", "le tunnel sous la Manche": the Channel, not the département
    return not _title_case_line(doc, i) and _capital_before(doc, i)


# Words before "la Manche" that make it the Channel (a sea: no place, RULES.md), not the département.
_CHANNEL_CUES = frozenset("""traverser traverse traversee traversees traversent traversant traversait sous
    cotes cote rives littoral iles eaux dessus outre mer detroit""".split())


# Lower-case nouns of a person's role or trade, written right before a surname: "chairman Alger",
# "economist Cork", "le ministre Paris", "l'attaquant Florence".
_ROLES = frozenset("""chairman chairwoman president economist analyst spokesman spokeswoman director
    executive official officer secretary minister senator congressman ambassador judge attorney lawyer
    professor trader dealer manager coach striker midfielder defender goalkeeper captain founder editor
    reporter correspondent author writer actor actress singer
    ministre directeur directrice economiste analyste avocat avocate juge procureur entraineur joueur
    joueuse attaquant defenseur gardien ecrivain auteur acteur actrice chanteur chanteuse journaliste""".split())


def _role_before(doc, i: int) -> bool:
    return i > 0 and doc.gap(i) == " " and doc.words[i - 1] in _ROLES and not _capitalised(doc, i - 1)


def _after_preposition(doc, i: int) -> bool:
    return i > 0 and doc.gap(i) in (" ", "'", "\u2019") and doc.words[i - 1] in _PREPOSITIONS
