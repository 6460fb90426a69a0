"""SQL for analysts' corrections (app/corrections.py decides; this module only reads and writes).

The override tables (entity_alias, entity_merge, tag_override) are the analysts' decisions;
article_entity and mention hold what extraction found, rewritten here to apply those decisions.
"""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

from app.storage.sqlite_tags import MENTION_INSERT, TAG_INSERT, mention_rows, tag_rows


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def _marks(ids: Sequence) -> str:
    return ",".join("?" * len(ids))


def has_corrections(c: sqlite3.Connection) -> bool:
    return c.execute("SELECT EXISTS (SELECT 1 FROM entity_alias) OR EXISTS (SELECT 1 FROM entity_merge)"
                     " OR EXISTS (SELECT 1 FROM tag_override)").fetchone()[0] == 1


def bump_generation(c: sqlite3.Connection) -> None:
    c.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key='generation'")


# -- reading corrections ------------------------------------------------------------------------
def aliases(c: sqlite3.Connection) -> list[tuple[int, str, str, str]]:
    return c.execute("SELECT id, entity_id, alias, created_at FROM entity_alias ORDER BY id").fetchall()


def merges(c: sqlite3.Connection) -> list[tuple[str, str, str]]:
    return c.execute("SELECT from_id, into_id, created_at FROM entity_merge ORDER BY created_at, from_id").fetchall()


def overrides(c: sqlite3.Connection, article_ids: Sequence[int] | None = None) -> list[tuple[int, str, str, bool, str]]:
    sql = "SELECT article_id, entity_id, action, about, created_at FROM tag_override"
    if article_ids is None:
        return c.execute(sql + " ORDER BY created_at, article_id").fetchall()
    if not article_ids:
        return []
    return c.execute(sql + f" WHERE article_id IN ({_marks(article_ids)}) ORDER BY created_at", list(article_ids)).fetchall()


def override(c: sqlite3.Connection, article_id: int, entity_id: str):
    return c.execute("SELECT action, about FROM tag_override WHERE article_id=? AND entity_id=?",
                     (article_id, entity_id)).fetchone()


# -- writing corrections ------------------------------------------------------------------------
def insert_alias(c: sqlite3.Connection, entity_id: str, alias: str) -> int:
    return c.execute("INSERT INTO entity_alias(entity_id, alias, created_at) VALUES (?,?,?)",
                     (entity_id, alias, now())).lastrowid


def insert_merge(c: sqlite3.Connection, from_id: str, into_id: str) -> None:
    c.execute("INSERT INTO entity_merge(from_id, into_id, created_at) VALUES (?,?,?)", (from_id, into_id, now()))


def upsert_override(c: sqlite3.Connection, article_id: int, entity_id: str, action: str, about: bool) -> None:
    c.execute("INSERT INTO tag_override(article_id, entity_id, action, about, created_at) VALUES (?,?,?,?,?)"
              " ON CONFLICT(article_id, entity_id) DO UPDATE SET action=excluded.action, about=excluded.about,"
              " created_at=excluded.created_at", (article_id, entity_id, action, about, now()))


def delete_alias(c: sqlite3.Connection, alias_id: int) -> tuple[str, str] | None:
    row = c.execute("SELECT entity_id, alias FROM entity_alias WHERE id=?", (alias_id,)).fetchone()
    c.execute("DELETE FROM entity_alias WHERE id=?", (alias_id,))
    return row


def delete_merge(c: sqlite3.Connection, from_id: str) -> str | None:
    row = c.execute("SELECT into_id FROM entity_merge WHERE from_id=?", (from_id,)).fetchone()
    c.execute("DELETE FROM entity_merge WHERE from_id=?", (from_id,))
    return row[0] if row else None


def delete_override(c: sqlite3.Connection, article_id: int, entity_id: str, action: str) -> bool:
    return c.execute("DELETE FROM tag_override WHERE article_id=? AND entity_id=? AND action=?",
                     (article_id, entity_id, action)).rowcount > 0


# -- articles and their tags --------------------------------------------------------------------
def article_title(c: sqlite3.Connection, article_id: int) -> str | None:
    row = c.execute("SELECT title FROM article WHERE id=?", (article_id,)).fetchone()
    return row[0] if row else None


def article_tags(c: sqlite3.Connection, article_id: int) -> dict[str, bool]:
    return {eid: bool(about) for eid, about in
            c.execute("SELECT entity_id, about FROM article_entity WHERE article_id=?", (article_id,))}


def article_counts(c: sqlite3.Connection) -> dict[str, int]:
    return dict(c.execute("SELECT entity_id, count(*) FROM article_entity GROUP BY entity_id"))


def tag_count(c: sqlite3.Connection) -> int:
    return c.execute("SELECT count(*) FROM article_entity").fetchone()[0]


def article_count(c: sqlite3.Connection) -> int:
    return c.execute("SELECT count(*) FROM article").fetchone()[0]


def all_article_ids(c: sqlite3.Connection) -> list[int]:
    return [r[0] for r in c.execute("SELECT id FROM article ORDER BY id")]


def articles_tagged(c: sqlite3.Connection, entity_ids: Sequence[str]) -> list[int]:
    if not entity_ids:
        return []
    return [r[0] for r in c.execute(f"SELECT DISTINCT article_id FROM article_entity WHERE entity_id IN"
                                    f" ({_marks(entity_ids)}) ORDER BY article_id", list(entity_ids))]


def fts_candidates(c: sqlite3.Connection, match: str) -> list[int]:
    """Articles whose full-text index matches ``match`` (an expression from app.search.fts5)."""
    return [r[0] for r in c.execute("SELECT rowid FROM article_fts WHERE article_fts MATCH ? ORDER BY rowid", (match,))]


# What the tagger reads of an article: its text, and the outlet (URL, source) that says whose
# country its generic bodies are (app.entities.outlets).
_TEXTS = "SELECT id, title, unz(body), language, url, source FROM article"


def article_texts(c: sqlite3.Connection, article_ids: Sequence[int]) -> list[tuple]:
    """(id, title, body, language, url, source) of these articles, by id."""
    if not article_ids:
        return []
    return c.execute(f"{_TEXTS} WHERE id IN ({_marks(article_ids)}) ORDER BY id", list(article_ids)).fetchall()


def article_texts_after(c: sqlite3.Connection, after_id: int, limit: int) -> list[tuple]:
    """One page of articles by id (keyset paging: stable while other batches are written)."""
    return c.execute(f"{_TEXTS} WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)).fetchall()


def replace_tags(c: sqlite3.Connection, tagged: Iterable[tuple[int, list]]) -> None:
    """Swap each article's extracted tags and mentions for new ones: [(article_id, [Tag...])]."""
    tagged = list(tagged)
    ids = [aid for aid, _ in tagged]
    for start in range(0, len(ids), 5000):
        chunk = ids[start:start + 5000]
        c.execute(f"DELETE FROM article_entity WHERE article_id IN ({_marks(chunk)})", chunk)
        c.execute(f"DELETE FROM mention WHERE article_id IN ({_marks(chunk)})", chunk)
    c.executemany(TAG_INSERT, [row for aid, tags in tagged for row in tag_rows(aid, tags)])
    c.executemany(MENTION_INSERT, [row for aid, tags in tagged for row in mention_rows(aid, tags)])


# -- applying corrections to stored tags -------------------------------------------------------
def entity_ids_of(c: sqlite3.Connection, article_ids: Sequence[int]) -> set[str]:
    if not article_ids:
        return set()
    marks = _marks(article_ids)
    ids = list(article_ids)
    return {r[0] for r in c.execute(f"SELECT entity_id FROM article_entity WHERE article_id IN ({marks})"
                                    f" UNION SELECT entity_id FROM mention WHERE article_id IN ({marks})", ids + ids)}


def remap_entity(c: sqlite3.Connection, from_id: str, into_id: str, article_ids: Sequence[int] | None) -> None:
    """Move ``from_id``'s tags and mentions to ``into_id``; a tag on both keeps the stronger one."""
    where, args = "", []
    if article_ids is not None:
        where, args = f" AND article_id IN ({_marks(article_ids)})", list(article_ids)
    c.execute(f"UPDATE mention SET entity_id=? WHERE entity_id=?{where}", [into_id, from_id] + args)
    c.execute("INSERT INTO article_entity(article_id, entity_id, about, mention_count, located, located_only)"
              f" SELECT article_id, ?, about, mention_count, located, located_only FROM article_entity"
              f" WHERE entity_id=?{where}"
              " ON CONFLICT(article_id, entity_id) DO UPDATE SET about = max(article_entity.about, excluded.about),"
              " mention_count = article_entity.mention_count + excluded.mention_count,"
              " located = max(article_entity.located, excluded.located),"
              " located_only = min(article_entity.located_only, excluded.located_only)",
              [into_id, from_id] + args)
    c.execute(f"DELETE FROM article_entity WHERE entity_id=?{where}", [from_id] + args)


def hide_row(c: sqlite3.Connection, article_id: int, entity_id: str) -> None:
    c.execute("DELETE FROM article_entity WHERE article_id=? AND entity_id=?", (article_id, entity_id))


def add_row(c: sqlite3.Connection, article_id: int, entity_id: str, about: bool) -> None:
    # mention_count 0: no mention was found in the text; an extracted tag keeps its count.
    # An analyst's tag is a full tag: no longer "located only".
    c.execute("INSERT INTO article_entity(article_id, entity_id, about, mention_count) VALUES (?,?,?,0)"
              " ON CONFLICT(article_id, entity_id) DO UPDATE SET about=excluded.about, located_only=FALSE",
              (article_id, entity_id, about))
