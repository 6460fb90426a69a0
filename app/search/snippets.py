"""Snippets and highlighting: escape the article text first, then add <mark>. Pure."""
from __future__ import annotations

from markupsafe import Markup, escape

from app.search.text import stem_words, token_columns


class Highlighter:
    """Knows which stems, prefixes and phrases a query searched for; marks them in any text.
    A phrase is marked only where all its words stand in order, as one mark."""

    def __init__(self, stems: set[str], prefixes: tuple[str, ...] = (), phrases: set[tuple[str, ...]] = frozenset()):
        self.stems = stems
        self.prefixes = prefixes
        self.phrases = sorted(phrases, key=len, reverse=True)  # the longest first where two overlap
        self.starts = {p[0] for p in self.phrases}  # a token that starts no phrase skips the phrase check

    def _matches(self, text: str, language: str | None) -> list[tuple[int, int]]:
        if not self.stems and not self.prefixes and not self.phrases:
            return []
        words, starts, ends = token_columns(text)
        stems = stem_words(words, language)
        # Only the tokens that are a searched word or stem, start a prefix or start a phrase can
        # begin a mark: found in one pass, then each is checked as the text is read in order.
        keys, prefixes = self.stems | self.starts, self.prefixes
        if prefixes:
            flagged = [i for i, (w, st) in enumerate(zip(words, stems))
                       if w in keys or st in keys or w.startswith(prefixes) or st.startswith(prefixes)]
        else:
            flagged = [i for i, (w, st) in enumerate(zip(words, stems)) if w in keys or st in keys]
        spans, free = [], 0  # free: the first token not inside a phrase already marked
        for i in flagged:
            if i < free:
                continue
            word, stem = words[i], stems[i]
            n = self._phrase_at(words, stems, i) if stem in self.starts or word in self.starts else 0
            if n:
                spans.append((starts[i], ends[i + n - 1]))
                free = i + n
                continue
            if stem in self.stems or word in self.stems or (prefixes and (
                    word.startswith(prefixes) or stem.startswith(prefixes))):
                spans.append((starts[i], ends[i]))
            free = i + 1
        return spans

    def _phrase_at(self, words, stems, i: int) -> int:
        """The length of the phrase that starts at token i, else 0."""
        for phrase in self.phrases:
            n = len(phrase)
            if i + n <= len(words) and all(stems[i + j] == w or words[i + j] == w for j, w in enumerate(phrase)):
                return n
        return 0

    def mark(self, text: str, language: str | None) -> Markup:
        return _render(text, self._matches(text, language), 0, len(text))

    def snippet(self, text: str, language: str | None, width: int = 240) -> Markup:
        """The passage of about ``width`` characters with the most distinct matches."""
        spans = self._matches(text, language)
        if not spans:
            cut = text[:width]
            if len(text) > width:
                cut = cut.rsplit(" ", 1)[0]
            return _render(cut, [], 0, len(cut)) + (Markup("…") if len(text) > len(cut) else Markup(""))
        best, best_score = spans[0][0], -1
        for i, (start, _) in enumerate(spans):
            window = [text[s:e].lower() for s, e in spans[i:] if e - start <= width]
            score = len(set(window)) * 10 + len(window)
            if score > best_score:
                best, best_score = start, score
        lo = max(0, best - width // 4)
        if lo:
            space = text.find(" ", lo)
            lo = space + 1 if 0 <= space < best else lo
        hi = min(len(text), lo + width)
        if hi < len(text):
            space = text.rfind(" ", lo, hi)
            hi = space if space > best else hi
        inside = [(s, e) for s, e in spans if s >= lo and e <= hi]
        out = _render(text, inside, lo, hi)
        return (Markup("…") if lo else Markup("")) + out + (Markup("…") if hi < len(text) else Markup(""))


def for_query(q: str) -> Highlighter | None:
    """The highlighter of a typed query (article pages opened from a result: `?q=`)."""
    from app.search.fts5 import compile_query
    from app.search.query import parse

    compiled = compile_query(parse(q[:1000]).tree) if q else None
    if compiled is None or not (compiled.stems or compiled.prefixes or compiled.phrases):
        return None
    return Highlighter(compiled.stems, compiled.prefixes, compiled.phrases)


def marked(text: str, spans) -> Markup:
    """``text`` escaped, with each (start, end) span in <mark> (a mention in its sentence)."""
    clipped = ((max(0, s), min(len(text), e)) for s, e in spans or ())
    clean = sorted((s, e) for s, e in clipped if s < e)
    kept, last = [], 0
    for s, e in clean:
        if s >= last:
            kept.append((s, e))
            last = e
    return _render(text, kept, 0, len(text))


def _render(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> Markup:
    parts, pos = [], lo
    for s, e in spans:
        parts.append(escape(text[pos:s]))
        parts.append(Markup("<mark>") + escape(text[s:e]) + Markup("</mark>"))
        pos = e
    parts.append(escape(text[pos:hi]))
    return Markup("").join(parts)
