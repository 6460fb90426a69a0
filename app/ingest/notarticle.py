"""Files that travel with corpora but are not articles, told apart by name and by content (pure).

By name: documentation (``README``, ``LICENSE``, ``SOURCE.md``: a capitalised name of a text or
Markdown file, as projects name their notes) and code or schemas (``.dtd``, ``.py``...).
By content, whatever the name:
- a list of words or names (a stop-word list, category codes): most lines are one to four
  words, and most words are not in sentences (lines of six words or more);
- data or code (Prolog facts, relevance judgements, tables of numbers): most tokens are not
  words;
- Markdown documentation: tables, code blocks, or headings over lists rather than paragraphs.
A news article is sentences: its words are mostly in lines (paragraphs) of six words or more.
A wire story that is mostly a table (Reuters' commodity prices, results) still opens like one: a
headline, then a paragraph of prose; such an opening keeps a file of a few screens an article.
"""
from __future__ import annotations

import re

__all__ = ["content_reason", "name_reason", "record_reason"]

_CODE_OR_SCHEMA = re.compile(r"\.(dtd|xsd|css|js|py|sh|pl|c|h|java|yml|yaml|toml|ini|cfg)$", re.IGNORECASE)
_DOC_NAMES = re.compile(r"^(readme|licen[cs]e|copying|changelog|notice|authors)(\.[a-z]+)?$", re.IGNORECASE)
# README, SOURCE.md, CHANGES.txt, NOTES: a name in capitals on a text file is a project's note.
_CAPITAL_NAME = re.compile(r"^[A-Z][A-Z_-]{2,}(\.(md|markdown|txt|text|rst))?$", re.IGNORECASE)
_WORD = re.compile(r"""^[("'“‘«\[]*[^\W\d_][\w'’.&/-]*[.,;:!?)"'”’»\]%]*$""")
_MD_TABLE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*\|", re.MULTILINE)
_MD_FENCE = re.compile(r"^\s*(```|~~~)", re.MULTILINE)
_MD_HEADING = re.compile(r"^#{2,6}\s", re.MULTILINE)
_MD_LIST = re.compile(r"^\s*([-*+]|\d+\.)\s", re.MULTILINE)
_SENTENCE_LINE_WORDS = 6
# The end of a sentence that another follows: "H. pylori" and "S. cerevisiae" are not.
_SENTENCE_END = re.compile(r"[a-z0-9)%\]][.!?]\s+[A-Z]")
_MIN_LINES = 8
_SAMPLE_TOKENS = 100  # shorter files are left to the article rules (a brief is a few lines)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_PROSE_END = re.compile(r"[\w)>\"”][.!?](\s|$)")  # "... Noranda Inc <NOR>." and "... July 1, 1974." end sentences
_OPENING_CHARS, _OPENING_PARAGRAPHS, _PROSE_WORDS = 3000, 4, 12
_TABLE_STORY_LINES = 150  # a wire story's table fills a few screens; a data file's lists run on


def name_reason(name: str) -> str | None:
    if _DOC_NAMES.search(name) or (_CAPITAL_NAME.match(name) and name.split(".")[0].isupper()):
        return f"skipped: {name} is documentation, not an article"
    if _CODE_OR_SCHEMA.search(name):
        return f"skipped: {name} is code or a schema, not an article"
    return None


def _opens_like_news(text: str) -> bool:
    """A short first line (a headline), then, among the next paragraphs, one of prose: at least
    _PROSE_WORDS words, nearly all of them words, with a sentence's end, or introducing what
    follows ("..., in mln lbs --"), or twice as long."""
    paragraphs = [" ".join(p.split()) for p in _PARAGRAPH_BREAK.split(text.strip()[:_OPENING_CHARS]) if p.strip()]
    if len(paragraphs) < 2 or len(paragraphs[0].split()) > 20:
        return False
    for paragraph in paragraphs[1:_OPENING_PARAGRAPHS]:
        tokens = paragraph.split()
        if len(tokens) >= _PROSE_WORDS and sum(1 for t in tokens if _WORD.match(t)) >= 0.8 * len(tokens) \
                and (_PROSE_END.search(paragraph) or paragraph.endswith((":", "--", "—"))
                     or len(tokens) >= 2 * _PROSE_WORDS):
            return True
    return False


def content_reason(text: str, markdown: bool = False) -> str | None:
    """Why ``text`` (a whole file) is not an article, or None when it may be one."""
    lines = [line.split() for line in text.splitlines() if line.strip()]
    words = [token for line in lines for token in line]
    if len(lines) < _MIN_LINES or not words:
        return None
    if not markdown and len(lines) <= _TABLE_STORY_LINES and _opens_like_news(text):
        return None
    # ~100 tokens spread over the file tell words from data as well as all of them, at a tenth of
    # the cost (the regex is most of this module's time: it runs on every imported text file)
    sample = words[:: max(1, len(words) // _SAMPLE_TOKENS)]
    real_words = sum(1 for token in sample if _WORD.match(token))
    if real_words < 0.5 * len(sample):
        return f"skipped: data or code ({100 - 100 * real_words // len(sample)}% of its tokens are not words), not an article"
    # The most list-like BBC article (a sports line-up) has 69% of its words in sentences.
    in_sentences = sum(len(line) for line in lines if len(line) >= _SENTENCE_LINE_WORDS)
    short_lines = sum(1 for line in lines if len(line) <= 4)
    if in_sentences < 0.5 * len(words) and short_lines >= 0.6 * len(lines):
        return (f"skipped: a list of words or names ({short_lines} of its {len(lines)} lines have 1 to 4 words,"
                f" {100 * in_sentences // len(words)}% of its words are in sentences), not an article")
    if markdown:
        return _markdown_doc(text, len(lines))
    return None


def _markdown_doc(text: str, line_count: int) -> str | None:
    if _MD_TABLE.search(text) or _MD_FENCE.search(text):
        return "skipped: Markdown documentation (tables or code blocks), not an article"
    headings, items = len(_MD_HEADING.findall(text)), len(_MD_LIST.findall(text))
    if headings >= 3 and items >= 0.3 * line_count:
        return "skipped: Markdown documentation (sections of lists), not an article"
    return None


def record_reason(title: str, body: str, has_metadata: bool) -> str | None:
    """A JSON or CSV record that is not an article: no title, and one short sentence, or a few
    sentences with nothing else (no date, URL, source or author): a search query, a claim, a
    label, as in an IR collection's queries file."""
    if title.strip() or not body.strip():
        return None
    words = len(body.split())
    if words < 30 and not _SENTENCE_END.search(body.strip()) and "\n" not in body.strip():
        return "skipped: a record of one short sentence and no title (a query or a label), not an article"
    if words < 60 and not has_metadata:
        return "skipped: a record of a few words with no title, date, URL or source (a query?), not an article"
    return None
