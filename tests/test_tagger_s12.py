"""Table tests for the tagger classes of session 12 (issue 14), found by reading the tagger's
output on random articles that no labelled set holds (OrangeSum, Reuters, BBC): acronyms that a
determiner or the text tells apart, word-like acronyms in headlines all in capitals, tickers,
the sentence that sets a generic ministry in a country, foreign bodies with a French body's name,
and French bodies the gazetteer lacked. Positive and negative cases side by side."""
from __future__ import annotations

import pytest

from tests.test_tagger_classes import gz  # noqa: F401  (the gazetteer fixture)
from tests.test_tagger_s11 import check


@pytest.mark.parametrize("body, wanted, unwanted", [
    # the determiner's gender: the border police is "la PAF", "le PAF" the television landscape
    ("Selon la PAF, trois passeurs ont été arrêtés.", {"fr-paf"}, set()),
    ("La rentrée du PAF est marquée par de nouvelles émissions.", set(), {"fr-paf"}),
    ("Un officier de la police aux frontières (PAF) a témoigné.", {"fr-paf"}, set()),
    # a city's border-police service is a local office (the place is named)
    ("Il doit être auditionné par la police aux frontières de Montgenèvre.", set(), {"fr-paf"}),
    ("Selon la DRM, la cellule a été repérée.", {"fr-drm"}, set()),
    ("Les DRM protègent les films.", set(), {"fr-drm"}),
    ("Les SAS britanniques ont été déployés.", {"uk-sas"}, set()),
    ("2020 sera la pire année de la SAS L'Équipe.", set(), {"uk-sas"}),
    # "la Gendarmerie" with its capital (RULES.md, heldout6); not inside a name, nor a local unit
    ("Des effectifs de la Police nationale et de la Gendarmerie sont arrivés.", {"fr-gendarmerie"}, set()),
    ("Selon le magazine L'Essor de la Gendarmerie, il s'est suicidé.", set(), {"fr-gendarmerie"}),
    ("La Gendarmerie de Besançon enquête.", set(), {"fr-gendarmerie"}),
    ("la gendarmerie a lancé un appel à témoins.", set(), {"fr-gendarmerie"}),
    ("Selon l'Olaf, la fraude est massive.", {"eu-olaf"}, set()),
    ("Le ministre des Finances Olaf Scholz a parlé.", set(), {"eu-olaf"}),
    # French words that are acronyms of other bodies in English
    ("Pas de retour de l'ISF, a-t-il dit.", set(), {"lb-isf"}),
    ("Valérie Pécresse, présidente d'IDF Mobilités, a présenté la campagne.", set(), {"idf"}),
    # an acronym the text defines as something else, before a comma
    ("Estellia Araez, présidente du Syndicat des avocats de France (SAF, gauche).", set(), {"sd-saf"}),
])
def test_french_acronyms_told_apart_by_context(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("Selon Bercy, le gouvernement réfléchit à rallonger le délai.", {"fr-economy-ministry"}, set()),
    ("Il a été reçu lundi à Bercy par le ministre de l'Économie.", {"fr-economy-ministry"}, set()),
    ("Le locataire de Bercy a dû être escorté.", set(), {"fr-economy-ministry"}),
    ("Il a donné un concert à Bercy en 1987.", set(), {"fr-economy-ministry"}),
    ("Le meeting à Bercy de Benoît Hamon a rassemblé 20.000 personnes.", set(), {"fr-economy-ministry"}),
    ("Le cortège ira jusqu'au parc de Bercy.", set(), {"fr-economy-ministry"}),
    ("Le projet Bercy-Charenton va être remis à plat.", set(), {"fr-economy-ministry"}),
    # the general staff by its name; "le chef d'état-major des armées" is a title
    ("Deux soldats ont été tués, a indiqué l'état-major des armées vendredi.", {"fr-ema"}, set()),
    ("Le chef d'état-major des armées a démissionné.", set(), {"fr-ema"}),
    # "armée de l'Air" with its capital is France's, as "armée de Terre"
    ("Un A400M de l'armée de l'Air a été mobilisé.", {"fr-armee-de-l-air"}, set()),
    ("L'armée de l'air a mené cinq frappes près de Syrte.", set(), {"fr-armee-de-l-air"}),
    # "la direction du renseignement" is the DRPP with the préfecture de police in its sentence
    ("Un agent de la préfecture de police de Paris, affecté à la direction du renseignement, a tué.",
     {"fr-drpp"}, set()),
    ("La direction du renseignement de l'entreprise a été saisie.", set(), {"fr-drpp"}),
    ("L'Inspection générale de l'administration (IGA) a rendu son rapport.", {"fr-iga"}, set()),
    ("Selon un rapport de l'IGJ, l'enquête a été bâclée.", {"fr-igj"}, set()),
    ("Selon l'Agence nationale des titres sécurisés (ANTS), le délai s'allonge.", {"fr-ants"}, set()),
    ("L'Agence française anticorruption a ouvert un contrôle.", {"fr-afa"}, set()),
    ("Viginum a détecté une campagne de désinformation.", {"fr-viginum"}, set()),
    ("Il est suivi par le renseignement pénitentiaire.", {"fr-snrp"}, set()),
    ("Le ministère des Solidarités a réagi.", {"fr-social-affairs-ministry"}, set()),
    ("Le ministère des Anciens combattants a répondu.", {"fr-veterans-ministry"}, set()),
    # France's DST (until 2008); Morocco's bore the same name: the country the text names
    ("Un ancien agent de la DST, recruté en France en 1983, a été entendu.", {"fr-dst"}, {"dgst"}),
    ("Au Maroc, la Direction de la surveillance du territoire a démantelé une cellule.",
     {"dgst"}, {"fr-dst"}),
])
def test_french_bodies_and_building_names(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("Des soldats de l'armée de Terre malienne ont été tués.", {"ml"}, {"fr-armee-de-terre"}),
    ("La Marine nationale algérienne a secouru des migrants.", {"dz"}, {"fr-marine-nationale"}),
    ("La Marine nationale a secouru des migrants.", {"fr-marine-nationale"}, set()),
    ("La Police nationale française a arrêté deux hommes.", {"fr-police-nationale"}, set()),
])
def test_a_french_bodys_name_with_another_countrys_adjective(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


@pytest.mark.parametrize("title, body, language, wanted, unwanted", [
    # the clause opens on a country: its ministry, whatever country the text names most
    ("Covid", "L'Allemagne a recensé 700 cas. En Italie, le ministère de la Santé a fait état de "
     "845 nouveaux cas. L'Allemagne, l'Allemagne.", "fr", {"it-health-ministry"}, {"de-health-ministry"}),
    ("Covid", "L'Inde a réagi. A Pékin, la porte-parole du ministère des Affaires étrangères, Hua "
     "Chunying, a parlé. L'Inde, l'Inde.", "fr", {"cn-foreign-ministry"}, {"in-foreign-ministry"}),
    # "à Paris" right after the ministry
    ("Mexique", "Le Mexique, le Mexique. Une porte-parole du ministère des Affaires étrangères à "
     "Paris a parlé.", "fr", {"quai-dorsay"}, {"mx-foreign-ministry"}),
    # places of France only in the sentence
    ("Virus", "La Chine, la Chine, la Chine. Les élèves de la zone C (Paris, Montpellier) rentrent, "
     "le ministère de l'Éducation a écrit aux rectorats.", "fr", {"fr-education-ministry"},
     {"cn-education-ministry"}),
    # a French headline's subject before a colon
    ("États-Unis : agacé par l'affaire russe, Donald Trump s'en prend au ministère de la Justice",
     "La Russie, la Russie, les Russes. Les Etats-Unis. Le président a critiqué le ministère de la "
     "Justice.", "fr", {"doj"}, {"ru-justice-ministry"}),
    # British politics: the Treasury is the UK's though Iraq is named more
    ("Blair defends forecasts", "Iraq, Iraq and Iraq. Mr Blair told MPs that the Treasury "
     "forecasts had been proven right.", "en", {"uk-treasury"}, {"iq-finance-ministry"}),
    ("Japan bonds", "Japan and Japan. The Treasury said bonds rose.", "en", {"jp-finance-ministry"},
     {"uk-treasury"}),
    ("Rules", "He told the House of Commons Treasury Select Committee that the rules were hard.",
     "en", set(), {"uk-treasury"}),
])
def test_the_sentence_or_text_sets_a_generic_ministry(gz, title, body, language, wanted, unwanted):
    check(gz, title, body, language, wanted, unwanted)


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    # word-like acronyms in a headline all in capitals are the words
    ("HIGH WINDS KEEP VESSELS TRAPPED IN BALTIC ICE", "Ships are stuck.", set(), {"us-ice"}),
    ("TIGHT FAR EAST FREIGHT SPACE HITS SUGAR MARKET", "Freight is scarce.", set(), {"ma-far"}),
    ("Raids", "ICE agents detained 40 people, the agency said.", {"us-ice"}, set()),
    # a Reuters ticker, a US savings bank, the Outer Continental Shelf
    ("DRESDNER", "Dresdner Bank AG <DRSD.F> said profits rose.", set(), {"fr-drsd"}),
    ("BANK", "It will acquire Lincoln Savings Bank FSB.", set(), {"fsb"}),
    ("OIL", "Samedan Oil Corp's OCS-G 5537 Well flowed gas.", set(), {"sco"}),
    ("Spy case", "The FSB said it had detained a spy.", {"fsb"}, set()),
])
def test_english_acronyms_that_are_words_tickers_or_suffixes(gz, title, body, wanted, unwanted):
    check(gz, title, body, "en", wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("Elle a fait HEC et un DEA d'économie à Assas.", set(), {"dea"}),
    ("Selon la DEA, le cartel a été démantelé.", {"dea"}, set()),
    # "OCS" is also Orange Cinéma Séries: the organisation only beside its name
    ("\"The Walking Dead\" (OCS et NT1) reste en tête.", set(), {"sco"}),
    ("L'Organisation de coopération de Shanghai (OCS) se réunit. L'OCS a condamné l'attaque.",
     {"sco"}, set()),
    # "fiché S (pour Sûreté de l'État)" is French; Belgium's service in a text about Belgium
    ("Plusieurs personnes étaient fichées S (pour Sûreté de l'Etat).", set(), {"vsse"}),
    ("En Belgique, la Sûreté de l'Etat a averti le parquet.", {"vsse"}, set()),
    # a département's brigade in a text that also names Paris
    ("Les enquêteurs de la brigade des mineurs de la Sûreté territoriale du Val-de-Marne, près de "
     "Paris, ont été saisis.", set(), {"fr-brigade-des-mineurs"}),
    ("L'enquête a été confiée à la brigade des mineurs de Paris.", {"fr-brigade-des-mineurs"}, set()),
    # "Selon le ministère de la Santé, l'Irak ...": the ministry reports on the country
    ("Le Brésil, le Brésil. Selon le ministère de la Santé, l'Irak a enregistré 5.000 cas.",
     {"iq-health-ministry"}, {"br-health-ministry"}),
])
def test_more_french_names_told_apart(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


def test_the_dea_in_english_needs_no_determiner(gz):
    check(gz, "Drugs", "DEA agents seized 40 kilos, the agency said.", "en", {"dea"}, set())


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("La session de l'Assemblée nationale populaire (ANP) s'ouvre vendredi à Pékin.", set(), {"dz-anp"}),
    ("L'Armée nationale populaire (ANP) a abattu trois terroristes. L'ANP a précisé le bilan.",
     {"dz-anp"}, set()),
    ("Se demande le délégué CGT-Bodyguard SAS, Renaud Poncet.", set(), {"uk-sas"}),
    # France's places count for France: a roundup naming the British more than the French
    ("Les Britanniques, les Britanniques, le Royaume-Uni et les Britanniques. Les Français. A Paris, "
     "Orly et Roissy, le prix minimum d'une course a été relevé, a précisé le ministère des Transports.",
     {"fr-transport-ministry"}, {"uk-transport-department"}),
])
def test_defined_names_company_suffixes_and_french_places(gz, body, wanted, unwanted):
    check(gz, "", body, "fr", wanted, unwanted)


def test_the_british_sas_in_english(gz):
    check(gz, "Siege", "The British SAS stormed the embassy.", "en", {"uk-sas"}, set())


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    # two-letter function words in a headline in capitals
    ("VOLCKER SAYS U.S. TRADE DEFICIT IS MAJOR CHALLENGE", "The deficit grew.", {"us"}, {"isis"}),
    ("US TROOPS LAND", "Troops landed.", {"us"}, set()),
    ("Attack", "IS militants attacked the town.", {"isis"}, set()),
    # federal savings banks, in Reuters' 1987 stories
    ("BANK", "Empire of America-California, FSB, a federal savings bank, said it would merge.",
     set(), {"fsb"}),
    # a company named after the department
    ("TREASURY CORP OF NSW ISSUES AUSTRALIAN DLR BOND", "The Australian bond.", {"au"},
     {"au-finance-ministry"}),
    ("U.K. RESERVES RISE", "Reserves in Britain rose, the Treasury said.", {"uk-treasury"}, set()),
])
def test_headline_words_savings_banks_and_companies(gz, title, body, wanted, unwanted):
    check(gz, title, body, "en", wanted, unwanted)


def test_un_in_a_french_headline_in_capitals_is_the_article(gz):
    check(gz, "UN HOMME ARRÊTÉ À LYON", "Un homme a été arrêté.", "fr", set(), {"un"})


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    # France unnamed, its places named: the French press's ministry is France's
    ("Emmanuel Macron rentre en urgence de son week end au ski",
     "Le président est de retour à Paris samedi soir pour les violences à Paris. Une réunion de "
     "crise est prévue au ministère de l'Intérieur. Il était au Kenya la semaine dernière.",
     {"fr-interior-ministry"}, {"ke-interior-ministry"}),
    ("Un tournage presque annulé pour les abeilles",
     "Les abeilles vivent sur le toit du ministère de l'Économie et des Finances, à Paris. Un "
     "film américain.", {"fr-economy-ministry"}, {"us-treasury"}),
])
def test_frances_places_stand_for_france(gz, title, body, wanted, unwanted):
    check(gz, title, body, "fr", wanted, unwanted)


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    # the US Treasury's titles name whose bare "Treasury" it is; a title itself names no body
    ("TREASURY'S BAKER NOT CONCERNED BY BOND DECLINES",
     "Japan and Japan. Japanese bonds fell, Treasury Secretary James Baker said.",
     {"us-treasury"}, {"jp-finance-ministry"}),
    ("Bonds", "Japan, Japan. Treasury Assistant Secretary David Mulford said.", set(),
     {"us-treasury", "jp-finance-ministry"}),
    ("Policy", "Talks over U.S. policy between Treasury\nSecretary James Baker and Japan, Japan.",
     set(), {"us-treasury", "jp-finance-ministry"}),
    ("Debt", "Japan, Japan, Japan. The Fed and the (U.S.) Treasury agreed.", {"us-treasury"},
     {"jp-finance-ministry"}),
    # acronyms defined as something else, Reuters' way, and only beside their bodies' names
    ("Cattle", "At the National Cattlemen's Association, NCA, Lyng attacked the plan.", set(), {"uk-nca"}),
    ("Crime", "The National Crime Agency, NCA, said it made arrests.", {"uk-nca"}, set()),
    ("DIAGNOSTIC", "DRS, a warfare systems producer, said it would make the offer.", set(), {"dz-drs"}),
    ("NO IMMEDIATE PLANS TO CLOSE REFINERY - ESSO SAF", "Esso said.", set(), {"sd-saf"}),
    ("MARUBENI CORP AWARDED SRI LANKAN TELECOM TENDER", "Marubeni won.", set(), {"ro-sri"}),
])
def test_whose_treasury_and_acronyms_beside_their_names(gz, title, body, wanted, unwanted):
    check(gz, title, body, "en", wanted, unwanted)


@pytest.mark.parametrize("body, language, wanted, unwanted", [
    ("<Banque de l'Union Europeenne> said it signed the accord.", "en", set(), {"eu"}),
    ("La Banque de l'Union européenne a signé l'accord.", "fr", set(), {"eu"}),
    ("The European Union said it signed the accord.", "en", {"eu"}, set()),
])
def test_an_organisations_name_inside_a_banks(gz, body, language, wanted, unwanted):
    check(gz, "Accord", body, language, wanted, unwanted)


@pytest.mark.parametrize("body, wanted, unwanted", [
    # the US has no economics ministry: the story's one is another country's, which it does not tell
    ("The United States and U.S. officials. Economics Ministry spokesman Frans Engering said.",
     set(), {"us-economy-ministry", "us-commerce-department"}),
    # a capitalised "Ministry" is no British department
    ("Britain, Britain and British officials. Services start May 31, officials of the Transport "
     "Ministry said.", set(), {"uk-transport-department"}),
    ("Britain and Britain. The Defence Ministry said.", {"uk-mod"}, set()),
    ("In the US, the commerce ministry said.", {"us-commerce-department"}, set()),
])
def test_ministries_a_cabinet_does_not_have(gz, body, wanted, unwanted):
    check(gz, "Officials", body, "en", wanted, unwanted)


@pytest.mark.parametrize("title, body, wanted, unwanted", [
    ("PARIS CLUB AGREES", "Italy and Italy. Italian sources quoted Italian Treasury Minister Giovanni Goria.",
     set(), {"it-finance-ministry"}),
    # a department's minister is its member (RULES.md: "a former Home Office minister")
    ("Yobs", "Britain. Home Office Minister Des Browne says so.", {"uk-home-office"}, set()),
    # a G-5 story names the Chancellor and the Treasury Secretary: the bare Treasury is the US's
    ("TOP OFFICIALS ARRIVE AT TREASURY FOR G-5 TALKS",
     "Italy, Italy and Italy. Treasury Secretary James Baker and Chancellor of the Exchequer Nigel "
     "Lawson met.", {"us-treasury"}, {"uk-treasury"}),
])
def test_treasury_titles_and_members(gz, title, body, wanted, unwanted):
    check(gz, title, body, "en", wanted, unwanted)


@pytest.mark.parametrize("body, language, wanted, unwanted", [
    ("Le Conseil des droits de l'Homme de l'ONU a voté une résolution.", "fr",
     {"un-human-rights-council", "un"}, {"ohchr"}),
    ("The UN Human Rights Council voted.", "en", {"un-human-rights-council"}, {"ohchr"}),
    ("Le Haut-Commissariat des Nations unies aux droits de l'homme a dénoncé la loi.", "fr",
     {"ohchr"}, {"un-human-rights-council"}),
])
def test_the_human_rights_council_is_not_the_high_commissioners_office(gz, body, language, wanted,
                                                                        unwanted):
    check(gz, "ONU", body, language, wanted, unwanted)


def located(gz, title: str, body: str, language: str) -> set[str]:
    """The countries a text's places give (located tags)."""
    return {tag.entity_id for tag in gz.tag(title, body, language) if tag.places}


@pytest.mark.parametrize("body, unwanted", [
    # a company's name in Reuters' angle brackets, a bank's name: no place
    ("It signed a lease with <Olympia and York>.", "gb"),
    ("Lifetime said the <Private Bank and Trust of Zurich>, a bank, agreed.", "ch"),
    ("Banco di Sicilia is co-lead manager.", "it"),
    # a city followed by a US state's or a Canadian province's abbreviation is American or Canadian
    ("It will open a plant in Macon, Ga., next year.", "fr"),
    ("The mill in Florence, S.C. closed.", "it"),
    ("A Chester, Pa., insurance firm said.", "gb"),
    ("The Sullivan mine at Kimberley, B.C., halted.", "za"),
    ("The North Sea's Brent blend rose.", "gb"),
])
def test_places_inside_company_names_and_qualified_cities(gz, body, unwanted):
    assert unwanted not in located(gz, "DEAL", body, "en")


@pytest.mark.parametrize("body, wanted", [
    ("Lifetime said the bank, based in Zurich, agreed.", "ch"),
    ("The meeting was held in Florence, Italy.", "it"),
    ("À Paris, La Défense était vide.", "fr"),
])
def test_places_that_stay(gz, body, wanted):
    assert wanted in located(gz, "DEAL", body, "fr" if body.startswith("À") else "en")


@pytest.mark.parametrize("body, wanted, unwanted", [
    ("The Department of Energy said oil output fell.", {"us-energy-department"}, set()),
    ("Britain and the British. The Department of Energy said North Sea output fell.",
     {"uk-energy-department"}, {"us-energy-department"}),
    ("The Interior Department's Bureau of Mines said output rose.", {"us-interior-department"}, set()),
    ("The Department of Education said it would act.", {"us-education-department"}, set()),
])
def test_us_departments_by_their_short_names(gz, body, wanted, unwanted):
    check(gz, "Output", body, "en", wanted, unwanted)
