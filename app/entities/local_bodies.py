"""A national body's name used for a state's, a province's or a county's office (matcher.py).

"Texas Department of Agriculture", "New York State Department of Health", "Manitoba
Agriculture Department", "le ministère de la Santé du Sindh": the words are a federal
department's own name ("Department of Agriculture" is the USDA's) or a generic ministry, but
the body is the state's or the province's, a local office (bench/entities_eval/RULES.md: US
state bodies are local, the place only). A match for a national body (an agency of a country,
not an international one) is dropped when

- a region's name (places.py: a state, a province) stands right before it, with its capitals
  ("Texas Department of Agriculture", "Manitoba Agriculture Department", "Ohio National
  Guard"; read in the trie, since the place's own context rule turns it down there: a place
  before another capitalised name is taken for part of that name). Not a city: a capital
  before a body is the press's name for its government ("a Bonn finance ministry spokesman");
- the match opens on "Department" after a capitalised word that is not a country, a
  determiner or a headline's capitals ("Minnesota Department of Commerce", "North Carolina
  Department of Commerce": ties.local_department, which generic Departments already obey;
  not "Deputy State Department spokeswoman");
- a word that makes it sub-national stands right before its capitalised name ("New York
  State Department of Health", "the state Department of Health"; not "13-state USDA");
- it is a ministry and a region follows it after "of" / "de" / "du" ("le ministère de la Santé
  du Sindh", "ministère de l'Intérieur de Bavière"). Not a police body: "la police nationale du
  Rhône" writes the national force's name.

The place keeps its own mention (the "located" tag).
"""
from __future__ import annotations

from .ties import local_department

LOCAL_WORDS = frozenset({"state", "provincial", "county", "municipal"})
_AFTER = frozenset({" of ", " de ", " du ", " de l'", " de l\u2019", " d'", " d\u2019", " de la "})


def _is_national(entities: dict, aliases, ministry: bool) -> bool:
    """All the match's bodies are agencies of a country (ministries, when asked)."""
    ids = [eid for alias in aliases for eid in alias.entity_ids]
    return bool(ids) and all(entities[eid].type == "agency" and entities[eid].country
                             and (not ministry or entities[eid].kind == "ministry") for eid in ids)


def _is_region(entities: dict, aliases) -> bool:
    ids = [eid for alias in aliases for eid in alias.entity_ids]
    return len(ids) == 1 and entities[ids[0]].type == "place" and entities[ids[0]].kind == "region"


def _region_before(root: dict, entities: dict, doc, i: int) -> bool:
    """The one to three words before word i are a region's name, each with its capital."""
    for k in range(i - 1, max(i - 4, -1), -1):
        if not doc.text[doc.starts[k]].isupper() or (k < i - 1 and doc.gap(k + 1) != " "):
            return False
        node = root
        for word in doc.words[k:i]:
            node = node.get(word)
            if node is None:
                break
        else:  # None is the trie's key for the aliases ending at a node (matcher._END)
            if any(_is_region(entities, (alias,)) and _is_name(alias.rule, doc.language)
                   for alias in node.get(None, ())):
                return True
    return False


def _is_name(rule: str | None, language: str | None) -> bool:
    """The region's name is no ordinary word or person's name in the text's language
    (places.rule_for: "place-locative-en" wants "in" before it in English: "North-West")."""
    return rule == "place" or bool(rule and language and rule.startswith("place-locative-")
                                   and not rule.endswith(language))


def local_cue(root: dict, entities: dict, doc, i: int, j: int, starting: set[int],
              country_ends: set[int]) -> str | None:
    """"before" or "after" when the match at [i, j] reads as a local office's name (by what
    stands before it, or by a region after it), else None. `starting`: word indexes where a
    region's accepted name starts; `country_ends`: where country names end."""
    if i > 0 and doc.gap(i) == " ":
        first = doc.word(i)
        if first[:1].isupper() and _region_before(root, entities, doc, i):
            return "before"  # "Texas Department of Agriculture"
        if doc.words[i - 1] in LOCAL_WORDS and first[:1].isupper() and not first.isupper() \
                and (i < 2 or doc.gap(i - 1) != "-"):
            return "before"  # "New York State Department of Health"; not "13-state USDA"
        if doc.words[i] == "department" and not doc.word(i - 1).isupper() \
                and local_department(doc, i, j, country_ends):
            return "before"  # "Minnesota Department of Commerce"
    for k in range(j + 2, min(j + 4, len(doc.words))):
        if k in starting and doc.lowered[doc.ends[j]:doc.starts[k]] in _AFTER:
            return "after"  # "le ministère de la Santé du Sindh"
    return None


def drop_local_bodies(root: dict, entities: dict, doc, raw: list) -> list:
    """The matcher's raw matches (i, j, aliases) less the national bodies named as a state's,
    a province's or a county's office."""
    national = [n for n, (_, _, aliases) in enumerate(raw) if _first_is_national(entities, aliases)]
    if not national:
        return raw  # most texts: no agency of a country at all (countries, places, UN bodies)
    starting: set[int] = set()
    country_ends: set[int] = set()
    for i, j, aliases in raw:
        if _is_region(entities, aliases):
            starting.add(i)
        else:
            ids = [eid for alias in aliases for eid in alias.entity_ids]
            if ids and all(entities[eid].type == "country" for eid in ids):
                country_ends.add(j)
    dropped = set()
    for n in national:
        i, j, aliases = raw[n]
        cue = local_cue(root, entities, doc, i, j, starting, country_ends)
        if cue and _is_national(entities, aliases, ministry=cue == "after"):
            dropped.add(n)
    return [item for n, item in enumerate(raw) if n not in dropped] if dropped else raw


def _first_is_national(entities: dict, aliases) -> bool:
    """A cheap first look: the match's first body is an agency of a country."""
    ids = aliases[0].entity_ids
    return bool(ids) and entities[ids[0]].type == "agency" and entities[ids[0]].country is not None
