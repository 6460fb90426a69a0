"""Hostile inputs (issue 9), each imported into a real archive: records over the limits are
rejected by name and the import goes on, non-articles are skipped with a reason, an unreadable
folder is reported, a truncated WARC record and a language that is not a code are refused."""
from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from app.ingest.load import import_paths
from app.ingest.readers.common import MAX_ARTICLE_CHARS, MAX_RECORD_BYTES
from app.store import open_store
from tests.conftest import connect_to

ROOT = Path(__file__).resolve().parents[1]
MB = 1024 * 1024
OVER = MAX_RECORD_BYTES + MB  # just over the record limit
STORY = "Interpol met Europol in Lyon about the smuggling case. The police said the inquiry goes on."


def _import(settings, *paths, **options):
    report = import_paths(open_store(settings), [str(p) for p in paths], workers=1, **options)
    return report, {line.origin.rsplit("/", 1)[-1]: line for line in report.lines}


def _db(settings) -> str:
    return settings.database_url.removeprefix("sqlite:///")


# -- finding 2: bounded memory ------------------------------------------------------------------


def test_a_jsonl_gz_line_over_the_limit_is_rejected_by_line_and_the_next_line_imported(fresh_db, tmp_path):
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb") as out:
        out.write(b'{"title": "Bomb", "text": "' + b"a" * OVER + b'"}\n')
        out.write(json.dumps({"title": "After", "text": STORY}).encode() + b"\n")
    report, lines = _import(fresh_db, path)
    assert lines["bomb.jsonl.gz:1"].status == "rejected"
    assert lines["bomb.jsonl.gz:1"].reason == "line longer than the 16 MB limit"
    assert lines["bomb.jsonl.gz:2"].status == "added"


def test_a_csv_cell_over_the_limit_rejects_its_row_and_the_next_row_is_imported(fresh_db, tmp_path):
    path = tmp_path / "bomb.csv"
    path.write_bytes(b'title,text\n"Bomb","' + b"b" * OVER + b'"\n"After","' + STORY.encode() + b'"\n')
    report, lines = _import(fresh_db, path)
    assert (lines["bomb.csv:2"].status, lines["bomb.csv:2"].reason) == ("rejected", "row larger than the 16 MB limit")
    assert lines["bomb.csv:3"].status == "added"


def test_a_zip_member_over_the_limit_is_rejected_by_its_name_and_its_neighbour_imported(fresh_db, tmp_path):
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.txt", b"Bomb\n\n" + b"word " * (OVER // 5))
        archive.writestr("normal.txt", f"After\n\n{STORY}\n")
    report, lines = _import(fresh_db, path)
    assert lines["bomb.zip!inner.txt"].status == "rejected"
    assert lines["bomb.zip!inner.txt"].reason == "file larger than the 16 MB limit of the text reader"
    assert lines["bomb.zip!normal.txt"].status == "added"


def test_a_json_array_item_over_the_limit_is_rejected_by_its_number(fresh_db, tmp_path):
    path = tmp_path / "bomb.json"
    path.write_bytes(b'[{"title": "Fine", "text": "' + STORY.encode() + b'"}, {"title": "Bomb", "text": "'
                     + b"c" * OVER + b'"}]')
    report, lines = _import(fresh_db, path)
    assert lines["bomb.json#1"].status == "added"
    assert lines["bomb.json#2"].status == "rejected" and "larger than the 16 MB limit" in lines["bomb.json#2"].reason


def test_an_article_text_over_the_character_limit_is_rejected_however_it_comes(fresh_db, tmp_path):
    long_text = "The minister spoke. " * (MAX_ARTICLE_CHARS // 20 + 10)
    (tmp_path / "long.txt").write_text(f"Long\n\n{long_text}")
    (tmp_path / "long.jsonl").write_text(json.dumps({"title": "Long", "text": long_text}) + "\n")
    report, lines = _import(fresh_db, tmp_path)
    for origin in ("long.txt", "long.jsonl:1"):
        assert lines[origin].status == "rejected" and "over the 1,000,000 limit" in lines[origin].reason


def test_a_url_list_line_over_the_limit_is_rejected_by_line(fresh_db, tmp_path):
    path = tmp_path / "links.txt"
    path.write_bytes(b"http://" + b"d" * OVER + b"\n")
    report, lines = _import(fresh_db, path)
    assert (lines["links.txt:1"].status, lines["links.txt:1"].reason) == ("rejected", "line longer than the 16 MB limit")


def _peak_rss_of(command: list[str]) -> tuple[int, int]:
    sys.path.insert(0, str(ROOT / "bench"))
    from import_formats import tree_rss

    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.02)
    return process.returncode, peak


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "newsarchive").exists(), reason="the CLI is not installed in .venv")
def test_importing_a_300_mb_jsonl_line_stays_far_below_its_size_in_memory(tmp_path):
    """Before issue 9 this line was held whole, then parsed, cleaned and tagged (>2 GB); now the
    import is its baseline plus at most a record's worth."""
    path = tmp_path / "bomb.jsonl.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b'{"title": "Bomb", "text": "')
        for _ in range(300):
            out.write(b"a" * MB)
        out.write(b'"}\n')
    cli = str(ROOT / ".venv" / "bin" / "newsarchive")
    code, peak = _peak_rss_of([cli, "import", "--quiet", "--workers", "1", "--db", str(tmp_path / "a.db"), str(path)])
    assert code == 1  # the line is rejected
    assert peak < 600 * MB, f"peak RSS {peak / MB:.0f} MB"


# -- finding 8: non-articles --------------------------------------------------------------------


def test_corpus_notes_word_lists_data_files_and_queries_are_skipped_and_articles_kept(fresh_db, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "SOURCE.md").write_text("# Where it came from\n\n| file | docs |\n| --- | --- |\n| a.tar.gz | 10 |\n")
    (corpus / "all-places-strings.lc.txt").write_text("\n".join(["afghanistan", "albania", "american-samoa",
                                                                  "andorra", "angola", "anguilla", "antigua",
                                                                  "argentina", "aruba", "australia"]) + "\n")
    facts = "\n".join(f'bgfact("Country{i}","Population",["{i * 1000}"]).' for i in range(20))
    (corpus / "factbook-data.txt").write_text(f"Facts about countries, as Prolog.\n\n{facts}\n")
    (corpus / "judgements.txt").write_text("\n".join(f"{i}  {i * 7} {i * 11} {i * 13}" for i in range(1, 20)) + "\n")
    (corpus / "queries.jsonl").write_text(json.dumps({"_id": "1", "text": "Aspirin lowers the risk of stroke."}) + "\n")
    (corpus / "story.txt").write_text(f"A real story\n\n{STORY}\n")
    (corpus / "TIME.ALL").write_text(f"*TEXT 017 01/04/63 PAGE 020\n\n{STORY.upper()}\n\n"
                                     f"*TEXT 018 01/04/63 PAGE 021\n\nTHE SECOND STORY OF THE WEEK IS HERE .\n")
    (corpus / "TIME.QUE").write_text("*FIND 1\n\nKENNEDY ADMINISTRATION PRESSURE ON DIEM .\n")
    report, lines = _import(fresh_db, corpus)
    skipped = {origin for origin, line in lines.items() if line.status == "skipped"}
    assert skipped == {"SOURCE.md", "all-places-strings.lc.txt", "factbook-data.txt", "judgements.txt",
                       "queries.jsonl:1", "TIME.QUE"}
    assert all(lines[o].reason.startswith("skipped: ") and "not an article" in lines[o].reason
               for o in skipped - {"TIME.QUE"})
    assert {o for o, line in lines.items() if line.status == "added"} == {"story.txt", "TIME.ALL#TEXT017",
                                                                           "TIME.ALL#TEXT018"}
    with connect_to(fresh_db) as conn:
        [(published,)] = conn.execute("SELECT published_at FROM article WHERE origin LIKE '%TEXT017'").fetchall()
    assert published.startswith("1963-01-04")
    assert report.exit_code == 0


# -- finding 9 (import side) ----------------------------------------------------------------------


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 folder: there is nothing to report;"
                                              " the reporting itself is tested by the next test")
def test_a_chmod_000_folder_is_reported_not_skipped_silently(fresh_db, tmp_path):
    (tmp_path / "ok.txt").write_text(f"Fine\n\n{STORY}\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "hidden.txt").write_text(f"Hidden\n\n{STORY}\n")
    locked.chmod(0)
    try:
        report, lines = _import(fresh_db, tmp_path)
    finally:
        locked.chmod(0o755)
    assert (lines["locked"].status, lines["locked"].reason) == ("rejected", "folder not read: permission denied")
    assert lines["ok.txt"].status == "added"


def test_a_folder_that_cannot_be_listed_is_reported_with_the_reason(fresh_db, tmp_path):
    """A folder deeper than PATH_MAX cannot be listed, by root too: the same report path as chmod 000."""
    (tmp_path / "ok.txt").write_text(f"Fine\n\n{STORY}\n")
    fd = os.open(tmp_path, os.O_RDONLY)
    try:
        for _ in range(20):  # 20 x 250 characters: a path of 5,000, over Linux's 4,096
            os.mkdir("d" * 250, dir_fd=fd)
            fd, parent = os.open("d" * 250, os.O_RDONLY, dir_fd=fd), fd
            os.close(parent)
    finally:
        os.close(fd)
    report, lines = _import(fresh_db, tmp_path)
    unlisted = [line for line in report.lines if line.reason and line.reason.startswith("folder not read")]
    assert len(unlisted) == 1 and unlisted[0].status == "rejected"
    assert unlisted[0].reason == "folder not read: file name too long"
    assert lines["ok.txt"].status == "added"


def test_a_truncated_warc_record_claiming_a_huge_length_is_rejected(fresh_db, tmp_path):
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Truncated</p>"
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/a\r\n"
              b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n")
    (tmp_path / "huge.warc").write_bytes(record + b"Content-Length: 5000000000\r\n\r\n" + http)
    (tmp_path / "cut.warc").write_bytes(record + b"Content-Length: 9000\r\n\r\n" + http)
    report, lines = _import(fresh_db, tmp_path / "huge.warc", tmp_path / "cut.warc")
    huge, cut = report.lines
    assert (huge.status, huge.reason) == ("rejected", "record of 5,000,000,000 bytes, over the 16 MB limit")
    assert cut.status == "rejected" and cut.reason.startswith("truncated record: 9,000 bytes declared")
    with connect_to(fresh_db) as conn:
        assert conn.execute("SELECT count(*) FROM article").fetchone()[0] == 0


def test_a_language_that_is_not_a_code_is_not_stored_and_the_text_decides(fresh_db, tmp_path):
    records = [("Script", 'en"><script>alert(1)</script>'), ("Region", "FR-fr"), ("Underscore", "pt_BR"),
               ("Name", "English"), ("Undetermined", "und")]
    texts = {"Region": "Le ministre a annoncé mardi que la police avait arrêté trois suspects à Rabat.",
             "Underscore": "O ministro disse na terça-feira que a polícia prendeu três suspeitos em Rabat."}
    path = tmp_path / "langs.jsonl"
    path.write_text("".join(json.dumps({"title": t, "text": texts.get(t, STORY), "lang": lang}) + "\n"
                            for t, lang in records))
    (tmp_path / "page.html").write_text(f'<html lang="xx-&lt;b&gt;"><head><title>Page</title></head>'
                                        f"<body><article><p>{STORY}</p><p>{STORY}</p></article></body></html>")
    _import(fresh_db, path, tmp_path / "page.html")
    with connect_to(fresh_db) as conn:
        stored = dict(conn.execute("SELECT title, language FROM article"))
    assert stored == {"Script": "en", "Region": "fr", "Underscore": "pt", "Name": "en", "Undetermined": "en",
                      "Page": "en"}


def test_language_codes_are_read_and_anything_else_is_none():
    from app.ingest.language import language_code

    assert [language_code(v) for v in ("en", " EN-gb ", "fr_FR", "eng", "zh-Hant-TW")] == ["en", "en", "fr", "eng", "zh"]
    assert [language_code(v) for v in ('en"><script>', "English", "e", "und", "", None, 3, "en gb")] == [None] * 8


def test_bounded_lines_never_holds_more_than_the_limit():
    from app.ingest.readers.common import bounded_lines

    stream = io.BytesIO(b"short\n" + b"x" * 100 + b"\nafter\nlast")
    assert list(bounded_lines(stream, limit=10)) == [b"short\n", None, b"after\n", b"last"]


def test_a_warc_header_line_over_the_line_limit_is_rejected_not_held(fresh_db, tmp_path, monkeypatch):
    """warcio reads header lines whole (and slowly: 17 s for 32 MB), so the test lowers the cap."""
    from app.ingest.readers import warc

    monkeypatch.setattr(warc, "MAX_FILE_BYTES", MB)
    path = tmp_path / "header.warc.gz"
    with gzip.open(path, "wb", compresslevel=1) as out:
        out.write(b"WARC/1.0\r\nWARC-Type: response\r\nX-Huge: " + b"h" * (2 * MB) + b"\r\n\r\n")
    report, lines = _import(fresh_db, path)
    assert (lines["header.warc.gz"].status, lines["header.warc.gz"].reason) == (
        "rejected", "a line longer than the 1 MB limit: not a WARC file we can read")


def test_a_tar_member_with_a_huge_extended_header_is_rejected_and_its_name_given(fresh_db, tmp_path):
    import tarfile

    path = tmp_path / "pax.tar.gz"
    with tarfile.open(path, "w:gz", format=tarfile.PAX_FORMAT) as archive:
        fine = f"Fine\n\n{STORY}\n".encode()
        info = tarfile.TarInfo("fine.txt")
        info.size = len(fine)
        archive.addfile(info, io.BytesIO(fine))
        bomb = tarfile.TarInfo("bomb.txt")
        bomb.pax_headers = {"comment": "x" * OVER}
        archive.addfile(bomb, io.BytesIO(b""))
    report, lines = _import(fresh_db, path)
    assert lines["pax.tar.gz!fine.txt"].status == "added"
    assert lines["pax.tar.gz"].status == "rejected"
    assert "extended header of" in lines["pax.tar.gz"].reason and "over the 16 MB limit" in lines["pax.tar.gz"].reason


def test_json_nested_thousands_deep_is_rejected_in_bounded_memory(fresh_db, tmp_path):
    """50,000 nested arrays (100 KB) cost ijson.items >2 GB; the array reader stops at 64 levels."""
    deep = b"[" * 50_000 + b"]" * 50_000
    (tmp_path / "deep.json").write_bytes(b'[{"title": "Deep", "text": ' + deep + b"}]")
    (tmp_path / "deep.jsonl").write_bytes(b'{"title": "Deep", "text": ' + deep + b'}\n{"title": "After", "text": "'
                                          + STORY.encode() + b'"}\n')
    report, lines = _import(fresh_db, tmp_path)
    assert lines["deep.json#1"].status == "rejected" and "nested too deeply" in lines["deep.json#1"].reason
    assert (lines["deep.jsonl:1"].status, lines["deep.jsonl:1"].reason) == ("rejected", "JSON nested too deeply to be an article")
    assert lines["deep.jsonl:2"].status == "added"


@pytest.mark.parametrize("unclosed", [b'<REUTERS NEWID="1">', b"<TEXT>", b"<TITLE>", b"<D>", b"<REUTERS "])
def test_reuters_sgml_full_of_unclosed_tags_is_read_in_linear_time(unclosed):
    """Lazy regexes from each unclosed tag to the end were quadratic: 150 KB took 4.5 s."""
    from app.ingest.readers.reuters import read_reuters

    story = b'<REUTERS NEWID="2"><PLACES>' + unclosed * 100_000 + b"</PLACES><TEXT TYPE=\"UNPROC\">" + unclosed * 100_000
    data = unclosed * 200_000 + story + b"Wheat prices rose.\n" + b" " * 200_000 + b"</TEXT></REUTERS>"
    started = time.perf_counter()
    items = list(read_reuters(data, "x.sgm"))
    assert time.perf_counter() - started < 5
    assert items and all(item.origin.startswith("x.sgm") for item in items)


@pytest.mark.parametrize("unclosed", [b"[", b"![", b"<"])
def test_markdown_full_of_unclosed_brackets_is_stripped_in_linear_time(unclosed):
    """Unbounded classes from each unclosed "[" to the end were quadratic: 50 KB took 18 s."""
    from app.ingest.readers.markdown import read_markdown

    started = time.perf_counter()
    item = read_markdown(b"# Title\n\n" + unclosed * 100_000, "x.md")
    assert time.perf_counter() - started < 5 and item.origin == "x.md"


WIRE_TABLE = """Sugar Quota Imports Detailed -- Usda

The U.S. Agriculture Department said cumulative sugar imports from individual countries during the
1987 quota year were as follows, with quota allocations in short tons, raw value --

            IMPORTS     ALLOCATIONS
""" + "".join(f" COUNTRY{i:02d}        nil          {39000 + i},{i:03d}\n" for i in range(40))


def test_a_wire_story_that_is_mostly_a_table_is_an_article_and_a_long_list_is_not():
    from app.ingest.notarticle import content_reason

    assert content_reason(WIRE_TABLE) is None  # a headline, a paragraph of prose, then its table
    numbers_only = "Gasoil Call Complete\n\n" + "".join(f" Apr  148.{i:02d} 148.25 147.75  {i}\n" for i in range(40))
    assert content_reason(numbers_only).startswith("skipped: data or code")
    long_list = WIRE_TABLE.split("\n", 1)[0] + "\n\nSome notes on the categories, which we reproduce below as they came.\n\n" + \
        "".join(f"Category number {i}\n" for i in range(400))
    assert content_reason(long_list).startswith("skipped: a list of words or names")
