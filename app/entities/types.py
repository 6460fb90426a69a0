"""Entity and mention types shared by the gazetteer, the matcher, the store and the pages."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entity:
    # Stable id used in URLs and filters: the lowercase ISO 3166-1 alpha-2 code for a
    # country ("ma"), a slug for an agency ("bcij", "fbi", "us-state-department").
    id: str
    type: str  # "country" or "agency"
    name: str  # canonical English name
    names: dict[str, str] = field(default_factory=dict)  # per language: {"fr": "Maroc"}
    acronym: str | None = None  # agencies
    kind: str | None = None  # agencies: intelligence, police, judicial, ministry, military, international...
    country: str | None = None  # agencies: alpha-2 code, or None for international bodies


@dataclass(frozen=True)
class Mention:
    entity_id: str
    start: int  # character offsets into the text given to the matcher
    end: int
    surface: str  # the text as written ("marocaine", "U.S.")
    sentence: str  # the sentence around it, for "why is this tagged"
    place: str | None = None  # a "located" mention: the place that names the country ("Lyon")


@dataclass(frozen=True)
class Tag:
    entity_id: str
    about: bool  # the article is about it (title/lead, or mentioned often), not just mentioning it
    mentions: tuple[Mention, ...]  # the entity named itself ("Maroc", "marocaine", "FBI")
    # Countries only: mentions of its cities and regions ("Casablanca"), each with .place set.
    places: tuple[Mention, ...] = ()

    @property
    def located(self) -> bool:
        """A place of the country is named (the third, weaker kind of country tag)."""
        return bool(self.places)

    @property
    def located_only(self) -> bool:
        """Only places name the country: the article happens there, it does not name it."""
        return bool(self.places) and not self.mentions

    @property
    def evidence(self) -> tuple[Mention, ...]:
        """Every mention behind the tag, in text order."""
        return tuple(sorted(self.mentions + self.places, key=lambda m: m.start))
