"""Table tests for the classes of tagger session 7 (issue 14): rules that reach text nobody tuned
on. Ministries of every country (not only those agencies.yaml lists), with the country's
adjective inside a French name; more portfolios; French adjectives of every country; spelling
variants of bodies' names; title-case acronyms at a sentence's start. Positive and negative
cases side by side."""
from __future__ import annotations

import pytest

from tests.test_tagger_classes import gz, ids  # noqa: F401  (the gazetteer fixture, the mentions helper)


# -- ministries of every country --------------------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    # Countries agencies.yaml does not list: the four base roles are generated for them.
    ("The Sri Lankan defence ministry said.", "en", ["lk", "lk-defence-ministry"]),
    ("Botswana's tourism ministry said.", "en", ["bw", "bw-tourism-ministry"]),
    ("le ministère ivoirien de la Défense", "fr", ["ci-defence-ministry", "ci"]),
    ("le ministère burundais des Affaires étrangères", "fr", ["bi-foreign-ministry", "bi"]),
    ("le ministère du Tourisme du Botswana", "fr", ["bw-tourism-ministry", "bw"]),
    # The adjective inside the French name, for any subject and any country (matcher rule).
    ("le ministère sud-coréen de l'Unification", "fr", ["kr-unification-ministry", "kr"]),
    ("le ministère russe des Situations d'urgence", "fr", ["ru-emergencies-ministry", "ru"]),
    ("le ministère chinois de la Sécurité publique", "fr", ["cn-mps", "cn"]),
    ("le ministère américain de la Sécurité intérieure", "fr", ["dhs", "us"]),
    ("le ministère malien de la Sécurité", "fr", ["ml-security-ministry", "ml"]),
    ("le ministère saoudien des Affaires islamiques", "fr", ["sa-religious-affairs-ministry", "sa"]),
    # More portfolios and older names of the base ones.
    ("The Russian Emergencies Ministry said.", "en", ["ru", "ru-emergencies-ministry"]),
    ("The Indian Ministry of External Affairs said.", "en", ["in", "in-foreign-ministry"]),
    ("The Indonesian Ministry of Religious Affairs said.", "en", ["id", "id-religious-affairs-ministry"]),
    ("The Soviet Foreign Trade Ministry said.", "en", ["su", "su-commerce-ministry"]),
    ("China's Ministry of Foreign Economic Relations and Trade said.", "en",
     ["cn", "cn-commerce-ministry"]),
    ("The Japanese Ministry of International Trade and Industry said.", "en",
     ["jp", "jp-commerce-ministry"]),
    ("le ministère malien de l'Administration territoriale", "fr", ["ml-interior-ministry", "ml"]),
    ("le ministère chargé des Sports", "fr", ["fr-sports-ministry"]),
])
def test_ministries_of_every_country_and_more_portfolios(gz, text, language, expected):
    assert ids(gz, text, language) == expected


@pytest.mark.parametrize("text, language, expected", [
    ("said Treasury Under Secretary John Taylor of the US", "en", ["us"]),  # a title
    ("le ministre sri-lankais de la Défense", "fr", ["lk"]),       # a minister, not the ministry
    ("un ministère, marocain de la Santé", "fr", ["ma"]),          # not one name
    ("le ministère de la Sécurité sociale", "fr", ["fr-social-affairs-ministry"]),  # not security
    ("The defence ministry said so.", "en", []),                   # whose, unknown
    # A dependent territory has no ministries of its own: none is generated for it (its
    # sovereign's is not inferred either).
    ("En Nouvelle-Calédonie, selon le ministère de l'Intérieur", "fr", ["nc"]),
])
def test_titles_and_broken_names_are_no_ministry(gz, text, language, expected):
    assert ids(gz, text, language) == expected


@pytest.mark.parametrize("text, expected", [
    ("des ressortissants burundais", ["bi"]),
    ("la police bolivienne", ["bo"]),
    ("un diplomate guatémaltèque", ["gt"]),
    ("les autorités haïtiennes", ["ht"]),
    ("le gouvernement cambodgien", ["kh"]),
])
def test_french_adjectives_of_every_country(gz, text, expected):
    assert ids(gz, text, "fr") == expected


@pytest.mark.parametrize("text, language, expected", [
    # A department listed by its own name takes its role's place for its country.
    ("In the US, the commerce ministry said.", "en", ["us", "us-commerce-department"]),
    ("the U.S. energy ministry", "en", ["us", "us-energy-department"]),
    ("le ministère de l'Unification du Sud", "fr", ["kr-unification-ministry"]),  # only Seoul has one
])
def test_listed_departments_take_their_roles_place(gz, text, language, expected):
    assert ids(gz, text, language) == expected
