"""Walking paths: folders, archives (streamed), bad files; then the real corpora in /work/shared."""
from __future__ import annotations

import collections
import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from app.ingest.record import ArticleRecord, Rejected
from app.ingest.sources import iter_records

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SHARED = Path(__file__).resolve().parents[2] / "shared"
CORPORA = SHARED / "corpora"
needs_corpora = pytest.mark.skipif(not CORPORA.is_dir(), reason=f"real corpora not found at {CORPORA}")

STORY = b"Harbour reopens\n\nThe harbour reopened on Thursday after the storm, officials said.\n"


def tar_bytes(files: dict[str, bytes], mode: str = "w:gz") -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode=mode) as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def summary(items) -> list[tuple[str, str]]:
    return [(i.origin, "ok" if isinstance(i, ArticleRecord) else i.reason) for i in items]


# -- files and folders -----------------------------------------------------------------------


def test_folder_is_walked_sorted_skipping_hidden_files_and_dot_folders(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes(STORY)
    (tmp_path / "a.txt").write_bytes(STORY)
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_bytes(STORY)
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    items = list(iter_records([str(tmp_path)]))
    assert [i.origin for i in items] == [f"{tmp_path}/a.txt", f"{tmp_path}/b/2.txt"]
    record = items[0]
    assert record.title == "Harbour reopens" and record.format == "text"
    assert record.original_bytes == STORY


def test_bad_files_are_rejected_with_a_reason_and_the_walk_goes_on(tmp_path):
    (tmp_path / "1-empty.txt").write_bytes(b"")
    (tmp_path / "2-binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "3-good.txt").write_bytes(STORY)
    (tmp_path / "4-latin1.txt").write_bytes("Prix en hausse\n\nLe prix atteint 3 £ à Paris.\n".encode("latin-1"))
    items = summary(iter_records([str(tmp_path), str(tmp_path / "nope.txt")]))
    assert items == [
        (f"{tmp_path}/1-empty.txt", "empty file"),
        (f"{tmp_path}/2-binary.txt", "binary file (not text)"),
        (f"{tmp_path}/3-good.txt", "ok"),
        (f"{tmp_path}/4-latin1.txt", "ok"),
        (f"{tmp_path}/nope.txt", "no such file"),
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read files without permission")
def test_unreadable_file_is_rejected_as_permission_denied(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_bytes(STORY)
    path.chmod(0)
    assert summary(iter_records([str(path)])) == [(str(path), "permission denied")]


def test_fixture_folder_picks_a_reader_per_file():
    formats = collections.Counter(i.format for i in iter_records([str(FIXTURES)]) if isinstance(i, ArticleRecord))
    assert formats == {"markdown": 2, "csv": 3, "json": 2, "jsonl": 3, "rss": 3, "html": 1, "reuters": 3}


def test_format_override_reads_a_txt_file_as_markdown(tmp_path):
    path = tmp_path / "note.txt"
    path.write_bytes(b"Intro line\n\n# Real title\n\nBody **bold**.")
    [record] = iter_records([str(path)], fmt="markdown")
    assert record.title == "Real title" and record.format == "markdown"


def test_a_single_path_given_as_a_string_is_one_path(tmp_path):
    (tmp_path / "a.txt").write_bytes(STORY)
    assert [i.origin for i in iter_records(str(tmp_path / "a.txt"))] == [str(tmp_path / "a.txt")]


def test_unknown_format_is_an_error():
    with pytest.raises(ValueError, match="unknown format"):
        list(iter_records(["x"], fmt="pdf"))


# -- containers ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "mode"), [("news.tar.gz", "w:gz"), ("news.tgz", "w:gz"), ("news.tar", "w")])
def test_tar_members_are_read_with_archive_origins(tmp_path, name, mode):
    path = tmp_path / name
    path.write_bytes(tar_bytes({"bbc/business/001.txt": STORY, "bbc/README.TXT": b"About this set\n\nText.",
                                "bbc/.hidden.txt": STORY, "bbc/feed.rss": (FIXTURES / "feed.rss").read_bytes()}, mode))
    items = summary(iter_records([str(path)]))
    assert items == [
        (f"{path}!bbc/business/001.txt", "ok"),
        (f"{path}!bbc/README.TXT", "skipped: README.TXT is documentation, not an article"),
        ("https://valley.example/news/dam-inspection", "ok"),
        ("https://valley.example/news/library-hours", "ok"),
    ]


def test_zip_members_sorted_and_nested_archives_read_recursively(tmp_path):
    inner = tar_bytes({"deep/story.md": b"# Deep story\n\nFound two archives down."})
    path = tmp_path / "bundle.zip"
    path.write_bytes(zip_bytes({"z.txt": STORY, "inner.tar.gz": inner, "__MACOSX/._z.txt": b"junk",
                                "data/a.jsonl": (FIXTURES / "articles.jsonl").read_bytes()}))
    items = list(iter_records([str(path)]))
    origins = [i.origin for i in items]
    assert origins[0] == f"{path}!data/a.jsonl:1"
    assert f"{path}!inner.tar.gz!deep/story.md" in origins
    assert origins[-1] == f"{path}!z.txt"
    assert not any("__MACOSX" in o for o in origins)


def test_single_file_gzip_is_read_as_the_file_inside(tmp_path):
    text = tmp_path / "story.txt.gz"
    text.write_bytes(gzip.compress(STORY))
    lines = tmp_path / "wire.jsonl.gz"
    lines.write_bytes(gzip.compress((FIXTURES / "articles.jsonl").read_bytes()))
    [story] = iter_records([str(text)])
    assert story.origin == str(text) and story.title == "Harbour reopens"
    wire = list(iter_records([str(lines)]))
    assert wire[0].origin == f"{lines}:1" and wire[0].format == "jsonl"


def test_corrupt_zip_is_rejected_and_the_walk_goes_on(tmp_path):
    (tmp_path / "a-broken.zip").write_bytes(b"PK\x03\x04" + b"garbage" * 20)
    (tmp_path / "b.txt").write_bytes(STORY)
    items = summary(iter_records([str(tmp_path)]))
    assert items[0][0] == f"{tmp_path}/a-broken.zip" and items[0][1].startswith("corrupt or truncated zip")
    assert items[1] == (f"{tmp_path}/b.txt", "ok")


def test_truncated_tar_gz_keeps_what_was_read_then_rejects(tmp_path):
    files = {f"n/{i:03}.txt": STORY + os.urandom(2000).hex().encode() for i in range(20)}
    data = tar_bytes(files)
    path = tmp_path / "cut.tar.gz"
    path.write_bytes(data[: len(data) // 2])
    items = list(iter_records([str(path)]))
    assert isinstance(items[0], ArticleRecord)
    assert isinstance(items[-1], Rejected) and "truncated" in items[-1].reason


def test_truncated_gzip_of_json_lines_rejects_the_rest(tmp_path):
    lines = b"".join(b'{"title": "Story %d", "text": "Some text here."}\n' % i for i in range(5000))
    data = gzip.compress(lines)
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) - 50])
    items = list(iter_records([str(path)]))
    assert len(items) > 4000 and isinstance(items[-1], Rejected)


# -- the real corpora ------------------------------------------------------------------------


@needs_corpora
def test_bbc_archive_gives_2225_titled_articles_including_the_latin1_file():
    archive = CORPORA / "bbc-news" / "bbc-fulltext.tar.gz"
    records = [i for i in iter_records([str(archive)]) if isinstance(i, ArticleRecord)]
    assert len(records) == 2225
    assert all(r.title and not r.title_derived for r in records)
    by_origin = {r.origin: r for r in records}
    first = by_origin[f"{archive}!bbc/business/001.txt"]
    assert first.title == "Ad sales boost Time Warner profit"
    assert "£" in by_origin[f"{archive}!bbc/sport/199.txt"].body


@needs_corpora
def test_orangesum_sample_gives_3012_french_articles_with_dates_and_urls():
    records = list(iter_records([str(CORPORA / "orangesum-fr" / "orangesum_fr_3012.jsonl.gz")]))
    assert len(records) == 3012 and all(isinstance(r, ArticleRecord) for r in records)
    assert all(r.published_at and r.url.startswith("https://") for r in records)
    assert sum("Maroc" in r.title + r.body for r in records) >= 182


@needs_corpora
def test_reuters_first_file_gives_1000_dated_stories_with_place_tags():
    archive = CORPORA / "reuters21578" / "reuters21578.tar.gz"
    prefix = f"{archive}!reuters21578/reut2-000.sgm#"
    items = [i for i in iter_records([str(archive)]) if i.origin.startswith(prefix)]
    assert len(items) == 1000
    records = [i for i in items if isinstance(i, ArticleRecord)]
    assert all(r.published_at for r in records)
    assert sum(any(t.startswith("place:") for t in r.source_tags) for r in records) > 800
    first = next(r for r in records if r.origin == prefix + "NEWID=1")
    assert first.title == "BAHIA COCOA REVIEW" and "place:el-salvador" in first.source_tags


@needs_corpora
def test_morocco_world_news_csv_gives_2500_records_with_both_date_formats():
    items = list(iter_records([str(CORPORA / "morocco-world-news" / "moroccoworldnews.csv.gz")]))
    assert len(items) == 2500 and all(isinstance(i, ArticleRecord) for i in items)
    assert all(i.published_at for i in items)
    raw_dates = {i.original_text.splitlines()[1].split('"')[1].split()[0] for i in items}
    assert {"May", "Apr"} <= raw_dates  # full and abbreviated month names both parsed
    assert items[0].origin.endswith("moroccoworldnews.csv.gz:2")


def test_deferred_files_are_read_by_workers_and_a_missing_one_is_reported_with_its_name(tmp_path):
    from app.ingest.record import Unparsed, Unread
    from app.ingest.sources import prefetch, read_unread

    (tmp_path / "a.txt").write_text("Title\n\nBody.\n")
    items = list(iter_records([str(tmp_path)], defer_parse=True))
    assert [(i.path, i.origin, i.given) for i in items] == [(str(tmp_path / "a.txt"), str(tmp_path / "a.txt"), False)]
    gone = Unread(str(tmp_path / "gone.txt"), "gone.txt")
    prefetch(items + [gone])  # a hint to the kernel: never fails
    assert isinstance(read_unread(items[0]), Unparsed)
    assert read_unread(gone) == Rejected("gone.txt", "no such file")
