"""Write N realistic articles in the seeds' plain-text format, composed from ../shared/corpora.

The ~53k distinct real articles (OrangeSum full 36k, French; BBC and Reuters, English) are a pool
of sentences. Each new article takes its title and lead from one real article and the rest from
runs of sentences of 2-7 others of the same language and section, none giving more than a
third of the text, so no two articles are near-duplicates by chance (estimated Jaccard of word
5-grams well under the archive's 0.5). On top of that:

* REPRINT_SHARE (15 %) of the articles are deliberate reprints of a recent one: another title,
  a paragraph dropped or added, a credit line, a figure changed; checked to stay >= 0.6 similar;
* capitalised names (outside the country/agency gazetteer) are swapped, 35 % of the time, for
  synthetic names drawn from a Zipf law over 5M syllable names, so distinct words grow with N
  (~400k names at 1M) as in a real archive;
* dates run from 2004 to 2026, each year 12 % denser than the one before; 7 % are undated;
* 60 % French, 40 % English.

Deterministic for a given --seed and --n; streamed (memory is the pool, whatever N). Prints its
statistics and writes them to OUT.stats.json beside the folder (written last: a corpus without it
is incomplete; not inside it, where the importer would read it), and OUT.reprints.tsv: each
reprint's article number and its original's, to check the archive's story grouping with
bench/check_stories.py.

    .venv/bin/python bench/make_corpus.py --n 100000 --out bench/out/corpus-100000
    .venv/bin/python bench/make_corpus.py --legacy --n 100000 --out bench/out/corpus   # issue-2 corpus
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import time
from collections import Counter, deque
from datetime import date, timedelta
from pathlib import Path

from corpus_sources import CAPITALISED, SHARED, Doc, load_pool, name_candidates

from app.ingest.stories import fingerprint, similarity

VERSION = 2  # bump when the output for a given seed changes
REPRINT_SHARE = 0.15
SWAP_SHARE = 0.35
UNDATED_SHARE = 0.07
FRENCH_SHARE = 0.60
NAME_SPACE = 5_000_000
NAME_ZIPF = 1.1
YEARS = range(2004, 2027)
MIN_BUCKET = 200
LAST_DAY = date(2026, 11, 30)
RECENT = 3000  # reprints copy one of the last RECENT original articles

SYLLABLES = ("ba be bi bo ca da de di do fa ga go ha ja ka ke ki ko la le li lo lu ma me mi mo "
             "na ne ni no ra re ri ro sa se si so ta te ti to va ve vi za zo bar ber dor fan gal "
             "kar lin mar nor ran ser tal ven wil").split()
MONTHS_EN = "January February March April May June July August September October November December".split()
MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
TITLE_PREFIX = {"en": ["UPDATE 1-", "UPDATE 2-", "Exclusive: ", "Analysis: ", "VIDEO: "],
                "fr": ["VIDÉO. ", "INFO ", "Mise à jour : ", "EN DIRECT - ", "Exclusif : "]}
CREDIT = {"en": ["(Reporting by {a}; Editing by {b})", "This story has been updated.", "Additional reporting by {a}."],
          "fr": ["(Avec AFP)", "Avec {a} et {b}, à Paris.", "Cet article a été mis à jour."]}


def synthetic_name(rank: int) -> str:
    """The rank-th name of 2, 3 or 4 syllables; a bijection, so distinct ranks give distinct names."""
    n = len(SYLLABLES)
    for k in (2, 3, 4, 5):
        if rank < n ** k:
            break
        rank -= n ** k
    index = (rank * 7919) % n ** k  # 7919 is prime, coprime with n**k: a permutation
    parts = []
    for _ in range(k):
        index, s = divmod(index, n)
        parts.append(SYLLABLES[s])
    return "".join(parts).capitalize()


class Names:
    """Zipf-distributed synthetic names; remembers which ranks were used (a bitmap)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used = bytearray(NAME_SPACE // 8 + 1)
        self.distinct = 0
        self._a = 1 - NAME_ZIPF

    def draw(self) -> str:
        u = self.rng.random()
        rank = int(((NAME_SPACE ** self._a - 1) * u + 1) ** (1 / self._a)) - 1
        byte, bit = divmod(rank, 8)
        if not self.used[byte] >> bit & 1:
            self.used[byte] |= 1 << bit
            self.distinct += 1
        return synthetic_name(rank)


class Composer:
    def __init__(self, pool: list[Doc], candidates: set[str], rng: random.Random):
        self.rng, self.candidates, self.names = rng, candidates, Names(rng)
        self.buckets: dict[str, dict[str, list[Doc]]] = {"en": {}, "fr": {}}
        sizes = Counter(doc.bucket for doc in pool)
        for doc in pool:  # sections under MIN_BUCKET articles join their language's "other" bucket
            bucket = doc.bucket if sizes[doc.bucket] >= MIN_BUCKET else "other"
            self.buckets[doc.lang].setdefault(bucket, []).append(doc)
        self.bucket_names = {lang: sorted(b) for lang, b in self.buckets.items()}
        self.bucket_weights = {lang: [len(self.buckets[lang][k]) for k in self.bucket_names[lang]]
                               for lang in self.buckets}

    def fresh(self, lang: str) -> tuple[str, list[str]]:
        rng = self.rng
        bucket = self.buckets[lang][rng.choices(self.bucket_names[lang], self.bucket_weights[lang])[0]]
        target = int(min(2000, max(80, rng.lognormvariate(math.log(450), 0.5))))
        lead = rng.choice(bucket)
        paragraphs = self._run(lead, 0, target // 3)
        used, donors = sum(len(p.split()) for p in paragraphs), {id(lead)}
        for _attempt in range(24):  # up to 7 more donors
            if used >= target or len(donors) >= 8:
                break
            donor = rng.choice(bucket)
            if id(donor) in donors:
                continue
            donors.add(id(donor))
            run = self._run(donor, rng.randrange(len(donor.paragraphs)), min(target - used, target // 3))
            paragraphs += run
            used += sum(len(p.split()) for p in run)
        return self._swap_names(lead.title, paragraphs)

    def _run(self, doc: Doc, start: int, budget: int) -> list[str]:
        """Sentences of ``doc`` from paragraph ``start`` on, up to ``budget`` words and half the doc."""
        budget = max(1, min(budget, doc.words // 2))
        out, words = [], 0
        for para in doc.paragraphs[start:]:
            taken = []
            for sentence in para:
                if words >= budget and (taken or out):
                    break
                taken.append(sentence)
                words += len(sentence.split())
            if taken:
                out.append(" ".join(taken))
            if words >= budget:
                break
        return out

    def _swap_names(self, title: str, paragraphs: list[str]) -> tuple[str, list[str]]:
        text = title + "\n\n" + "\n\n".join(paragraphs)  # one pass over the whole article
        present = set(CAPITALISED.findall(text)) & self.candidates
        mapping = {w: self.names.draw() for w in sorted(present) if self.rng.random() < SWAP_SHARE}
        if not mapping:
            return title, paragraphs
        swap = lambda m: mapping.get(m.group(0)) or m.group(0)  # noqa: E731
        title, *paragraphs = CAPITALISED.sub(swap, text).split("\n\n")
        return title, paragraphs

    def reprint(self, lang: str, title: str, paragraphs: list[str]) -> tuple[str, list[str]]:
        """Another version of the same story: >= 0.6 estimated Jaccard with the original."""
        rng = self.rng
        original = fingerprint(title, "\n\n".join(paragraphs), passages=False).minhash
        new_title = rng.choice(TITLE_PREFIX[lang]) + title if rng.random() < 0.6 else self.fresh(lang)[0]
        for _attempt in range(3):
            body = list(paragraphs)
            edits = rng.sample(("drop", "add", "credit", "figure"), rng.randint(1, 2))
            if "drop" in edits and len(body) >= 4:
                del body[rng.randrange(1, len(body))]
            if "add" in edits:
                extra = self.fresh(lang)[1][:1]
                body.insert(rng.randint(1, len(body)), extra[0] if extra else "")
            if "credit" in edits:
                body.append(rng.choice(CREDIT[lang]).format(a=self.names.draw(), b=self.names.draw()))
            if "figure" in edits:
                body = [re.sub(r"\b\d+\b", lambda m: str(int(m.group(0)) + 1), p, count=1) for p in body]
            fp = fingerprint(new_title, "\n\n".join(body), passages=False)
            if similarity(fp.minhash, original) >= 0.6:
                return new_title, body
        return new_title, paragraphs + [CREDIT[lang][0].format(a="A", b="B")]


def draw_date(rng: random.Random) -> date | None:
    if rng.random() < UNDATED_SHARE:
        return None
    year = rng.choices(YEARS, [1.12 ** (y - YEARS[0]) for y in YEARS])[0]
    days = 334 if year == 2026 else 365  # the archive runs to the end of November 2026
    return date(year, 1, 1) + timedelta(days=rng.randrange(days))


def date_line(lang: str, d: date | None) -> str:
    if d is None:
        return ""
    if lang == "fr":
        return f"Publié le {d.day} {MONTHS_FR[d.month - 1]} {d.year}\n\n"
    return f"Published on {MONTHS_EN[d.month - 1]} {d.day}, {d.year}\n\n"


def render(lang: str, title: str, paragraphs: list[str], d: date | None) -> str:
    body = "\n\n".join(p for p in paragraphs if p)
    return f"{title}\n\n{title}\n\n{date_line(lang, d)}{body}\n\nShare This\n"


class Stats:
    def __init__(self):
        self.n = self.reprints = self.dated = self.text_bytes = 0
        self.langs = {"en": 0, "fr": 0}
        self.first = self.last = None

    def add(self, lang: str, title: str, paragraphs: list[str], d: date | None, reprint: bool):
        self.n += 1
        self.langs[lang] += 1
        self.reprints += reprint
        self.text_bytes += len(title.encode()) + sum(len(p.encode()) + 2 for p in paragraphs)
        if d:
            self.dated += 1
            self.first = min(self.first or d, d)
            self.last = max(self.last or d, d)


def generate(n: int, out: Path, seed: int) -> dict:
    started = time.time()
    rng = random.Random(seed)
    pool = load_pool()
    candidates = name_candidates(pool)
    pool_vocab = {w.casefold() for doc in pool for p in doc.paragraphs for s in p for w in re.findall(r"\w+", s)}
    composer, stats, recent = Composer(pool, candidates, rng), Stats(), deque(maxlen=RECENT)
    reprints = (out.parent / f"{out.name}.reprints.tsv").open("w")  # reprint's number, original's
    for i in range(n):
        is_reprint = bool(recent) and rng.random() < REPRINT_SHARE
        if is_reprint:
            lang, title, paragraphs, d, original = rng.choice(recent)
            reprints.write(f"{i}\t{original}\n")
            title, paragraphs = composer.reprint(lang, title, paragraphs)
            d = min(d + timedelta(days=rng.randint(0, 2)), LAST_DAY) if d else None
        else:
            lang = "fr" if rng.random() < FRENCH_SHARE else "en"
            title, paragraphs = composer.fresh(lang)
            d = draw_date(rng)
            recent.append((lang, title, paragraphs, d, i))
        folder = out / f"{i // 1000:03d}"
        if i % 1000 == 0:
            folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{i:06d}.txt").write_text(render(lang, title, paragraphs, d), encoding="utf-8")
        stats.add(lang, title, paragraphs, d, is_reprint)
    reprints.close()
    return {
        "version": VERSION, "seed": seed, "articles": stats.n, "pool_articles": len(pool),
        "languages": stats.langs, "near_duplicates_by_construction": stats.reprints,
        "near_duplicate_share": round(stats.reprints / max(1, stats.n), 4),
        "dated": stats.dated, "dated_share": round(stats.dated / max(1, stats.n), 4),
        "date_range": [str(stats.first), str(stats.last)],
        "text_bytes": stats.text_bytes, "mean_text_bytes": round(stats.text_bytes / max(1, stats.n)),
        "distinct_synthetic_names": composer.names.distinct, "pool_vocabulary": len(pool_vocab),
        "distinct_words_estimate": len(pool_vocab) + composer.names.distinct,
        "seconds": round(time.time() - started, 1),
    }


def print_stats(s: dict) -> None:
    print(f"articles {s['articles']:,} (from {s['pool_articles']:,} distinct real ones): "
          f"fr {s['languages']['fr']:,}, en {s['languages']['en']:,}")
    print(f"near-duplicates by construction {s['near_duplicates_by_construction']:,} "
          f"({100 * s['near_duplicate_share']:.1f} %)")
    print(f"dated {s['dated']:,} ({100 * s['dated_share']:.1f} %), {s['date_range'][0]} to {s['date_range'][1]}")
    print(f"article text {s['text_bytes'] / 1e9:.3f} GB, mean {s['mean_text_bytes']:,} bytes")
    print(f"distinct words (estimate: pool vocabulary {s['pool_vocabulary']:,} + synthetic names "
          f"{s['distinct_synthetic_names']:,}) {s['distinct_words_estimate']:,}; {s['seconds']} s")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--out", default="bench/out/corpus")
    ap.add_argument("--seed", type=int, default=20261201)
    ap.add_argument("--legacy", action="store_true", help="the issue-2 corpus (half of one article + half of another)")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: the benchmark needs the shared corpora", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.legacy:
        from make_corpus_legacy import legacy
        return legacy(args.n, out)
    stats_file = out.parent / f"{out.name}.stats.json"
    stats_file.unlink(missing_ok=True)
    stats = generate(args.n, out, args.seed)
    stats_file.write_text(json.dumps(stats, indent=1) + "\n")
    print_stats(stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
