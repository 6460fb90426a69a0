"""Fuzzing every reader and container walker (issue 9) with hypothesis: random bytes, and small
valid samples of each format mutated (bytes flipped, cut, inserted, spliced). Whatever the input,
reading it gives records or rejections, never an exception and never a hang, and every rejection
names the file it came from and says why. Examples are bounded: the whole file runs in ~20 s.

URL lists are fuzzed too; their fetcher answers from memory (404), never from the network."""
from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.ingest.fetch import Fetcher
from app.ingest.record import ArticleRecord, Rejected
from app.ingest.sources import iter_records

FIXTURES = Path(__file__).parent / "fixtures" / "readers"
SAMPLE_TEXT = (Path(__file__).parents[1] / "app" / "samples" / "02-interpol-europol-joint-operation.txt").read_bytes()
_WARC = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://example.com/a\r\n"
         b"WARC-Record-ID: <urn:uuid:1>\r\nContent-Type: application/http; msgtype=response\r\n"
         b"Content-Length: %d\r\n\r\n%s\r\n\r\n")
_PAGE = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + (FIXTURES / "page.html").read_bytes()[:3000]


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _tar_gz(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _samples() -> dict[str, bytes]:
    samples = {path.name: path.read_bytes()[:6000] for path in sorted(FIXTURES.iterdir()) if path.is_file()}
    samples.update({
        "story.txt": SAMPLE_TEXT,
        "page.warc": _WARC % (len(_PAGE), _PAGE),
        "TIME.ALL": b"*TEXT 017 01/04/63 PAGE 020\n\nTHE ALLIES MET IN NASSAU .\n\n*TEXT 018 01/04/63 PAGE 021\n\nMORE .\n",
        "links.txt": b"http://127.0.0.1:9/a\nhttp://10.0.0.1/b\nnot a url\n",
        "bundle.zip": _zip({"a/story.txt": SAMPLE_TEXT[:1500], "b/articles.jsonl": samples_jsonl()}),
        "bundle.tar.gz": _tar_gz({"story.txt": SAMPLE_TEXT[:1500], "feed.rss": (FIXTURES / "feed.rss").read_bytes()}),
        "articles.jsonl.gz": gzip.compress(samples_jsonl()),
    })
    return samples


def samples_jsonl() -> bytes:
    return (FIXTURES / "articles.jsonl").read_bytes()


SAMPLES = _samples()


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """``data`` with a few random edits: the kind of damage files really have."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "splice", "delete"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        elif kind == "splice":
            end = draw(st.integers(at, len(data)))
            data[at:at] = data[at:end][:512]
        else:
            del data[at: at + draw(st.integers(1, 200))]
    return bytes(data)


def _refuse(request: httpx.Request) -> httpx.Response:
    return httpx.Response(404)


def _read_all(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    with Fetcher(tries=1, transport=httpx.MockTransport(_refuse), allow_private=True) as fetcher:
        items = list(iter_records([str(path)], fetcher=fetcher))
    assert items, "every input gives at least one record or rejection"
    for item in items:
        assert isinstance(item, (ArticleRecord, Rejected))
        if isinstance(item, Rejected):
            assert item.reason and item.reason.strip()
            # "could not read": a reader raised, and only the importer's last guard caught it.
            assert not item.reason.startswith(("could not read", "could not process")), item
            # A URL list's rejections name the URL it could not fetch; the others name the file.
            assert item.origin.startswith(str(path)) or item.origin.startswith("http"), item
        else:
            assert item.title and item.body


_FUZZ = settings(max_examples=25, deadline=timedelta(seconds=10), database=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_mutated_samples_of_every_format_give_records_or_named_rejections(name, tmp_path):
    @_FUZZ
    @given(data=mutated(SAMPLES[name]))
    def run(data: bytes) -> None:
        _read_all(tmp_path, name, data)

    run()


@pytest.mark.parametrize("name", ["random.txt", "random.json", "random.csv", "random.html", "random.gz", "random"])
def test_random_bytes_under_any_name_give_records_or_named_rejections(name, tmp_path):
    @_FUZZ
    @given(data=st.one_of(st.binary(max_size=3000), st.text(max_size=2000).map(str.encode)))
    def run(data: bytes) -> None:
        _read_all(tmp_path, name, data)

    run()
