"""Entities named in a query, across languages: ``Maroc`` and ``marocain`` mean Morocco,
``Daech`` means the Islamic State, and so do ``ISIS`` and ``État islamique``.

    entity_suggestions(["attentat", "Maroc"])   # [Entity("ma", ...)]: “Filter by country: Morocco?”
    expand_group_aliases("Daech")               # ["Islamic State", "ISIS", "ISIL", "EIIL", "Daesh", ...]

Both read the gazetteer (app/entities/data/); neither knows SQL or FTS5.
"""
from __future__ import annotations

import functools

from app.entities import Entity, load_gazetteer
from app.entities.sources import load_sources
from app.search.text import query_words

MAX_NGRAM = 8  # longest alias, in words, looked up ("Islamic State of Iraq and the Levant")

# Words that are aliases or ids of an entity but far more often something else in a query.
# A word typed in capitals is read as an acronym ("US", "UN", "EI", "IS"). Otherwise a word
# alone names an entity only when it has 3 letters or more ("us", "un", "ma", "it", "de",
# "la" are words, or country ids) and is not one of these common English / French / Spanish
# words ("let" is the acronym of Lashkar-e-Taiba).
COMMON_WORDS = frozenset("""
    a an and are as at be but by for from had has have he her his i if in is it its let may
    no not of on or our she so than that the their them then there they this to up us was
    we were who will with you
    au aux ce ces dans de des du elle en est et eu il ils je la le les leur lui mais me mon ne
    nous on ou par pas pour qu que qui sa se ses son sur ta te tu un une vous
    al con del el ella es esta este las lo los mas muy ni para pero por se si sin su sus una uno y
""".split())


def _safe_single_word(word: str) -> bool:
    """Whether a query word alone may name an entity (see COMMON_WORDS)."""
    letters = "".join(query_words(word))
    if not letters:
        return False
    if word.isupper() and len(letters) >= 2:
        return True
    return len(letters) > 2 and letters not in COMMON_WORDS


def entity_suggestions(query_words_: list[str]) -> list[Entity]:
    """Countries, agencies and groups named by words or runs of words of the query, in query
    order, each once. Longest runs are tried first, so ``Direction générale de la sûreté
    nationale`` is the DGSN, not “nationale”; case and accents are ignored, except that a
    one-word name must pass _safe_single_word. An item with spaces (a quoted phrase) is
    split into its words."""
    words = [w for item in query_words_ for w in item.split() if w.strip()]
    gz = load_gazetteer()
    found: dict[str, Entity] = {}
    i = 0
    while i < len(words):
        for n in range(min(MAX_NGRAM, len(words) - i), 0, -1):
            if n == 1 and not _safe_single_word(words[i]):
                continue
            entity = gz.lookup(" ".join(words[i:i + n]))
            if entity is not None:
                found.setdefault(entity.id, entity)
                i += n
                break
        else:
            i += 1
    return list(found.values())


def _safe_alias(text: str) -> bool:
    """Whether a group alias can be ORed into a full-text search without flooding it.

    The search folds case, so an alias is only as specific as its lowercase words: a single
    word of 1-2 letters ("IS", "EI") or a common word ("LeT" = let) matches ordinary text.
    Multi-word aliases are searched as phrases, which is specific enough."""
    words = query_words(text, keep_elisions=True)
    if not words:
        return False
    if len(words) == 1:
        return len(words[0]) > 2 and words[0] not in COMMON_WORDS
    return True


@functools.cache
def _group_aliases() -> dict[str, tuple[str, ...]]:
    """{group id: its safe aliases}: canonical name, acronym, then the data file's order;
    one per folded spelling ("Daech" = "DAECH", "État islamique" = "Etat islamique"), and none
    that merely contains another ("groupe État islamique" adds nothing to "État islamique")."""
    sources = load_sources()
    by_id: dict[str, list[str]] = {}
    for eid, entity in sources.entities.items():
        if entity.type == "group":
            by_id[eid] = [entity.name] + ([entity.acronym] if entity.acronym else [])
    for record in sources.records:
        for eid in record.entity_ids:
            if eid in by_id and not record.generic:
                by_id[eid].append(record.text)
    return {eid: _distinct(texts) for eid, texts in by_id.items()}


def _distinct(texts: list[str]) -> tuple[str, ...]:
    kept: dict[tuple[str, ...], str] = {}
    for text in texts:
        key = tuple(query_words(text, keep_elisions=True))
        if _safe_alias(text) and key not in kept:
            kept[key] = text
    keys = list(kept)
    return tuple(kept[k] for k in keys if not any(o != k and _contains(k, o) for o in keys))


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return len(longer) > n and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def expand_group_aliases(word: str) -> list[str]:
    """Every safe alias (see _safe_alias) of the armed group `word` names, in English, French
    and Spanish, to OR into a search; [] when `word` names no group. The list includes the
    spelling the user typed when it is itself safe, so the caller can OR the list alone."""
    if not word.strip() or (len(word.split()) == 1 and not _safe_single_word(word)):
        return []
    entity = load_gazetteer().lookup(word)
    if entity is None or entity.type != "group":
        return []
    return list(_group_aliases().get(entity.id, ()))
