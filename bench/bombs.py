"""Hostile inputs (issue 9): each bomb is built in a temp dir, imported by the real CLI into a
fresh archive, and the peak RSS of the process tree is sampled (as in bench/import_formats.py).

    .venv/bin/python bench/bombs.py                       # every case, full size
    .venv/bin/python bench/bombs.py --scale 0.1           # the same bombs at a tenth of their size
    .venv/bin/python bench/bombs.py --only jsonl-gz-line csv-cell --cap-gb 4

"growth" is the peak minus the baseline's (a one-article import: the CLI, its libraries and the
gazetteer). ``--cap-gb`` puts an address-space limit on the import (prlimit-style, RLIMIT_AS) so that a
reader that does hold everything dies with MemoryError instead of taking the machine: that is
how the "before" figures were taken. ``--python`` and ``--pythonpath`` run another checkout
(the "before" code) with this venv's libraries. The last line of the table is the largest
legitimate record accepted (an article of text just under the article-text limit).
"""
from __future__ import annotations

import argparse
import gzip
import os
import resource
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from import_formats import tree_rss  # noqa: E402  (the same sampler as the format bench)

MB = 1024 * 1024
_WORDS = (b"the minister said on Tuesday that police in Rabat arrested three suspects after an "
          b"inquiry into the smuggling network. ")


def _prose(size: int) -> bytes:
    """``size`` bytes of sentences, with a paragraph break every ~1 KB (not one line)."""
    paragraph = _WORDS * 9 + b"\n\n"
    return (paragraph * (size // len(paragraph) + 1))[:size]


def _stream_gzip(path: Path, parts) -> None:
    with gzip.open(path, "wb", compresslevel=9) as out:
        for part in parts:
            out.write(part)


def jsonl_gz_line(folder: Path, scale: float) -> Path:
    """One JSON line of 1.2 GB (a 'text' of repeated letters) in a ~1.1 MB .jsonl.gz."""
    path = folder / "bomb.jsonl.gz"
    size = int(1200 * MB * scale)
    chunk = b"a" * MB
    _stream_gzip(path, [b'{"title": "Bomb", "text": "', *(chunk for _ in range(size // MB)), b'"}\n',
                        b'{"title": "After the bomb", "text": "A normal record after the huge line."}\n'])
    return path


def csv_cell(folder: Path, scale: float) -> Path:
    """A CSV whose second row has one 50 MB cell."""
    path = folder / "bomb.csv"
    with path.open("wb") as out:
        out.write(b"title,text\n\"Bomb\",\"")
        for _ in range(int(50 * scale)):
            out.write(b"b" * MB)
        out.write(b"\"\n\"After the bomb\",\"A normal row after the huge cell.\"\n")
    return path


def zip_member(folder: Path, scale: float) -> Path:
    """A ~320 KB zip holding one 90 MB text file (one line of prose repeated) and a normal one."""
    path = folder / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("inner.txt", "w") as member:
            member.write(b"Bomb\n\n")
            for _ in range(int(90 * scale)):
                member.write(_prose(MB))
        archive.writestr("normal.txt", "After the bomb\n\nA normal article beside the huge one.\n")
    return path


def text_file(folder: Path, scale: float) -> Path:
    """A plain 90 MB text file of prose (no container)."""
    path = folder / "big.txt"
    with path.open("wb") as out:
        out.write(b"Big\n\n")
        for _ in range(int(90 * scale)):
            out.write(_prose(MB))
    return path


def json_array_item(folder: Path, scale: float) -> Path:
    """A JSON array whose first item holds a 200 MB string, gzipped."""
    path = folder / "bomb.json.gz"
    size = int(200 * MB * scale)
    _stream_gzip(path, [b'[{"title": "Bomb", "text": "', *(b"c" * MB for _ in range(size // MB)), b'"},',
                        b'{"title": "After", "text": "never reached: the array cannot be resumed"}]'])
    return path


def json_deep(folder: Path, scale: float) -> Path:
    """A 100 KB JSON array whose first item nests 50,000 arrays deep (ijson's prefixes: quadratic)."""
    path = folder / "deep.json"
    depth = int(50_000 * scale)
    path.write_bytes(b'[{"title": "Deep", "text": ' + b"[" * depth + b"]" * depth
                     + b'}, {"title": "After", "text": "not reached"}]')
    return path


def html_page(folder: Path, scale: float) -> Path:
    """A 7.5 MB saved web page (just under the HTML limit): one article of 7.5 MB of paragraphs."""
    path = folder / "big.html"
    with path.open("wb") as out:
        out.write(b"<html><head><title>Big page</title></head><body><article>")
        for _ in range(int(7.5 * scale)):
            out.write(b"<p>" + _prose(MB).replace(b"\n\n", b"</p><p>") + b"</p>")
        out.write(b"</article></body></html>")
    return path


def warc_truncated(folder: Path, scale: float) -> Path:
    """A WARC response record claiming 5 GB of content, cut after a few bytes."""
    path = folder / "cut.warc"
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Truncated</p>"
    path.write_bytes(b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/a\r\n"
                     b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n"
                     b"Content-Length: 5000000000\r\n\r\n" + http)
    return path


def feed_entry(folder: Path, scale: float) -> Path:
    """An RSS feed with one 30 MB item description, gzipped."""
    path = folder / "bomb.rss.gz"
    _stream_gzip(path, [b'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title><item><title>Bomb</title>'
                        b"<description>", *(_prose(MB) for _ in range(int(30 * scale))),
                        b"</description></item></channel></rss>"])
    return path


def url_list_line(folder: Path, scale: float) -> Path:
    """A URL list (given on the command line) whose second line is 500 MB long, gzipped."""
    path = folder / "links.txt.gz"
    _stream_gzip(path, [b"http://", *(b"d" * MB for _ in range(int(500 * scale))), b"\nhttp://127.0.0.1:9/after\n"])
    return path


def tar_pax_header(folder: Path, scale: float) -> Path:
    """A tar.gz whose member has a 1 GB pax extended header (a 'comment'), and a normal member."""
    path = folder / "pax.tar.gz"
    size = max(1, int(1024 * scale)) * MB
    story = b"After the bomb\n\nA normal article after the huge header.\n"
    length = size + len(" comment=\n")  # a pax record is "LEN comment=VALUE\n", LEN counting itself
    length += len(str(length + len(str(length))))
    record = f"{length} comment=".encode()
    header = tarfile.TarInfo("././@PaxHeader")
    header.type, header.size = tarfile.XHDTYPE, length
    member = tarfile.TarInfo("bomb.txt")
    normal = tarfile.TarInfo("normal.txt")
    normal.size = len(story)

    def blocks():
        yield header.tobuf(tarfile.USTAR_FORMAT)
        yield record
        yield from (b"x" * MB for _ in range(size // MB))
        yield b"\n" + b"\0" * ((512 - length % 512) % 512)
        yield member.tobuf(tarfile.USTAR_FORMAT)
        yield normal.tobuf(tarfile.USTAR_FORMAT) + story + b"\0" * ((512 - len(story) % 512) % 512)
        yield b"\0" * 1024

    _stream_gzip(path, blocks())
    return path


def largest_legitimate(folder: Path, scale: float) -> Path:
    """The largest article accepted: prose just under the article-text limit (1,000,000 characters)."""
    path = folder / "largest.txt"
    path.write_bytes(b"The largest article\n\n" + _prose(990_000))
    return path


def baseline(folder: Path, scale: float) -> Path:
    """One small article: what any import costs (the CLI, its libraries, the gazetteer)."""
    path = folder / "small.txt"
    path.write_bytes(b"A small article\n\n" + _prose(2000))
    return path


CASES = {
    "baseline": baseline,
    "jsonl-gz-line": jsonl_gz_line,
    "csv-cell": csv_cell,
    "zip-member": zip_member,
    "text-file": text_file,
    "json-array-item": json_array_item,
    "json-deep": json_deep,
    "html-page": html_page,
    "warc-truncated": warc_truncated,
    "feed-entry": feed_entry,
    "url-list-line": url_list_line,
    "tar-pax-header": tar_pax_header,
    "largest-legitimate": largest_legitimate,
}


def run(case: str, path: Path, db: Path, args) -> dict:
    env = dict(os.environ, NEWSARCHIVE_IMPORT_WORKERS="0")
    if args.pythonpath:
        env["PYTHONPATH"] = args.pythonpath
    command = [args.python, "-c", "from app.cli import main; main()", "import", "--db", str(db), str(path)]
    cap = int(args.cap_gb * 1024 * MB) if args.cap_gb else None

    def limit() -> None:
        if cap:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    started = time.perf_counter()
    # cwd: the temp dir, so that "-c" does not put this checkout's app/ before --pythonpath.
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, preexec_fn=limit,
                               cwd=db.parent)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.02)
    output = process.stdout.read().decode("utf-8", "replace")
    return {"case": case, "size": path.stat().st_size, "exit": process.returncode, "peak": peak,
            "seconds": time.perf_counter() - started, "result": _result(output, db)}


def _result(output: str, db: Path) -> str:
    """The report line of the bomb (rejected + reason), else what the archive got."""
    for line in output.splitlines():
        if "MemoryError" in line:
            return "MemoryError (the address-space cap was hit)"
        if line.startswith(("rejected", "skipped")) and "after" not in line.lower():
            return line.strip()[:110]
    try:
        with sqlite3.connect(db) as conn:
            titles = [row[0] for row in conn.execute("SELECT title FROM article ORDER BY id")]
            sizes = [len(zlib.decompress(row[0]).decode("utf-8")) if isinstance(row[0], bytes) else len(row[0])
                     for row in conn.execute("SELECT body FROM article ORDER BY id")]  # stored compressed
    except sqlite3.Error:
        return (output.strip().splitlines() or ["no output"])[-1][:110]
    return "imported: " + ", ".join(f"{t[:20]!r} ({n:,} chars)" for t, n in zip(titles, sizes))[:100]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", nargs="+", choices=sorted(CASES))
    parser.add_argument("--scale", type=float, default=1.0, help="size of each bomb relative to issue 9's")
    parser.add_argument("--cap-gb", type=float, default=0, help="address-space limit of the import (0: none)")
    parser.add_argument("--python", default=str(ROOT / ".venv" / "bin" / "python"))
    parser.add_argument("--pythonpath", default="", help="run the app from this checkout instead")
    args = parser.parse_args()
    print(f"{'case':<19} {'input':>9} {'exit':>4} {'peak RSS':>9} {'growth':>9} {'s':>5}  result")
    base = None
    for case in ["baseline"] + [c for c in args.only or CASES if c != "baseline"]:
        with tempfile.TemporaryDirectory(prefix="bomb-") as tmp:
            folder = Path(tmp)
            path = CASES[case](folder, args.scale)
            r = run(case, path, folder / "archive.db", args)
        base = base or r["peak"]
        growth = _size(max(r["peak"] - base, 0))
        print(f"{r['case']:<19} {_size(r['size']):>9} {r['exit']:>4} {_size(r['peak']):>9} {growth:>9}"
              f" {r['seconds']:>5.1f}  {r['result']}", flush=True)


def _size(n: int) -> str:
    return f"{n / MB / 1024:.1f} GB" if n >= 1024 * MB else f"{n / MB:.1f} MB" if n >= MB else f"{n / 1024:.0f} KB"


if __name__ == "__main__":
    main()
