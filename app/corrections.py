"""Analysts' corrections: extra aliases, merged entities, hidden and added tags on one article.

Corrections live in their own tables (app/storage/sqlite_corrections.py) and are applied on top
of what extraction finds, so they survive re-imports and `newsarchive retag`:

- aliases and merges change the gazetteer itself (``corrected_gazetteer``), which imports and
  `retag` use, so a merged entity's mentions are found under its target from the start;
- ``apply_corrections`` rewrites stored tags (remaps merged ids, removes hidden tags, adds the
  added ones); the importer calls it for every new article once any correction exists.

Each action applies at once to the articles already stored and bumps the archive generation.
Functions take an open read-write sqlite3 connection and run in one transaction.
"""
from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from app.entities import Entity, Gazetteer, load_gazetteer
from app.entities.normalise import tokens
from app.entities.outlets import home_of
from app.entities.sources import GazetteerDataError
from app.storage import sqlite_corrections as sql

_ASCII_NUMBER = re.compile("[0-9]{1,18}")

__all__ = ["CorrectionError", "Correction", "add_alias", "merge_entities", "hide_tag", "add_tag",
           "list_corrections", "remove_correction", "corrected_gazetteer", "apply_corrections",
           "has_corrections", "resolve_entity", "retag_articles"]

has_corrections = sql.has_corrections


class CorrectionError(ValueError):
    """A correction that cannot be made; the message says why, for the analyst."""


@dataclass(frozen=True)
class Correction:
    ref: str  # what `entities undo` takes: alias-3, merge-dgst, hide-12-bcij, add-12-bcij
    kind: str  # alias | merge | hide | add
    description: str
    created_at: str


def _articles(n: int) -> str:
    return f"{n} article" if n == 1 else f"{n} articles"


@contextmanager
def _transaction(c: sqlite3.Connection):
    if c.in_transaction:  # the caller's transaction (the importer's batch) owns commit and rollback
        yield
        return
    c.execute("BEGIN IMMEDIATE")
    try:
        yield
        sql.bump_generation(c)
        c.execute("COMMIT")
    except BaseException:
        c.execute("ROLLBACK")
        raise


# -- the gazetteer with corrections -------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _corrected(aliases: tuple[tuple[str, str], ...], merges: tuple[tuple[str, str], ...]) -> Gazetteer:
    return load_gazetteer().with_corrections(aliases=aliases, merges=dict(merges))


def corrected_gazetteer(c: sqlite3.Connection) -> Gazetteer:
    """The built-in gazetteer plus this archive's aliases and merges (the base one when none)."""
    aliases = tuple((eid, alias) for _, eid, alias, _ in sql.aliases(c))
    merges = tuple((src, dst) for src, dst, _ in sql.merges(c))
    if not aliases and not merges:
        return load_gazetteer()
    return _corrected(aliases, merges)


def _redirects(c: sqlite3.Connection) -> dict[str, str]:
    """{merged id: final target}, following chains (a -> b -> c gives a -> c)."""
    direct = {src: dst for src, dst, _ in sql.merges(c)}
    out = {}
    for src in direct:
        dst, seen = direct[src], {src}
        while dst in direct and dst not in seen:
            seen.add(dst)
            dst = direct[dst]
        out[src] = dst
    return out


def merged_into(c: sqlite3.Connection, entity_id: str) -> str | None:
    """The entity ``entity_id`` was merged into (at the end of a chain of merges), if it was."""
    return _redirects(c).get(entity_id)


def resolve_entity(gz: Gazetteer, text: str) -> Entity:
    """The entity an analyst means: an id (``bcij``, ``ma``), a name or an alias, any case."""
    text = (text or "").strip()
    ent = gz.entities.get(text.lower()) or gz.lookup(text)
    if ent is None:
        raise CorrectionError(f"unknown entity {text!r}: give an id such as 'bcij' or 'ma'"
                              f" (`newsarchive entities list --query {text.split()[0] if text.split() else 'NAME'}` finds ids)")
    return ent


def ascii_number(text: str) -> int | None:
    """ASCII digits only: str.isdigit() and int() also take `¹`, `①` or Arabic-Indic `٣`."""
    return int(text) if _ASCII_NUMBER.fullmatch(text) else None


def _article(c: sqlite3.Connection, article_id) -> int:
    aid = ascii_number(str(article_id).strip().lstrip("#"))
    if aid is None:
        raise CorrectionError(f"{article_id!r} is not an article number (e.g. 12)")
    if not (0 < aid < 2**63) or sql.article_title(c, aid) is None:
        raise CorrectionError(f"there is no article #{aid} in this archive")
    return aid


# -- applying corrections to stored tags --------------------------------------------------------
def apply_corrections(c: sqlite3.Connection, article_ids: Sequence[int] | None = None) -> None:
    """Make the stored tags of ``article_ids`` (None: every article) agree with the corrections:
    merged ids remapped to their target, hidden tags removed, added tags present.

    Runs in the caller's transaction; the caller bumps the generation.
    """
    redirects = _redirects(c)
    if redirects:
        ids = None if article_ids is None else list(article_ids)
        present = None if ids is None else sql.entity_ids_of(c, ids)
        for src, dst in redirects.items():
            if present is None or src in present:
                sql.remap_entity(c, src, dst, ids)
    for aid, eid, action, about, _ in sql.overrides(c, article_ids):
        eid = redirects.get(eid, eid)
        if action == "hide":
            sql.hide_row(c, aid, eid)
        else:
            sql.add_row(c, aid, eid, bool(about))


def retag_articles(c: sqlite3.Connection, article_ids: Sequence[int], gz: Gazetteer | None = None) -> int:
    """Re-run extraction on a few articles with the corrected gazetteer, then apply corrections."""
    gz = gz or corrected_gazetteer(c)
    ids = list(article_ids)
    for start in range(0, len(ids), 2000):
        rows = sql.article_texts(c, ids[start:start + 2000])
        sql.replace_tags(c, [(aid, gz.tag(title, body, lang, home_of(url, source)))
                             for aid, title, body, lang, url, source in rows])
        apply_corrections(c, [r[0] for r in rows])
    return len(ids)


def _alias_candidates(c: sqlite3.Connection, alias: str) -> list[int]:
    """Articles whose full-text index has every word of ``alias``: the only ones it can tag."""
    from app.search.fts5 import compile_query
    from app.search.query import parse

    words = tokens(alias)
    compiled = compile_query(parse(" ".join(f'"{w}"' for w in words)).tree)
    if not compiled.match:  # nothing indexable (e.g. only stop words): look everywhere
        return sql.all_article_ids(c)
    return sql.fts_candidates(c, compiled.match)


# -- the four actions ---------------------------------------------------------------------------
def add_alias(c: sqlite3.Connection, entity: str, alias: str) -> str:
    """Teach the gazetteer another way of writing ``entity``; retags the articles that use it."""
    alias = " ".join((alias or "").split())
    if not tokens(alias):
        raise CorrectionError("the alias is empty: give the words as they appear in articles, e.g. \"Brigade nationale\"")
    if len(alias) > 200:
        raise CorrectionError("the alias is longer than 200 characters: give the name as written in articles")
    with _transaction(c):
        ent = resolve_entity(corrected_gazetteer(c), entity)
        if any(eid == ent.id and a.casefold() == alias.casefold() for _, eid, a, _ in sql.aliases(c)):
            raise CorrectionError(f"{ent.id} already has the alias {alias!r}")
        sql.insert_alias(c, ent.id, alias)
        gz = corrected_gazetteer(c)
        if not any(m.entity_id == ent.id for m in gz.find_mentions(alias)):
            # e.g. a generic phrase the gazetteer deliberately leaves untagged ("ministère de l'Intérieur")
            raise CorrectionError(f"{alias!r} would not tag {ent.id}: the gazetteer reads these words as"
                                  " something else; give a longer or more specific form, as articles write it")
        n = retag_articles(c, _alias_candidates(c, alias), gz)
    return f"alias {alias!r} added to {ent.id} ({ent.name}); {_articles(n)} re-tagged"


def merge_entities(c: sqlite3.Connection, from_entity: str, into_entity: str) -> str:
    """From now on ``from_entity`` counts as ``into_entity``, in every article and import."""
    base = load_gazetteer()
    src, dst = resolve_entity(base, from_entity), resolve_entity(base, into_entity)
    if src.id == dst.id:
        raise CorrectionError(f"cannot merge {src.id} into itself")
    if (src.type == "country") != (dst.type == "country"):
        raise CorrectionError(f"cannot merge the {src.type} {src.id} into the {dst.type} {dst.id}")
    with _transaction(c):
        redirects = _redirects(c)
        if src.id in redirects:
            raise CorrectionError(f"{src.id} is already merged into {redirects[src.id]}"
                                  f" (undo merge-{src.id} first)")
        if redirects.get(dst.id, dst.id) == src.id:
            raise CorrectionError(f"{dst.id} is merged into {src.id}: merging back would make a loop")
        sql.insert_merge(c, src.id, dst.id)
        try:
            corrected_gazetteer(c)
        except GazetteerDataError as exc:
            raise CorrectionError(str(exc).removeprefix("corrections: ")) from None
        before = len(sql.articles_tagged(c, [src.id]))
        apply_corrections(c)
    final = _redirects(c).get(src.id, dst.id)
    return f"{src.id} ({src.name}) merged into {final} ({dst.name}); {_articles(before)} moved"


def hide_tag(c: sqlite3.Connection, article_id, entity: str) -> str:
    """Remove a wrong tag from one article, for good (re-imports and re-tagging keep it off)."""
    with _transaction(c):
        aid = _article(c, article_id)
        ent = resolve_entity(corrected_gazetteer(c), entity)
        current = sql.override(c, aid, ent.id)
        if current and current[0] == "hide":
            raise CorrectionError(f"the tag {ent.id} is already hidden on article #{aid}")
        if ent.id not in sql.article_tags(c, aid) and not current:
            raise CorrectionError(f"article #{aid} has no tag {ent.id} to hide")
        sql.upsert_override(c, aid, ent.id, "hide", False)
        apply_corrections(c, [aid])
    return f"tag {ent.id} hidden on article #{aid}"


def add_tag(c: sqlite3.Connection, article_id, entity: str, about: bool = False) -> str:
    """Tag one article with an entity extraction missed (``about``: the article is about it)."""
    with _transaction(c):
        aid = _article(c, article_id)
        ent = resolve_entity(corrected_gazetteer(c), entity)
        sql.upsert_override(c, aid, ent.id, "add", about)
        apply_corrections(c, [aid])
    return f"tag {ent.id} added to article #{aid}" + (" (about)" if about else "")


# -- listing and undoing ------------------------------------------------------------------------
def list_corrections(c: sqlite3.Connection) -> list[Correction]:
    names = load_gazetteer().entities
    name = lambda eid: f"{eid} ({names[eid].name})" if eid in names else eid  # noqa: E731
    out = [Correction(f"alias-{i}", "alias", f"alias {alias!r} for {name(eid)}", at) for i, eid, alias, at in sql.aliases(c)]
    out += [Correction(f"merge-{src}", "merge", f"merge {name(src)} into {name(dst)}", at) for src, dst, at in sql.merges(c)]
    for aid, eid, action, about, at in sql.overrides(c):
        title = sql.article_title(c, aid) or ""
        what = "hide tag" if action == "hide" else "add tag" + (" (about)" if about else "")
        out.append(Correction(f"{action}-{aid}-{eid}", action, f"{what} {name(eid)} on article #{aid} {title[:60]!r}", at))
    return out


def remove_correction(c: sqlite3.Connection, ref: str) -> str:
    """Undo one correction (by the ref `entities corrections` shows); affected articles are re-tagged."""
    kind, _, rest = (ref or "").strip().partition("-")
    with _transaction(c):
        if kind == "alias" and ascii_number(rest) is not None:
            row = sql.delete_alias(c, int(rest))
            if row is None:
                raise CorrectionError(f"there is no correction {ref!r}")
            affected = sql.articles_tagged(c, [_redirects(c).get(row[0], row[0])])
        elif kind == "merge" and rest:
            final = _redirects(c).get(rest)  # its articles (and those of ids merged into it) are there now
            if sql.delete_merge(c, rest) is None:
                raise CorrectionError(f"there is no correction {ref!r}")
            affected = sql.articles_tagged(c, [final])
        elif kind in ("hide", "add") and ascii_number(rest.partition("-")[0]) is not None:
            aid_text, _, eid = rest.partition("-")
            if not sql.delete_override(c, int(aid_text), eid, kind):
                raise CorrectionError(f"there is no correction {ref!r}")
            affected = [int(aid_text)]
        else:
            raise CorrectionError(f"{ref!r} is not a correction: use a ref from `newsarchive entities corrections`,"
                                  " e.g. alias-3, merge-dgst, hide-12-bcij, add-12-bcij")
        n = retag_articles(c, affected)
    return f"undone {ref}; {_articles(n)} re-tagged"
