"""Ministries of every subject, per country, from one table of subjects (data/ministries.yaml).

agencies.yaml lists the interior, foreign, justice and defence ministries one by one, with
their phrasings as templates. Other subjects (health, education, finance, economy, labour,
agriculture, trade, industry, energy, transport, environment, culture) follow the same
phrasings, so they are written once per subject:

    health-ministry: {name: Ministry of Health, en: [health], fr: [de la Santé], es: [de Sanidad]}

and expanded here into: the ministry of each country that has an interior ministry in
agencies.yaml (`<cc>-health-ministry`, unless an entry of agencies.yaml or ministries.yaml
already has that country and role, such as `uk-health-department`) and the generic phrases
("the health ministry", "ministry of health", "le ministère de la Santé"). The matcher gives a
generic phrase to the country named right next to it ("Moroccan health ministry", "Morocco's
ministry of health", "health ministry of Morocco", "le ministère de la Santé marocain / du
Maroc"), else to the text's dominant country. Only the French order with the adjective inside
the phrase ("le ministère marocain de la Santé") is expanded per country: 12 subjects x 90
countries of every phrasing would be 70,000 more trie entries (100 MB, 1.5 s of start-up).
"""
from __future__ import annotations

from .sources import AliasRecord, GazetteerDataError, Sources, _country_forms, _expand, case_for
from .types import Entity

FR_PATTERNS = ["ministère {adj_fr} {s}"]  # the other orders: adjacency in the matcher
GENERIC = {"en": ["{s} ministry", "ministry of {s}"], "fr": ["ministère {s}"], "es": ["Ministerio {s}"]}


def _fill(patterns: list[str], subject: str) -> list[str]:
    """Patterns with the subject in; "the economy" only after a word ("ministry of the
    economy"): a phrase opening on "the" would make every "the" of a text a trie lookup."""
    return [pattern.replace("{s}", subject) for pattern in patterns
            if not (pattern.startswith("{s}") and subject.startswith("the "))]


def role_templates(spec: dict) -> list[str]:
    templates = []
    for lang, patterns in (("fr", FR_PATTERNS),):
        for subject in spec.get(lang) or []:
            # Braces of the subject are literal; the country placeholders stay for _expand.
            templates += _fill(patterns, subject)
    return templates


def generic_phrases(spec: dict) -> list[tuple[str, str]]:
    """(phrase, language): French phrases carry "fr" so that a French text with no country
    named resolves them to France (matcher.py)."""
    return [(phrase, lang) for lang, patterns in GENERIC.items()
            for subject in spec.get(lang) or [] for phrase in _fill(patterns, subject)]


def load_roles(data: dict, agencies: list[dict], countries: dict, sources: Sources) -> None:
    """Add the ministries of data["roles"] for every country of the interior-ministry role."""
    roles = data.get("roles") or {}
    taken = {(entry.get("country"), entry.get("role")): entry["id"] for entry in agencies
             if entry.get("role")}
    role_countries = sorted({entry["country"] for entry in agencies
                             if entry.get("role") == "interior-ministry"})
    for role, spec in roles.items():
        templates = role_templates(spec)
        ids = []
        for code in role_countries:
            ident = taken.get((code, role)) or _generated(role, spec, code, countries, sources)
            ids.append(ident)
            forms = _country_forms(countries[code])
            for template in templates:
                for text in _expand(template, forms):
                    sources.records.append(AliasRecord((ident,), text, "any"))
        for phrase, lang in generic_phrases(spec):
            sources.records.append(AliasRecord(tuple(ids), phrase, "any", languages=(lang,),
                                               generic=True))
        for phrase in spec.get("names") or []:  # a bare name ("Treasury"): with its capitals
            sources.records.append(AliasRecord(tuple(ids), phrase, case_for(phrase), generic=True))


def _generated(role: str, spec: dict, code: str, countries: dict, sources: Sources) -> str:
    ident = f"{code}-{role}"
    if ident in sources.entities:
        raise GazetteerDataError(f"ministries.yaml: {ident}: duplicate id")
    name = f"{spec['name']} ({countries[code]['name']})"
    sources.entities[ident] = Entity(ident, "agency", name, {}, kind="ministry", country=code)
    sources.records.append(AliasRecord((ident,), name, case_for(name)))
    return ident
