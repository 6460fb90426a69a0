"""Coordinated ministries: "les ministères de l'Intérieur, de la Santé et de l'Industrie", "the
Ministries of Interior and Trade", "the interior and defence ministries".

Plural "ministères" (or "ministries of") followed by subjects joined by commas and "et" ("and"):
each subject is the ministry "ministère <subject>" ("ministry of <subject>"), generic or a
country's own. They are one government's: when one of them
is a country's own ministry ("les ministères des Armées et des Affaires étrangères": the Armées
are France's), the generic ones are that country's too, whatever country the text names most.
"""
from __future__ import annotations

from dataclasses import replace

from .context import SPACES
from .roles import DEPARTMENT_STATES


# plural head -> (the singular's path in the trie, the words after the plural, the conjunction)
_HEADS = {"ministeres": (("ministere",), 0, "et"), "ministries": (("ministry", "of"), 1, "and")}


def coordinated(matcher, doc, i: int, count: int, raw: list) -> int:
    """Append each coordinated subject's match to raw; returns the last word used (i if none)."""
    path, skip, conjunction = _HEADS[doc.words[i]]
    if skip and (i + skip >= count or list(doc.words[i + 1:i + 1 + skip]) != list(path[1:])):
        return i  # "the ministries said": no subject follows
    head, last, k = matcher.root, i, i + 1 + skip
    for word in path:
        head = head.get(word) if head is not None else None
    found_here: list[int] = []
    while head is not None and k < count:
        found = matcher._longest(doc, k, count, None, head)
        aliases = tuple(alias for alias in found[1] if alias.case == "any") if found else ()
        if not aliases:
            break
        found_here.append(len(raw))
        raw.append((i if last == i else k, found[0], aliases))
        last = found[0]
        k = last + 1
        if k < count and doc.gap(k).strip() == ",":
            k += doc.words[k] == conjunction
        elif k < count and doc.words[k] == conjunction and doc.gap(k) == " ":
            k += 1
        else:
            break
    _share_country(matcher.entities, raw, found_here)
    return last


def _share_country(entities: dict, raw: list, indexes: list[int]) -> None:
    """The generic subjects go to the country of the one subject that is a country's own."""
    own = {entities[alias.entity_ids[0]].country for n in indexes for alias in raw[n][2]
           if not alias.generic and len(alias.entity_ids) == 1}
    own.discard(None)
    if len(own) != 1:
        return
    country = own.pop()
    for n in indexes:
        i, j, aliases = raw[n]
        if all(alias.generic for alias in aliases):
            chosen = [alias for alias in aliases for eid in alias.entity_ids
                      if entities[eid].country == country]
            if chosen:
                eid = next(e for e in chosen[0].entity_ids if entities[e].country == country)
                raw[n] = (i, j, (type(chosen[0])((eid,)),))


def coordinated_before(matcher, doc, i: int, raw: list) -> None:
    """English subjects before a plural "ministries" ("the interior and defence ministries", "the
    finance, trade and foreign ministries"): each subject is the generic "<subject> ministry".
    Appends their matches to raw, in text order; nothing when the words before are no such list."""
    words, found = doc.words, []
    k = i - 1
    while k >= 0:
        subject = _subject_before(matcher, doc, k)
        if subject is None:
            break
        first, aliases = subject
        found.append((first, k, aliases))
        k = first - 1
        if k >= 0 and words[k] == "and" and doc.gap(k + 1) == " " or k >= 0 and doc.gap(k + 1).strip() == ",":
            k -= words[k] == "and"
            continue
        break
    if len(found) >= 2:
        raw.extend(reversed(found))


def _subject_before(matcher, doc, k: int):
    """(first word, generic aliases) of a one- or two-word subject ending at word k ("defence",
    "foreign affairs") whose "<subject> ministry" is a generic alias."""
    words, root = doc.words, matcher.root
    for first in (k - 1, k):
        if first < 0 or any(doc.gap(n) not in SPACES for n in range(first + 1, k + 1)):
            continue
        node = root
        for word in (*words[first:k + 1], "ministry"):
            node = node.get(word) if node is not None else None
        ends = node.get(None) if node is not None else None
        aliases = tuple(alias for alias in ends or () if alias.generic and alias.case == "any")
        if aliases and doc.word(first)[:1].isupper():  # "the Economics and Foreign ministries":
            aliases = tuple(replace(alias, entity_ids=tuple(   # ministries, not US departments
                eid for eid in alias.entity_ids if matcher.entities[eid].country not in DEPARTMENT_STATES))
                for alias in aliases)
        if aliases:
            return first, aliases
    return None
