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


def tag_kind_counts(c, entity_ids=None) -> dict[str, tuple[int, int, int]]:
    """entity id -> (articles naming it, articles about it, articles naming one of its places)."""
    sql = ("SELECT entity_id, sum(CASE WHEN located_only THEN 0 ELSE 1 END), sum(CASE WHEN about THEN 1 ELSE 0 END),"
           " sum(CASE WHEN located THEN 1 ELSE 0 END) FROM article_entity")  # portable: PostgreSQL has no sum(boolean)
    args: list = []
    if entity_ids is not None:
        ids = list(entity_ids)
        if not ids:
            return {}
        sql += f" WHERE entity_id IN ({','.join('?' * len(ids))})"
        args = ids
    return {eid: (int(n or 0), int(a or 0), int(loc or 0))
            for eid, n, a, loc in c.execute(sql + " GROUP BY entity_id", args)}


def entity_corrections(c, entity_id: str) -> dict:
    """An entity's analysts' aliases and the merges that involve it."""
    aliases = [a for (a,) in c.execute("SELECT alias FROM entity_alias WHERE entity_id=? ORDER BY id", (entity_id,))]
    into = c.execute("SELECT into_id FROM entity_merge WHERE from_id=?", (entity_id,)).fetchone()
    merged_from = [f for (f,) in c.execute("SELECT from_id FROM entity_merge WHERE into_id=? ORDER BY from_id",
                                           (entity_id,))]
    return {"analysts_aliases": aliases, "merged_into": into[0] if into else None, "merged_from": merged_from}


def merged_ids(c) -> dict[str, str]:
    return dict(c.execute("SELECT from_id, into_id FROM entity_merge"))
