"""The gazetteer: every known country, agency and armed group, and how to find them in text.

    gz = load_gazetteer()
    gz.tag("Le Maroc et l'Espagne...", body, "fr")   # -> [Tag("ma", about=True, ...), ...]
    gz.lookup("Maroc")                               # -> Entity("ma", ...)
"""
from __future__ import annotations

import functools
import threading
from collections import defaultdict
from pathlib import Path

from .matcher import Alias, Matcher, add_alias
from .normalise import SentenceIndex, strip_accents, tokens, word_initials
from .places import Places, load_places, party_states
from .sources import DATA_DIR, AliasRecord, GazetteerDataError, case_for, load_sources
from .titlecase import mark_word_acronyms, titlecase_records
from .types import Entity, Mention, Tag

# Tag.about: the entity is in the title, in the lead (the first LEAD_SENTENCES sentences of the
# body, at most LEAD_CHARS characters), or mentioned at least ABOUT_MENTIONS times.
LEAD_SENTENCES = 2
LEAD_CHARS = 300
ABOUT_MENTIONS = 3


def _compile(records, redirects: dict[str, str]) -> tuple[dict, dict]:
    """The matcher's trie and the lookup index (folded words -> entity ids)."""
    root: dict = {}
    index: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for record in records:
        ids = tuple(dict.fromkeys(redirects.get(eid, eid) for eid in record.entity_ids))
        words = tokens(record.text)
        if not words:
            continue
        forms = frozenset()
        if record.case == "exact":
            forms = frozenset({strip_accents(record.text).rstrip(".")})
        languages = frozenset(record.languages) if record.languages else None
        capitals = (0,)
        if record.case == "capital":
            initials = word_initials(record.text)
            capitals = tuple(k for k, initial in enumerate(initials) if initial.isupper())
            if not ids:  # a blocked phrase keeps its first capital only: "Mongolie-intérieure"
                capitals = capitals[:1] if initials[0].isupper() else ()
        dotted = "." in record.text.rstrip(".")
        add_alias(root, words, Alias(ids, record.case, forms, dotted, capitals, record.rule,
                                     languages, record.generic))
        if not record.generic:
            for eid in ids:
                if eid not in index[words]:
                    index[words].append(eid)
    return root, dict(index)


class Gazetteer:
    def __init__(self, entities: dict[str, Entity], records: list[AliasRecord],
                 primary: set[str], redirects: dict[str, str] | None = None,
                 parents: dict[str, str] | None = None,
                 cues: dict[str, tuple[str, ...]] | None = None, places: Places | None = None):
        self._records = list(records)
        self.places = places  # cities and regions -> "located" country tags (None: not loaded)
        self._alias_index: dict[str, list[str]] | None = None  # built on first aliases_of()
        self._parents = dict(parents or {})
        self._cues = dict(cues or {})
        self._primary = frozenset(primary)
        self._redirects = dict(redirects or {})
        self.entities: dict[str, Entity] = {
            eid: entity for eid, entity in entities.items() if eid not in self._redirects
        }
        self._all_entities = dict(entities)
        root, self._index = _compile(self._records, self._redirects)
        parents = {self._redirects.get(child, child): self._redirects.get(parent, parent)
                   for child, parent in self._parents.items()}
        matched = self.entities
        if places is not None:
            places.add_to(root)
            matched = {**places.entities, **self.entities}
        self._matcher = Matcher(root, matched, self._primary, parents, self._cues)

    def __repr__(self) -> str:
        return f"<Gazetteer {len(self.entities)} entities>"

    def find_mentions(self, text: str, language: str | None = None) -> list[Mention]:
        """Every mention of a known entity in `text`, in order; offsets index into `text`
        (places as mentions of their country, with .place set)."""
        mentions = self._matcher.find_mentions(text, language)
        if self.places is None:
            return mentions
        located = self.places.located(mentions, text)
        return sorted([m for m in mentions if m.entity_id not in self.places.entities] + located,
                      key=lambda m: m.start)

    def tag(self, title: str, body: str, language: str | None = None, home: str | None = None) -> list[Tag]:
        """One Tag per entity found in title + "\\n\\n" + body; "about" ones first. A country
        whose cities or regions are named carries them in Tag.places ("located"). ``home``: the
        country of the outlet (outlets.home_of), for the generic bodies of a text naming no country."""
        text = f"{title}\n\n{body}"
        mentions, sentences = self._matcher.find(text, language, home)
        party = party_states(text, sentences) if self.places is not None else []
        if not mentions and not party:
            return []
        sentences = sentences or SentenceIndex(text)  # a party tag was the only mention
        located = party
        if self.places is not None:
            located = self.places.located(mentions, text, home) + party
            mentions = [m for m in mentions if m.entity_id not in self.places.entities]
        body_start = len(title) + 2
        lead_end = min(sentences.nth_end(body_start, LEAD_SENTENCES), body_start + LEAD_CHARS)
        grouped: dict[str, list[Mention]] = defaultdict(list)
        for mention in mentions:
            grouped[mention.entity_id].append(mention)
        by_country: dict[str, list[Mention]] = defaultdict(list)
        for mention in located:
            by_country[mention.entity_id].append(mention)
        for country in by_country:
            grouped.setdefault(country, [])
        tags = [  # "about" from the entity's own mentions: a place alone is the weaker kind
            Tag(eid, bool(found) and (found[0].start < lead_end or len(found) >= ABOUT_MENTIONS),
                tuple(found), tuple(by_country.get(eid, ())))
            for eid, found in grouped.items()
        ]
        tags.sort(key=lambda tag: (not tag.about, -len(tag.mentions), tag.evidence[0].start))
        return tags

    def aliases_of(self, entity_id: str, ordered: bool = False) -> list[str]:
        """Every written form the gazetteer matches for the entity (names, acronyms, aliases,
        generated phrasings), sorted, or in the data's order; analysts' aliases included."""
        if self._alias_index is None:
            index: dict[str, dict[str, None]] = defaultdict(dict)
            for record in self._records:
                for eid in record.entity_ids:
                    index[self._redirects.get(eid, eid)][record.text] = None
            self._alias_index = {eid: list(texts) for eid, texts in index.items()}
        forms = self._alias_index.get(entity_id, [])
        return list(forms) if ordered else sorted(forms, key=str.casefold)

    def lookup(self, name: str) -> Entity | None:
        """The entity a user means by `name`: an id, a name, an alias or an acronym, any case."""
        key = name.strip()
        if not key:
            return None
        for candidate in (key, key.lower()):
            candidate = self._redirects.get(candidate, candidate)
            if candidate in self.entities:
                return self.entities[candidate]
        ids = self._index.get(tokens(key))
        if not ids:
            return None
        preferred = [eid for eid in ids if eid in self._primary] or ids
        return self.entities.get(preferred[0])

    def with_corrections(self, aliases=(), merges=None) -> "Gazetteer":
        """A new gazetteer with analysts' extra (entity_id, alias) pairs and merges {from: into}."""
        merges = dict(merges or {})
        redirects = dict(self._redirects)
        for source, target in merges.items():
            redirects[source] = target
        for source in list(redirects):
            seen = {source}
            target = redirects[source]
            while target in redirects:
                if target in seen:
                    raise GazetteerDataError(f"corrections: merge cycle through {target!r}")
                seen.add(target)
                target = redirects[target]
            if target not in self._all_entities:
                raise GazetteerDataError(f"corrections: merge target {target!r} is not an entity")
            redirects[source] = target
        records = list(self._records)
        for entity_id, alias in aliases:
            if entity_id not in self._all_entities:
                raise GazetteerDataError(f"corrections: alias {alias!r}: unknown entity {entity_id!r}")
            records.append(AliasRecord((entity_id,), alias, case_for(alias)))
        return Gazetteer(self._all_entities, records, self._primary, redirects, self._parents,
                         self._cues, self.places)


def build_gazetteer(data_dir: Path = DATA_DIR) -> Gazetteer:
    sources = load_sources(data_dir)
    sources.records.extend(titlecase_records(sources, data_dir / "titlecase.yaml"))
    mark_word_acronyms(sources, data_dir / "titlecase.yaml")
    countries = {eid for eid, e in sources.entities.items() if e.type == "country"}
    places = load_places(countries, data_dir / "places.tsv") if (data_dir / "places.tsv").exists() \
        else None
    return Gazetteer(sources.entities, sources.records, sources.primary, parents=sources.parents,
                     cues=sources.cues, places=places)


_BUILDING = threading.RLock()


@functools.cache
def _built() -> Gazetteer:
    return build_gazetteer()


def load_gazetteer() -> Gazetteer:
    """The gazetteer built from app/entities/data/, built once per process: a second thread that
    asks while it is being built (a server's first request during its warm-up) waits for that
    build instead of making its own (1 s of CPU each)."""
    with _BUILDING:
        return _built()

