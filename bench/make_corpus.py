"""Write N articles in the seeds' plain-text format, built from the real texts in ../shared/corpora.

OrangeSum (French, 36k) and BBC + Reuters (English) give ~60k distinct real articles; to reach
N, further articles are recombined: the title and first half of one article with the second
half of another of the same language (so each text is distinct and stays real prose).

    .venv/bin/python bench/make_corpus.py --n 100000 --out bench/out/corpus
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import tarfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def orangesum():
    with gzip.open(SHARED / "orangesum-fr" / "orangesum_fr_full_36152.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d.get("article") and d.get("title"):
                body = re.sub(r"(?<=[a-zà-ü])\.(?=[A-ZÀ-Ü])", ".\n\n", d["article"])  # glued paragraphs
                yield "fr", d["title"], f"{d.get('heading', '')}\n\n{body}".strip(), d.get("date")


def bbc():
    with tarfile.open(SHARED / "bbc-news" / "bbc-fulltext.tar.gz") as tar:
        for m in tar:
            if m.isfile() and m.name.endswith(".txt") and "README" not in m.name:
                text = tar.extractfile(m).read().decode("utf-8", "replace")
                title, _, body = text.strip().partition("\n")
                yield "en", title.strip(), body.strip(), None


def reuters():
    with tarfile.open(SHARED / "reuters21578" / "reuters21578.tar.gz") as tar:
        for m in tar:
            if not m.name.endswith(".sgm"):
                continue
            sgml = tar.extractfile(m).read().decode("latin-1")
            for item in re.findall(r"<REUTERS.*?</REUTERS>", sgml, re.S):
                title = re.search(r"<TITLE>(.*?)</TITLE>", item, re.S)
                body = re.search(r"<BODY>(.*?)</BODY>", item, re.S)
                if title and body and len(body.group(1)) > 300:
                    clean = lambda s: re.sub(r"&#\d+;", "", s).replace("&lt;", "<").replace("&amp;", "&").strip()  # noqa: E731
                    paras = re.sub(r"\n(?=    )", "\n\n", clean(body.group(1)))
                    yield "en", clean(title.group(1)).title(), paras.replace("Reuter", "").strip(), None


def render(title: str, body: str, date: str | None) -> str:
    dated = f"Published on {date}\n\n" if date else ""
    return f"{title}\n\n{title}\n\n{dated}{body}\n\nShare This\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--out", default="bench/out/corpus")
    args = ap.parse_args()
    if not SHARED.is_dir():
        print(f"{SHARED} is absent: the benchmark needs the shared corpora", file=sys.stderr)
        return 2
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    real = list(orangesum()) + list(bbc()) + list(reuters())
    rng = random.Random(20261122)
    by_lang = {"en": [r for r in real if r[0] == "en"], "fr": [r for r in real if r[0] == "fr"]}
    written = 0
    for i in range(args.n):
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
        written += 1
    print(f"wrote {written} articles ({len(real)} real, {written - min(written, len(real))} recombined) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
