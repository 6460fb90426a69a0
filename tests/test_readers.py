"""Readers: one hand-written fixture per format (tests/fixtures/readers), read through the
reader functions directly. Walking folders and archives is in test_sources.py."""
from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from app.ingest.readers import detect_format, read_bytes, read_file
from app.ingest.readers.dates import parse_date
from app.ingest.readers.feed import read_feed
from app.ingest.readers.html import html_to_text, read_html
from app.ingest.readers.markdown import read_markdown
from app.ingest.readers.reuters import read_reuters
from app.ingest.readers.tabular import read_csv, read_json, read_jsonl
from app.ingest.readers.warc import read_warc
from app.ingest.record import ArticleRecord, Rejected

FIXTURES = Path(__file__).parent / "fixtures" / "readers"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def by_origin(items) -> dict:
    return {item.origin: item for item in items}


# -- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-06-28", datetime(2020, 6, 28)),
        ("May 24, 2020", datetime(2020, 5, 24)),
        ("Apr 30, 2020", datetime(2020, 4, 30)),
        ("Tue, 10 Jun 2003 04:00:00 +0200", datetime(2003, 6, 10, 2, 0)),
        ("2021-03-04T10:00:00Z", datetime(2021, 3, 4, 10, 0)),
        ("26-FEB-1987 15:01:01.79", datetime(1987, 2, 26, 15, 1, 1, 790000)),
        ("28 juin 2020", datetime(2020, 6, 28)),
        ("lundi 1er juin 2020", datetime(2020, 6, 1)),
    ],
)
def test_parse_date_reads_the_formats_sources_use(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text", ["", "   ", "yesterday", "13/13/2020", "2020", None])
def test_parse_date_returns_none_rather_than_guessing(text):
    assert parse_date(text) is None


# -- markdown --------------------------------------------------------------------------------


def test_markdown_takes_title_and_metadata_from_front_matter():
    record = read_markdown(fixture("article.md"), "article.md")
    assert record.title == "Harbour reopens after the storm"
    assert record.author == "Léa Martin"
    assert record.url == "https://example.org/harbour-reopens"
    assert record.published_at == datetime(2023, 11, 2)
    assert record.published_how == "metadata"
    assert record.format == "markdown"
    assert record.original_bytes == fixture("article.md")


def test_markdown_body_is_plain_text_links_keep_their_words():
    body = read_markdown(fixture("article.md"), "article.md").body
    assert "The harbour of Port-Vendres reopened on Thursday, officials said." in body
    for markup in ("**", "](", "![", "---", "title:"):
        assert markup not in body


def test_markdown_title_from_first_heading_in_french_article():
    record = read_markdown(fixture("heading-only.md"), "heading-only.md")
    assert record.title == "Le conseil vote le budget"
    assert not record.body.startswith("#")
    assert "Le conseil municipal a voté le budget mardi soir" in record.body
    assert record.published_how == "unknown"


# -- HTML ------------------------------------------------------------------------------------


def test_html_page_gives_main_text_and_metadata_without_navigation_or_comments():
    record = read_html(fixture("page.html"), "page.html")
    assert isinstance(record, ArticleRecord)
    assert record.title == "Un nouveau pont sur la rivière"
    assert record.author == "Jeanne Dupont"
    assert record.source == "La Gazette du Sud"
    assert record.url == "https://gazette.example/2022/05/nouveau-pont"
    assert record.language == "fr"
    assert record.published_at.date() == datetime(2022, 5, 17).date()
    assert record.published_how == "metadata"
    assert "nouveau pont sur la rivière, a annoncé la préfecture" in record.body
    assert "Accueil" not in record.body and "Enfin une bonne nouvelle" not in record.body
    assert not record.body.startswith(record.title)
    assert record.format == "html" and record.original_text.startswith("<!DOCTYPE html>")


def test_html_honours_a_declared_latin1_charset():
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Été</title></head><body><article>'
        "<h1>Été à Rabat</h1><p>La chaleur a battu des records à Rabat cet été, selon la météo nationale.</p>"
        "<p>Les autorités appellent à la prudence pendant les prochains jours de canicule annoncés.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    record = read_html(page, "ete.html")
    assert "La chaleur a battu des records à Rabat" in record.body


def test_html_without_text_is_rejected():
    item = read_html(b"<html><head><title>Nothing here</title></head><body></body></html>", "empty.html")
    assert item == Rejected("empty.html", "no article text found in the page")


def test_html_to_text_keeps_paragraphs_and_unescapes():
    assert html_to_text("<p>One &amp; two</p><p>Three</p>") == "One & two\n\nThree"


# -- JSON, JSON Lines, CSV -------------------------------------------------------------------


def test_jsonl_reads_usual_field_names_and_rejects_bad_lines_by_number():
    items = by_origin(read_jsonl(io.BytesIO(fixture("articles.jsonl")), "a.jsonl"))
    first = items["a.jsonl:1"]
    assert (first.title, first.url, first.source, first.language) == (
        "Grain prices rise", "https://wire.example/1", "Farm Wire", "en")
    assert first.published_at == datetime(2021, 2, 3) and first.published_how == "metadata"
    assert json.loads(first.original_text)["title"] == "Grain prices rise"
    assert first.format == "jsonl"
    french = items["a.jsonl:2"]
    assert french.body == "Troisième semaine de hausse.\n\nLe prix du blé a encore augmenté."
    assert french.author == "A. Martin, B. Petit"
    assert items["a.jsonl:4"].reason.startswith("invalid JSON")
    assert items["a.jsonl:5"].reason == "line is not a JSON object"
    untitled = items["a.jsonl:6"]
    assert untitled.title_derived and untitled.title.startswith("An untitled wire item")
    assert items["a.jsonl:7"].reason == "no title and no text"
    assert "a.jsonl:3" not in items  # blank line


def test_jsonl_mapping_names_their_columns():
    line = b'{"headline_text": "Snow closes the pass", "story": "The pass closed.", "when": "2022-12-01"}\n'
    [record] = read_jsonl(io.BytesIO(line), "m.jsonl", {"title": "headline_text", "published": "when"})
    assert record.title == "Snow closes the pass"
    assert record.body == "The pass closed."
    assert record.published_at == datetime(2022, 12, 1)


def test_unknown_field_in_mapping_is_an_error():
    with pytest.raises(ValueError, match="unknown field"):
        list(read_jsonl(io.BytesIO(b"{}\n"), "m.jsonl", {"colour": "x"}))


def test_jsonl_line_in_windows_1252_is_decoded():
    line = '{"title": "Caf\u00e9 ouvert", "text": "Le caf\u00e9 rouvre."}\n'.encode("cp1252")
    [record] = read_jsonl(io.BytesIO(line), "w.jsonl")
    assert record.title == "Café ouvert"


def test_json_object_with_a_list_of_articles():
    items = list(read_json(fixture("articles.json"), "a.json"))
    assert [type(i).__name__ for i in items] == ["ArticleRecord", "ArticleRecord", "Rejected"]
    bridge, park, bad = items
    assert bridge.origin == "a.json#1" and bridge.source == "City News"
    assert bridge.url == "https://city.example/bridge"
    assert bridge.published_at == datetime(2022, 9, 1, 10, 0)
    assert park.body == "Volunteers cleaned the park."
    assert bad.origin == "a.json#3"


def test_json_single_article_and_broken_json():
    [record] = read_json(b'{"title": "One", "body": "Only one."}', "one.json")
    assert record.title == "One"
    [rejected] = read_json(b'{"title": ', "broken.json")
    assert rejected.reason.startswith("invalid JSON")


def _articles_array(n: int) -> bytes:
    return json.dumps([{"title": f"Story {i}", "text": f"Body of story {i}."} for i in range(1, n + 1)]).encode()


def test_json_array_is_streamed_item_by_item_whatever_its_size(monkeypatch):
    import gzip

    from app.ingest.readers import tabular

    monkeypatch.setattr(tabular, "MAX_FILE_BYTES", 1000)  # the array is far above it
    data = _articles_array(60)
    assert len(data) > 1000
    items = list(read_file(io.BytesIO(data), "a.json", "json"))
    assert len(items) == 60 and items[59].origin == "a.json#60" and items[59].title == "Story 60"
    unseekable = gzip.GzipFile(fileobj=io.BytesIO(gzip.compress(b"\xef\xbb\xbf  \n" + data)))
    assert [i.title for i in read_file(unseekable, "b.json", "json")] == [f"Story {i}" for i in range(1, 61)]
    wrapped = json.dumps({"articles": json.loads(data)}).encode()
    [too_big] = read_file(io.BytesIO(wrapped), "c.json", "json")
    assert too_big.reason.startswith("JSON larger than") and "JSON Lines" in too_big.reason


def test_json_array_items_that_are_not_articles_and_a_cut_file_are_rejected_by_number():
    data = b'[{"title": "One", "text": "First."}, null, 7, {"title": "Two", "text": "Second."}, {"title": "Thr'
    items = list(read_file(io.BytesIO(data), "a.json", "json"))
    assert [(i.origin, type(i).__name__) for i in items] == [
        ("a.json#1", "ArticleRecord"), ("a.json#2", "Rejected"), ("a.json#3", "Rejected"),
        ("a.json#4", "ArticleRecord"), ("a.json#5", "Rejected")]
    assert items[1].reason == "item is not a JSON object"
    assert items[4].reason.startswith("invalid JSON after 4 items")


def test_json_array_in_windows_1252_is_read_whole_and_decoded():
    data = '[{"title": "Sécurité", "text": "Le ministère a démenti."}]'.encode("cp1252")
    [record] = read_file(io.BytesIO(data), "a.json", "json")
    assert record.title == "Sécurité" and record.body == "Le ministère a démenti."


def test_csv_rows_numbered_like_a_spreadsheet_with_lead_as_body():
    items = by_origin(read_csv(io.BytesIO(fixture("articles.csv")), "a.csv"))
    first = items["a.csv:2"]
    assert first.title == "Port traffic doubles"
    assert first.body == "Ships queued for two days, the port authority said."
    assert first.published_at == datetime(2020, 5, 24)
    assert items["a.csv:3"].published_at == datetime(2020, 4, 30)
    assert items["a.csv:4"].reason == "row has 3 fields, the header has 5"
    quoted = items["a.csv:5"]
    assert quoted.title == 'Multi-line "quoted" body' and quoted.body == "Line one\nline two"
    assert quoted.original_text.startswith("title,author,date,headline,url\n")
    assert quoted.format == "csv"


def test_csv_without_known_columns_is_rejected_once_then_read_with_a_mapping():
    [rejected] = read_csv(io.BytesIO(fixture("mapped.csv")), "m.csv")
    assert "give a mapping" in rejected.reason and "headline_text" in rejected.reason
    [record] = read_csv(io.BytesIO(fixture("mapped.csv")), "m.csv", {"title": "headline_text", "author": "writer", "date": "when"})
    assert (record.title, record.author, record.published_at) == ("Snow closes the pass", "K. Berg", datetime(2022, 12, 1))


def test_csv_in_latin1_with_semicolons():
    data = "title;text\nÉté brûlant;Il fait très chaud.\n".encode("latin-1")
    [record] = read_csv(io.BytesIO(data), "l.csv")
    assert record.title == "Été brûlant"


# -- feeds -----------------------------------------------------------------------------------


def test_rss_prefers_full_content_over_summary():
    dam, library = read_feed(fixture("feed.rss"), "feed.rss")
    assert dam.title == "Dam inspection finds no cracks"
    assert dam.body == ("Inspectors found no cracks in the old dam, the water board said on Tuesday."
                        "\n\nA second inspection is planned for June.")
    assert dam.origin == dam.url == "https://valley.example/news/dam-inspection"
    assert dam.published_at == datetime(2023, 1, 10, 13, 0)  # +0100 → UTC
    assert dam.published_how == "feed"
    assert dam.author == "Sam Reed"
    assert (dam.source, dam.language, dam.format) == ("Valley Times", "en", "rss")
    assert library.body.startswith("The town library will open on Sundays from February & stay")


def test_atom_feed_in_french():
    [entry] = read_feed(fixture("feed.atom"), "feed.atom")
    assert entry.title == "Les pêcheurs reprennent la mer"
    assert entry.body.startswith("Après une semaine de tempête")
    assert entry.language == "fr" and entry.author == "Marc Leroy"
    assert entry.published_at == datetime(2023, 3, 1, 6, 15)


def test_feed_that_is_not_a_feed_is_rejected():
    [rejected] = read_feed(b"hello, I am not XML", "x.rss")
    assert isinstance(rejected, Rejected)


# -- WARC ------------------------------------------------------------------------------------


def make_warc(gzip: bool = True) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=gzip)
    page = fixture("page.html")
    headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "https://gazette.example/2022/05/nouveau-pont?ref=home", "response",
        payload=io.BytesIO(page), http_headers=headers,
        warc_headers_dict={"WARC-Date": "2023-01-02T03:04:05Z"}))
    css = StatusAndHeaders("200 OK", [("Content-Type", "text/css")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record(
        "https://gazette.example/style.css", "response", payload=io.BytesIO(b"body{}"), http_headers=css))
    writer.write_record(writer.create_warc_record(
        "https://gazette.example/", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")))
    return out.getvalue()


@pytest.mark.parametrize("gzip", [True, False])
def test_warc_html_responses_become_articles(gzip):
    [record] = read_warc(io.BytesIO(make_warc(gzip)), "crawl.warc.gz")
    target = "https://gazette.example/2022/05/nouveau-pont?ref=home"
    assert record.origin == record.url == target
    assert record.captured_at == datetime(2023, 1, 2, 3, 4, 5)
    assert record.title == "Un nouveau pont sur la rivière"
    assert record.format == "warc"


def test_warc_that_is_not_a_warc_is_rejected():
    [rejected] = read_warc(io.BytesIO(b"just some text\n"), "bad.warc")
    assert isinstance(rejected, Rejected)


# -- Reuters SGML ----------------------------------------------------------------------------


def test_reuters_story_with_body_dateline_and_tags():
    items = by_origin(read_reuters(fixture("reut-sample.sgm"), "reut2-000.sgm"))
    story = items["reut2-000.sgm#NEWID=101"]
    assert story.title == "MOROCCO BUYS WHEAT FROM <GRAIN TRADERS INC>"
    assert story.body.startswith("RABAT, March 12 - Morocco has bought 100,000 tonnes of wheat from <Grain Traders Inc>")
    assert "The IMF welcomed the purchase & said more may follow." in story.body
    assert "Reuter" not in story.body and "\x03" not in story.body
    assert story.published_at == datetime(1987, 3, 12, 10, 20, 30, 400000)
    assert {"place:usa", "place:morocco", "org:imf"} <= set(story.source_tags)
    assert (story.source, story.format, story.published_how) == ("Reuters", "reuters", "metadata")
    assert story.original_text.startswith("<REUTERS ")


def test_reuters_brief_unprocessed_and_empty_items():
    items = by_origin(read_reuters(fixture("reut-sample.sgm"), "r.sgm"))
    brief = items["r.sgm#NEWID=102"]
    assert brief.title == brief.body == "BANK OF ENGLAND CUTS RATE"
    assert brief.published_at == datetime(1987, 3, 3, 9, 15, 5, 400000)  # date with trailing wire codes
    unproc = items["r.sgm#NEWID=103"]
    assert unproc.title == "WEEKLY RESERVES REPORT - MAR 4" and unproc.title_derived
    assert "Net free reserves" in unproc.body
    assert items["r.sgm#NEWID=104"].reason == "no title and no text"


# -- format detection ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.md", b"# T", "markdown"),
        ("a.htm", b"", "html"),
        ("a.jsonl", b"", "jsonl"),
        ("crawl.warc.gz", b"", "warc"),
        ("reut2-000.sgm", b"", "reuters"),
        ("links.txt", b"https://a.example/1\n\nhttp://b.example/2\n", "urls"),
        ("story.txt", b"Title\n\nhttps://a.example/ is mentioned here\n", "text"),
        ("noext", b"<!DOCTYPE html><html>", "html"),
        ("noext", b'<?xml version="1.0"?>\n<rss version="2.0">', "rss"),
        ("noext", b"WARC/1.0\r\n", "warc"),
        ("noext", b'{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("noext", b'{"articles": []}', "json"),
        ("noext", b"Just a title\n\nAnd text.", "text"),
    ],
)
def test_detect_format_by_extension_then_content(name, head, expected):
    assert detect_format(name, head) == expected


def test_read_bytes_and_read_file_agree_for_streamed_formats():
    data = fixture("articles.jsonl")
    from_bytes = [i.origin for i in read_bytes(data, "a.jsonl", "jsonl")]
    from_stream = [i.origin for i in read_file(io.BytesIO(data), "a.jsonl", "jsonl")]
    assert from_bytes == from_stream and len(from_bytes) == 6


def test_a_row_without_a_source_takes_its_urls_site():
    rows = (b"title,headline,url,source\n"
            b"Port traffic doubles,Ships queued.,https://www.example-news.ma/2020/05/port/,\n"
            b"Snow closes the pass,Roads shut.,https://example.org/snow,Mountain Post\n"
            b"No link,Nothing else.,javascript:alert(1),\n")
    items = by_origin(read_csv(io.BytesIO(rows), "s.csv"))
    assert items["s.csv:2"].source == "example-news.ma"
    assert items["s.csv:3"].source == "Mountain Post"
    assert items["s.csv:4"].source is None
