"""Ministries of every subject, per country, from one table of subjects (data/ministries.yaml).

agencies.yaml lists the interior, foreign, justice and defence ministries one by one, with
their phrasings as templates. Other subjects (health, education, finance, economy, labour,
agriculture, trade, industry, energy, transport, environment, culture ...) follow the same
phrasings, so they are written once per subject:

    health-ministry: {name: Ministry of Health, en: [health], fr: [de la Santé], es: [de Sanidad]}

and expanded here into: the ministry of every state of countries.yaml (not the TERRITORIES)
(`<cc>-health-ministry`, unless an entry of agencies.yaml or ministries.yaml already has that
country and role, such as `uk-health-department`) and the generic phrases ("the health
ministry", "ministry of health", "le ministère de la Santé"). The matcher gives a generic phrase
to the country named right next to it ("Moroccan health ministry", "Morocco's ministry of
health", "health ministry of Morocco", "le ministère de la Santé marocain / du Maroc", and with
the adjective inside, "le ministère marocain de la Santé"), else to the text's dominant country.
No phrasing is expanded per country: every subject x 250 countries would be tens of thousands of
trie entries.

The roles agencies.yaml lists country by country (interior, foreign, justice, defence,
religious affairs: BASE_ROLES) get a generated ministry for each country it does not list
(`load_base_roles`): "the Sri Lankan defence ministry", "le ministère ivoirien de la Défense"
name a ministry as surely as "the Malian defence ministry" does.
"""
from __future__ import annotations

from .normalise import tokens
from .sources import AliasRecord, GazetteerDataError, Sources, case_for
from .types import Entity

GENERIC = {"en": ["{s} ministry", "ministry of {s}"], "fr": ["ministère {s}", "ministère chargé {s}"],
           "es": ["Ministerio {s}"]}
# Dependent territories (ISO 3166-1 codes of no sovereign state): their ministries are their
# sovereign's ("le ministère de l'Intérieur" in a story about New Caledonia is France's).
TERRITORIES = frozenset("""as ai aq aw ax bl bm bq bv cc ck cw cx eh fk fo gf gg gi gl gp gs gu hk hm im io
    je ky mf mo mp mq ms nc nf nu pf pm pn pr re sh sj sx tc tf tk um vg vi wf yt""".split())
BASE_ROLES = {"interior-ministry": "Ministry of the Interior",
              "foreign-ministry": "Ministry of Foreign Affairs",
              "justice-ministry": "Ministry of Justice", "defence-ministry": "Ministry of Defence",
              "religious-affairs-ministry": "Ministry of Religious Affairs"}


def _fill(patterns: list[str], subject: str) -> list[str]:
    """Patterns with the subject in; "the economy" only after a word ("ministry of the
    economy"): a phrase opening on "the" would make every "the" of a text a trie lookup."""
    return [pattern.replace("{s}", subject) for pattern in patterns
            if not (pattern.startswith("{s}") and subject.startswith("the "))]


# English names a ministry "department" too ("the Employment Department", "the Department of
# Trade and Industry", "the Commerce Department"): written with its capitals only, since a lower-case
# "health department" is as often a city's or a state's (ties.py also leaves a Department named
# after a capitalised word that is not a country: "Texas Department of Employment").
DEPARTMENT = ["{s} Department", "Department of {s}"]
# The governments that name their ministries departments: elsewhere a "Department" is a
# ministry's division ("the Mineral Resources Department" of Thailand's industry ministry).
DEPARTMENT_STATES = frozenset({"gb", "us", "ca", "ie", "au", "nz", "za", "ph"})
# States whose every department ministries.yaml lists (the fifteen US executive departments and the
# OMB): no ministry is generated for another subject, so "the Economics Ministry" of a story that
# names the United States most goes to no US body ("Economics Ministry's foreign affairs division
# Frans Engering": the Dutch one, which the text does not tell).
COMPLETE_CABINETS = frozenset({"us"})


def generic_phrases(spec: dict) -> list[tuple[str, str]]:
    """(phrase, language): French phrases carry "fr" so that a French text with no country
    named resolves them to France (matcher.py)."""
    return [(phrase, lang) for lang, patterns in GENERIC.items()
            for subject in spec.get(lang) or [] for phrase in _fill(patterns, subject)]


def department_phrases(spec: dict) -> list[str]:
    """"Employment Department", "Department of Employment": the English subjects, capitalised
    (not "and", "of", "the" inside: "Department of Trade and Industry")."""
    def titled(subject: str) -> str:
        return " ".join(w if w in ("and", "of", "the") else w[:1].upper() + w[1:]
                        for w in subject.split())
    return [phrase for subject in spec.get("en") or []
            for phrase in _fill(DEPARTMENT, titled(subject))]


def load_roles(data: dict, agencies: list[dict], countries: dict, sources: Sources) -> None:
    """Add the ministries of data["roles"] for every country."""
    taken = {(entry.get("country"), role): entry["id"] for entry in agencies for role in _roles(entry)}
    # A body's own name ("Agriculture Department": the USDA's) is not made generic.
    named = {tuple(tokens(record.text)) for record in sources.records
             if not record.generic and "Department" in record.text}
    for role, spec in (data.get("roles") or {}).items():
        by_code = {code: taken.get((code, role))
                   or _generated(role, spec["name"], code, countries, sources)
                   for code in sorted(countries) if code not in TERRITORIES
                   and (code not in COMPLETE_CABINETS or (code, role) in taken)}
        ids = list(by_code.values())
        for phrase, lang in generic_phrases(spec):
            sources.records.append(AliasRecord(tuple(ids), phrase, "any", languages=(lang,),
                                               generic=True))
        departments = tuple(by_code[code] for code in sorted(DEPARTMENT_STATES) if code in by_code)
        for phrase in department_phrases(spec):
            if tuple(tokens(phrase)) not in named:
                sources.records.append(AliasRecord(departments, phrase, "capital",
                                                   languages=("en",), generic=True))
        for phrase in spec.get("names") or []:  # a bare name ("Treasury"): with its capitals
            sources.records.append(AliasRecord(tuple(ids), phrase, case_for(phrase), generic=True))


def load_base_roles(generic: dict, agencies: list[dict], countries: dict, sources: Sources) -> None:
    """The BASE_ROLES ministries of the countries agencies.yaml does not list: an entity each,
    and the role's generic phrases of agencies.yaml again with the new ids (the matcher takes
    the union of a phrase's records)."""
    taken = {(entry.get("country"), role) for entry in agencies for role in _roles(entry)}
    for role, name in BASE_ROLES.items():
        ids = []
        for code in sorted(countries):
            if (code, role) not in taken and code not in TERRITORIES and code not in COMPLETE_CABINETS:
                ident = f"{code}-{role}"
                if ident not in sources.entities:
                    _generated(role, name, code, countries, sources)
                ids.append(ident)
        for phrase in generic.get(role) or []:
            sources.records.append(AliasRecord(tuple(ids), phrase, "any", generic=True))


def _roles(entry: dict) -> list[str]:
    """An entry's role and its ``also_roles``: one ministry under two subjects' names (France's
    "ministère de l'Économie et des Finances" is its finance ministry and its economy ministry,
    so "the Finance Ministry" of a French story is that entry, not a generated second one)."""
    return [r for r in [entry.get("role"), *(entry.get("also_roles") or [])] if r]


def _generated(role: str, name: str, code: str, countries: dict, sources: Sources) -> str:
    """A country's ministry of a role: an entity, found by its id and its name in lookup()
    but written in no text by that name ("Ministry of Health (Botswana)")."""
    ident = f"{code}-{role}"
    if ident in sources.entities:
        raise GazetteerDataError(f"ministries.yaml: {ident}: duplicate id")
    name = f"{name} ({countries[code]['name']})"
    sources.entities[ident] = Entity(ident, "agency", name, {}, kind="ministry", country=code)
    sources.records.append(AliasRecord((ident,), name, case_for(name), "lookup-only"))
    return ident
