"""Which entity a matched alias names, once every alias of a text is found (matcher.py): an
alias of one entity is settled; a shared alias ("DGSN") goes to the entity whose country the text
mentions most, else to the primary one; a generic phrase ("the interior ministry") to the ministry
of the country named next to it, else of the text's dominant country (ties: French press, then the
title; ties.py), else, in a text that names no country and no place, of the outlet's own country
(``home``: "Ministry of Education Launches Survey" in Morocco World News is Morocco's). ``m`` is the Matcher (its entities, primary ids and cues)."""
from __future__ import annotations

from collections import Counter

from .normalise import SentenceIndex, fold
from .sentence_country import (drop_foreign_bodies, drop_national_namesakes, sentence_country,
                               treasury_of_text)
from .ties import called_ministry, local_department, ministry_hints, tie_hints
from .types import Mention

_MINISTRY = frozenset({"Ministry", "Ministries", "MINISTRY"})  # an English "Ministry" with its capital
_OURS = frozenset({"notre", "nos"})  # before a generic ministry in French: France's
_BEFORE = frozenset({" ", "'s ", "\u2019s ", ") ", ".) "})  # "the (U.S.) Treasury"
_AFTER = frozenset({" ", " of ", " du ", " des ", " de ", " de la ", " de l'", " de l\u2019",
                    " d'", " d\u2019"})


def resolve(m, doc, raw, weak=frozenset(), home: str | None = None) -> tuple[list[Mention], SentenceIndex]:
    settled: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, tuple[str, ...], bool]] = []
    for i, j, aliases in raw:
        if len(aliases) == 1 and len(aliases[0].entity_ids) == 1:  # most: one alias, one id
            ids, generic = aliases[0].entity_ids, aliases[0].generic
        else:
            ids = tuple(dict.fromkeys(eid for alias in aliases for eid in alias.entity_ids))
            generic = any(alias.generic for alias in aliases)
        if len(ids) > 1:  # an entity's own alias outweighs a place of the same name
            ids = tuple(e for e in ids if m.entities[e].type != "place") or ids
        if len(ids) == 1 and not generic:
            settled.append((i, j, ids[0]))
        elif ids:
            pending.append((i, j, ids, generic))
    sentences = doc.sentence_index()
    if pending:
        named = [(i, j, eid) for i, j, eid in settled if m.entities[eid].type == "country"]
        countries = Counter(eid for _, _, eid in named)
        # A text that names no country but names its places ("The Treasury ... Birmingham and
        # Newcastle"): a generic ministry goes to the places' country, if one leads.
        placed = countries or Counter(m.entities[eid].country for _, _, eid in settled
                                      if m.entities[eid].type == "place") \
            or Counter({home: 1} if home else {})  # naming neither: the outlet's own country
        country_ends = {cj for _, cj, _ in named}
        # France's places count for France in the French press rule below ("Paris, Orly, Roissy")
        french = countries.get("fr", 0) + len({doc.words[i] for i, _, eid in settled
                                               if m.entities[eid].type == "place"
                                               and m.entities[eid].country == "fr"})
        title = None  # the countries the title names (tie_hints), read once if a tie asks

        def titled() -> Counter:
            nonlocal title
            if title is None:
                title = tie_hints(m.entities, doc, settled)
            return title

        def hints(i: int, j: int, ids) -> Counter:
            return ministry_hints(m.entities, doc, i, j, ids, titled())
        beside = {(i, j): _next_to_country(m, doc, i, j, ids, named) for i, j, ids, generic in pending
                  if generic}
        government = _one_government(m, doc, settled, beside, countries, titled)
        for i, j, ids, generic in pending:
            if generic and local_department(doc, i, j, country_ends):
                continue
            if generic and not beside[i, j]:  # "En Italie, le ministère de la Santé ..."
                chosen = _of_country(m, ids, sentence_country(m, doc, sentences, i, j, settled) or "") \
                    or treasury_of_text(m, doc, i, j, ids)
                if chosen:
                    settled.append((i, j, chosen))
                    continue
            if generic and doc.language == "fr" and not titled() and french \
                    and french + 1 >= max(countries.values(), default=0) \
                    and not beside[i, j] and not _foreign_in_sentence(m, doc, sentences, i, settled):
                # French press, a title that names no country, France (or its places) named and
                # about as often as any ("Les Français paient ... selon le ministère des Transports"): the
                # unqualified ministry is France's, as on a tie
                chosen = _of_country(m, ids, "fr")
                if chosen:
                    settled.append((i, j, chosen))
                    continue
            if generic and doc.language == "fr" and i > 0 and doc.words[i - 1] in _OURS:
                # "notre ministère des Affaires étrangères": the French press's own country
                chosen = _of_country(m, ids, "fr")
                if chosen:
                    settled.append((i, j, chosen))
                    continue
            chosen = (_by_cues(m, doc, ids) if not generic and ids[0] in m.cues else None) \
                or (beside[i, j] if generic else None) \
                or (_of_country(m, ids, government) if generic and government
                    and ministry_hints(m.entities, doc, i, j, ids, Counter({government: 1})) else None) \
                or _choose(m, _called_ministry(m, doc, i, j, ids) if generic else ids, generic,
                           _with_ministry(m, doc, i, j, ids, placed) if generic else countries,
                           doc.language, lambda: hints(i, j, ids))
            if chosen:
                settled.append((i, j, chosen))
    settled = drop_national_namesakes(m, doc, drop_foreign_bodies(m, doc, settled))
    if weak:
        strong = {eid for i, _, eid in settled if i not in weak}
        settled = [item for item in settled if item[0] not in weak or item[2] in strong
                   or m.entities[item[2]].type == "country"]
    settled.sort()
    text = doc.text
    mentions = []
    for i, j, eid in settled:
        start, end = doc.starts[i], doc.ends[j]
        if end < len(text) and text[end] == "." and "." in text[start:end]:
            end += 1  # "U.S." keeps its last full stop
        mentions.append(Mention(eid, start, end, text[start:end], sentences.sentence(start, end)))
    return mentions, sentences

def _one_government(m, doc, settled, beside, countries, titled) -> str | None:
    """The country the title names first, when the text ties a generic ministry to it ("TAIWAN
    PROPOSES TO INVEST ... IN U.S. Taiwan's Economic Ministry ... the Finance Ministry") and
    names no other country's ministry: the story reports on its government, so its other
    generic ministries are that government's too, even where another country is named more.
    A ministry named by its own name does not count ("US report ... the State Department ...
    the Ministry of Endowments and Islamic Affairs" is Morocco's; "JAPAN BONDS ... U.S.
    Treasury issues ... the Finance Ministry" is Japan's)."""
    tied = {m.entities[eid].country for eid in beside.values() if eid}
    if len(tied) > 1:
        return None
    # The headline's subject: a title that opens on a country ("IRAQ SAYS IT CRUSHES NEW IRANIAN
    # BASRA OFFENSIVE", "TAIWAN SEES ITS INVESTMENT IN U.S. RISING") reports its government's acts.
    opening = next((eid for i, j, eid in settled if doc.starts[i] == 0 and m.entities[eid].type == "country"
                    and (_verb_after(doc, j) or _colon_after(doc, j))), None)
    if not tied and opening is None:
        return None
    country = tied.pop() if tied else opening
    if any(m.entities[eid].kind == "ministry" and m.entities[eid].country not in (None, country)
           for _, _, eid in settled):
        return None
    title = titled()  # the title's countries, the first scored highest (ties.tie_hints)
    first = max(title, key=title.get) if title else None
    return country if first == country and countries.get(country) else None


# After a headline's subject, the words of a verb: "SAYS", "SEES", "PROPOSES", "TO", "WILL"
# ("US report praises ...": "US" is an adjective there, the report is the subject).
_MODALS = frozenset("to will may could should must might would can said did has had is was".split())


def _verb_after(doc, j: int) -> bool:
    if j + 1 >= len(doc.words) or "\n" in doc.gap(j + 1):
        return False
    word = doc.words[j + 1]
    return word in _MODALS or (len(word) > 3 and word.endswith("s") and not word.endswith("ss"))


def _colon_after(doc, j: int) -> bool:
    """A French headline's subject: "États-Unis : agacé par l'affaire russe, Donald Trump ..."."""
    return j + 1 < len(doc.words) and doc.gap(j + 1).strip() == ":"


def _foreign_in_sentence(m, doc, sentences: SentenceIndex, i: int, settled) -> bool:
    """A country other than France, or one of its places, named in the sentence of word i ("Au
    Maroc, les ministères de l'Intérieur et de la Santé ..."; "une cellule ... à Agadir, a
    annoncé le ministère de l'Intérieur")."""
    start, end = sentences.bounds(doc.starts[i], doc.ends[i])
    for ci, _, eid in settled:
        entity = m.entities[eid]
        code = eid if entity.type == "country" else entity.country if entity.type == "place" else None
        if code and code != "fr" and start <= doc.starts[ci] < end:
            return True
    return False


def _called_ministry(m, doc, i: int, j: int, ids):
    """An English "Ministry" is no department or office: "officials of the Transport Ministry" in
    a story naming Britain most is not the Department for Transport (ties.ministry_hints does the
    same for ties)."""
    if doc.language == "fr" or not any(doc.word(k) in _MINISTRY for k in range(i, j + 1)):
        return ids  # "the commerce ministry" in lower case describes; "the Transport Ministry" names
    return tuple(eid for eid in ids if called_ministry(m.entities[eid])) or ids


def _with_ministry(m, doc, i: int, j: int, ids, countries: Counter) -> Counter:
    """The countries an English "Ministry" can be of: those whose body of that role is called a
    ministry. "the Finance Ministry said" in a story naming the United States most and South Korea
    once is Korea's; the US has departments, and no ministry at all of some subjects ("a Post and
    Telecommunications Ministry official" beside the US and Japan)."""
    if doc.language == "fr" or not any(doc.word(k) in _MINISTRY for k in range(i, j + 1)):
        return countries
    having = {m.entities[eid].country for eid in ids if called_ministry(m.entities[eid])}
    return Counter({code: n for code, n in countries.items() if code in having})


def _of_country(m, ids, country: str) -> str | None:
    return next((eid for eid in ids if m.entities[eid].country == country), None)


def _next_to_country(m, doc, i: int, j: int, ids, named) -> str | None:
    """A generic ministry right next to a country: "Moroccan health ministry", "Morocco's
    ministry of health", "health ministry of Morocco", "ministère de la Santé marocain",
    "ministère de la Santé du Maroc" -> that country's ministry."""
    lowered, starts, ends = doc.lowered, doc.starts, doc.ends
    for ci, cj, country in named:
        if cj < i:
            joined = _gap(lowered[ends[cj]:starts[i]]) in _BEFORE
        elif ci > j:
            joined = _gap(lowered[ends[j]:starts[ci]]) in _AFTER
        else:
            continue
        if joined:
            return next((eid for eid in ids if m.entities[eid].country == country), None)
    return None

def _gap(between: str) -> str:
    """A line wrapped inside a paragraph is a space ("the Japanese\nMinistry of ...", Reuters)."""
    return between.replace("\n", " ") if "\n" in between and "\n\n" not in between else between


def _by_cues(m, doc, ids: tuple[str, ...]) -> str | None:
    """"Congo" in a text that says Kinshasa (and not Brazzaville) is the DR Congo."""
    folded = fold(doc.lowered)
    hits = [eid for eid in ids if any(cue in folded for cue in m.cues.get(eid, ()))]
    return hits[0] if len(hits) == 1 else None

def _choose(m, ids: tuple[str, ...], generic: bool, countries: Counter,
            language: str | None = None, hints=None) -> str | None:
    """`hints`: a callable giving the tie-break's scores per country (ties.py), asked only
    when countries tie."""
    ranked = countries.most_common(2)
    if generic:
        tied = not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1])
        if tied and language == "fr" and (not ranked or ranked[0][1] == countries.get("fr")):
            dominant = "fr"  # French press: "le ministère de la Santé" unqualified is France's
        elif tied and ranked and hints is not None:
            # Countries tied for the most mentions: the one the title names first.
            top, scores = ranked[0][1], hints()
            leaders = sorted(((scores.get(c, 0), c) for c, n in countries.items() if n == top),
                             reverse=True)
            if leaders[0][0] <= 0 or (len(leaders) > 1 and leaders[0][0] == leaders[1][0]):
                return None
            dominant = leaders[0][1]
        elif tied:
            return None
        else:
            dominant = ranked[0][0]
        return next((eid for eid in ids if m.entities[eid].country == dominant), None)
    scored = sorted(((countries.get(m.country_of(eid), 0), eid) for eid in ids),
                    reverse=True)
    if scored[0][0] > 0 and (len(scored) == 1 or scored[0][0] > scored[1][0]):
        return scored[0][1]
    return next((eid for eid in ids if eid in m.primary), None)
