"""The SQL of the PostgreSQL import writer (app/storage/pg_writer.py), and the pure planning of
a run of articles written together: which are already stored, which are new, and where the run
must stop so that an article that depends on an earlier one of the run is written after it."""
from __future__ import annotations

from dataclasses import dataclass

ARTICLE_COLUMNS = ("title", "title_derived", "body", "language", "source", "url", "author", "origin", "format",
                   "content_hash", "original_z", "original_bytes", "published_at", "published_how", "captured_at",
                   "imported_at", "import_id", "story_id")
# Rows kept until the end of the batch, per table, in COPY's column order (parents first).
COPIED = {
    "article_fingerprint": "article_id, minhash, bands",
    "article_fts": "article_id, doc, words",
    "article_entity": "article_id, entity_id, about, mention_count, located, located_only",
    "mention": 'article_id, entity_id, start, "end", surface, place',
    "source_tag": "article_id, tag",
    "import_file": "import_id, origin, status, article_id, reason",
}
TSVECTOR_MAX = 1_000_000  # bytes of lexemes a tsvector holds (1 MB - 1): larger ones fail alone
TEXT_FIELDS = ("title", "source", "url", "author", "origin", "format", "published_how")

# What of a run is stored already: its texts, older versions of them, its URLs.
LOOKUP_MANY = (
    "SELECT 'same', content_hash, min(id) FROM article WHERE content_hash = ANY(%(hashes)s) GROUP BY content_hash"
    " UNION ALL SELECT 'older', content_hash, min(article_id) FROM article_version"
    " WHERE content_hash = ANY(%(hashes)s) GROUP BY content_hash"
    " UNION ALL SELECT 'url', url, min(id) FROM article WHERE url = ANY(%(urls)s) GROUP BY url")


def article_types(raw) -> dict[str, str]:
    """The article table's column types (the parameters are cast to them)."""
    return dict(raw.execute("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
                            " WHERE attrelid = 'article'::regclass AND attnum > 0 AND NOT attisdropped").fetchall())


def add_sql(types: dict[str, str]) -> str:
    """The one statement that stores an article unless its text, an older version of it, or its
    URL is there already. Returns (same text, older version, same URL, new id): at most one set."""
    values = ", ".join(f"CAST(%({c})s AS {types[c]})" for c in ARTICLE_COLUMNS)
    return (
        "WITH same AS (SELECT id FROM article WHERE content_hash = %(content_hash)s),"
        " older AS (SELECT article_id FROM article_version WHERE content_hash = %(content_hash)s LIMIT 1),"
        " same_url AS (SELECT id FROM article WHERE url = %(look_url)s LIMIT 1),"
        f" added AS (INSERT INTO article({', '.join(ARTICLE_COLUMNS)}) SELECT {values}"
        "  WHERE NOT EXISTS (SELECT 1 FROM same) AND NOT EXISTS (SELECT 1 FROM older)"
        "  AND NOT EXISTS (SELECT 1 FROM same_url)"
        "  ON CONFLICT (content_hash) DO NOTHING RETURNING id)"
        " SELECT (SELECT id FROM same), (SELECT article_id FROM older), (SELECT id FROM same_url),"
        " (SELECT id FROM added)")


def insert_sql() -> str:
    """One new article (a replay of a batch): its id, or no row when the text is stored already."""
    return (f"INSERT INTO article({', '.join(ARTICLE_COLUMNS)}) VALUES ({', '.join(f'%({c})s' for c in ARTICLE_COLUMNS)})"
            " ON CONFLICT (content_hash) DO NOTHING RETURNING id")


def insert_many_sql(types: dict[str, str]) -> str:
    """New articles in one INSERT, one array per column (ids taken in their order); returns
    (id, content_hash) of those stored, none for a text another importer stored meanwhile.
    (One array per column keeps the statement short: psycopg converts and prepares it once.)"""
    arrays = ", ".join(f"CAST(%s AS {types[c]}[])" for c in ARTICLE_COLUMNS)
    return (f"INSERT INTO article({', '.join(ARTICLE_COLUMNS)}) SELECT * FROM unnest({arrays})"
            " ON CONFLICT (content_hash) DO NOTHING RETURNING id, content_hash")


@dataclass
class Planned:
    kind: str  # "same" | "older" (stored already: article_id says which), "new", "again" (as run[first])
    article_id: int | None = None
    first: int | None = None


def plan_run(keys: list[tuple[str, str | None]], found: dict[tuple[str, str], int]) -> tuple[list[Planned], int]:
    """(plan of run[:cut], cut) for a run of (content hash, URL): as the articles, written one at
    a time, would find each other. ``found``: (kind, key) -> id from LOOKUP_MANY. An article with
    a stored URL (a new version) or the URL of a new article before it in the run stops the run
    there (cut): it is written alone once run[:cut] is stored."""
    plan: list[Planned] = []
    new_hashes: dict[str, int] = {}
    new_urls: set[str] = set()
    for i, (h, url) in enumerate(keys):
        if ("same", h) in found:
            plan.append(Planned("same", found[("same", h)]))
        elif ("older", h) in found:
            plan.append(Planned("older", found[("older", h)]))
        elif h in new_hashes:
            plan.append(Planned("again", first=new_hashes[h]))
        elif url and (("url", url) in found or url in new_urls):
            return plan, i
        else:
            new_hashes[h] = i
            if url:
                new_urls.add(url)
            plan.append(Planned("new"))
    return plan, len(keys)
