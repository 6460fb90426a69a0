"""Context rules of the matcher: when a matched alias is not what it looks like.

A name next to another capitalised name is a person's ("Chad Smith", "Ira Glass"); "Georgia"
near Atlanta is the US state; a country word inside a company's name is the company; a
title-case acronym at a sentence's start needs corroboration (matcher.py). Each function takes
the matcher's tokenised document and the word span [i, j] of the match.
"""
from __future__ import annotations

import re

from .portfolios import not_a_portfolio, not_an_institution

# Words that may follow a country name without making it a person's name ("Jordan King ...").
_TITLE_WORDS = frozenset(
    "president prime premier foreign interior defence defense king queen army government "
    "minister ministry capital border authorities police officials forces embassy parliament "
    "security intelligence national republic state and or".split()
)
_LOWER_BEFORE_NAME = frozenset(
    "the in of and to from with for by on at into between neighbouring neighboring "
    "le la les en au aux du de des et vers".split()
)
_US_STATE_CUES = re.compile(
    r"\b(?:atlanta|savannah|augusta|state of georgia|georgia state|georgia's governor|governor|"
    r"u\.?s\.? state|senate|senator|county|bulldogs|peach)\b"
)


_PARTICLES = frozenset({"de", "du", "d", "van", "von"})


def is_person(doc, i: int, j: int) -> bool:
    """Capitalised word right before or after (one space apart): "Michael Jordan", "Chad Smith";
    a particle and a surname after ("Maurice de Gheest"), or an age in apposition ("réagit
    Maurice, 91 ans", "Jordan, 24, said")."""
    count = len(doc.words)
    if j + 2 < count and doc.words[j + 1] in _PARTICLES and doc.gap(j + 1) == " " \
            and doc.gap(j + 2) in (" ", "'", "\u2019") and doc.word(j + 2)[:1].isupper():
        return True
    if j + 1 < count and doc.gap(j + 1) == ", " and doc.words[j + 1].isdigit() and len(doc.words[j + 1]) <= 3 \
            and j + 2 < count and (doc.words[j + 2] in ("ans", "an") or doc.gap(j + 2) == ", "):
        return True
    if j + 1 < count and doc.gap(j + 1) == " ":
        word = doc.word(j + 1)
        if word[:1].isupper() and word.lower() not in _TITLE_WORDS:
            return True
    if i > 0 and doc.gap(i) == " ":
        word = doc.word(i - 1)
        if word[:1].isupper() and len(word) > 1 and word.lower() not in _LOWER_BEFORE_NAME:
            return True
    return False


def _is_us_state(doc, i: int, j: int) -> bool:
    window = doc.lowered[max(0, doc.starts[i] - 120):doc.ends[j] + 120]
    return "tbilisi" not in window and _US_STATE_CUES.search(window) is not None


# Capitalised words that may follow a title-case acronym without making it a name ("Nato
# Secretary General", "Opec Ministers"): titles and the nouns that go with a body's name.
_ACRONYM_NEXT = _TITLE_WORDS | frozenset(
    "secretary general secretary-general summit alliance allies headquarters chief commander "
    "members member council forces troops mission spokesman spokeswoman ministers meeting envoy "
    "director head ambassador deputy conference countries nations states report secretariat "
    "chairman chair board official officials".split()
)


# Words before a title-case form that make it a body's name, whatever follows: "de l'Otan
# Jens Stoltenberg", "the Unesco World Heritage list" (a first name takes no article).
_DETERMINERS = frozenset("l la le les du de des d au aux the a an of".split())


def _is_titlecase_name(doc, i: int, j: int) -> bool:
    """"Nato" next to another capitalised name is a name part: "Ira Glass", "Sri Lanka"."""
    determined = i > 0 and doc.words[i - 1] in _DETERMINERS and doc.gap(i) in (" ", "'")
    if not determined and j + 1 < len(doc.words) and doc.gap(j + 1) == " ":
        word = doc.word(j + 1)
        if word[:1].isupper() and doc.words[j + 1] not in _ACRONYM_NEXT:
            return True
    if i > 0 and doc.gap(i) == " " and not starts_sentence(doc, i - 1):  # "Several Opec..."
        word = doc.word(i - 1)
        if word[:1].isupper() and word[1:2].islower() and word.lower() not in _LOWER_BEFORE_NAME:
            return True
    return False


# After a ministry's name, words that make it an office-holder's title (RULES.md): "Treasury
# Secretary James Baker" names no ministry; "a Home Office minister" does name the Home Office.
# Before a unit named by a word ("le Raid", "du Raid", "au Raid"): the determiners that make it
# a name when the word keeps its capital mid-sentence.
_DETERMINERS = frozenset("le du au".split())
TITLE_AFTER = frozenset({"secretary", "secretaries", "undersecretary",
                         "select"})  # "the Treasury Select Committee": the Commons' committee
# ... and "Under" written with its capital: "Treasury Under Secretary John Taylor".
TITLE_AFTER_CAPITAL = frozenset({"under", "assistant", "deputy"})  # "Treasury Assistant Secretary"
# Before it, the same: "Chief Secretary to the Treasury", "Chancellor of the Exchequer".
TITLE_BEFORE = frozenset({("secretary", "to", "the"), ("chancellor", "of", "the")})

# Words that end a company's or an association's name: "Texas American Bancshares", "American
# Express Co", "Canadian Pacific Ltd" do not name the country (RULES.md rule 10).
_COMPANY_WORDS = frozenset(
    "inc corp corporation co company ltd limited plc llc sa ag nv bancorp bancshares bankshares "
    "holdings airlines airways telecom motors industries breweries association federation "
    "society consortium foundation party chambers chamber league life insurance assurance exchange".split()
)
# One space, or a line wrapped inside a paragraph (Reuters: "the EC's executive\nCommission").
SPACES = frozenset({" ", "\n", " \n", "\n "})
# Lower-case links inside such a name: "American Telephone and Telegraph Co".
_NAME_LINKS = frozenset({"and", "of", "&"})


def names_company(doc, j: int) -> bool:
    """A country word followed, within its run of capitalised words, by a company word (the
    run may wrap a line: "Hongkong and Shanghai\nBanking Corp")."""
    for k in range(j + 1, min(j + 6, len(doc.words))):
        if doc.gap(k) not in SPACES:
            return False
        if not doc.text[doc.starts[k]].isupper():
            if doc.words[k] in _NAME_LINKS and k + 1 < len(doc.words):
                continue
            return False
        if doc.words[k] in _COMPANY_WORDS:
            return True
    return False


# Heads of an association's name before its members' demonym: "l'association des Palestiniens
# de Mulhouse", "le collectif des Algériens de Lyon" name an association (RULES.md rule 10, labels2).
_ASSOCIATION_HEADS = frozenset("association associations collectif amicale federation ligue comite club".split())


def names_association(doc, i: int) -> bool:
    """A country word right after "association des", "collectif des", "amicale des"."""
    return i >= 2 and doc.words[i - 1] in ("des", "de", "du") and doc.words[i - 2] in _ASSOCIATION_HEADS \
        and doc.gap(i) == " " and doc.gap(i - 1) == " "


_BANK_OF = (("banque", "de", "l"), ("banque", "de", "la"), ("bank", "of", "the"), ("banco", "de", "la"))


def names_a_bank(doc, i: int) -> bool:
    """An organisation's name inside a bank's: "Banque de l'Union Européenne" (a French bank,
    Reuters 1987), "Bank of the European Union"."""
    return i >= 3 and tuple(doc.words[i - 3:i]) in _BANK_OF and doc.text[doc.starts[i - 3]].isupper()


def in_a_ticker_name(doc, i: int, j: int) -> bool:
    """Inside Reuters' angle brackets, which hold a company's name or ticker ("signed a lease with
    <Olympia and York>", "Dresdner Bank AG <DRSD.F>")."""
    text, start, end = doc.text, doc.starts[i], doc.ends[j]
    opening = text.rfind("<", max(0, start - 80), start)
    if opening < 0 or ">" in text[opening:start] or "\n" in text[opening:start]:
        return False
    closing = text.find(">", end, end + 80)
    return closing >= 0 and "\n" not in text[end:closing] and "<" not in text[end:closing]


def titled_before(doc, i: int) -> bool:
    """A ministry's name after "Secretary to the" / "Chancellor of the": an office-holder's
    title."""
    return i >= 3 and tuple(doc.words[i - 3:i]) in TITLE_BEFORE \
        and all(doc.gap(k) == " " for k in range(i - 2, i + 1))


# Before a French masculine demonym in lower case, words that make it the language: "le grec et
# le latin", "traduit en arabe", "cours d'anglais" (RULES.md: a language names no country).
_LANGUAGE_BEFORE = frozenset({"le", "l", "en", "du", "d"})


def names_language(doc, i: int, j: int) -> bool:
    """"le grec", "en arabe": the language, unless a capitalised name follows ("l'allemand
    Siemens" is the German company) or the word is capitalised ("le Grec", a person)."""
    if i == 0 or not doc.text[doc.starts[i]].islower() or doc.words[i - 1] not in _LANGUAGE_BEFORE:
        return False
    if j + 1 < len(doc.words) and doc.gap(j + 1) == " " and doc.text[doc.starts[j + 1]].isupper():
        return False
    return True


_SERVICE_BEFORE = frozenset({"the", "a", "an"})


def not_a_service(doc, i: int) -> bool:
    """A bare service name ("Navy", "Air Force") counts after "the", "a", "an" or a lower-case
    word ("mln dlr Air Force contract", "U.S. Navy and Air Force"); not opening a sentence
    ("Navy personnel boarded": the capital says nothing), not after another capitalised word
    ("the Salvation Army", "Cape Canaveral Air Force Station", "Peruvian Air Force") or a
    possessive ("Dad's Army")."""
    if i == 0 or doc.gap(i) not in SPACES:
        return True
    if doc.words[i - 1] in _SERVICE_BEFORE:
        return False
    return not doc.word(i - 1)[:1].islower() or (i > 1 and "'" in doc.gap(i - 1)) \
        or (i > 1 and "\u2019" in doc.gap(i - 1))


_EU_CUES = re.compile(r"\b(?:EC|EU|EEC|European Community|European Union|Common Market)\b")
_COMMISSION_BEFORE = frozenset({"the", "executive", "its"})


def names_the_eu_commission(doc, i: int, j: int) -> bool:
    """"the Commission", "the EC's executive Commission" in an English text that names the EC
    or the EU; not "the Commission for Africa", "the Commission on Human Rights", "the
    Commission President" (another body's name, or a title that goes on capitalised)."""
    if doc.language not in (None, "en") or i == 0 or doc.gap(i) not in SPACES \
            or doc.words[i - 1] not in _COMMISSION_BEFORE:
        return False
    if j + 1 < len(doc.words) and doc.gap(j + 1) in SPACES and (
            doc.words[j + 1] in ("for", "on") or doc.text[doc.starts[j + 1]].isupper()):
        return False
    return _EU_CUES.search(doc.text) is not None


_IMF_CUES = re.compile(r"\b(?:IMF|International Monetary Fund|World Bank|FMI|Fonds monétaire international"
                       r"|Banque mondiale)\b")


def names_the_imf(doc) -> bool:
    """"the Interim Committee", "the Development Committee" are the IMF's and the World Bank's
    only in a text that names one of them (Reuters, 1987: "chairman of the IMF's policy-making
    Interim Committee", then "the Interim Committee Communique")."""
    return _IMF_CUES.search(doc.text) is not None


# "le locataire de la place Beauvau", "l'hôte du Quai d'Orsay": the minister
# (a person, RULES.md), not the ministry the building stands for.
_TENANTS = frozenset("locataire locataires hote hotes occupant occupante occupants".split())


def names_the_tenant(doc, i: int) -> bool:
    """The building's alias at i follows "locataire de (la)", "hôte du", "occupant de l'"."""
    k = i - 1
    while k >= 0 and doc.words[k] in ("la", "l", "le"):
        k -= 1
    return k >= 1 and doc.words[k] in ("de", "du", "d") and doc.words[k - 1] in _TENANTS


# After a national unit or one of the Paris judicial police ("la brigade criminelle", "la BRI",
# "la police nationale"), what makes it a local office: "de (la) direction régionale de la police
# judiciaire de Versailles", "du SRPJ de Lille", "de Marseille", "du Nord" (RULES.md, heldout2 and
# labels2: a regional directorate's brigades and a département's police are local offices; the
# directorate is labelled). "d'Haïti": another country's national police, not France's.
_REGIONAL = frozenset("direction drpj srpj dipj dtpj sdpj service antenne".split())


def names_a_regional_unit(doc, j: int) -> bool:
    words, count, k = doc.words, len(doc.words), j + 1
    if k < count and "(" in doc.gap(k):  # "la brigade de recherches et d'intervention (BRI) de Dijon"
        while k + 1 < count and ")" not in doc.gap(k + 1):
            k += 1  # to the last word inside the brackets
        k += 1
    if k < count and words[k] in ("de", "du", "d"):
        k += 1
        while k < count and words[k] in ("la", "l"):
            k += 1
        if k < count and words[k] in _REGIONAL:
            return True
        if k < count and doc.word(k)[:1].isupper() and words[k] != "paris" and doc.gap(k) in (" ", "'"):
            return True
    return False


# Acronyms and names whose determiner tells them apart (French): "la PAF" is the border police,
# "le PAF" / "du PAF" the television landscape ("paysage audiovisuel français"); "la DRM" the
# military intelligence directorate, "les DRM" digital locks; "la Gendarmerie" the institution's
# name (RULES.md, heldout6), "la SAS L'Équipe" a company form, "les SAS" the special forces.
def after_la(doc, i: int, j: int) -> bool:
    """Word i follows "la" (or opens a bracket after a long form), and is no local unit's."""
    if i == 0:
        return False
    if doc.words[i - 1] == "la" and doc.gap(i) == " ":
        if i >= 3 and doc.words[i - 2] == "de" and doc.text[doc.starts[i - 3]].isupper():
            return False  # inside a name: "L'Essor de la Gendarmerie" (a magazine), "Musée de la ..."
        return not names_a_regional_unit(doc, j)
    return doc.gap(i).endswith("(")


def in_capitals_line(doc, i: int, j: int) -> bool:
    """The match's line has no lower-case letter (and other words than the match)."""
    text, start, end = doc.text, doc.starts[i], doc.ends[j]
    left = text.rfind("\n", 0, start) + 1
    right = text.find("\n", end)
    line = text[left:right if right >= 0 else len(text)]
    return line != text[start:end] and not any(ch.islower() for ch in line)


_FEMININE_BEFORE = frozenset("la une".split())


# "Bercy" for the economy ministry (a building metonym, as "Beauvau"), not the quarter's arena,
# park, station or streets, nor "le locataire de Bercy" (the minister).
_BERCY_PLACES = frozenset("""parc gare boulevard bd quai rue pont port palais metro cour village
    quartier arena pavillon salle omnisports popb""".split())
_BERCY_SHOWS = re.compile(r"\b(?:concerts?|spectacles?|tourn[ée]e|sc[èe]ne|chanteu(?:r|se)|tournoi|masters|"
                          r"tennis|match|show|public|fans|album|festival|se produi|ch[ae]nt|meeting|rassemblement|congr[èe]s)", re.I)


def not_the_ministry_bercy(doc, i: int, j: int, sentences) -> bool:
    words, count = doc.words, len(doc.words)
    if names_the_tenant(doc, i):
        return True
    k = i - 1
    if k >= 0 and doc.gap(i) == "-":  # "Paris-Bercy"
        return True
    if k >= 0 and words[k] in ("de", "du", "d") and k >= 1:
        k -= 1
    if k >= 0 and words[k] in _BERCY_PLACES:
        return True
    if j + 1 < count and (doc.gap(j + 1) == "-" or words[j + 1] in ("village", "arena", "expo")):
        return True
    start, end = sentences.bounds(doc.starts[i], doc.ends[j])
    return _BERCY_SHOWS.search(doc.text, start, end) is not None


# "le chef d'état-major des armées" is the office-holder's title (RULES.md, heldout6).
_TITLE_HEADS = frozenset("chef chefs sous".split())


def after_a_title(doc, i: int) -> bool:
    k = i - 1
    while k >= 0 and doc.words[k] in ("d", "de", "l"):
        k -= 1
    return k >= 0 and k < i - 1 and doc.words[k] in _TITLE_HEADS


def names_the_prefecture(doc, i: int, j: int, sentences) -> bool:
    """"la direction du renseignement" with the Paris préfecture de police named in its sentence
    is the DRPP by its own name (RULES.md, heldout6)."""
    start, end = sentences.bounds(doc.starts[i], doc.ends[j])
    return "préfecture de police" in doc.lowered[start:end] or "prefecture de police" in doc.lowered[start:end]


_SENTENCE_ENDS = frozenset(".!?\n")


def starts_sentence(doc, i: int) -> bool:
    return i == 0 or not _SENTENCE_ENDS.isdisjoint(doc.gap(i))


_place_rejects = None  # place_context.place_rejects, imported on first use: it imports us


def context_rejects(rule: str, doc, i: int, j: int) -> bool:
    global _place_rejects
    if rule.startswith("place"):  # cities and regions (places.py): the rules met most often
        if _place_rejects is None:
            from .place_context import place_rejects as _place_rejects
        return _place_rejects(rule, doc, i, j)
    if rule == "corroborated":  # kept only when the text names the body another way (matcher.py)
        return False
    if rule == "lookup-only":  # "Grenade", "Réunion": too often a common word to match
        return True
    if rule in ("titlecase", "titlecase-known"):
        return _is_titlecase_name(doc, i, j)
    if rule == "handle":  # "@PoliceNationale": only right after the "@"
        start = doc.starts[i]
        return start == 0 or doc.text[start - 1] != "@"
    if rule == "in-paris":  # "la préfecture de police" is Paris's only in a text that names Paris
        return "paris" not in doc.lowered
    if rule == "building":  # "Beauvau", "Quai d'Orsay": not "le locataire de la place Beauvau"
        return names_the_tenant(doc, i)
    if rule == "not-local":  # "la brigade criminelle", not "... de la DRPJ de Versailles"
        return names_a_regional_unit(doc, j)
    if rule.startswith("not-in-capitals:"):  # "BALTIC ICE": a word, in a headline all in capitals
        return (doc.language or "en") in rule[16:].split("+") and in_capitals_line(doc, i, j)
    if rule == "not-after-bank":  # "Lincoln Savings Bank FSB", "Empire of America-California, FSB"
        return (i > 0 and doc.words[i - 1] in ("bank", "banks", "association")) \
            or "savings bank" in doc.lowered or "savings and loan" in doc.lowered
    if rule == "after-la":  # "la PAF", "la DRM", "la Gendarmerie"; not "le PAF", "les DRM"
        return not after_la(doc, i, j)
    if rule == "after-la-fr":  # the same in French ("un DEA d'économie" is a diploma); as written elsewhere
        return doc.language == "fr" and not after_la(doc, i, j)
    if rule == "in-paris-not-local":  # "la brigade des mineurs" of Paris; not "... de la Sûreté du Val-de-Marne"
        return "paris" not in doc.lowered or names_a_regional_unit(doc, j)
    if rule == "belgian-text":  # "Sûreté de l'État": Belgium's only in a text about Belgium ("fiché S")
        return "belg" not in doc.lowered and "bruxelles" not in doc.lowered
    if rule == "not-feminine":  # "les SAS", "du SAS"; not "la SAS L'Équipe", "CGT-Bodyguard SAS" (companies)
        return i > 0 and (doc.words[i - 1] in _FEMININE_BEFORE
                          or (doc.language == "fr" and doc.gap(i) == " "
                              and doc.text[doc.starts[i - 1]].isupper()
                              and not starts_sentence(doc, i - 1)))
    if rule == "after-l":  # "l'Olaf", "de l'Olaf"; not "Olaf Scholz"
        return i == 0 or doc.words[i - 1] != "l" or doc.gap(i) not in ("'", "\u2019")
    if rule == "not-title":  # "l'état-major des armées"; not "le chef d'état-major des armées"
        return after_a_title(doc, i)
    if rule == "bercy":
        return not_the_ministry_bercy(doc, i, j, doc.sentence_index())
    if rule == "with-prefecture":
        return not names_the_prefecture(doc, i, j, doc.sentence_index())
    if rule == "after-determiner":  # "le Raid", "les hommes du Raid"; not "un raid", "Raid sur"
        return i == 0 or starts_sentence(doc, i) or doc.words[i - 1] not in _DETERMINERS \
            or doc.gap(i) != " " or not doc.text[doc.starts[i]].isupper()
    if rule == "title-before-name":  # "U.S. Trade Representative Clayton Yeutter": the man
        return j + 1 < len(doc.words) and doc.gap(j + 1) in SPACES \
            and doc.text[doc.starts[j + 1]].isupper() and doc.words[j + 1] != "office"
    if rule == "eu-text":  # "the Commission" in an EC story: the European Commission
        return not names_the_eu_commission(doc, i, j)
    if rule == "imf-text":  # "the Interim Committee" in a story that names the IMF or the World Bank
        return not names_the_imf(doc)
    if rule == "service":  # "the Navy", "an Air Force contract" (services.py)
        return not_a_service(doc, i)
    if rule == "language-fr":
        return names_language(doc, i, j)
    if rule == "compound":  # "franco" only in "franco-marocain"
        return j + 1 >= len(doc.words) or doc.gap(j + 1) != "-"
    if rule == "person":
        return is_person(doc, i, j)
    if rule == "portfolio":  # "Castaner à l'Intérieur"; not "le ministre de l'Intérieur"
        return not_a_portfolio(doc, i)
    if rule == "institution":  # "la gendarmerie et l'Éducation nationale"; not its minister
        return not_an_institution(doc, i)
    if rule == "us-state":
        return _is_us_state(doc, i, j) or is_person(doc, i, j)
    return False
