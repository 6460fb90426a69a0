"""An ordered, bounded process pool: ``map_chunks(fn, items, workers)`` cuts ``items`` into
chunks, has forked worker processes compute ``fn(chunk)`` (a list of results, one per item),
and yields the results in the items' order. ``fn`` takes a whole chunk so that it can work
stage by stage over it (see ``app.ingest.prepare.prepare_batch``).

Why not ``multiprocessing.Pool.imap``: it runs three helper threads in the parent (one feeds
tasks, one unpickles results, one watches the workers and wakes on every result). They
compete for the GIL with the parent's own work, which during an import is the SQLite writer.
Measured on the 100k-article import: 22 s of the parent's 53 s of CPU went to those threads,
and ``imap`` reads its input as fast as it can unless throttled from outside. Here the parent
has no thread of its own beyond the task queue's feeder; workers pickle their results
themselves, a chunk at a time; at most CHUNKS_PER_WORKER chunks per worker are out at once, so
memory stays flat whichever side is slower; and a worker that dies (killed, out of memory) fails the map
with an error instead of hanging it.

Workers are forked, so ``fn`` and everything it uses (the gazetteer, the language model) are
inherited from the parent as they are at the call, never pickled.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
from collections.abc import Callable, Iterable, Iterator

CHUNK = 64  # items per task: large enough to amortise a message, small enough to keep order cheap
CHUNKS_PER_WORKER = 4  # tasks out per worker: enough that none waits for the parent
_POLL_SECONDS = 2.0  # how often a parent waiting for results checks that its workers live
# Workers yield the CPU to the parent: it is the one process every result goes through (the
# importer's SQLite writer), so when it waits for a core the whole import waits. On 2 cores:
# 100k articles in 68.6 s at nice 5 against 70.2-73.2 s at 0.
WORKER_NICE = 5


class WorkerFailed(RuntimeError):
    """A worker process died or its function raised: the map cannot complete."""


def map_chunks(fn: Callable[[list], list], items: Iterable, workers: int, *, chunk: int = CHUNK) -> Iterator:
    """Every result of ``fn(chunk)`` for the chunks of ``items``, computed by ``workers``
    forked processes, in input order."""
    ctx = multiprocessing.get_context("fork")
    tasks, results = ctx.Queue(), ctx.Queue()
    procs = [ctx.Process(target=_work, args=(fn, tasks, results), daemon=True) for _ in range(workers)]
    for proc in procs:
        proc.start()
    chunks = chunked(items, chunk)
    in_flight = CHUNKS_PER_WORKER * workers
    sent = done = 0
    ready: dict[int, bytes] = {}
    exhausted, error, finished = False, None, False
    try:
        while True:
            while not exhausted and sent - done < in_flight:
                try:
                    task = next(chunks, None)
                except Exception as exc:  # the input failed: finish what was read, then raise
                    task, error = None, exc
                if task is None:
                    exhausted = True
                else:
                    tasks.put((sent, task))
                    sent += 1
            if done == sent:
                break
            while done not in ready:
                seq, payload = _next_result(results, procs)
                ready[seq] = payload
            outcome = pickle.loads(ready.pop(done))
            done += 1
            if isinstance(outcome, WorkerFailed):
                raise outcome
            yield from outcome
        finished = True
    finally:
        _stop(procs, tasks, results, finished)
    if error is not None:
        raise error


def chunked(items: Iterable, size: int) -> Iterator[list]:
    """Lists of ``size`` items (the last one shorter). When ``items`` fails, the items read
    before the failure come out first, then the error."""
    chunk: list = []
    try:
        for item in items:
            chunk.append(item)
            if len(chunk) == size:
                yield chunk
                chunk = []
    except Exception:
        if chunk:
            yield chunk  # the items read before the input failed still go through
        raise
    if chunk:
        yield chunk


def _work(fn: Callable, tasks, results) -> None:
    # Ctrl-C goes to the whole process group: the parent handles it and stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.nice(WORKER_NICE)
    while (task := tasks.get()) is not None:
        seq, chunk = task
        try:
            payload = pickle.dumps(fn(chunk), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # fn raised, or returned something that cannot be pickled
            payload = pickle.dumps(WorkerFailed(f"worker failed: {type(exc).__name__}: {exc}"))
        results.put((seq, payload))


def _next_result(results, procs) -> tuple[int, bytes]:
    while True:
        try:
            return results.get(timeout=_POLL_SECONDS)
        except queue.Empty:
            dead = [p for p in procs if not p.is_alive()]
            if dead:
                raise WorkerFailed(f"a worker process died (exit code {dead[0].exitcode})") from None


def _stop(procs, tasks, results, finished: bool) -> None:
    if finished:
        for _ in procs:
            tasks.put(None)
        for proc in procs:
            proc.join()
    else:  # an error or Ctrl-C in the parent, or a worker died: stop the others now
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join()
        tasks.cancel_join_thread()  # queued tasks that no worker will read must not block exit
    for q in (tasks, results):
        q.close()
