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


# -- title-case acronyms at a sentence's start --------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    # Known forms (never in lower case, common in the corpora) open a sentence by themselves.
    ("Nato leaders met in Brussels.", "en", ["nato"]),
    ("Unesco a inscrit le site.", "fr", ["unesco"]),
    ("Otan et Cedeao ont réagi.", "fr", ["nato", "ecowas"]),
    # Rare forms still need the body named another way.
    ("Cipec met in Lusaka.", "en", []),
    ("Cipec met. The Intergovernmental Council of Copper Exporting Countries said so.", "en",
     ["cipec", "cipec"]),
    # Still not next to another capitalised name, at a sentence's start too.
    ("Nato Smith wrote.", "en", []),
])
def test_known_title_case_forms_need_no_corroboration_at_a_sentence_start(gz, text, language, expected):
    assert ids(gz, text, language) == expected


# -- spelling variants of bodies' names --------------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    ("the Organization for Security and Cooperation in Europe", "en", ["osce"]),
    ("the International Labor Organisation", "en", ["ilo"]),
    ("the Serious Organized Crime Agency", "en", ["uk-soca"]),
    ("l'Organisation internationale des migrations", "fr", ["iom"]),
    ("l'Agence européenne de l'environnement", "fr", ["eu-eea"]),
    ("l'Inspection générale de police nationale", "fr", ["fr-igpn", "fr-police-nationale"]),  # and its parent
])
def test_british_american_spellings_and_french_connectors(gz, text, language, expected):
    assert ids(gz, text, language) == expected


def test_spelling_variants_are_every_combination():
    from app.entities.sources import connector_variants, spelling_variants
    assert spelling_variants("International Labour Organization") == [
        "International Labour Organisation", "International Labor Organization",
        "International Labor Organisation"]
    assert spelling_variants("Interpol") == []
    assert connector_variants("Organisation internationale pour les migrations") == [
        "Organisation internationale des migrations"]
    assert connector_variants("Home Office") == []  # short names keep their exact words


# -- intergovernmental bodies: commodity and past organisations, French forms -------------------

@pytest.mark.parametrize("text, language, expected", [
    ("exports to Comecon countries", "en", ["comecon"]),
    ("the Association of Tin Producing Countries (ATPC) said", "en", ["atpc", "atpc"]),
    ("the Warsaw Pact and the Western European Union", "en", ["warsaw-pact", "weu"]),
    ("the Organisation of the Islamic Conference", "en", ["oic"]),
    ("selon l'OPS, l'épidémie progresse", "fr", ["paho"]),
    ("l'Agence européenne du médicament", "fr", ["eu-ema"]),
])
def test_more_intergovernmental_bodies(gz, text, language, expected):
    assert ids(gz, text, language) == expected


# -- names wrapped across a line inside a paragraph ----------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("the International Coffee\nOrganization said", ["ico"]),       # Reuters wraps its lines
    ("exports to New\nZealand rose", ["nz"]),
    ("in New\nYork on Monday", []),                                  # not York, England
    ("exports to New\n    Zealand rose", []),                        # an indented new paragraph
    ("the International Coffee\n\nOrganization", []),               # a blank line: apart
])
def test_a_line_wrapped_inside_a_paragraph_joins_a_name(gz, text, expected):
    assert ids(gz, text, "en") == expected


# -- an acronym the text defines as something else ------------------------------------------------

@pytest.mark.parametrize("text, language, expected", [
    # The long form's initials spell the acronym, none of its words is the body's: not the body,
    # anywhere in the text.
    ("le rétablissement de l'impôt sur la fortune (ISF), puis l'ISF", "fr", []),
    ("so-called Carrier Pre-Selection (CPS) services", "en", []),
    ("la Société astronomique de France (SAF) a annoncé", "fr", ["fr"]),
    ("the Professional Footballers' Association (PFA) said", "en", []),
    # A long form sharing a word with the body's names is the body (misspelt, or a title).
    ("the General Agreement of Tariffs and Trade (GATT) talks", "en", ["gatt"]),
    ("members of the Organiaation of Petroleum Exporting Countries (OPEC)", "en", ["opec"]),
    ("le directeur général de la police nationale (DGPN)", "fr", ["fr-police-nationale", "fr-dgpn"]),
    ("the International Monetary Fund (IMF) said", "en", ["imf", "imf"]),
    ("Internal Security Forces (ISF) in Lebanon", "en", ["lb-isf", "lb"]),
    # No long form whose initials spell it: the acronym keeps its meaning.
    ("a deal with the ISF (Lebanon's police)", "en", ["lb-isf", "lb"]),
])
def test_an_acronym_the_text_defines_as_something_else(gz, text, language, expected):
    assert ids(gz, text, language) == expected


# -- place names inside other names ---------------------------------------------------------------

def located(gz, text: str, language: str) -> list[str]:
    return [m.place for m in gz.find_mentions(text, language) if m.place is not None]


@pytest.mark.parametrize("text, language, expected", [
    ("réfugié à Beaumont-sur-Oise", "fr", ["Oise"]),          # a compound name: not Beaumont, Texas
    ("l'université de Wisconsin-Madison", "fr", []),           # after a capitalised word and a hyphen
    ('réalisateur de deux "Batman", est mort', "fr", []),      # a quoted title
    ('les classiques comme "Casablanca" et le reste', "fr", []),
    ("la place Saint-Marc, la cité Bellevue", "fr", []),       # a square, a housing estate
    ("la Divo de Bugatti, puis la Halle", "fr", []),          # a city takes no determiner in French
    ("la famille Kennedy", "fr", []),                          # a family
    ("allié avec En Marche", "fr", []),                        # a party (blocklist.yaml)
    # Still places.
    ("il vit à Lyon et en Bretagne", "fr", ["Lyon", "Bretagne"]),
    ("au Québec, le Québec", "fr", ["Québec", "Québec"]),      # the province, under its city's name
    ("Paris-based firms and the London market", "en", ["Paris", "London"]),
    ("à Aix-en-Provence", "fr", ["Aix-en-Provence"]),
])
def test_place_names_inside_other_names_are_not_the_place(gz, text, language, expected):
    assert located(gz, text, language) == expected


# -- French units named by a word ------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("Le Raid est intervenu dans la nuit.", ["fr-raid"]),
    ("Les policiers du Raid sont arrivés.", ["fr-raid"]),
    ("Un raid aérien a frappé la ville.", []),        # the word
    ("Raid meurtrier dans la nuit", []),               # a title's first word
    ("la direction générale des douanes et droits indirects", ["fr-dgddi"]),
    ("les douanes françaises", ["fr"]),                # generic, like "la police française"
    # The Paris judicial police's brigades, like the BRB and the Brigade criminelle.
    ("entendues par la Brigade de répression de la délinquance économique (BRDE)",
     ["fr-brde", "fr-brde"]),
    ("l'enquête, confiée à la Brigade financière", ["fr-brigade-financiere"]),
    ("la brigade des stupéfiants de Lille", []),       # every SRPJ has one: a local office
])
def test_french_units_named_by_a_word_and_customs(gz, text, expected):
    assert ids(gz, text, "fr") == expected
