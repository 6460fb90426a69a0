"""parse -> prepare -> load -> report. The one way articles get into the archive."""
from __future__ import annotations

import itertools
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from app.corrections import corrected_gazetteer
from app.entities import load_gazetteer
from app.ingest.language import detect_language
from app.ingest.prepare import PreparedArticle, prepare, prepare_batch, set_gazetteer
from app.ingest.readers import read_bytes
from app.ingest.record import ArticleRecord, Rejected, Unparsed, Unread
from app.ingest.sources import iter_records, prefetch, read_unread, walk_unread
from app.parallel import chunked, map_chunks
from app.storage.views import ImportLine

# Below this many records a process pool costs more than it saves.
POOL_THRESHOLD = 64
CHUNK = 64  # records prepared together (prepare_batch), and sent to a worker as one task
RUN = 64  # prepared articles handed to the writer at once (``add_many``)


@dataclass
class ImportReport:
    """What an import did: counts per status, and its report lines when asked for (``keep_lines``;
    the CLI prints each line as it comes and keeps none, so a million-file import holds no list)."""

    run_id: int = 0
    lines: list[ImportLine] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def count(self, status: str) -> int:
        return self.counts[status]

    @property
    def added(self) -> int:
        return self.count("added")

    @property
    def duplicates(self) -> int:
        return self.count("duplicate")

    @property
    def rejected(self) -> int:
        return self.count("rejected")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def exit_code(self) -> int:
        """0 when everything readable was imported, 1 when some files were rejected."""
        return 1 if self.rejected else 0


def _read(item: ArticleRecord | Rejected | Unparsed | Unread) -> ArticleRecord | Rejected | Unread:
    if isinstance(item, Unread):
        try:
            opened = read_unread(item)
        except Exception as exc:  # a bug on one file must not stop the import
            return Rejected(item.origin, f"could not read: {exc}")
        if opened is None:
            return item  # not one article: the parent walks it (_expanded)
        item = opened
    if not isinstance(item, Unparsed):
        return item
    try:
        # One-article readers yield exactly one record or one Rejected.
        return next(iter(read_bytes(item.data, item.origin, item.format)))
    except Exception as exc:  # a reader bug on one file must not stop the import
        return Rejected(item.origin, f"could not read: {exc}")


def _prepare_one(record: ArticleRecord) -> PreparedArticle | Rejected:
    try:
        return prepare(record)
    except Exception as exc:  # one bad record must not stop the import
        return Rejected(record.origin, f"could not process: {exc}")


def _prepare_items(items: list) -> list[PreparedArticle | Rejected]:
    """Read and prepare a chunk of items (in a worker): the records together (``prepare_batch``),
    or, when that fails, one by one so that only the bad record is rejected."""
    prefetch([item for item in items if isinstance(item, Unread)])
    read = [_read(item) for item in items]
    records = [r for r in read if isinstance(r, ArticleRecord)]
    try:
        prepared = iter(prepare_batch(records))
    except Exception:
        prepared = map(_prepare_one, records)
    return [next(prepared) if isinstance(r, ArticleRecord) else r for r in read]


def _prepared(items: Iterator, workers: int) -> Iterator[PreparedArticle | Rejected]:
    head = list(itertools.islice(items, POOL_THRESHOLD))
    items = itertools.chain(head, items)
    if workers <= 1 or len(head) < POOL_THRESHOLD:
        results = (result for chunk in chunked(items, CHUNK) for result in _prepare_items(chunk))
    else:
        load_gazetteer()  # loaded once in the parent, shared by the forked workers
        detect_language("warm up the language model before forking")
        results = map_chunks(_prepare_items, items, workers, chunk=CHUNK)
    for result in results:
        if isinstance(result, Unread):
            yield from _expanded(result)
        else:
            yield result


def _expanded(item: Unread) -> Iterator[PreparedArticle | Rejected]:
    """A deferred file that holds more than one article (an archive, a JSON file), read here."""
    for chunk in chunked(walk_unread(item), CHUNK):
        yield from _prepare_items(chunk)


def _runs(items: Iterator[PreparedArticle | Rejected]) -> Iterator[list[PreparedArticle] | Rejected]:
    """Consecutive articles in lists of at most RUN (in order), each rejection alone."""
    run: list[PreparedArticle] = []
    for item in items:
        if isinstance(item, Rejected):
            if run:
                yield run
                run = []
            yield item
        else:
            run.append(item)
            if len(run) >= RUN:
                yield run
                run = []
    if run:
        yield run


def import_records(store, items: Iterable, paths: list[str], *, workers: int = 0,
                   on_line: Callable[[ImportLine], None] | None = None, keep_lines: bool = True) -> ImportReport:
    workers = workers or os.cpu_count() or 1
    report = ImportReport()
    with store.writer(paths) as w:
        report.run_id = w.run_id
        set_gazetteer(corrected_gazetteer(w.conn))  # before the workers fork, so they inherit it
        for run in _runs(_prepared(iter(items), workers)):
            if isinstance(run, Rejected):
                lines = [w.reject(run.origin, run.reason, run.skipped)]
            else:  # a run of articles: the PostgreSQL writer looks them up and inserts them together
                lines = w.add_many(run)
            for line in lines:
                report.counts[line.status] += 1
                if keep_lines:
                    report.lines.append(line)
                if on_line:
                    on_line(line)
    report.counts.update(w.relabelled)  # lines whose status changed after they were counted
    report.counts = +report.counts
    # Stories are grouped once, at the end of the import: relabel those report lines.
    report.counts["added"] -= w.near_in_run
    report.counts["near-duplicate"] += w.near_in_run
    near = dict(w.near_duplicates)
    for line in report.lines:
        if line.status == "added" and line.article_id in near:
            line.status, line.reason = "near-duplicate", f"near-duplicate of #{near[line.article_id]}"
    return report


def import_paths(store, paths: list[str], *, fmt: str | None = None, mapping: dict[str, str] | None = None,
                 workers: int = 0, on_line: Callable[[ImportLine], None] | None = None,
                 keep_lines: bool = True, follow_url_lists: bool = False, allow_private: bool = False) -> ImportReport:
    """``follow_url_lists``, ``allow_private``: see ``app.ingest.sources.iter_records``."""
    items = iter_records(paths, fmt, mapping, defer_parse=True, follow_url_lists=follow_url_lists,
                         allow_private=allow_private)
    return import_records(store, items, paths, workers=workers, on_line=on_line, keep_lines=keep_lines)
