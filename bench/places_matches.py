"""List the places the tagger finds in a sample of the corpora, most frequent first, with an
example sentence each: the listing read to judge place-derived ("located") tags and to find
names the corpora use for something else (scripts/places_gazetteer.py NOT_PLACES).

    .venv/bin/python bench/places_matches.py --n 3000 --top 150

The sample is drawn with a fixed seed from OrangeSum, BBC and Reuters, the articles of both
held-out sets left out (they are never tuned on).
"""
from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import entities_eval_corpora as corpora  # noqa: E402
from places_gazetteer import _texts  # noqa: E402

from app.entities import load_gazetteer  # noqa: E402


def sample(n: int, seed: int = 14) -> list[tuple[str, str]]:
    skip = set()
    for path in (corpora.HELDOUT, corpora.HELDOUT2):
        skip |= {(r["corpus"].removesuffix("-full"), str(r["id"])) for r in corpora.read_rows(path)}
    texts = list(_texts(skip))
    return random.Random(seed).sample(texts, min(n, len(texts)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000)
    parser.add_argument("--top", type=int, default=150)
    args = parser.parse_args(argv)
    gz = load_gazetteer()
    counts: Counter = Counter()
    examples: dict[tuple, str] = {}
    only: Counter = Counter()
    articles = sample(args.n)
    for lang, text in articles:
        title, _, body = text.partition("\n")
        for tag in gz.tag(title, body, lang):
            for m in tag.places:
                key = (m.surface, m.place, m.entity_id)
                counts[key] += 1
                examples.setdefault(key, " ".join(m.sentence.split())[:140])
            only[tag.located_only] += bool(tag.places)
    print(f"{len(articles)} articles; located tags: {only[True]} located-only, "
          f"{only[False]} with the country also named")
    for (surface, place, country), n in counts.most_common(args.top):
        print(f"{n:>5}  {surface:<18} {place:<22} {country}  «{examples[(surface, place, country)]}»")
    return 0


if __name__ == "__main__":
    sys.exit(main())
