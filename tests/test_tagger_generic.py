"""Table tests for the classes of tagger session 8 (issue 14): generic ministries when countries
tie (the title's country), "Department" as English governments name their ministries (and a
state's or a city's Department left alone), a country's name as the other language's press
writes it ("Vietnam" in French), and two executive bodies found in unlabelled corpus text.
Positive and negative cases side by side."""
from __future__ import annotations

import pytest

from tests.test_tagger_classes import gz  # noqa: F401  (the gazetteer fixture)


def tagged(gz, title: str, body: str, language: str) -> set[str]:
    return {tag.entity_id for tag in gz.tag(title, body, language) if tag.mentions}


# -- a generic ministry when countries tie: the title's country -----------------------------------

@pytest.mark.parametrize("title, body, language, wanted, unwanted", [
    # Two countries named as often: the title names Japan first.
    ("JAPAN REBUFFS BRITAIN IN TELECOMS ROW",
     "Japan and Britain met. The Posts and Telecommunications Ministry said.", "en",
     {"jp-posts-telecom-ministry"}, {"gb-posts-telecom-ministry"}),
    ("Coronavirus: premier décès au Vietnam",
     "La Chine et le Vietnam. Selon le ministère de la Santé, un mort.", "fr",
     {"vn-health-ministry"}, {"cn-health-ministry"}),
    # The title names neither: no ministry rather than a guess.
    ("Trade talks", "Japan and Britain met. The Posts and Telecommunications Ministry said.", "en",
     set(), {"jp-posts-telecom-ministry", "gb-posts-telecom-ministry"}),
    # "Ministry" is never the name of the US body of a role: Japan's, though the title says U.S.
    ("U.S. AND JAPAN TALK", "The U.S. and Japan. U.S. and Japan. Brokers get Finance Ministry approval.",
     "en", {"jp-finance-ministry"}, {"us-treasury"}),
    # No tie: the dominant country, as before.
    ("Bonds", "Japan, Japan and the U.S. The Finance Ministry said.", "en",
     {"jp-finance-ministry"}, set()),
])
def test_a_generic_ministry_in_a_tie_goes_to_the_titles_country(gz, title, body, language,
                                                                 wanted, unwanted):
    found = tagged(gz, title, body, language)
    assert wanted <= found and not unwanted & found


# -- "Department": the ministries of governments that call them so --------------------------------

@pytest.mark.parametrize("title, body, wanted, unwanted", [
    ("U.K. UNEMPLOYMENT FALLS", "U.K. unemployment fell, the Employment Department said.",
     {"uk-work-pensions-department"}, set()),
    ("U.K. TRADE", "Britain's deficit narrowed, the Trade and Industry Department said.",
     {"uk-trade-department"}, set()),
    ("Canada budget", "Canada's deficit rose, the Finance Department said.",
     {"ca-finance-ministry"}, set()),
    # The USDA's own name stays the USDA's, whatever country the story is about.
    ("SUDAN GETS CREDITS", "Credits were issued to Sudan today, the Agriculture Department said.",
     {"us-agriculture-department"}, {"sd-agriculture-ministry"}),
    # A state's, a city's Department; a division of a ministry where ministries are ministries.
    ("Texas", "The Texas Department of Employment said. The United States.", set(),
     {"us-labor-department", "us-labour-ministry"}),
    ("Health", "The New York State Department of Health said. The United States.", set(),
     {"us-hhs", "us-health-ministry"}),
    ("Thai tin", "Thailand's output rose, the Mineral Resources Department said.", set(),
     {"th-mines-ministry"}),
    # Lower case: a local office as often as not.
    ("Health", "Britain. The city's health department said.", set(), {"uk-health-department"}),
])
def test_department_names_the_ministry_where_governments_say_so(gz, title, body, wanted, unwanted):
    found = tagged(gz, title, body, "en")
    assert wanted <= found and not unwanted & found


# -- a country's name as the other language's press writes it; two executive bodies --------------

@pytest.mark.parametrize("title, body, language, wanted", [
    ("Au Vietnam", "L'un d'eux, résidant au Vietnam, ne s'est pas présenté.", "fr", {"vn"}),
    ("Budget", "The Office of Management and Budget said the deficit would grow.", "en", {"us-omb"}),
    ("Japan", "The government's Economic Planning Agency said the economy grew.", "en",
     {"jp-economic-planning-agency"}),
])
def test_names_found_in_unlabelled_corpus_text(gz, title, body, language, wanted):
    assert wanted <= tagged(gz, title, body, language)


def test_mexico_in_french_is_the_city_not_the_country(gz):
    assert "mx" not in tagged(gz, "Voyage", "Il est arrivé à Mexico lundi.", "fr")


# -- a national body's name used for a state's or a province's office (local_bodies.py) ----------

@pytest.mark.parametrize("title, body, language, wanted, unwanted", [
    # A region before the body's own name: the state's (the USDA's name, the Commerce Department's).
    ("Crops", "The Texas Department of Agriculture said the U.S. crop was poor.", "en",
     {"us"}, {"us-agriculture-department"}),
    ("Wheat", "The Manitoba Agriculture Department said the U.S. crop was poor.", "en",
     {"us"}, {"us-agriculture-department"}),
    ("Guard", "The Ohio National Guard was deployed in the United States.", "en",
     {"us"}, {"us-national-guard"}),
    ("Stock", "The Minnesota Department of Commerce suspended the U.S. firm's shares.", "en",
     {"us"}, {"us-commerce-department"}),
    ("Pests", "California State Department of Agriculture officials said.", "en",
     set(), {"us-state-department", "us-agriculture-department"}),
    ("Health", "The state Department of Health said the U.S. cases rose.", "en",
     {"us"}, {"us-hhs", "uk-health-department"}),
    ("Karachi", "selon le ministère de la Santé du Sindh, au Pakistan.", "fr",
     {"pk"}, {"pk-health-ministry"}),
    # Not local: the federal body's own name, a capital for its government, a title before it,
    # "13-state" (a count of states).
    ("Wheat", "The U.S. Department of Agriculture said exports rose.", "en",
     {"us-agriculture-department"}, set()),
    ("Bonn", "West Germany's deficit grew, a Bonn finance ministry spokesman said.", "en",
     {"de-finance-ministry"}, set()),
    ("Talks", "Deputy State Department spokeswoman Phyllis Oakley said the U.S. would act.", "en",
     {"us-state-department"}, set()),
    ("Cattle", "Traders said the 13-state USDA cattle report was bearish for U.S. prices.", "en",
     {"us-agriculture-department"}, set()),
    # The national police of a département is its directorate there, a local office (RULES.md,
    # labels2: "la police nationale du Nord"); so is another country's national police.
    ("Python", "comme l'a raconté la police nationale du Maine-et-Loire, en France.", "fr",
     {"fr"}, {"fr-police-nationale"}),
    ("Port-au-Prince", "la police nationale d'Haïti a arrêté deux hommes.", "fr",
     {"ht"}, {"fr-police-nationale"}),
])
def test_a_national_bodys_name_for_a_states_office_is_local(gz, title, body, language, wanted,
                                                            unwanted):
    found = tagged(gz, title, body, language)
    assert wanted <= found and not unwanted & found


# -- coordinated ministries are one government's (coordination.py) --------------------------------

@pytest.mark.parametrize("body, wanted, unwanted", [
    # The Armées are France's: so is the foreign ministry beside them, though Turkey leads.
    ("La France suspend ses ventes à la Turquie, ont fait savoir les ministères des Armées et des "
     "Affaires étrangères. La Turquie et la Turquie.", {"fr-armed-forces-ministry", "quai-dorsay"},
     {"tr-foreign-ministry"}),
    # All generic: the text's country, as before.
    ("Au Maroc, les ministères de l'Intérieur et de la Santé ont indiqué",
     {"ma-interior-ministry", "ma-health-ministry"}, set()),
])
def test_coordinated_ministries_share_the_country_of_the_one_named_as_its_own(gz, body, wanted,
                                                                             unwanted):
    found = tagged(gz, "Exportations", body, "fr")
    assert wanted <= found and not unwanted & found
