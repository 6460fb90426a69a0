"""SQL for saved searches (app/saved.py decides; this module only reads and writes).

The server's own connection is read-only: writes come with their own short connection, opened
and closed by the caller, as admin corrections do.
"""
from __future__ import annotations

import sqlite3

from app.storage.sqlite_corrections import now

COLUMNS = "id, name, query, created_at, seen_id, seen_at, alerted_id, alerted_at"


def all_saved(c: sqlite3.Connection) -> list[tuple]:
    return c.execute(f"SELECT {COLUMNS} FROM saved_search ORDER BY lower(name), id").fetchall()


def one_saved(c: sqlite3.Connection, saved_id: int) -> tuple | None:
    return c.execute(f"SELECT {COLUMNS} FROM saved_search WHERE id=?", (saved_id,)).fetchone()


def by_name(c: sqlite3.Connection, name: str) -> tuple | None:
    return c.execute(f"SELECT {COLUMNS} FROM saved_search WHERE name=?", (name,)).fetchone()


def insert_saved(c: sqlite3.Connection, name: str, query: str, mark: int) -> int:
    return c.execute("INSERT INTO saved_search(name, query, created_at, seen_id, alerted_id) VALUES (?,?,?,?,?)",
                     (name, query, now(), mark, mark)).lastrowid


def delete_saved(c: sqlite3.Connection, saved_id: int) -> bool:
    return c.execute("DELETE FROM saved_search WHERE id=?", (saved_id,)).rowcount > 0


def mark_seen(c: sqlite3.Connection, saved_id: int, mark: int) -> None:
    # max(): a mark never goes back, whatever order two tabs opened it in
    c.execute("UPDATE saved_search SET seen_id=CASE WHEN seen_id > ? THEN seen_id ELSE ? END, seen_at=? WHERE id=?",
              (mark, mark, now(), saved_id))


def mark_alerted(c: sqlite3.Connection, saved_id: int, mark: int) -> None:
    c.execute("UPDATE saved_search SET alerted_id=CASE WHEN alerted_id > ? THEN alerted_id ELSE ? END, alerted_at=?"
              " WHERE id=?", (mark, mark, now(), saved_id))
