"""The rows an article's tags are stored as (article_entity, mention): one definition for the
import (sqlite_writer.py) and for re-tagging (sqlite_corrections.py)."""
from __future__ import annotations

TAG_INSERT = ("INSERT INTO article_entity(article_id, entity_id, about, mention_count, located, located_only)"
              " VALUES (?,?,?,?,?,?)")
MENTION_INSERT = 'INSERT INTO mention(article_id, entity_id, start, "end", surface, place) VALUES (?,?,?,?,?,?)'


def tag_rows(article_id: int, tags) -> list[tuple]:
    """article_entity rows of an article's tags; the places behind a "located" tag count as
    its mentions."""
    return [(article_id, t.entity_id, t.about, len(t.mentions) + len(t.places), bool(t.places),
             bool(t.places) and not t.mentions) for t in tags]


def mention_rows(article_id: int, tags) -> list[tuple]:
    return [(article_id, m.entity_id, m.start, m.end, m.surface, m.place)
            for t in tags for m in t.mentions + t.places]
