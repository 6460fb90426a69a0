"""Record -> everything the store writes: language, hash, lead, index text, tags. Pure.

Runs in worker processes during big imports, so it takes and returns plain picklable data.
"""
from __future__ import annotations

import hashlib
import zlib
from dataclasses import dataclass

from app.entities import load_gazetteer
from app.entities.outlets import home_of
from app.entities.types import Tag
from app.ingest.language import detect_languages, language_code
from app.ingest.record import ArticleRecord
from app.ingest.stories import Fingerprint, fingerprints
from app.search.text import fold, index_folded, index_text

LEAD_CHARS = 300


@dataclass
class PreparedArticle:
    record: ArticleRecord
    content_hash: str
    language: str | None
    fts_title: str
    fts_lead: str
    fts_body: str
    tags: list[Tag]
    compressed_bytes: bytes | None
    fingerprint: Fingerprint | None = None  # for near-duplicate stories
    compressed_text: bytes = b""  # the original text, zlib-compressed (done here, in the workers)
    compressed_body: bytes = b""  # the body as stored, zlib-compressed


def content_hash(title: str, body: str) -> str:
    """Same words in the same order = same article, whatever the spacing or the file name."""
    text = " ".join(f"{title}\n{body}".lower().split())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split_lead(body: str) -> tuple[str, str]:
    """The first paragraph (at most ~LEAD_CHARS, cut at a sentence or word end) and the rest."""
    first = body.split("\n\n", 1)[0]
    if len(first) <= LEAD_CHARS:
        return first, body[len(first):]
    cut = max(first.rfind(". ", 0, LEAD_CHARS), first.rfind(" ", 0, LEAD_CHARS))
    cut = cut + 1 if cut > 0 else LEAD_CHARS
    return body[:cut], body[cut:]


_gazetteer = None  # the archive's corrected gazetteer during an import (set_gazetteer)


def set_gazetteer(gz) -> None:
    """Tag with ``gz`` (the gazetteer with an archive's corrections); None: the built-in one."""
    global _gazetteer
    _gazetteer = gz


def index_columns(title: str, body: str, language: str | None) -> tuple[str, str, str, str]:
    """The FTS5 columns (title, lead, rest of the body) and the folded body (for the fingerprint)."""
    folded = fold(body)  # folded once for the index and the fingerprint
    lead, rest = split_lead(folded)
    return index_text(title, language), index_folded(lead, language), index_folded(rest, language), folded


def prepare(record: ArticleRecord) -> PreparedArticle:
    return prepare_batch([record])[0]


def prepare_batch(records: list[ArticleRecord]) -> list[PreparedArticle]:
    """``prepare`` over many records, one stage at a time: every language, then every index
    text, then every tag set... Each stage's tables (the language model, the stem cache, the
    gazetteer's trie) then stay in the CPU caches from one record to the next: 15% faster than
    record by record on the bench corpus (0.74 vs 0.87 ms per article, 64 at a time)."""
    languages = [language_code(r.language) for r in records]  # a stated language, if it is a code
    unknown = [i for i, language in enumerate(languages) if language is None]
    texts = [f"{records[i].title}\n{records[i].body}" for i in unknown]
    for i, language in zip(unknown, detect_languages(texts)):
        languages[i] = language
    columns = [index_columns(r.title, r.body, lang) for r, lang in zip(records, languages)]
    gazetteer = _gazetteer or load_gazetteer()
    tags = [gazetteer.tag(r.title, r.body, lang, home_of(r.url, r.source)) for r, lang in zip(records, languages)]
    found_prints = fingerprints([cols[3] for cols in columns])  # the folded bodies, all at once
    prepared = []
    for record, language, (fts_title, fts_lead, fts_body, _), found, fp in zip(
            records, languages, columns, tags, found_prints):
        raw = record.original_bytes
        if raw is not None and raw == record.original_text.encode("utf-8"):
            raw = None  # original_text already is these bytes, exactly: don't store them twice
        prepared.append(PreparedArticle(
            record=record,
            content_hash=content_hash(record.title, record.body),
            language=language,
            fts_title=fts_title,
            fts_lead=fts_lead,
            fts_body=fts_body,
            tags=found,
            compressed_bytes=zlib.compress(raw, 6) if raw else None,
            fingerprint=fp,
            compressed_text=zlib.compress(record.original_text.encode("utf-8"), 6),
            compressed_body=zlib.compress(record.body.encode("utf-8"), 6),
        ))
    for record in records:  # only once all succeeded: a failed batch is redone record by record
        record.original_bytes = None  # travels back from the worker compressed, or not at all
    return prepared
