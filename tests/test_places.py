"""Places -> "located" country tags: the table of cases (app/entities/places.py,
place_context.py, data/places.tsv written by scripts/places_gazetteer.py)."""
from __future__ import annotations

import pytest

from app.entities import load_gazetteer
from app.entities.places import PLACES_FILE, read_rows, rule_for


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


def located(gz, text: str, language: str) -> dict[str, list[str]]:
    """country -> places that justified its located tag, for a one-line title."""
    return {t.entity_id: [m.place for m in t.places] for t in gz.tag(text, "", language) if t.places}


# (text, language, country -> places expected); {} means no located tag at all.
CASES = [
    ("Casablanca Police Arrest Two Suspects", "en", {"ma": ["Casablanca"]}),
    ("Attentat à Nice : trois morts", "fr", {"fr": ["Nice"]}),
    ("A nice day out", "en", {}),
    ("The council met in Reading on Monday", "en", {"gb": ["Reading"]}),
    ("Reading the news is a habit", "en", {}),
    ("Les tours de la cathédrale", "fr", {}),
    ("Un concert à Tours samedi", "fr", {"fr": ["Tours"]}),
    ("A mobile phone maker", "en", {}),
    ("Paris Hilton arrives in court", "en", {}),
    ("George Washington crossed the river", "en", {}),
    ("The Washington Post reported it", "en", {}),
    ("Nice-Matin rapporte les faits", "fr", {}),
    ("He was born in Jersey City", "en", {"us": ["Jersey City"]}),
    ("Wildfires in New Mexico spread", "en", {"us": ["New Mexico"]}),
    ("Les feux en Nouvelle-Galles du Sud", "fr", {"au": ["New South Wales"]}),
    ("A study by the University of Reading", "en", {}),
    ("Paris, Texas is a small town", "en", {"us": ["Texas"]}),
    ("M. Bolton a démissionné", "fr", {}),
    ("Florence Parly a salué les soldats", "fr", {}),
    ("Le parquet de Paris a ouvert une enquête", "fr", {"fr": ["Paris"]}),
    ("Londres et Pékin ont signé", "fr", {"gb": ["London"], "cn": ["Beijing"]}),
    ("FAVORED TRADE STATUS FOR MOSCOW STILL OPPOSED", "en", {}),
    ("Toyota said profits rose", "en", {}),
]


@pytest.mark.parametrize("text, language, expected", CASES, ids=[c[0][:40] for c in CASES])
def test_place_names_give_their_country_only_where_they_are_the_place(gz, text, language, expected):
    assert located(gz, text, language) == expected


def test_a_country_named_only_through_a_city_is_a_located_only_tag(gz):
    (tag,) = gz.tag("Casablanca : deux suspects arrêtés", "", "fr")
    assert (tag.entity_id, tag.located, tag.located_only, tag.about) == ("ma", True, True, False)
    assert tag.places[0].surface == "Casablanca" and tag.places[0].sentence


def test_a_country_named_and_located_keeps_both_kinds_of_mention(gz):
    tags = {t.entity_id: t for t in gz.tag("Le Maroc renforce la sécurité à Casablanca", "", "fr")}
    ma = tags["ma"]
    assert ma.located and not ma.located_only and ma.about
    assert [m.surface for m in ma.mentions] == ["Maroc"]
    assert [m.place for m in ma.places] == ["Casablanca"]


def test_places_are_no_entities_of_the_gazetteer(gz):
    assert "fr:Paris" not in gz.entities and gz.lookup("Paris") is None


def test_the_places_file_has_one_row_per_alias_with_five_fields():
    rows = read_rows(PLACES_FILE)
    assert len(rows) > 5000
    assert all(len(r) == 5 and r[3] in ("city", "region") for r in rows)
    aliases = [r[0] for r in rows]
    assert len(aliases) == len(set(aliases))


def test_word_and_person_flags_become_locative_rules():
    assert rule_for("") == "place"
    assert rule_for("word-en") == "place-locative-en"
    assert rule_for("word-en,person-fr") == "place-locative"
    assert rule_for("rivals:us") == "place" and rule_for("person-en,rivals:ca+us") == "place-locative-en"


def test_rival_flags_name_known_countries_and_spare_the_best_known_cities():
    rows = {r[0]: r for r in read_rows(PLACES_FILE)}
    rivals = {alias: r[4].split("rivals:")[1].split("+") for alias, r in rows.items() if "rivals:" in r[4]}
    assert len(rivals) > 50 and all(len(c) == 2 for codes in rivals.values() for c in codes)
    assert rivals["Burlington"] == ["us"] and "Geneva" not in rivals and "Athens" not in rivals
