"""Read the gazetteer's YAML files (app/entities/data/) into entities and alias records.

The YAML files are the reviewable artefact; data/README.md documents their fields. Errors name
the file and the entry ("agencies.yaml: bcij: unknown country 'xx'").
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import yaml

from .normalise import strip_accents
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


class GazetteerDataError(ValueError):
    pass


def _read(path: Path):
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as error:
        raise GazetteerDataError(f"{path.name}: {error}") from error


def case_for(alias: str) -> str:
    """Acronyms (all capitals, short) must be written exactly; other names in any case."""
    letters = strip_accents(alias).replace(".", "").replace("-", "").replace(" ", "")
    return "exact" if letters.isupper() and len(letters) <= 8 else "any"


def load_sources(data_dir: Path = DATA_DIR) -> Sources:
    sources = Sources({}, [], set())
    countries = _read(data_dir / "countries.yaml")
    _load_countries(countries, sources)
    agencies = _read(data_dir / "agencies.yaml")
    _load_agencies(agencies, countries, sources, "agencies.yaml", "agency")
    if (data_dir / "groups.yaml").exists():
        groups = _read(data_dir / "groups.yaml")
        _load_agencies({"agencies": groups}, countries, sources, "groups.yaml", "group")
    if (data_dir / "blocklist.yaml").exists():
        for phrase in _read(data_dir / "blocklist.yaml") or []:
            sources.records.append(AliasRecord((), phrase))
    return sources


def _load_countries(countries: dict, sources: Sources) -> None:
    for code, entry in countries.items():
        names = {lang: entry[lang] for lang in ("en", "fr", "es") if entry.get(lang)}
        sources.entities[code] = Entity(code, "country", entry["name"], names)
        context = entry.get("context") or {}
        proper = [entry["name"], *names.values(), *(entry.get("aliases") or [])]
        forms = [(text, "capital") for text in proper]
        forms += [(text, "exact") for text in entry.get("acronyms") or []]
        forms += [(text, "capital") for text in entry.get("demonyms_en") or []]
        forms += [(text, "any") for text in entry.get("demonyms_fr") or []]
        seen = set()
        for text, case in forms:
            if (text, case) in seen:
                continue
            seen.add((text, case))
            rule = context.get(text)
            sources.records.append(AliasRecord((code,), text, case, rule))


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
        sources.entities[ident] = Entity(
            ident, kind, entry["name"], dict(entry.get("names") or {}),
            acronym=entry.get("acronym"), kind=entry.get("kind"), country=country,
        )
        if entry.get("primary"):
            sources.primary.add(ident)
        acronym_languages = tuple(entry["acronym_languages"]) if entry.get("acronym_languages") else None
        for text in [entry["name"], *(entry.get("names") or {}).values(), *(entry.get("aliases") or [])]:
            sources.records.append(AliasRecord((ident,), text, case_for(text)))
        for text in [entry.get("acronym"), *(entry.get("acronyms") or [])]:
            if text:
                sources.records.append(AliasRecord((ident,), text, "exact", languages=acronym_languages))
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
