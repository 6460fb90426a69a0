"""What the entity API (/api/entities) says about countries, agencies and groups: the records
tools resolve names with, built from the gazetteer (names, acronyms, aliases) and the archive
(article counts, analysts' aliases and merges). The routes are in app/web/routes/api_entities.py.
"""
from __future__ import annotations

import re

from app.entities import Entity, Gazetteer
from app.entities.normalise import strip_accents

TYPES = ("country", "agency", "group")
MAX_LIMIT = 500


# Words that only French names of bodies use: the data gives agencies an English name and
# aliases in both languages, not names per language.
_FRENCH = re.compile(r"(?:^|[\s'])(?:de|du|des|la|le|les|l|d|et|ministère|générale?|nationale?|sécurité|"
                     r"état|etat|armée|groupe)(?=[\s']|$)", re.IGNORECASE)
_SPANISH = re.compile(r"\b(?:del|ministerio|los|las|y)\b", re.IGNORECASE)


def names(gz: Gazetteer, ent: Entity) -> dict[str, str]:
    """Name per language: the data's for countries; for agencies and groups the English name and
    the first alias written with French words ("Direction générale de la sécurité intérieure")."""
    if ent.names:
        return dict(sorted(ent.names.items()))
    out = {"en": ent.name}
    french = next((a for a in gz.aliases_of(ent.id, ordered=True)
                   if _FRENCH.search(a) and not _SPANISH.search(a)), None)
    if french:
        out["fr"] = french
    return out


def _fold(text: str | None) -> str:
    return strip_accents(text or "").casefold()


def matching(gz: Gazetteer, type_: str | None, q: str) -> list[Entity]:
    """Entities of the type whose id, names or acronym hold the words of q; the entity the
    archive itself resolves q to (gz.lookup: "Otan", "Maroc", "U.S.") comes first."""
    found = gz.lookup(q) if q else None
    words = _fold(q).split()
    out = [found] if found is not None and type_ in (None, found.type) else []
    for ent in gz.entities.values():
        if type_ and ent.type != type_ or ent is found:
            continue
        haystack = _fold(" ".join([ent.id, ent.name, ent.acronym or "", *ent.names.values()]))
        if all(w in haystack for w in words):
            out.append(ent)
    return out


def counts_json(counts: tuple[int, int, int] | None) -> dict:
    mentioned, about, located = counts or (0, 0, 0)
    return {"mentioned": mentioned, "about": about, "located": located}


def summary(ent: Entity, counts, merged_into: str | None) -> dict:
    return {"id": ent.id, "type": ent.type, "name": ent.name, "acronym": ent.acronym,
            "kind": ent.kind, "country": ent.country, "articles": counts_json(counts),
            "merged_into": merged_into, "url": f"/api/entities/{ent.id}"}


def acronyms(gz: Gazetteer, ent: Entity) -> list[str]:
    """The acronym, then every all-capital short alias ("OTAN", "NATO")."""
    forms = [ent.acronym] if ent.acronym else []
    for alias in gz.aliases_of(ent.id):
        letters = strip_accents(alias).replace(".", "").replace("-", "")
        if letters.isalpha() and letters.isupper() and len(letters) <= 8 and alias not in forms:
            forms.append(alias)
    return forms


def detail(gz: Gazetteer, ent: Entity, counts, corrections: dict) -> dict:
    record = summary(ent, counts, corrections["merged_into"])
    record.update({
        "names": names(gz, ent),
        "acronyms": acronyms(gz, ent),
        "aliases": gz.aliases_of(ent.id),
        "analysts_aliases": corrections["analysts_aliases"],
        "merged_from": corrections["merged_from"],
        "pages": {"html": f"/{'countries' if ent.type == 'country' else 'agencies'}/{ent.id}",
                  "search": f"/api/search?{'country' if ent.type == 'country' else 'agency'}={ent.id}"},
    })
    return record
