"""Generic ministries the text's countries leave open (matcher.py): a Department named after a
state or a city, and the title that breaks a tie between countries named as often."""
from __future__ import annotations

from collections import Counter

from .normalise import fold

# Capitalised words before a generic "Department" that leave it the country's ("The Employment
# Department", a headline's "Its Trade Department").
_DETERMINERS = frozenset({"the", "a", "its", "his", "her", "their", "our", "and", "said", "by"})


def local_department(doc, i: int, j: int, country_ends: set[int]) -> bool:
    """"Texas Department of Agriculture", "New York State Department of Health", "City
    Health Department": a Department named after a capitalised word that is not a country
    is a state's or a city's, not the country's ministry."""
    if "department" not in (doc.words[i], doc.words[j]) or i == 0 or i - 1 in country_ends:
        return False
    before = doc.word(i - 1)
    return (before[:1].isupper() and doc.gap(i) == " "
            and doc.words[i - 1] not in _DETERMINERS)


def tie_hints(entities: dict, doc, settled) -> Counter:
    """Per country named in the title (itself or by a place of it), a score that is
    higher for the title's first: when countries tie for the most mentions, a generic
    ministry goes to the title's ("JAPAN REBUFFS BRITAIN ...": Japan's). The body's places
    do not break ties: a world round-up's places are everywhere."""
    title_end = doc.text.find("\n\n")
    hints: Counter = Counter()
    for i, _, eid in settled:
        entity = entities[eid]
        code = eid if entity.type == "country" else entity.country
        if entity.type in ("country", "place") and code and doc.starts[i] < title_end:
            hints[code] = max(hints[code], title_end + 1 - doc.starts[i])
    return hints


def called_ministry(entity) -> bool:
    """The body's name calls it a ministry (not a department, an office, the Treasury)."""
    return bool({"ministry", "ministere"} & set(fold(entity.name).split()))


def ministry_hints(entities: dict, doc, i: int, j: int, ids, hints: Counter) -> Counter:
    """The tie-break's hints, less the countries whose body of that role is not called a
    ministry when the text says "ministry": "Foreign Ministry officials" in a story naming
    Japan and the United States as often is Japan's, never the State Department."""
    if not {"ministry", "ministere", "ministries"} & set(doc.words[i:j + 1]) \
            or (doc.language == "fr" and "ministry" not in doc.words[i:j + 1]):
        return hints  # French calls the US departments "ministère": "le ministère de la Justice"
    unlike = {entities[eid].country for eid in ids if not called_ministry(entities[eid])}
    return Counter({code: n for code, n in hints.items() if code not in unlike})
