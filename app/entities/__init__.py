"""Entity gazetteer and matcher: text -> mentions of countries, agencies and armed groups."""
from .gazetteer import Gazetteer, build_gazetteer, load_gazetteer
from .types import Entity, Mention, Tag

__all__ = ["Entity", "Gazetteer", "Mention", "Tag", "build_gazetteer", "load_gazetteer"]
