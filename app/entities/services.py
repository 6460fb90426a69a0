"""Armed services by their bare capitalised names ("the Navy", "the Air Force"): data/services.yaml.

Each name becomes one generic alias over the services of its role, resolved by the matcher like
a generic ministry: to the service of the country the text names most, else to none. The
context rule "service" (context.py) keeps it to "the Navy" mid-sentence or opening one ("The
Navy said"), not "the Salvation Army" or a headline's "Navy Seals Train ...". A text that
names one country's defence bodies ("the Pentagon") has that country's services
(`narrow_services`, a pass over the matcher's raw matches).
"""
from __future__ import annotations

from dataclasses import replace

from .sources import AliasRecord, GazetteerDataError, Sources


def load_services(data: dict, sources: Sources) -> None:
    services = data.get("services") or {}
    for key, language in (("names", "en"), ("names_fr", "fr")):
        for role, names in (data.get(key) or {}).items():
            ids = tuple(services.get(role) or ())
            unknown = [eid for eid in ids if eid not in sources.entities]
            if not ids or unknown:
                raise GazetteerDataError(f"services.yaml: {role}: unknown or no services {unknown}")
            for name in names:
                sources.records.append(AliasRecord(ids, name, "capital", "service",
                                                   languages=(language,), generic=True))


def _defence_country(entity) -> str | None:
    """The country of a military body or defence ministry ("the Pentagon", "U.S. warships" is
    no body), by its kind and its canonical name."""
    if entity.type != "agency" or not entity.country:
        return None
    if entity.kind == "military" or any(word in entity.name for word in _DEFENCE_WORDS):
        return entity.country
    return None


_DEFENCE_WORDS = ("Defense", "Defence", "Armed Forces")


def narrow_services(entities: dict, raw: list) -> list:
    """A bare service name in a text that names the defence bodies of one of its countries is
    that country's service, whatever country the text names most: "the Pentagon said ... the
    Navy also raided a second rig" in a story about Iran is the US Navy."""
    services = [n for n, (_, _, aliases) in enumerate(raw) if aliases[0].rule == "service"]
    if not services:
        return raw  # most texts
    anchored = {_defence_country(entities[alias.entity_ids[0]]) for _, _, aliases in raw
                for alias in aliases if not alias.generic and len(alias.entity_ids) == 1}
    anchored.discard(None)
    out = list(raw)
    for n in services:
        i, j, aliases = raw[n]
        ids = [eid for alias in aliases for eid in alias.entity_ids
               if entities[eid].country in anchored]
        if len(set(ids)) == 1:
            out[n] = (i, j, (replace(aliases[0], entity_ids=(ids[0],), generic=False),))
    return out
