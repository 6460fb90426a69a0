"""The seeds' plain-text format → ``ArticleRecord`` (pure: decoded text in, record out).

What the format looks like in the wild (see /work/shared/seeds): a title, often repeated on the
next non-empty line; paragraphs separated by blank lines or by single newlines; trailing
boilerplate ("Share This", "Add Comment"); a "Source: ..." line; sometimes no title at all (the
scrape starts mid-article); and on French sites, teaser cards of other articles (a headline and
a summary cut with "...") before the text and in an "Aller plus loin" block after it.

The parser works line by line with small classifiers (``is_teaser``, ``is_boilerplate``,
``is_source_line``, ``looks_like_title`` ...). Teasers must never reach the body: their words
would tag the article with countries and agencies it does not mention.
"""
from __future__ import annotations

import re
from datetime import datetime

from app.ingest.record import ArticleRecord

__all__ = [
    "EmptyArticleError",
    "derive_title",
    "find_date",
    "is_block_header",
    "is_boilerplate",
    "is_pointer_header",
    "is_source_line",
    "is_teaser",
    "looks_like_title",
    "parse_seed_text",
]

TITLE_MAX_CHARS = 150
DERIVED_TITLE_MAX_CHARS = 100
# Header lines (bylines, datelines) are only looked for among the first lines of the text.
HEADER_LINES = 6


class EmptyArticleError(ValueError):
    """Nothing of the article is left once boilerplate and teasers are removed."""


def _norm(line: str) -> str:
    """Comparable form of a short line: casefolded, one apostrophe, no edge punctuation."""
    line = line.replace("’", "'").replace("\u00a0", " ").casefold()
    return " ".join(line.split()).strip(" :|-–—.>»")


# -- line classifiers --------------------------------------------------------------------------

_BOILERPLATE = frozenset({
    "share", "share this", "share this article", "tweet", "print", "email", "e-mail",
    "comment", "comments", "add comment", "leave a comment", "post a comment", "0 comments",
    "facebook", "twitter", "whatsapp", "linkedin", "advertisement",
    "partager", "partager cet article", "commenter", "commentaires", "imprimer", "envoyer",
    "réagir", "publicité", "lire la suite", "read more", "continue reading",
})
# Headers of a block of links to other articles: the block runs to the end of the text.
_BLOCK_HEADERS = frozenset({
    "aller plus loin", "ces articles devraient vous intéresser", "sur le même sujet",
    "dans la même rubrique", "à lire également", "vous aimerez aussi", "les plus lus",
    "related", "related articles", "related posts", "related news", "you may also like",
    "more from this section", "most read", "recommended",
})
# Pointers to one other article, inside the text: "Lire aussi : <headline>".
_POINTER_HEADERS = ("lire aussi", "à lire aussi", "a lire aussi", "voir aussi", "read also",
                    "also read", "see also")
_POINTER_START = re.compile(r"\W*(?:à |a )?(?:lire|voir|read|also|see)\b", re.IGNORECASE)
_SOURCE = re.compile(r"^sources?\s*:\s*(?P<name>\S.{0,79})$", re.IGNORECASE)
_ELLIPSIS = re.compile(r"(\.\.\.|…)")
# A teaser ends where the site cut it, often right after one of these small words.
_CUT_WORDS = frozenset("""
le la les l de du des d un une à au aux et ou en dans sur pour par avec que qui qu ce cette
ses son sa leur leurs plus ne pas se s est a été
the a an of to in on at for and or with by from that which as is was are be has have its their
""".split())


# Longest line each classifier can accept: body paragraphs are skipped without normalising them.
_MAX_WIDGET_CHARS = 60
_MAX_POINTER_CHARS = 300


def is_boilerplate(line: str) -> bool:
    """Share/comment/print widgets and the like, alone on their line."""
    return len(line) <= _MAX_WIDGET_CHARS and _norm(line) in _BOILERPLATE


def is_block_header(line: str) -> bool:
    """'Aller plus loin', 'Related articles' ...: what follows are links to other articles."""
    return len(line) <= _MAX_WIDGET_CHARS and _norm(line) in _BLOCK_HEADERS


def is_pointer_header(line: str) -> bool:
    """'Lire aussi', alone or followed by the linked headline on the same line."""
    if len(line) > _MAX_POINTER_CHARS or not _POINTER_START.match(line):
        return False
    norm = _norm(line)
    return any(norm == p or norm.startswith((p + " :", p + ":", p + " |", p + " -"))
               for p in _POINTER_HEADERS)


def is_source_line(line: str) -> str | None:
    """The source's name for 'Source: Morocco World News' (or 'Source : ...'), else None."""
    match = _SOURCE.match(line.strip())
    if not match:
        return None
    name = match.group("name").strip().rstrip(".")
    # A long clause ("Source: a senior official said ...") is body text, not a credit line.
    return name if len(name.split()) <= 8 else None


def is_teaser(line: str) -> bool:
    """A summary cut by the site: ends with '...' or '…' where the text was truncated.

    An author's own ellipses ("London, Paris, New York… with armed police ... sites…") come in
    series; a single final ellipsis, or one right after a small word, is a cut.
    """
    line = line.strip()
    if not line.endswith(("...", "…")):
        return False
    return len(_ELLIPSIS.findall(line)) == 1 or _ends_with_cut_word(line)


def _ends_with_cut_word(line: str) -> bool:
    words = _ELLIPSIS.sub(" ", line).split()
    last = words[-1].casefold() if words else ""
    return last.strip("'’") in _CUT_WORDS or last.endswith(("'", "’"))


def looks_like_title(line: str) -> bool:
    """Short, not a sentence: no final full stop, comma or colon, no lower-case start.

    A title may trail off ("Rivals of the £400 Apple..."), but not after a small word.
    """
    line = line.strip()
    if not line or len(line) > TITLE_MAX_CHARS or len(line.split()) < 2:
        return False
    first_word = line.split()[0]
    if first_word[0].islower() and first_word[1:] == first_word[1:].lower():  # not "iTunes"
        return False
    if line.endswith(("...", "…")):
        return len(line) <= DERIVED_TITLE_MAX_CHARS and not _ends_with_cut_word(line)
    if line.endswith((".", ",", ";", ":")):
        return False
    return not is_boilerplate(line)


# -- dates -------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
    "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
    "décembre": 12, "decembre": 12, "janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7,
    "déc": 12,
}
_MONTH = "(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{2})-(?P<day>\d{2})"
               r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2}))?"),
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b",
               re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})(?:er|st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b",
               re.IGNORECASE),
]
_DATE_PREFIX = re.compile(
    r"^(published|posted|updated|last updated|date|publié|mis à jour|modifié)\b",
    re.IGNORECASE)
_BYLINE = re.compile(r"^(?:[Bb]y|BY|[Pp]ar|PAR)\s+(?P<name>[A-ZÀ-Ý][\w.'’-]*(?:\s+[A-ZÀ-Ý][\w.'’-]*){0,3})"
                     r"\s*(?:[-–—|,]\s*(?P<rest>.*))?$")


_DIGIT = re.compile(r"\d")


def find_date(text: str) -> tuple[datetime, re.Match[str]] | None:
    """The first full date (with day, month and year) in ``text``, and where it was."""
    if not _DIGIT.search(text):
        return None  # every date pattern has a day or a year in digits; most lines have none
    found = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            value = _to_datetime(match)
            if value is not None:
                found.append((match.start(), value, match))
                break
    if not found:
        return None
    _start, value, match = min(found, key=lambda item: item[0])
    return value, match


def _to_datetime(match: re.Match[str]) -> datetime | None:
    groups = match.groupdict()
    month = int(groups["mnum"]) if groups.get("mnum") else _MONTHS[groups["month"].lower()]
    try:
        value = datetime(int(groups["year"]), month, int(groups["day"]),
                         int(groups.get("hour") or 0), int(groups.get("minute") or 0))
    except ValueError:
        return None
    return value if 1900 <= value.year <= 2100 else None


def _date_line(line: str) -> datetime | None:
    """The date of a standalone date line ('Published on March 3, 2024', 'Rabat, 21 février 2022')."""
    if len(line) > 100:
        return None
    found = find_date(line)
    if found is None:
        return None
    value, match = found
    rest = (line[:match.start()] + line[match.end():]).strip()
    if _DATE_PREFIX.match(line) or (len(rest) <= 40 and not rest.endswith((".", "!", "?"))):
        return value
    return None


# -- the parser --------------------------------------------------------------------------------

class _Meta:
    def __init__(self) -> None:
        self.source: str | None = None
        self.author: str | None = None
        self.published_at: datetime | None = None


def parse_seed_text(text: str, origin: str) -> ArticleRecord:
    """Parse one plain-text article; raise ``EmptyArticleError`` if no article text is left."""
    meta = _Meta()
    lines = [line.strip() for line in text.split("\n")]
    lines = _cut_related_block(lines)
    lines = _drop_teasers(lines)
    lines = _drop_furniture(lines, meta)
    lines = _take_header(lines, meta)
    paragraphs = _paragraphs(lines)
    if not paragraphs:
        raise EmptyArticleError("no article text left after removing boilerplate and teasers")
    title, title_derived, paragraphs = _title(paragraphs)
    if meta.published_at is None and paragraphs:
        meta.published_at = _dateline(paragraphs[0])
    return ArticleRecord(
        title=title,
        body="\n\n".join(paragraphs),
        original_text=text,
        origin=origin,
        title_derived=title_derived,
        source=meta.source,
        author=meta.author,
        published_at=meta.published_at,
        published_how="text" if meta.published_at else "unknown",
        format="text",
    )


def _cut_related_block(lines: list[str]) -> list[str]:
    for index, line in enumerate(lines):
        if line and is_block_header(line):
            return lines[:index]
    return lines


def _drop_teasers(lines: list[str]) -> list[str]:
    """Remove teasers, the headline that goes with each, and 'Lire aussi' pointers."""
    keep = [True] * len(lines)
    filled = [i for i, line in enumerate(lines) if line]
    for pos, i in enumerate(filled):
        line = lines[i]
        if is_teaser(line) and not (pos == 0 and _is_title_on_its_own(lines, filled)):
            keep[i] = False
            # A teaser card is a headline directly above its summary, with no blank line between.
            previous = filled[pos - 1] if pos else -1
            if (previous == i - 1 and looks_like_title(lines[previous])
                    and not _is_repeat(lines, filled, pos - 1)):
                keep[previous] = False
        elif is_pointer_header(line):
            keep[i] = False
            if _norm(line) in _POINTER_HEADERS and pos + 1 < len(filled):
                keep[filled[pos + 1]] = False  # the linked headline on the next line
    return [line for line, kept in zip(lines, keep) if kept]


def _is_title_on_its_own(lines: list[str], filled: list[int]) -> bool:
    """A first line that trails off but stands alone above the text is the title, not a teaser."""
    return (looks_like_title(lines[filled[0]]) and len(filled) > 1 and filled[1] > filled[0] + 1
            and not is_teaser(lines[filled[1]]))


def _is_repeat(lines: list[str], filled: list[int], pos: int) -> bool:
    """Whether the line at ``filled[pos]`` repeats the line before it (a repeated title)."""
    return pos > 0 and _norm(lines[filled[pos]]) == _norm(lines[filled[pos - 1]])


def _drop_furniture(lines: list[str], meta: _Meta) -> list[str]:
    """Boilerplate widgets and 'Source:' credit lines, anywhere in the text."""
    kept = []
    for line in lines:
        if line and is_boilerplate(line):
            continue
        source = is_source_line(line) if line else None
        if source:
            meta.source = meta.source or source
            continue
        kept.append(line)
    return kept


def _take_header(lines: list[str], meta: _Meta) -> list[str]:
    """Date lines and bylines near the top become metadata; 'Published on ...' anywhere too."""
    kept, seen = [], 0
    for line in lines:
        if not line:
            kept.append(line)
            continue
        seen += 1
        in_header = seen <= HEADER_LINES
        byline = _BYLINE.match(line) if in_header else None
        date = _date_line(line) if in_header or _DATE_PREFIX.match(line) else None
        if byline and meta.author is None:
            meta.author = byline.group("name")
            rest = byline.group("rest")
            date = date or (find_date(rest)[0] if rest and find_date(rest) else None)
        if date and meta.published_at is None:
            meta.published_at = date
        if byline or date:
            continue
        kept.append(line)
    return kept


def _paragraphs(lines: list[str]) -> list[str]:
    """Blank lines separate paragraphs; in a text without any, each line is one."""
    if "" not in _strip_edges(lines):
        return [line for line in lines if line]
    paragraphs, current = [], []
    for line in lines + [""]:
        if line:
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return paragraphs


def _strip_edges(lines: list[str]) -> list[str]:
    start = next((i for i, line in enumerate(lines) if line), len(lines))
    end = next((i for i in range(len(lines), 0, -1) if lines[i - 1]), 0)
    return lines[start:end]


def _title(paragraphs: list[str]) -> tuple[str, bool, list[str]]:
    first = paragraphs[0]
    if "\n" not in first and looks_like_title(first) and len(paragraphs) > 1:
        rest = paragraphs[1:]
        if _norm(rest[0]) == _norm(first):
            rest = rest[1:]
        if rest:
            return first, False, rest
    # A text cut mid-sentence ("said the new office ...") gives a poor title: use the first
    # paragraph that starts like a sentence.
    source = next((p for p in paragraphs[:3] if not p[0].islower()), first)
    return derive_title(source), True, paragraphs


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”»’]?(?=\s+[\"“«A-ZÀ-Ý0-9])")


def derive_title(paragraph: str) -> str:
    """A title from the first sentence: at most ~100 characters, cut at a word with '…'."""
    text = " ".join(paragraph.split())
    sentence = text
    for match in _SENTENCE_END.finditer(text):
        if match.end() >= 20:  # skip "Mr." and the like at the very start
            sentence = text[:match.end()]
            break
    sentence = sentence.strip()
    if len(sentence) <= DERIVED_TITLE_MAX_CHARS:
        return sentence.rstrip(".").strip()
    words = sentence[:DERIVED_TITLE_MAX_CHARS].split(" ")[:-1] or [sentence[:99]]
    # "... is expected to…" reads badly: end on a word that carries meaning.
    while len(words) > 3 and words[-1].casefold().strip(",;:–—-'’") in _CUT_WORDS:
        words.pop()
    return " ".join(words).rstrip(" ,;:–—-") + "…"


def _dateline(paragraph: str) -> datetime | None:
    """'Rabat, 21 février 2022 – Les services ...': a date right at the start of the text."""
    found = find_date(paragraph[:80])
    if found is None:
        return None
    value, match = found
    return value if match.start() <= 40 else None
