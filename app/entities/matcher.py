"""Find gazetteer aliases in a text: tokenise once, walk a token trie, longest match wins.

Why a token trie and not one big regex: the gazetteer holds tens of thousands of alias forms;
a trie costs one dict lookup per word of the article whatever the gazetteer's size.

Rules that make the matches precise (see tests/test_entities.py for the table of cases):
- an alias is a sequence of words; words may be separated by spaces, hyphens or apostrophes
  only (never a comma, a full stop or a paragraph break), except dotted acronyms ("U.S."); a
  line wrapped inside a paragraph (one line break, not indented) counts as a space;
- case: acronyms must be written exactly ("US", not "us"); proper names and English demonyms
  must start with a capital ("Turkey", not "turkey"); French demonyms and agency names match in
  any case ("marocaine", "ministère de l'intérieur");
- the longest alias starting at a word wins and matches never overlap, except that an agency
  name containing its own country ("Moroccan ministry of the interior") also yields that
  country's mention, so filtering by country finds the article;
- (resolve.py) an alias shared by several agencies ("DGSN": Morocco and Algeria) goes to the one whose
  country the text mentions most, else to the entity marked primary, else nowhere;
- a generic phrase ("the interior ministry") goes to the ministry of the country named right
  next to it ("Moroccan health ministry", "ministère de la Santé du Maroc"), else of the text's
  dominant country (strictly most mentioned); in a French text that names no country, or where France
  ties for the most mentions, to France's ("le ministère de la Santé"); else nowhere;
- a sub-body's name that holds its parent's ("Groupe d'intervention de la gendarmerie
  nationale") also mentions the parent (the `parent` field of the data);
- a few names need context or are never matched, only looked up ("Grenade", "Réunion");
- a few names need context ("Jordan", "Chad": not before or after another capitalised name;
  "Georgia": not near Atlanta or "state of");
- an acronym's title-case form ("Nato", "l'Onu": see titlecase.py) is not matched next to
  another capitalised name ("Sri Lanka"), and at a sentence's start only when the text also
  names the body another way (or the form is a known one);
- a national body's name right after a region's is the state's office ("Texas Department of
  Agriculture": local_bodies.py); a bare service ("the Navy") is the service of the country
  whose defence bodies the text names, else of its dominant country (services.py);
- an acronym the text defines as something else ("l'impôt sur la fortune (ISF)") names no body
  in that text (definitions.py).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass

from .context import (SPACES, TITLE_AFTER, TITLE_AFTER_CAPITAL, context_rejects, in_a_ticker_name, names_a_bank,
                      names_association, names_company, starts_sentence, titled_before)
from .coordination import coordinated, coordinated_before
from .definitions import drop_defined_otherwise
from .local_bodies import drop_local_bodies
from .names import in_a_bank_name, in_a_compound_name
from .normalise import SentenceIndex, fold, split_words, strip_accents
from .resolve import resolve
from .services import narrow_services
from .types import Entity, Mention

_PLURALS = frozenset({"ministeres", "ministries"})
# Capitalised words that carry a generic ministry's name on into another body's ("Department of
# Health Services", "Ministry of Finance Inspection Board").
_NAME_GOES_ON = frozenset("services service administration agency board commission bureau institute "
                          "division authority corporation corp bank fund".split())

_END = None  # trie key holding the aliases that end at a node (words are never None)
# "_" joins the words of a handle ("Interieur_Gouv").
_GAP_CHARS = frozenset(" -'_\u2019\u2018\u02bc\u00a0\u202f\u2009\u2010\u2011\u2013")
_DOTTED_GAPS = frozenset({".", ". ", ".-", ".\n", ". \n", ".\n "})  # and "U.S.\nTreasury" wrapped
# A line wrapped inside a paragraph (Reuters' bodies: "the International Coffee\nOrganization"):
# one line break, not indented (a paragraph starts indented, or after a blank line).
_WRAPS = frozenset({"\n", " \n", "\n "})


@dataclass(frozen=True)
class Alias:
    entity_ids: tuple[str, ...]  # () blocks a phrase ("New Jersey"); several: shared or generic
    case: str = "any"  # "any" | "capital" | "exact"
    forms: frozenset[str] = frozenset()  # for "exact": the accepted surfaces, accents stripped
    dotted: bool = False  # the alias itself has full stops between words ("U.S. State Department")
    capitals: tuple[int, ...] = (0,)  # for "capital": words that must start with a capital
    rule: str | None = None  # context rule name, see _context_rejects
    languages: frozenset[str] | None = None  # only in texts of these languages
    generic: bool = False  # resolved through the text's dominant country


def _capital_only(node: dict) -> bool:
    """Every alias under this first-word node needs its first word capitalised."""
    stack, seen = [node], False
    while stack:
        current = stack.pop()
        for key, child in current.items():
            if key is _END:
                if not all(a.case == "capital" and a.capitals[:1] == (0,) for a in child):
                    return False
                seen = True
            else:
                stack.append(child)
    return seen  # a node with no alias ("ministeres", see coordination.py) is not skipped


def _names_any(ids, aliases) -> bool:
    """Does any of ``aliases`` name one of ``ids`` (a set, or a dict's keys)?"""
    for alias in aliases:
        if not ids.isdisjoint(alias.entity_ids):
            return True
    return False


def add_alias(root: dict, words: tuple[str, ...], alias: Alias) -> None:
    node = root
    for word in words:
        node = node.setdefault(word, {})
    node.setdefault(_END, []).append(alias)


class _Doc:
    """One text, tokenised once: folded words and their character offsets."""
    __slots__ = ("text", "lowered", "words", "starts", "ends", "language", "sentences")

    def __init__(self, text: str, language: str | None):
        lowered = text.lower()
        if len(lowered) != len(text):  # e.g. "İ" lowercases to two characters
            lowered = fold(text)
        self.text = text
        self.lowered = lowered
        self.words, self.starts, self.ends = split_words(lowered)
        self.language = language
        self.sentences = None  # its SentenceIndex, built on first use (sentence_index)

    def sentence_index(self) -> SentenceIndex:
        """The text's sentence index, built once, when a context rule or resolve() first asks."""
        if self.sentences is None:
            self.sentences = SentenceIndex(self.text)
        return self.sentences

    def word(self, k: int) -> str:
        return self.text[self.starts[k]:self.ends[k]]

    def gap(self, k: int) -> str:
        """The characters between word k-1 and word k."""
        return self.lowered[self.ends[k - 1]:self.starts[k]]


# What may stand between a country and a generic ministry next to it (Matcher._next_to_country).


class Matcher:
    def __init__(self, root: dict, entities: dict[str, Entity], primary: frozenset[str],
                 parents: dict[str, str] | None = None,
                 cues: dict[str, tuple[str, ...]] | None = None):
        self.root = root
        for plural in ("ministeres", "ministries"):  # so that the plurals are looked at (coordination)
            root.setdefault(plural, {})
        self.entities = entities
        self.primary = primary
        self.parents = parents or {}
        self.cues = cues or {}
        # First words all of whose aliases want a capital there ("Paris", "Nice"): a lower-case
        # "paris" or "nice" in the text is skipped without walking the trie (places made these
        # many; about a third of the trie walks were for them).
        self.capital_first = frozenset(w for w, node in root.items() if _capital_only(node))
        # Agencies of a country: the only entities whose names may hold a nested country.
        self._national_agencies = frozenset(eid for eid, e in entities.items()
                                            if e.type == "agency" and e.country is not None)

    # -- matching -----------------------------------------------------------------------

    def find_mentions(self, text: str, language: str | None) -> list[Mention]:
        return self.find(text, language)[0]

    def find(self, text: str, language: str | None, home: str | None = None
             ) -> tuple[list[Mention], SentenceIndex | None]:
        """Mentions, and the text's sentence index (None when nothing was found). ``home``: the
        country of the outlet that published the text (outlets.py), if known."""
        doc = _Doc(text, language)
        words, root = doc.words, self.root
        raw: list[tuple[int, int, tuple[Alias, ...]]] = []
        count, free = len(words), 0  # words before `free` are inside an earlier match
        weak: set[int] = set()  # word indexes of matches that need another mention
        capital_first, text, starts = self.capital_first, doc.text, doc.starts
        for i in list(itertools.compress(itertools.count(), map(root.__contains__, words))):  # in C
            if i < free or (words[i] in capital_first and not text[starts[i]].isupper()):
                continue
            if words[i] == "ministries" and doc.language in (None, "en"):
                coordinated_before(self, doc, i, raw)  # "the interior and defence ministries"
            if words[i] in _PLURALS:  # "les ministères de l'Intérieur, de la Santé et ..."
                last = coordinated(self, doc, i, count, raw)
                if last > i or words[i] not in root:
                    free = last + 1
                    continue
            if words[i] == "ministere":  # "le ministère marocain de la Santé"
                last = self._adjective_inside(doc, i, count, raw)
                if last > i:
                    free = last + 1
                    continue
            node = root[words[i]]
            if _END not in node and (i + 1 == count or words[i + 1] not in node):
                continue  # "la", "the": only the start of longer aliases, and not this time
            found = self._longest(doc, i, count, None)
            if found is None:
                continue
            j, aliases = found
            if aliases:
                if all(alias.rule == "titlecase" for alias in aliases) and starts_sentence(doc, i) \
                        or all(alias.rule == "corroborated" for alias in aliases):
                    weak.add(i)  # "Nato" opening a sentence, "OCS": kept if named another way too
                raw.append((i, j, aliases))
                self._nested_countries(doc, i, j, aliases, raw)
                if self.parents:
                    self._nested_parents(doc, i, j, aliases, raw)
            free = j + 1
        if not raw:
            return [], None
        raw = narrow_services(self.entities, drop_local_bodies(root, self.entities, doc, raw))
        mentions, sentences = resolve(self, doc, raw, weak, home)
        return drop_defined_otherwise(text, mentions, self.entities), sentences

    def _adjective_inside(self, doc: _Doc, i: int, count: int, raw) -> int:
        """"ministère" + a country's adjective + a generic ministry's subject ("le ministère
        marocain de la Santé", "ministère sri-lankais de la Défense"): that country's ministry
        and the country. Returns the last word used (i if none)."""
        head = self.root.get("ministere")
        if head is None or i + 2 >= count or doc.gap(i + 1) != " ":
            return i
        country = self._longest(doc, i + 1, count, self._is_country)
        if country is None or country[0] + 1 >= count or doc.gap(country[0] + 1) != " ":
            return i
        end, country_aliases = country
        found = self._longest(doc, end + 1, count, None, head)
        if found is None:
            return i
        codes = {eid for alias in country_aliases for eid in alias.entity_ids}
        chosen = next((eid for alias in found[1] for eid in alias.entity_ids  # generic or own
                       if self.entities[eid].country in codes), None)
        if chosen is None:
            return i
        raw.append((i, found[0], (Alias((chosen,)),)))
        raw.append((i + 1, end, country_aliases))
        return found[0]

    def _longest(self, doc: _Doc, i: int, limit: int, only, start: dict | None = None):
        """(last word index, valid aliases) of the longest alias starting at word i (after the
        trie node `start`, when given)."""
        words = doc.words
        node = self.root if start is None else start
        ends: list[tuple[int, list[Alias], bool]] = []
        dotted_gap = False
        j = i
        while True:
            node = node.get(words[j])
            if node is None:
                break
            if _END in node:
                ends.append((j, node[_END], dotted_gap))
            j += 1
            if j >= limit or len(node) == (_END in node):
                break
            gap = doc.gap(j)
            if gap in _DOTTED_GAPS:  # "U.S." or "U.S. State Department"
                dotted_gap = True
            elif (not gap or not _GAP_CHARS.issuperset(gap)) and gap not in _WRAPS:
                break
        for j, candidates, has_dot in reversed(ends):
            valid = [alias for alias in candidates if self._accepts(alias, doc, i, j, has_dot, only)]
            if valid:
                return j, tuple(valid)
        return None

    def _accepts(self, alias: Alias, doc: _Doc, i: int, j: int, has_dot: bool, only) -> bool:
        if alias.languages is not None and doc.language is not None \
                and doc.language not in alias.languages:
            return False
        if only is not None and not (alias.entity_ids and all(map(only, alias.entity_ids))):
            return False
        text, starts = doc.text, doc.starts
        if alias.case == "exact":
            if strip_accents(text[starts[i]:doc.ends[j]]) not in alias.forms:
                return False
            if "<" in text[max(0, starts[i] - 80):starts[i]] and in_a_ticker_name(doc, i, j):
                return False  # a Reuters ticker: "Dresdner Bank AG <DRSD.F>", "BIRD <BIRD>"
        elif has_dot and not alias.dotted:
            return False
        elif alias.case == "capital" and not (  # most want one capital, on their first word
                text[starts[i]].isupper() if alias.capitals == (0,)
                else all(text[starts[i + k]].isupper() for k in alias.capitals)):
            return False
        if alias.case == "capital" and alias.entity_ids \
                and self.entities[alias.entity_ids[0]].type == "country" and names_company(doc, j):
            return False
        if alias.entity_ids and self.entities[alias.entity_ids[0]].type == "country" \
                and (names_association(doc, i) or in_a_compound_name(doc, i, j) or in_a_bank_name(doc, i)):
            return False
        if alias.rule and context_rejects(alias.rule, doc, i, j):
            return False
        if alias.entity_ids and self.entities[alias.entity_ids[0]].kind == "international" \
                and names_a_bank(doc, i):
            return False
        if j + 1 < len(doc.words) and doc.gap(j + 1) in (" ", "\n", " \n") and alias.entity_ids \
                and self.entities[alias.entity_ids[0]].kind == "ministry" \
                and (doc.words[j + 1] in TITLE_AFTER or doc.words[j + 1] in TITLE_AFTER_CAPITAL
                     and text[starts[j + 1]].isupper()):
            return False  # "U.S. Treasury Secretary": the office-holder's title, not the body
        if j + 2 < len(doc.words) and doc.words[j + 1] == "minister" and text[starts[j + 1]].isupper() \
                and doc.gap(j + 2) == " " and text[starts[j + 2]].isupper() and alias.generic:
            return False  # "Italian Treasury Minister Giovanni Goria"; "Home Office Minister X" is a member
        if alias.entity_ids and self.entities[alias.entity_ids[0]].kind == "ministry" \
                and (titled_before(doc, i) or names_company(doc, j)):
            return False  # "Chief Secretary to the Treasury"; "TREASURY CORP OF NSW" (a company)
        if (alias.generic or alias.entity_ids and self.entities[alias.entity_ids[0]].kind == "ministry") \
                and j + 1 < len(doc.words) and doc.words[j + 1] in _NAME_GOES_ON \
                and doc.gap(j + 1) in SPACES and text[starts[j + 1]].isupper():
            return False  # "Department of Health Services" (California's): another body's name
        return True

    def _nested_countries(self, doc: _Doc, i: int, j: int, aliases, raw) -> None:
        """'Moroccan ministry of the interior' also mentions Morocco (its own country only)."""
        if not _names_any(self._national_agencies, aliases):
            return  # most matches: a country, a place, an international body
        own = {self.entities[eid].country for alias in aliases for eid in alias.entity_ids
               if self.entities[eid].type == "agency" and not alias.generic}
        own.discard(None)
        if not own:
            return
        k = i
        while k <= j:
            found = self._longest(doc, k, j + 1, self._is_country)
            if found is None:
                k += 1
                continue
            end, country_aliases = found
            ids = {eid for alias in country_aliases for eid in alias.entity_ids}
            if ids & own:
                raw.append((k, end, country_aliases))
            k = end + 1

    def country_of(self, eid: str) -> str | None:
        entity = self.entities[eid]
        return eid if entity.type == "country" else entity.country

    def _is_country(self, eid: str) -> bool:
        return self.entities[eid].type == "country"

    def _nested_parents(self, doc: _Doc, i: int, j: int, aliases, raw) -> None:
        """'Groupe d'intervention de la gendarmerie nationale' also names the gendarmerie."""
        if not _names_any(self.parents.keys(), aliases):
            return
        parents = {self.parents[eid] for alias in aliases for eid in alias.entity_ids
                   if eid in self.parents}
        if not parents:
            return
        for k in range(i, j + 1):
            found = self._longest(doc, k, j + 1, parents.__contains__)
            if found is not None:
                raw.append((k, found[0], found[1]))
                return
