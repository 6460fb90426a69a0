"""Read the gazetteer's YAML files (app/entities/data/) into entities and alias records.

The YAML files are the reviewable artefact; data/README.md documents their fields. Errors name
the file and the entry ("agencies.yaml: bcij: unknown country 'xx'").
"""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .normalise import fold, strip_accents, word_initials
from .types import Entity

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class AliasRecord:
    """One way of writing an entity, before compilation into the matcher's trie."""
    entity_ids: tuple[str, ...]  # () for a blocked phrase
    text: str
    case: str = "any"  # "any" | "capital" | "exact"
    rule: str | None = None
    languages: tuple[str, ...] | None = None
    generic: bool = False


@dataclass
class Sources:
    entities: dict[str, Entity]
    records: list[AliasRecord]
    primary: set[str]
    parents: dict[str, str] = field(default_factory=dict)  # sub-body -> body ("ircgn" -> gendarmerie)
    cues: dict[str, tuple[str, ...]] = field(default_factory=dict)  # country -> words (shared names)


# libyaml's safe loader when PyYAML was built with it: 1.1 s -> 0.2 s for the four data files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class GazetteerDataError(ValueError):
    pass


def _read(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)
    except (OSError, yaml.YAMLError) as error:
        raise GazetteerDataError(f"{path.name}: {error}") from error


def case_for(alias: str) -> str:
    """How an agency or group alias must be written to match.

    Acronyms (all capitals, short) exactly; short proper names ("Home Office", "Interpol") with
    their capitals, since "home office" or "white house" in lower case are common words;
    longer names in any case (French press writes "direction générale de la sûreté nationale").
    """
    letters = strip_accents(alias).replace(".", "").replace("-", "").replace(" ", "")
    if letters.isupper() and len(letters) <= 8:
        return "exact"
    initials = word_initials(alias)
    if len(initials) <= 2 and all(initial.isupper() for initial in initials):
        return "capital"
    return "any"


def load_sources(data_dir: Path = DATA_DIR) -> Sources:
    sources = Sources({}, [], set())
    countries = _read(data_dir / "countries.yaml")
    _load_countries(countries, sources)
    agencies = _read(data_dir / "agencies.yaml")
    _load_agencies(agencies, countries, sources, "agencies.yaml", "agency")
    if (data_dir / "ministries.yaml").exists():
        from .roles import load_base_roles, load_roles  # roles.py builds on this module
        ministries = _read(data_dir / "ministries.yaml")
        _load_agencies({"agencies": ministries.get("agencies")}, countries, sources,
                       "ministries.yaml", "agency")
        listed = (agencies.get("agencies") or []) + (ministries.get("agencies") or [])
        load_roles(ministries, listed, countries, sources)
        load_base_roles(agencies.get("generic") or {}, listed, countries, sources)
    for name in ("international.yaml", "national_units.yaml"):
        if (data_dir / name).exists():
            _load_agencies(_read(data_dir / name), countries, sources, name, "agency")
    if (data_dir / "services.yaml").exists():  # "the Navy": the dominant country's
        from .services import load_services  # services.py builds on this module
        load_services(_read(data_dir / "services.yaml"), sources)
    if (data_dir / "groups.yaml").exists():
        groups = _read(data_dir / "groups.yaml")
        _load_agencies({"agencies": groups}, countries, sources, "groups.yaml", "group")
    if (data_dir / "handles.yaml").exists():  # "@PoliceNationale": a body's own account
        for ident, handles in (_read(data_dir / "handles.yaml") or {}).items():
            if ident not in sources.entities:
                raise GazetteerDataError(f"handles.yaml: {ident}: unknown id")
            for handle in handles:
                sources.records.append(AliasRecord((ident,), handle, "any", "handle"))
    if (data_dir / "shared_names.yaml").exists():
        _load_shared_names(_read(data_dir / "shared_names.yaml") or [], sources)
    for name in ("blocklist.yaml", "blocklist_places.yaml"):
        if (data_dir / name).exists():
            for phrase in _read(data_dir / name) or []:
                # With its capitals: "Tour de France" (the race) is blocked, "un tour de
                # France" (touring the country) names France.
                sources.records.append(AliasRecord((), phrase, "capital"))
    return sources


def _load_countries(countries: dict, sources: Sources) -> None:
    for code, entry in countries.items():
        names = {lang: entry[lang] for lang in ("en", "fr", "es") if entry.get(lang)}
        sources.entities[code] = Entity(code, "country", entry["name"], names)
        context = entry.get("context") or {}
        # Names and demonyms match in texts of their own language only (or of unknown
        # language): "Pôle emploi" is not a Pole, "Credit Suisse" not Switzerland in English.
        forms = [(entry["name"], "capital", "en")]
        forms += [(text, "capital", lang) for lang, text in names.items()]
        forms += [(text, "capital", None) for text in entry.get("aliases") or []]
        forms += [(text, "exact", languages) for text, languages in
                  map(_split_languages, entry.get("acronyms") or [])]
        forms += [(text, "capital", "en") for text in entry.get("demonyms_en") or []]
        forms += [(text, "any", "fr") for text in entry.get("demonyms_fr") or []]
        # "franco-marocain", "Sino-Japanese": the first half of a compound, before a hyphen only.
        forms += [(text, "any", None) for text in entry.get("compounds") or []]
        seen = set()
        for text, case, language in forms:
            if (text, case, language) in seen:
                continue
            seen.add((text, case, language))
            languages = (language,) if isinstance(language, str) else language
            rule = "compound" if text in (entry.get("compounds") or ()) else context.get(text)
            if rule is None and language == "fr" and text == (entry.get("demonyms_fr") or [None])[0]:
                rule = "language-fr"  # "le grec et le latin": the language (context.py)
            sources.records.append(AliasRecord((code,), text, case, rule, languages))


def _load_shared_names(entries: list[dict], sources: Sources) -> None:
    """"Congo": one record for both countries, resolved by the text's cues (matcher.py)."""
    for entry in entries:
        codes = tuple(entry["countries"])
        for code, cues in entry["countries"].items():
            if code not in sources.entities:
                raise GazetteerDataError(f"shared_names.yaml: unknown country {code!r}")
            sources.cues[code] = tuple(fold(cue) for cue in cues)
        for field_name, case, language in (("names", "capital", None),
                                           ("demonyms_en", "capital", ("en",)),
                                           ("demonyms_fr", "any", ("fr",))):
            for text in entry.get(field_name) or []:
                sources.records.append(AliasRecord(codes, text, case, languages=language))


# British and American spellings of the words bodies' names are made of: a name written one way
# in the data matches the other ("Organization for Security and Cooperation in Europe").
_SPELLINGS = [("Organisation", "Organization"), ("Co-operation", "Cooperation"),
              ("Co-ordination", "Coordination"), ("Programme", "Program"), ("Defence", "Defense"),
              ("Labour", "Labor"), ("Centre", "Center"), ("Organised", "Organized")]
_SPELLING = re.compile(r"\b(%s)\b" % "|".join(re.escape(w) for pair in _SPELLINGS for w in pair),
                       re.IGNORECASE)
_OTHER = {w.lower(): other for a, b in _SPELLINGS for w, other in ((a, b), (b, a))}


# French names join their words with "de" or "pour" either way in the press: "Organisation
# internationale des migrations" (for "pour les migrations"), "Agence européenne de
# l'environnement" ("pour l'"), "Inspection générale de police nationale" ("de la police").
# One swap at a time, from the official form to the press's, in long names (any case) only.
_CONNECTORS = [(" pour les ", " des "), (" pour l'", " de l'"), (" pour la ", " de la "),
               (" pour le ", " du "), (" de la police ", " de police "),
               (" de la gendarmerie ", " de gendarmerie ")]


def connector_variants(text: str) -> list[str]:
    """A long French name with one of its connectors swapped ("pour les" -> "des" ...)."""
    if case_for(text) != "any":
        return []
    out = []
    for one, other in _CONNECTORS:
        start = text.find(one)
        while start >= 0:
            out.append(text[:start] + other + text[start + len(one):])
            start = text.find(one, start + 1)
    return out


def spelling_variants(text: str) -> list[str]:
    """The name with its British spellings made American and the other way round, word by word
    in every combination ([] if it has none); a variant keeps the case of the word it replaces."""
    parts = _SPELLING.split(text)  # [text, word, text, word, ..., text]
    if len(parts) == 1 or len(parts) > 7:
        return []

    def other(word: str) -> str:
        swapped = _OTHER[word.lower()]
        return swapped.lower() if word.islower() else swapped
    choices = [(part,) if k % 2 == 0 else (part, other(part)) for k, part in enumerate(parts)]
    return ["".join(combo) for combo in itertools.product(*choices)][1:]


def _split_languages(written: str) -> tuple[str, tuple[str, ...] | None]:
    """"UN@en" -> ("UN", ("en",)): an acronym matched only in texts of those languages."""
    text, _, languages = written.partition("@")
    return text, tuple(languages.replace("+", ",").split(",")) if languages else None


def _country_forms(country: dict) -> dict[str, list[str]]:
    names_en = [country["name"], country.get("en"), *(country.get("aliases") or []),
                *(country.get("acronyms") or [])]
    names_en = [name for name in dict.fromkeys(names_en) if name and name.isascii()]
    fr = country.get("fr") or country["name"]
    demonyms_fr = country.get("demonyms_fr") or []
    return {
        "adj_en": (country.get("demonyms_en") or [])[:1],
        "name_en": names_en,
        "adj_fr": demonyms_fr[:1],
        "adj_fr_f": demonyms_fr[1:2],
        "name_fr": [fr],
        "de_name_fr": [f"{article}{fr}" for article in ("du ", "de la ", "de l'", "des ", "de ")],
        "name_es": [country.get("es") or country["name"]],
    }


def _expand(template: str, forms: dict[str, list[str]]) -> list[str]:
    keys = [key for key in forms if "{" + key + "}" in template]
    results = []
    for values in itertools.product(*(forms[key] for key in keys)):
        results.append(template.format(**dict(zip(keys, values))))
    return results


def _load_agencies(data: dict, countries: dict, sources: Sources, filename: str, kind: str) -> None:
    templates = data.get("templates") or {}
    by_role: dict[str, list[str]] = {}
    for entry in data.get("agencies") or []:
        ident = entry.get("id")
        if not ident or not entry.get("name"):
            raise GazetteerDataError(f"{filename}: entry without id or name: {entry!r}")
        if ident in sources.entities:
            raise GazetteerDataError(f"{filename}: {ident}: duplicate id")
        country = entry.get("country")
        if country in (None, "international"):
            country = None
        elif country not in countries:
            raise GazetteerDataError(f"{filename}: {ident}: unknown country {country!r}")
        acronym = _split_languages(entry["acronym"])[0] if entry.get("acronym") else None
        sources.entities[ident] = Entity(
            ident, kind, entry["name"], dict(entry.get("names") or {}),
            acronym=acronym, kind=entry.get("kind"), country=country,
        )
        if entry.get("primary"):
            sources.primary.add(ident)
        if entry.get("parent"):
            sources.parents[ident] = entry["parent"]
        acronym_languages = tuple(entry["acronym_languages"]) if entry.get("acronym_languages") else None
        context = entry.get("context") or {}  # {alias: rule}, as for countries (context.py)
        # Aliases matched only with their capitals as written ("armée de Terre": in lower case,
        # "une armée de terre" is any land army), whatever case_for would allow.
        cased = set(entry.get("cased") or ())
        written = [entry["name"], *(entry.get("names") or {}).values(), *(entry.get("aliases") or []), *cased]
        rule_of = dict(context)  # a spelling variant keeps its alias's rule ("Sûreté de l'Etat")
        variants = []
        for text in written:
            for variant in spelling_variants(text) + connector_variants(text):
                variants.append(variant)
                if text in context:
                    rule_of.setdefault(variant, context[text])
        for text in dict.fromkeys(written + variants):
            # ... and a country's "Armed Forces": "West German armed forces" is any army (RULES.md)
            case = "capital" if text in cased or text.endswith("Armed Forces") else case_for(text)
            sources.records.append(AliasRecord((ident,), text, case, rule_of.get(text)))
            if text.startswith("US "):  # "US Treasury" is also written "U.S. Treasury"
                sources.records.append(AliasRecord((ident,), "U.S. " + text[3:], case_for(text),
                                                   rule_of.get(text)))
        for written in [entry.get("acronym"), *(entry.get("acronyms") or [])]:
            if written:
                text, languages = _split_languages(written)
                sources.records.append(AliasRecord((ident,), text, "exact", context.get(text),
                                                   languages=languages or acronym_languages))
        role = entry.get("role")
        if role:
            by_role.setdefault(role, []).append(ident)
            if country and role in templates:
                forms = _country_forms(countries[country])
                for template in templates[role]:
                    for text in _expand(template, forms):
                        sources.records.append(AliasRecord((ident,), text, "any"))
    for role, phrases in (data.get("generic") or {}).items():
        ids = tuple(by_role.get(role, ()))
        for text in phrases:
            sources.records.append(AliasRecord(ids, text, "any", generic=True))
    for role, phrases in (data.get("portfolios") or {}).items():
        ids = tuple(by_role.get(role, ()))
        for text in phrases:
            sources.records.append(AliasRecord(ids, text, "capital", "portfolio", languages=("fr",),
                                               generic=True))
