"""What a sentence or a text says about whose body it names (resolve.py).

- A generic ministry in a sentence set in one country: "En Italie, le ministère de la Santé a fait
  état de 845 nouveaux cas" (Italy's, whatever country the text names most); "A Pékin, la
  porte-parole du ministère des Affaires étrangères" (China's); "le ministère des Affaires
  étrangères à Paris" (France's); "Selon le ministère de la Santé, l'Irak a enregistré ..."
  (Iraq's); in French, a sentence that names places of France and of no
  other country ("la zone C (Paris, Montpellier, Toulouse...) ... le ministère de l'Éducation").
- The bare "Treasury" of a text that names the US Treasury's titles ("Treasury Secretary James
  Baker") is the US's; of a text about British politics (the Commons, MPs, Downing Street, the
  Chancellor) the UK's, though the story names Iraq more often ("Mr Blair replied ... the
  Treasury forecasts on the economy have been proven right").
- A national body's name followed by another country's adjective or name is that country's
  body, not ours: "l'armée de Terre malienne", "la Marine nationale algérienne" (the country is
  still tagged; the body is not France's).
- An international organ's descriptive name right after a country is that country's namesake:
  "Morocco's Human Rights Council" (the CNDH), "Russia's Security Council", "the Russian Security
  Council" are national bodies, not the UN's.
"""
from __future__ import annotations

import re

from .normalise import SentenceIndex

# Prepositions that set a clause in a place: "En Italie,", "Au Maroc,", "A Pékin,", "In Japan,".
_LOCATIVES = frozenset("en au aux a dans in".split())
_JOINS = frozenset({" ", " du ", " des ", " de ", " de la ", " de l'", " de l\u2019", " d'", " d\u2019"})


def _code(entity) -> str | None:
    if entity.type == "country":
        return entity.id
    if entity.type == "place":
        return entity.country
    return None


def sentence_country(m, doc, sentences: SentenceIndex, i: int, j: int, settled) -> str | None:
    """The one country the sentence of the generic ministry at words i..j is set in, or None."""
    words, starts = doc.words, doc.starts
    start, end = sentences.bounds(starts[i], doc.ends[j])
    here = [(ci, cj, _code(m.entities[eid])) for ci, cj, eid in settled
            if start <= starts[ci] < end and _code(m.entities[eid])]
    if not here:
        return None
    # "le ministère des Affaires étrangères à Paris"
    if j + 2 < len(words) and words[j + 1] in ("a", "in") and doc.gap(j + 1) == " ":
        after = next((code for ci, _, code in here if ci == j + 2), None)
        if after:
            return after
    # "En Italie, le ministère ...": the sentence opens on a place, then a comma before the ministry
    first = next((k for k in range(i) if starts[k] >= start), None)
    if first is not None and words[first] in _LOCATIVES:
        opening = next(((cj, code) for ci, cj, code in here if ci == first + 1), None)
        if opening and opening[0] < i and "," in doc.lowered[doc.ends[opening[0]]:starts[i]]:
            return opening[1]
    # "Selon le ministère de la Santé, l'Irak a enregistré ...": the ministry reports on the country
    k = i - 1 if i > 0 and words[i - 1] in ("le", "la", "l", "the") else i
    if k > 0 and (words[k - 1] == "selon" or words[k - 2:k] == ["according", "to"]) \
            and j + 1 < len(words) and doc.gap(j + 1).startswith(","):
        subject = next((code for ci, _, code in here if j < ci <= j + 2
                        and all(w in ("l", "la", "le", "les", "the") for w in words[j + 1:ci])), None)
        if subject:
            return subject
    # French press: places of France only in the sentence
    if doc.language == "fr" and {code for _, _, code in here} == {"fr"} \
            and any(m.entities[eid].type == "place" for ci, _, eid in settled
                    if start <= starts[ci] < end):
        return "fr"
    return None


def drop_foreign_bodies(m, doc, settled: list) -> list:
    """Without the national bodies followed by another country's adjective or name (French)."""
    if doc.language != "fr":
        return settled
    lowered, starts, ends = doc.lowered, doc.starts, doc.ends
    countries = {ci: eid for ci, _, eid in settled if m.entities[eid].type == "country"}
    if not countries:
        return settled
    out = []
    for i, j, eid in settled:
        entity = m.entities[eid]
        if entity.type in ("agency", "group") and entity.country:
            following = next((code for k, code in ((j + 1, countries.get(j + 1)),
                                                  (j + 2, countries.get(j + 2)),
                                                  (j + 3, countries.get(j + 3)))
                              if code and lowered[ends[j]:starts[k]] in _JOINS), None)
            if following and following != entity.country:
                continue
        out.append((i, j, eid))
    return out


# Words that make an organ's name international by themselves ("the UN Security Council", "the
# African Union", "World Bank"): a country before them does not make it a namesake.
_INTERNATIONAL_WORDS = frozenset("""un u n onu united nations unies international internationale
    world mondial mondiale european europeen europeenne europe africa african africaine arab arabe
    islamic islamique atlantic nord union global regional american asian pacific gulf golfe
    commonwealth opec nato otan eu ue""".split())
_BEFORE_NAME = frozenset({" ", "'s ", "\u2019s "})


def drop_national_namesakes(m, doc, settled: list) -> list:
    """Without the international organs whose descriptive name follows a country's name or
    adjective ("Russia's Security Council", "Morocco's Human Rights Council")."""
    lowered, starts, ends = doc.lowered, doc.starts, doc.ends
    country_ends = {ends[j] for _, j, eid in settled if m.entities[eid].type == "country"}
    if not country_ends:
        return settled
    out = []
    for i, j, eid in settled:
        entity = m.entities[eid]
        if entity.type == "agency" and entity.country is None \
                and any(starts[i] - len(gap) in country_ends
                        and lowered[starts[i] - len(gap):starts[i]] == gap for gap in _BEFORE_NAME) \
                and not _INTERNATIONAL_WORDS.intersection(doc.words[i:j + 1]) \
                and not doc.text[starts[i]:ends[j]].isupper():
            continue
        out.append((i, j, eid))
    return out


_BRITISH = re.compile(r"\b(?:House of Commons|MPs|Downing Street|Whitehall|Chancellor Gordon Brown|"
                      r"Chancellor of the Exchequer|shadow chancellor|Tory|Tories|Lib Dems?)\b")


# "Treasury Secretary James Baker", "Secretary of the Treasury": the US office's titles (the UK's
# is the Chancellor of the Exchequer): "TREASURY'S BAKER ..." in a story about Japan is the US's.
_AMERICAN = re.compile(r"\bTreasury (?:(?:Assistant |Under |Deputy )?Secretary|official)|"
                       r"\bSecretary of the Treasury\b|\bTREASURY SECRETARY\b|\bTREASURY'S BAKER\b")


def treasury_of_text(m, doc, i: int, j: int, ids) -> str | None:
    """The bare "Treasury" of British politics, or of a US Treasury Secretary's story."""
    if i != j or doc.words[i] != "treasury" or doc.language == "fr":
        return None
    for code, cue in (("us", _AMERICAN), ("gb", _BRITISH)):  # a G-5 story names both countries' men
        chosen = next((eid for eid in ids if m.entities[eid].country == code), None)
        if chosen and cue.search(doc.text):
            return chosen
    return None
