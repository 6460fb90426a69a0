"""Acronyms written in title case: "Nato", "Unesco", "l'Onu", "Cédéao".

British and French papers spell acronyms that are pronounced as words in title case; the
matcher otherwise requires the all-capital form ("NATO") exactly. A title-case form is added
for an agency's or group's acronym of three letters or more when:

* it is not an ordinary word of English or French: data/titlecase.yaml counts how often the
  form occurs in lower case, and in all, in English and French news (bench/titlecase_words.py
  writes it); a form seen in lower case MIN_LOWER times and LOWER_SHARE of the time or more in
  either language is a word ("Who", "Bid", "Far"; "Raid" in French) and is never matched: French
  papers quote English words ("le Who's Who", "Far West");
* it is not a first name or a name part listed in titlecase.yaml's curated `names`
  ("Ida", "Ira", "Sri");
* and, in the text, the matcher's "titlecase" rule holds (matcher.py): not next to another
  capitalised name ("Ira Glass", "Sri Lanka"), and at the start of a sentence only when the
  text names the same body another way too (corroboration) -- unless the form is KNOWN: never
  written in lower case in either language's news and seen KNOWN_COUNT times or more in one
  ("Nato", "Unesco", "Otan", "Cédéao": rule "titlecase-known"); "Nato said on Monday" opening
  a story then names Nato by itself.
"""
from __future__ import annotations

import dataclasses

from .normalise import fold, strip_accents
from .sources import DATA_DIR, AliasRecord, Sources, _read

OUTPUT = DATA_DIR / "titlecase.yaml"
MIN_LOWER = 5  # lower-case occurrences from which a form can count as an ordinary word...
LOWER_SHARE = 0.05  # ...when they are also this share of all its occurrences
LANGUAGES = ("en", "fr")
KNOWN_COUNT = 20  # occurrences (none in lower case) from which a form needs no corroboration
# Two-letter function words, which an acronym of two capitals looks like in a headline in capitals.
SHORT_WORDS = {"en": frozenset("am an as at be by do go he if in is it me my no of on or so to up us we".split()),
               "fr": frozenset("au ce de du en et il la le ma ne ni on ou sa se si ta te tu un".split())}


def title_form(acronym: str) -> str | None:
    """"NATO" -> "Nato"; None for forms that are not plain capital letters, or too short."""
    letters = strip_accents(acronym)
    if len(letters) < 3 or not letters.isalpha() or not letters.isupper() or not letters.isascii():
        return None
    return acronym[0] + acronym[1:].lower()


def _acronym_records(sources: Sources):
    for record in sources.records:
        if record.case != "exact" or len(record.entity_ids) != 1:
            continue
        entity = sources.entities.get(record.entity_ids[0])
        if entity is None or entity.type == "country":
            continue
        form = title_form(record.text)
        if form:
            yield record, form


def candidate_forms(sources: Sources | None = None) -> set[str]:
    """Every title-case form the gazetteer's acronyms give (what titlecase.yaml must count)."""
    if sources is None:
        from .sources import load_sources
        sources = load_sources()
    return {form for _, form in _acronym_records(sources)}


def load_counts(path=OUTPUT) -> tuple[dict[str, dict[str, list[int]]], set[str]]:
    """{form: {lang: [lower-case count, count]}}, and the curated names."""
    data = _read(path) if path.exists() else {}
    counts = {str(form): dict(langs) for form, langs in (data.get("lowercase_counts") or {}).items()}
    names = {fold(name) for name in data.get("names") or []}
    return counts, names


def is_word(counted: list[int] | None) -> bool:
    """Whether [lower-case count, count] makes a form an ordinary word of a language."""
    lower, total = counted or (0, 0)
    return lower >= MIN_LOWER and lower >= LOWER_SHARE * total


def is_known(langs: dict[str, list[int]]) -> bool:
    """Never in lower case, and common: the press's way of writing the body, not a word."""
    counted = [langs.get(lang) or (0, 0) for lang in LANGUAGES]
    return all(lower == 0 for lower, _ in counted) and max(total for _, total in counted) >= KNOWN_COUNT


def titlecase_records(sources: Sources, path=OUTPUT) -> list[AliasRecord]:
    """The extra "Nato"-style records, with the languages in which each is not a word."""
    counts, names = load_counts(path)
    records, seen = [], set()
    for record, form in _acronym_records(sources):
        key = fold(form)
        if key in names or key not in counts:  # uncounted: not matched until the script reruns
            continue
        if any(is_word(counts[key].get(lang)) for lang in LANGUAGES):
            continue  # a word of either language: French papers quote "Who", "Far West", "Ice"
        languages = list(LANGUAGES)
        if record.languages:
            languages = [lang for lang in languages if lang in record.languages]
        if not languages or (record.entity_ids, form) in seen:
            continue
        seen.add((record.entity_ids, form))
        rule = "titlecase-known" if is_known(counts[key]) else "titlecase"
        records.append(AliasRecord(record.entity_ids, form, "exact", rule, tuple(languages)))
    return records


def mark_word_acronyms(sources: Sources, path=OUTPUT) -> None:
    """An acronym that is also an ordinary word ("ICE", "FAR", "AID") is not matched in a line
    written all in capitals, where the word looks the same: Reuters' headlines ("HIGH WINDS
    KEEP VESSELS TRAPPED IN BALTIC ICE", "TIGHT FAR EAST FREIGHT SPACE"). Gives such records
    the rule "not-in-capitals:<languages>" (context.py: in a text of a language where it is a
    word), unless they have a rule of their own."""
    counts, _ = load_counts(path)
    rules = {}
    for record, form in _acronym_records(sources):
        langs = counts.get(fold(form)) or {}
        languages = [lang for lang in LANGUAGES if is_word(langs.get(lang))]
        if record.rule is None and languages:  # "BIS" is a French word, not an English one
            rules[id(record)] = "not-in-capitals:" + "+".join(languages)
    for record in sources.records:  # two letters: too short to count, the function words
        if record.case == "exact" and record.rule is None and len(record.text) == 2 \
                and len(record.entity_ids) == 1 and record.entity_ids[0] in sources.entities \
                and sources.entities[record.entity_ids[0]].type != "country":
            languages = [lang for lang in LANGUAGES if record.text.lower() in SHORT_WORDS[lang]]
            if languages:  # "DOLLAR'S LEVEL IS APPROPRIATE": no Islamic State
                rules[id(record)] = "not-in-capitals:" + "+".join(languages)
    sources.records[:] = [dataclasses.replace(record, rule=rules[id(record)]) if id(record) in rules
                          else record for record in sources.records]
