"""Table tests for the tagger classes of session 11 (issue 14), read from heldout5's errors and
fixed by rules and data that generalise: the generic ministries of the government a story
reports on, a building's tenant (the minister), a Paris brigade of another city, police unions
named after the force, the UN's adjective, French directorates-general and offices, new
ministry subjects, and the Secret Service. Positive and negative cases side by side."""
from __future__ import annotations

import pytest

from tests.test_tagger_classes import gz  # noqa: F401  (the gazetteer fixture)
from tests.test_tagger_generic import tagged


def check(gz, title: str, body: str, language: str, wanted: set, unwanted: set) -> None:
    found = tagged(gz, title, body, language)
    assert wanted <= found and not unwanted & found, found


@pytest.mark.parametrize("title, body, language, wanted, unwanted", [
    # The title's country has a ministry tied to it in the text: its other generic ministries
    # are its own, though the United States is named more.
    ("TAIWAN PROPOSES TO INVEST ONE BILLION DLRS IN U.S.",
     "Taiwan's Economic Ministry approved a plan for a U.S. Dollar investment in the United "
     "States. Officials of the Finance Ministry will discuss it. U.S. Import quotas. Americans.",
     "en", {"tw-economy-ministry", "tw-finance-ministry"}, {"us-treasury"}),
    # A ministry named by its own name is not the story's government: the dominant country's.
    ("FOREIGN BROKERS MAY GET MORE ACCESS TO JAPAN BONDS",
     "Japanese brokerages buy U.S. Treasury issues. Japan's market. Japanese banks. The Finance "
     "Ministry later approved the arrangement.", "en", {"jp-finance-ministry"}, set()),
    ("US report praises Morocco's counter-terrorism",
     "The US State Department report said Morocco and Moroccan police did well. Morocco's imams. "
     "The Ministry of Endowments and Islamic Affairs developed a curriculum in Morocco.",
     "en", {"ma-habous-ministry"}, {"us-religious-affairs-ministry"}),
])
def test_generic_ministries_of_the_government_the_story_reports_on(gz, title, body, language,
                                                                   wanted, unwanted):
    check(gz, title, body, language, wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("Le locataire de la place Beauvau a souligné que les signalements étaient classés.",
     set(), {"fr-interior-ministry"}),
    ("L'hôte du Quai d'Orsay a reçu son homologue.", set(), {"quai-dorsay"}),
    # the head of the ministry names the ministry (RULES.md: "le chef de la police nationale")
    ("Le patron de la place Beauvau a été interrogé.", {"fr-interior-ministry"}, set()),
    ("La place Beauvau a publié un communiqué.", {"fr-interior-ministry"}, set()),
])
def test_a_buildings_tenant_is_the_minister(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("La brigade criminelle de direction régionale de la police judiciaire de Versailles est "
     "chargée de l'enquête.", {"drpj"}, {"fr-brigade-criminelle"}),
    ("La brigade criminelle du SRPJ de Lille enquête.", {"srpj"}, {"fr-brigade-criminelle"}),
    ("La brigade criminelle de Marseille enquête.", set(), {"fr-brigade-criminelle"}),
    ("La brigade criminelle a été saisie, à Paris.", {"fr-brigade-criminelle"}, set()),
    ("La brigade criminelle de Paris a été saisie.", {"fr-brigade-criminelle"}, set()),
    ("confiée au commissariat et au service régional de la police judiciaire de Rouen",
     {"srpj"}, set()),
])
def test_a_paris_brigade_of_another_city_is_its_directorates(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


@pytest.mark.parametrize("body, language, wanted, unwanted", [
    ("Fabrice Poli, secrétaire régional du syndicat Alliance police nationale, a parlé.", "fr",
     set(), {"fr-police-nationale"}),
    ("Le Syndicat des commissaires de la police nationale dénonce la réforme.", "fr",
     set(), {"fr-police-nationale"}),
    ("La police nationale a interpellé deux hommes.", "fr", {"fr-police-nationale"}, set()),
    ("Les autorités grecques doivent clarifier, écrit l'agence onusienne.", "fr", {"un"}, set()),
    ("Selon le ministère des Migrations grec, 214 cas.", "fr", {"gr-immigration-ministry"}, set()),
    ("Les services de la direction générale de la concurrence, de la consommation et de la "
     "répression des fraudes (DGCCRF) ont enquêté.", "fr", {"fr-dgccrf"}, set()),
    ("Sa demande d'asile a été rejetée par l'Ofpra, puis l'OFII l'a hébergé.", "fr",
     {"fr-ofpra", "fr-ofii"}, set()),
    ("An Investment Ministry official in Egypt said.", "en", {"eg-investment-ministry"}, set()),
    ("the benchmark price established by the Organization of Petroleum Exporting Countries",
     "en", {"opec"}, set()),
    ("an agreement to open a European Community Commission office in Peking", "en",
     {"eu-commission"}, set()),
    ("lasers for the Canadian Forces Low Level Air Defense System", "en", {"ca-forces"}, set()),
    ("The US bank said the Secret Service, a federal agency, is looking into it, US senators said.",
     "en", {"us-secret-service"}, set()),
    ("Britain's Secret Service chief spoke in London, British officials said.", "en",
     set(), {"us-secret-service"}),
])
def test_bodies_and_names_added_in_session_11(gz, body, language, wanted, unwanted):
    check(gz, "", body, language, wanted, unwanted)


@pytest.mark.parametrize("body, language, unwanted", [
    # a region across borders is not Iran's province Kordestān (places.tsv)
    ("des rapatriements d'enfants en provenance du Kurdistan syrien, à Bobigny", "fr", {"ir"}),
    ("Iraq said Iranian forces attacked in Kurdistan, in the north.", "en", {"ir"}),
    # a creditors' club named after a city is no place of France
    ("Poland must take a practical position before a Paris Club decision.", "en", {"fr"}),
])
def test_names_that_are_not_where_the_story_happens(gz, body, language, unwanted):
    located = {tag.entity_id for tag in gz.tag("", body, language) if tag.located}
    assert not unwanted & located, located


@pytest.mark.parametrize("title, body, language, wanted, unwanted", [
    # The headline's subject is the government whose ministry it is ...
    ("IRAQ SAYS IT CRUSHES NEW IRANIAN BASRA OFFENSIVE",
     "Iraq said its forces crushed Iranian Revolutionary Guards. Iranian troops attacked. The chief "
     "of the defence ministry said the Iranians had casualties. Iran said. Iranian offensive.", "en",
     {"iq-defence-ministry"}, {"ir-defence-ministry"}),
    ("TAIWAN SEES ITS INVESTMENT IN U.S. RISING SHARPLY",
     "Taiwanese investment in the U.S. is expected to double to 80 mln U.S. Dlrs, a forecast by the "
     "Economic Ministry showed. Investment in the U.S. rose.", "en",
     {"tw-economy-ministry"}, {"us-economy-ministry"}),
    # ... unless that country's body is not called a ministry ("U.S. ... an Agriculture Ministry
    # official": Japan's, the US has a Department).
    ("U.S. URGES JAPAN TO OPEN FARM MARKET FURTHER",
     "The U.S. urged Japan to open its market. Japan resists U.S. pressures, an Agriculture "
     "Ministry official told reporters in Japan.", "en",
     {"jp-agriculture-ministry"}, {"us-agriculture-department"}),
])
def test_the_headlines_subject_owns_the_generic_ministries(gz, title, body, language, wanted, unwanted):
    check(gz, title, body, language, wanted, unwanted)


@pytest.mark.parametrize("body, language, wanted, unwanted", [
    ("la brigade nationale de recherche des fugitifs (BNRF), avec l'aide de la brigade de "
     "recherches et d'intervention (BRI) de Dijon", "fr", {"fr-bnrf"}, {"fr-bri", "bis"}),
    ("La BRI est intervenue dans le XIe arrondissement de Paris.", "fr", set(), {"bis"}),
    ("La Banque des règlements internationaux (BRI) a publié son rapport.", "fr", {"bis"}, {"fr-bri"}),
    ("Tels sont les mots utilisés par la police nationale du Nord pour raconter l'affaire.", "fr",
     set(), {"fr-police-nationale"}),
    ("en coordination avec la Direction générale de la Santé (DGS).", "fr", {"fr-dgs"}, set()),
    ("Le centre de crise et de soutien du Quai d'Orsay suit la situation.", "fr", {"fr-cdcs"}, set()),
    ("Un porte-parole de l'autorité américaine du transport aérien, la FAA, a indiqué", "fr",
     {"us-faa"}, set()),
    ("l'inspection générale de la gendarmerie enquête sur le tir", "fr", {"fr-iggn"}, set()),
    ("arrêté par la Brigade de répression de la délinquance à la personne", "fr", {"fr-brdp"}, set()),
    ("un ancien du groupe de sécurité de la présidence de la République (GSPR)", "fr", {"fr-gspr"}, set()),
    ("Funaro spoke today to the International Monetary Fund's interim committee.", "en",
     {"imf"}, {"imf-interim-committee"}),
    ("the IMF's policy-making Interim Committee met in Washington", "en", {"imf-interim-committee"}, set()),
    ("present at today's IMF interim committee meeting", "en", {"imf"}, {"imf-interim-committee"}),
    ("the IMF Interim Committee met in Washington", "en", {"imf-interim-committee"}, set()),
    ("futures traded on the Singapore International Monetary Exchange (SIMEX)", "en", set(), {"sg"}),
    ("Responsibility belongs to a White House agency, the Federal Emergency Management Agency.", "en",
     set(), {"us-fema"}),
])
def test_bodies_and_names_from_the_second_tuning_set(gz, body, language, wanted, unwanted):
    check(gz, "", body, language, wanted, unwanted)


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    # French press, a title that names no country: the unqualified ministry is France's ...
    ("Les prix du carburant flambent",
     "Les Français paient 1,58 euro le litre selon le ministère des Transports. Les sanctions "
     "américaines contre l'Iran et les relations entre la Chine et les États-Unis pèsent.",
     {"fr-transport-ministry"},
     {"us-transportation-department"}),
    ("Mort d'al-Baghdadi : vigilance accrue",
     "Le ministère de l'Intérieur a appelé ses services et les préfets français à la vigilance. Le "
     "chef de l'EI a été tué en Syrie par les États-Unis.", {"fr-interior-ministry"}, set()),
    # a foreign country in the ministry's own sentence: not France's
    ("Vigilance accrue", "Aux États-Unis, le ministère de l'Intérieur a appelé à la vigilance.",
     set(), {"fr-interior-ministry"}),
    # ... nor a place of one (our sample 07: Morocco's ministry), nor a text that names no France
    ("Le BCIJ démantèle une cellule",
     "Une cellule préparait des attaques à Agadir, a annoncé le ministère de l'Intérieur. Les "
     "suspects marocains ont été arrêtés.", {"ma-interior-ministry"},
     {"fr-interior-ministry"}),
    ("Cellule démantelée", "Le ministère de l'Intérieur a annoncé l'arrestation. Les suspects "
     "marocains ont été arrêtés.", set(), {"fr-interior-ministry"}),
    # ... not when the title names the story's country, nor next to another country
    ("Coronavirus: premier décès au Vietnam",
     "La Chine et le Vietnam. Selon le ministère de la Santé, un mort.", {"vn-health-ministry"},
     {"fr-health-ministry"}),
    ("Les prix flambent", "Selon le ministère de la Santé marocain, les cas montent.",
     {"ma-health-ministry"}, {"fr-health-ministry"}),
])
def test_french_press_unqualified_ministries_are_frances(gz, title, body, wanted, unwanted):
    check(gz, title, body, "fr", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("La DCIS et le Service de la protection (SDLP) ont escorté le ministre.", {"fr-dcis", "fr-sdlp"}, set()),
    ("le service de la protection de l'enfance du département", set(), {"fr-sdlp"}),
    ("La brigade de répression du proxénétisme a interpellé trois hommes.", {"fr-brp"}, set()),
    ("L'Office central de lutte contre le trafic des biens culturels (OCBC) a saisi des statues.",
     {"fr-ocbc"}, set()),
    ("Le service central de la police technique et scientifique a analysé les traces.", {"fr-sdpts"}, set()),
    ("La direction centrale des compagnies républicaines de sécurité a envoyé des renforts.",
     {"fr-dccrs"}, set()),
    ("selon la direction des services judiciaires du ministère de la Justice", {"fr-dsj"}, set()),
    ("L'Administration des douanes et impôts indirects (ADII) et la Marine royale marocaine ont saisi "
     "trois tonnes de chira.", {"ma-adii", "ma-navy", "ma"}, set()),
])
def test_the_police_nationales_directorates_and_services(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("il a participé à des actions avec l'association des Palestiniens de Mulhouse.", set(), {"ps"}),
    ("le collectif des Algériens de Lyon appelle à manifester", set(), {"dz"}),
    ("Les Palestiniens de Gaza manifestent.", {"ps"}, set()),
])
def test_an_associations_name_does_not_name_its_members_country(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("des fonds du Service national du renseignement (NIS), à Séoul, en Corée du Sud", {"kr-nis"}, set()),
    ("le service national du renseignement pénitentiaire signale", {"fr-snrp"}, {"kr-nis"}),
    ("le parquet fédéral de Rio a émis plusieurs mandats d'arrêt", set(), {"be-federal-prosecutor"}),
    ("le parquet fédéral belge a ouvert une enquête", {"be-federal-prosecutor"}, set()),
    ("son employeur, la Communauté française de Wallonie-Bruxelles (CFWB)", set(), {"fr"}),
    ("Il s'est rendu dans le bureau du DGS de la mairie et a fait feu", set(), {"fr-dgs"}),
])
def test_bodies_and_names_from_the_third_tuning_set(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)
