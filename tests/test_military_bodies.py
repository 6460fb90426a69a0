"""Armed forces by their proper names, and bodies named through their members (issue 14, part 4):
the class of the Scots Guards and "US marshals" of the tuning set, as a table."""
from __future__ import annotations

import pytest

from app.entities import load_gazetteer


@pytest.fixture(scope="module")
def gz():
    return load_gazetteer()


CASES = [
    ("The British Army and the RAF sent two helicopters", "en", {"uk-army", "uk-raf", "gb"}, set()),
    ("A Royal Navy frigate shadowed the ship", "en", {"uk-royal-navy"}, set()),
    ("soldiers of the Scots Guards and the Coldstream Guards", "en", {"scots-guards", "coldstream-guards"}, set()),
    ("Two US marshals escorted him to court", "en", {"us-marshals", "us"}, set()),
    ("The army said the border was calm", "en", set(), {"uk-army", "us-army"}),
    ("La Marine nationale a intercepté le navire", "fr", {"fr-marine-nationale"}, set()),
    ("un ancien de la Légion étrangère", "fr", {"fr-legion-etrangere"}, set()),
    ("l'armée de l'air israélienne a frappé", "fr", {"il"}, {"fr-armee-de-l-air"}),
    ("l'armée de terre malienne", "fr", {"ml"}, {"fr-armee-de-terre"}),
    # The other US services, the Joint Chiefs and the combatant commands (10 U.S.C., the UCP).
    ("The U.S. Army said two soldiers died", "en", {"us-army", "us"}, {"us-armed-forces"}),
    ("the U.S. Marine Corps and the U.S. Air Force", "en", {"us-marine-corps", "us-air-force"}, set()),
    ("chairman of the U.S. Joint Chiefs of Staff", "en", {"us-joint-chiefs"}, set()),
    ("the U.S. Pacific Command and SOCOM", "en", {"indopacom", "socom"}, set()),
    ("the American army crossed the river", "en", set(), {"us-army"}),  # generic: lower case
]


@pytest.mark.parametrize("text, language, expected, absent", CASES, ids=[c[0][:40] for c in CASES])
def test_armed_forces_are_named_bodies_only_by_their_proper_names(gz, text, language, expected, absent):
    tagged = {t.entity_id for t in gz.tag(text, "", language) if not t.located_only}
    assert expected <= tagged and not (absent & tagged)


def test_coordinated_ministries_are_still_each_a_ministry(gz):
    tagged = {t.entity_id for t in gz.tag(
        "Le Maroc rouvre ses cafés",
        "Les ministères de l'Intérieur, de la Santé et de l'Industrie du Maroc ont annoncé la mesure.", "fr")}
    assert {"ma-interior-ministry", "ma-health-ministry", "ma-industry-ministry"} <= tagged


# Bare capitalised names after "the": the service of the text's country (services.py).
BARE = [
    ("U.S. warships sailed to the U.S. base and the Navy raided a rig.", {"us-navy"}, set()),
    ("British troops left Britain; the Army said Britain would cut costs.", {"uk-army"}, {"us-army"}),
    ("The Coastguard rescued two British sailors off Britain.", {"uk-coastguard"}, set()),
    # The Pentagon names the US: "the Navy" is the US Navy though Iran is named most.
    ("Iran and Iranian boats. Iranian guards. The Navy raided a rig, the Pentagon said.",
     {"us-navy", "dod"}, {"uk-royal-navy"}),
    # After "a" or a lower-case word: "an Air Force contract", "the U.S. Navy and Air Force".
    ("Grumman is being awarded a 97 mln dlr Air Force contract, the U.S. Defense Department said.",
     {"us-air-force"}, set()),
    ("missiles for the U.S. Navy and Air Force", {"us-navy", "us-air-force"}, set()),
    # Other names ending in Army, a sentence's first word, no country, a country with none,
    # a base's name, another country's service, a possessive.
    ("The Salvation Army said homeless numbers rose in the United States.", set(), {"us-army"}),
    ("Navy personnel boarded the U.S. ship.", set(), {"us-navy"}),
    ("Litton said the Navy awarded a contract.", set(), {"us-navy", "uk-royal-navy"}),
    ("Petrobras in Brazil asked the Army to withdraw from Brazil's refineries.", set(), {"us-army"}),
    ("the Irish Republican Army in Britain and Britain", set(), {"uk-army"}),
    ("It lifted off from Cape Canaveral Air Force Station in the United States.", set(),
     {"us-air-force"}),
    ("It services Indonesian Air Force aircraft, U.S. officials in the United States said.", set(),
     {"us-air-force"}),
    ("Dad's Army was repeated on British television in Britain.", set(), {"uk-army"}),
]


@pytest.mark.parametrize("text, expected, absent", BARE, ids=[c[0][:40] for c in BARE])
def test_a_bare_service_name_is_the_service_of_the_texts_country(gz, text, expected, absent):
    tagged = {t.entity_id for t in gz.tag(text, "", "en") if not t.located_only}
    assert expected <= tagged and not (absent & tagged)


def test_a_bare_service_name_is_english_only(gz):
    tagged = {t.entity_id for t in gz.tag("Le tube", "In the Army Now, aux États-Unis.", "fr")}
    assert "us-army" not in tagged
