"""The issue-2 benchmark corpus (`make_corpus.py --legacy`), kept to reproduce the figures of
sessions before issue 10: the real articles, then the title and first half of one article glued
to the second half of another (at 1M, 79 % of the articles are near-duplicates)."""
from __future__ import annotations

import random
from pathlib import Path

from corpus_sources import bbc, orangesum, reuters


def render(title: str, body: str, date: str | None) -> str:
    dated = f"Published on {date}\n\n" if date else ""
    return f"{title}\n\n{title}\n\n{dated}{body}\n\nShare This\n"


def legacy(n: int, out: Path) -> int:
    real = [r[:4] for r in (*orangesum(), *bbc(), *reuters())]
    rng = random.Random(20261122)
    by_lang = {"en": [r for r in real if r[0] == "en"], "fr": [r for r in real if r[0] == "fr"]}
    for i in range(n):
        if i < len(real):
            _, title, body, date = real[i]
        else:
            lang = "fr" if rng.random() < 0.6 else "en"
            a, b = rng.choice(by_lang[lang]), rng.choice(by_lang[lang])
            pa, pb = a[2].split("\n\n"), b[2].split("\n\n")
            title = a[1]
            body = "\n\n".join(pa[: max(1, len(pa) // 2)] + pb[len(pb) // 2:])
            date = a[3]
        folder = out / f"{i // 1000:03d}"
        folder.mkdir(exist_ok=True)
        (folder / f"{i:06d}.txt").write_text(render(title, body, date), encoding="utf-8")
    print(f"wrote {n} articles ({len(real)} real, {n - min(n, len(real))} recombined) to {out}")
    return 0
