"""Snippets and highlighting: escape the article text first, then add <mark>. Pure."""
from __future__ import annotations

from markupsafe import Markup, escape

from app.search.text import stem_words, tokens_with_offsets


class Highlighter:
    """Knows which stems and prefixes a query searched for; marks them in any text."""

    def __init__(self, stems: set[str], prefixes: tuple[str, ...] = ()):
        self.stems = stems
        self.prefixes = prefixes

    def _matches(self, text: str, language: str | None) -> list[tuple[int, int]]:
        if not self.stems and not self.prefixes:
            return []
        toks = list(tokens_with_offsets(text))
        stems = stem_words([t[0] for t in toks], language)
        spans = []
        for (word, start, end), stem in zip(toks, stems):
            if stem in self.stems or word in self.stems or (self.prefixes and (
                    word.startswith(self.prefixes) or stem.startswith(self.prefixes))):
                spans.append((start, end))
        return spans

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


def _render(text: str, spans: list[tuple[int, int]], lo: int, hi: int) -> Markup:
    parts, pos = [], lo
    for s, e in spans:
        parts.append(escape(text[pos:s]))
        parts.append(Markup("<mark>") + escape(text[s:e]) + Markup("</mark>"))
        pos = e
    parts.append(escape(text[pos:hi]))
    return Markup("").join(parts)
