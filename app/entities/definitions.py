"""An acronym the text itself defines as something else.

Articles define their acronyms: a long form, then the acronym in parentheses. When the long
form's initials spell the acronym but none of its words is a word of the gazetteer's body of
that acronym, the text means another thing by it ("l'impôt sur la fortune (ISF)" is no
Lebanese security force, "Carrier Pre-Selection (CPS)" no Crown Prosecution Service, "unité de
vie familiale (UVF)" no Ulster Volunteer Force, "Syndicat des avocats de France (SAF, gauche)" no
Sudanese Armed Forces, Reuters' "National Cattlemen's Association, NCA," no National Crime Agency), and that acronym names the body nowhere in the
text. Nor is it when another body's name stands right before it ("the African Development Bank
(ADB)", whose initials spell it: the AfDB, not the Asian Development Bank). A long form sharing a word with the body's names ("General Agreement of Tariffs and Trade
(GATT)", "directeur général de la police nationale (DGPN)") is the body, misspelt or not.
"""
from __future__ import annotations

import re

from .normalise import fold
from .types import Entity, Mention

_WORD = re.compile(r"[^\W\d_]+")
STOP = frozenset("""a à au aux d de des du en et for in l la le les of on pour sur the and contre
    s y el del los las por""".split())
_PREFIX = 5  # words compared by their first letters: "Organisation" = "Organization"
# Words that many bodies' names share: a long form sharing only these with the body's names is
# another thing ("National Cattlemen's Association, NCA," is no National Crime Agency).
_COMMON = frozenset(word[:_PREFIX] for word in """national nationale international internationale
    general generale central centrale federal federale office service agency agence department
    departement ministry ministere organisation organization council conseil commission committee
    comite united unies nations bureau direction directorate institute institut association""".split())


def _content(words: list[str]) -> list[str]:
    return [word for word in words if word not in STOP]


def _subsequence(letters: str, initials: str) -> bool:
    it = iter(initials)
    return all(letter in it for letter in letters)


def _long_form(text: str, start: int, acronym: str) -> list[str] | None:
    """The words before "(" whose initials spell the acronym: the last content words, or all
    words, letter for letter; else the shortest run of last words that starts and ends on the
    acronym's first and last letters and holds its letters in order ("impôt sur la fortune"
    for ISF, "impôt de solidarité sur la fortune")."""
    words = [fold(word) for word in _WORD.findall(text[max(0, start - 150):start])][-16:]
    n = len(acronym)
    for candidates in (_content(words), words):
        if len(candidates) >= n and "".join(word[0] for word in candidates[-n:]) == acronym:
            return candidates[-n:]
    if not words or words[-1][0] != acronym[-1]:
        return None
    for size in range(n, min(len(words), 2 * n + 1) + 1):
        run = words[-size:]
        if run[0][0] == acronym[0] and _subsequence(acronym, "".join(w[0] for w in run)):
            return run
    return None


def _initials(surface: str) -> str:
    """"African Development Bank" -> "adb" (content words' first letters, folded)."""
    return "".join(word[0] for word in _content(_WORD.findall(fold(surface))))


def _own_words(entity: Entity) -> set[str]:
    names = [entity.name, *entity.names.values()]
    return {word[:_PREFIX] for name in names for word in _content(_WORD.findall(fold(name)))}


def defined_otherwise(text: str, mentions: list[Mention], entities: dict[str, Entity]
                      ) -> set[tuple[str, str]]:
    """(entity id, folded acronym) pairs that the text defines as something else."""
    out = set()
    for mention in mentions:
        start, end = mention.start, mention.end
        if start >= 1 and text[start - 1] == "(" and text[end:end + 1] in (")", ","):
            opening = start - 1
        elif start >= 2 and text[start - 2:start] == ", " and text[end:end + 1] == ",":
            opening = start - 2  # Reuters' apposition: "the National Cattlemen's Association, NCA,"
        else:
            continue
        entity = entities.get(mention.entity_id)
        if entity is None or entity.type not in ("agency", "group"):
            continue
        acronym = fold(mention.surface).replace(".", "")
        if len(acronym) < 2 or not acronym.isalpha():
            continue
        if any(other.entity_id == mention.entity_id and 0 <= opening - other.end <= 2
               for other in mentions):
            continue  # "the International Monetary Fund (IMF)": named just before
        if any(other.entity_id != mention.entity_id and 0 <= opening - other.end <= 2
               and getattr(entities.get(other.entity_id), "type", None) == "agency"
               and _initials(other.surface) == acronym for other in mentions):
            out.add((mention.entity_id, acronym))  # "African Development Bank (ADB)": not the Asian one
            continue
        words = _long_form(text, opening, acronym)
        if words and not any(word[:_PREFIX] in _own_words(entity) and word[:_PREFIX] not in _COMMON
                             for word in _content(words)):
            out.add((mention.entity_id, acronym))
    return out


def drop_defined_otherwise(text: str, mentions: list[Mention], entities: dict[str, Entity]
                           ) -> list[Mention]:
    if not any(m.start and (text[m.start - 1] == "(" or text[m.start - 2:m.start] == ", ")
               for m in mentions):
        return mentions
    defined = defined_otherwise(text, mentions, entities)
    if not defined:
        return mentions
    return [m for m in mentions
            if (m.entity_id, fold(m.surface).replace(".", "")) not in defined]
