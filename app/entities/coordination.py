"""Coordinated ministries: "les ministères de l'Intérieur, de la Santé et de l'Industrie", "the
Ministries of Interior and Trade".

Plural "ministères" (or "ministries of") followed by subjects joined by commas and "et" ("and"):
each subject is the ministry "ministère <subject>" ("ministry of <subject>"), generic or a
country's own. They are one government's: when one of them
is a country's own ministry ("les ministères des Armées et des Affaires étrangères": the Armées
are France's), the generic ones are that country's too, whatever country the text names most.
"""
from __future__ import annotations


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
