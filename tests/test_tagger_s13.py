"""Table tests for the tagger classes of session 13 (issue 14), found by listing the body-like names
the tagger leaves untagged in articles no labelled set holds (Reuters, BBC, Morocco World News) and
by reading its output on them: a generic ministry beside its country across a wrapped line, the
English "Ministry" of a story naming most a country that has none, Japan's and Malaysia's MITI.
Positive and negative cases side by side."""
from __future__ import annotations

import pytest

from tests.test_tagger_classes import gz  # noqa: F401  (the gazetteer fixture)
from tests.test_tagger_s11 import check


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    # a line wrapped inside a paragraph (Reuters) joins the adjective to its ministry
    ("TALKS", "U.S. officials said. Officials of the Japanese\nMinistry of International Trade and "
     "Industry would hold talks with U.S. officials in Washington.", {"jp-commerce-ministry"}, set()),
    ("CANADA THREATENS BAN", "Canada and Canadian inspectors, a Danish\nagriculture ministry official "
     "said. Canadian officials. Canada.", {"dk-agriculture-ministry"}, {"ca-agriculture-ministry"}),
    # a paragraph break does not
    ("TALKS", "Canada, Canada and the Danish\n\nAgriculture Ministry officials said.", set(),
     {"dk-agriculture-ministry"}),
])
def test_a_wrapped_line_joins_a_country_to_its_ministry(gz, title, body, wanted, unwanted):
    check(gz, title, body, "en", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    # the US has departments: an English "Ministry" goes to the country named most that has one
    ("South Korea will cut tariffs to help reduce its trade surplus with the United States and "
     "U.S. pressure, the Finance Ministry said.", {"kr-finance-ministry"}, {"us-treasury"}),
    ("Japan is under U.S. pressure from the United States, a Post and Telecommunications Ministry "
     "official said.", {"jp-posts-telecom-ministry"}, set()),
    ("JAPAN REJECTS U.S. OBJECTIONS. A Foreign Ministry official dismissed U.S. arguments made by "
     "senior U.S. officials.", {"jp-foreign-ministry"}, {"us-state-department"}),
    # ... but none when that country is not named (the US alone), nor for a lower-case one
    ("The United States and U.S. officials. Economics Ministry spokesman said.", set(),
     {"us-economy-ministry", "us-commerce-department"}),
    ("In the US, the commerce ministry said.", {"us-commerce-department"}, set()),
    # a capitalised "Department" stays with the states that name ministries so
    ("Brazil and Brazilian exports, from the Banco do Brasil's Foreign Trade Department.", set(),
     {"us-commerce-department"}),
])
def test_an_english_ministry_of_a_country_that_has_one(gz, body, wanted, unwanted):
    check(gz, "Officials", body, "en", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("Tamura's Ministry of International Trade and Industry (MITI) launched a bid. The U.S. said "
     "so in Washington, and the U.S. and Japan agreed.", {"jp-commerce-ministry"}, set()),
    ("MITI said output fell.", {"jp-commerce-ministry"}, {"my-commerce-ministry"}),
    ("Malaysia's MITI said exports rose, and Malaysian firms agreed.", {"my-commerce-ministry"},
     {"jp-commerce-ministry"}),
    ("Japan's Ministry of Economy, Trade and Industry (METI) said.", {"jp-commerce-ministry"}, set()),
    ("Paul Channon, secretary for trade and industry, said.", set(), {"jp-commerce-ministry"}),
])
def test_japans_and_malaysias_miti(gz, body, wanted, unwanted):
    check(gz, "Trade", body, "en", wanted, unwanted)


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    # an organ's descriptive name after a country is that country's namesake, not the UN's
    ("Morocco’s Human Rights Council Opens Debate on Freedom of Opinion", "The council said.",
     set(), {"un-human-rights-council"}),
    ("Officials", "Russia's Security Council met on Friday.", set(), {"un-security-council"}),
    ("Officials", "The Russian Security Council met.", set(), {"un-security-council"}),
    ("Officials", "The Security Council met on Iraq.", {"un-security-council"}, set()),
    ("Officials", "Russia's UN Security Council veto angered Britain.", {"un-security-council", "un"}, set()),
    ("Officials", "Morocco's IMF programme ended.", {"imf"}, set()),
])
def test_a_countrys_namesake_of_an_international_organ(gz, title, body, wanted, unwanted):
    check(gz, title, body, "en", wanted, unwanted)


@pytest.mark.parametrize("body, wanted", [
    ("Delegates and experts of the Islamic affairs ministry said, in Morocco.", {"ma-habous-ministry"}),
    ("Morocco's Habous ministry closed the mosques.", {"ma-habous-ministry"}),
])
def test_moroccos_ministry_of_habous_and_islamic_affairs(gz, body, wanted):
    check(gz, "Ramadan", body, "en", wanted, set())


@pytest.mark.parametrize("body, wanted, unwanted", [
    # English coordinated ministries, as the French "les ministères de l'Intérieur et de la Santé"
    ("The initiative, supported by the Ministries of Interior and Trade, is part of Morocco's campaign.",
     {"ma-interior-ministry", "ma-commerce-ministry"}, set()),
    ("The ministries of health, education, and industry of Morocco said.",
     {"ma-health-ministry", "ma-education-ministry", "ma-industry-ministry"}, set()),
    ("The ministries said in Morocco.", set(), {"ma-interior-ministry"}),
    # the older UN Commission on Human Rights, by its other names
    ("The UN Commission for Human Rights warned that the lockdown could be exploited.",
     {"un-human-rights-council", "un"}, set()),
])
def test_english_coordinated_ministries_and_un_names(gz, body, wanted, unwanted):
    check(gz, "Officials", body, "en", wanted, unwanted)


@pytest.mark.parametrize("body, home, located, not_located", [
    # a city whose name a well-known city of another country shares (places.tsv "rivals:"), in a
    # text that names that country and not the city's own, is not the city's country
    ("Burlington Northern said the U.S. rail merger would go ahead.", None, set(), {"ca"}),
    ("The ICC rejected the merger of the Santa Fe and Southern Pacific, U.S. railroads.", None, set(), {"ar"}),
    ("Plants in Vancouver,Wash and Portland; the U.S. parent said.", None, set(), {"ca"}),
    # ... unless a state's abbreviation, the city's own country or the outlet says whose it is
    ("Burlington, Ont., plant; the U.S. parent said.", None, {"ca"}, set()),
    ("A plant in Burlington, Ontario, Canada; the U.S. parent said.", None, {"ca"}, set()),
    ("Americans won at the Grand Prix in Birmingham; the U.S. team.", "gb", {"gb"}, set()),
    ("Americans won at the Grand Prix in Birmingham; the U.S. team.", None, set(), {"gb"}),
    # a city far better known than its namesakes has no rival: Geneva, Florence, Oxford
    ("U.S. and Soviet negotiators met in Geneva.", None, {"ch"}, set()),
    ("The U.S. firm opened an office in Florence.", None, {"it"}, set()),
])
def test_a_city_with_a_rival_namesake_in_a_text_about_the_rival(gz, body, home, located, not_located):
    tags = {t.entity_id: t for t in gz.tag("News", body, "en", home)}
    got = {eid for eid, t in tags.items() if t.places}
    assert located <= got and not (not_located & got), got


@pytest.mark.parametrize("body, located, not_located", [
    # a role's noun before a place's name makes it a surname; so do initials
    ('Settlement times, CBOE chairman Alger said.', set(), {"dz"}),
    ("But economist Cork said the upturn would come.", set(), {"ie"}),
    ("Dean Witter and J.C. Bradford would co-manage the deal.", set(), {"gb"}),
    ("He moved to Cork last year.", {"ie"}, set()),
    ("The U.K. Birmingham plant closed.", {"gb"}, set()),
    # Reuters' state abbreviations without their full stop, or in lower case
    ("The bank has four offices in Naples, Fla, and two in Tampa.", set(), {"it"}),
    ("Revenue bonds of Vincennes, Ind, were cut.", set(), {"fr"}),
    ("Partners of Greenwich, conn., said so.", set(), {"gb"}),
])
def test_surnames_and_state_abbreviations_after_a_place(gz, body, located, not_located):
    tags = {t.entity_id: t for t in gz.tag("News", body, "en")}
    got = {eid for eid, t in tags.items() if t.places}
    assert located <= got and not (not_located & got), got
