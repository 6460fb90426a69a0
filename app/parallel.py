"""An ordered, bounded process pool: ``map_chunks(fn, items, workers)`` cuts ``items`` into
chunks, has forked worker processes compute ``fn(chunk)`` (a list of results, one per item),
and yields the results in the items' order. ``fn`` takes a whole chunk so that it can work
stage by stage over it (see ``app.ingest.prepare.prepare_batch``).

Why not ``multiprocessing.Pool.imap``: it runs three helper threads in the parent (one feeds
tasks, one unpickles results, one watches the workers and wakes on every result). They
compete for the GIL with the parent's own work, which during an import is the SQLite writer.
Measured on the 100k-article import: 22 s of the parent's 53 s of CPU went to those threads,
and ``imap`` reads its input as fast as it can unless throttled from outside. Here the parent
has no thread of its own; workers pickle their results themselves, a chunk at a time; at most
CHUNKS_PER_WORKER chunks per worker are out at once, so memory stays flat whichever side is
slower; and a worker that dies (killed, out of memory) fails the map with an error instead of
hanging it: each worker has its own pipes, so a message it leaves half-written breaks only its
own, and the parent reads the end of file there.

Workers are forked, so ``fn`` and everything it uses (the gazetteer, the language model) are
inherited from the parent as they are at the call, never pickled.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections.abc import Callable, Iterable, Iterator

CHUNK = 64  # items per task: large enough to amortise a message, small enough to keep order cheap
CHUNKS_PER_WORKER = 4  # tasks out per worker: enough that none waits for the parent
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
    # One pipe for tasks and one for results per worker, nothing shared between workers: a
    # worker killed in the middle of a message breaks its own pipes only, and the parent reads
    # the end of file there instead of waiting forever (as it would on a shared queue).
    links = [(*ctx.Pipe(duplex=False), *ctx.Pipe(duplex=False)) for _ in range(workers)]
    procs = []
    for task_in, task_out, result_in, result_out in links:
        others = [conn for link in links for conn in link if conn not in (task_in, result_out)]
        procs.append(ctx.Process(target=_work, args=(fn, task_in, result_out, others), daemon=True))
        procs[-1].start()
    for task_in, _, _, result_out in links:
        task_in.close()  # the worker's ends: the parent must not hold them, or it never sees EOF
        result_out.close()
    senders, receivers = [link[1] for link in links], [link[2] for link in links]
    chunks = chunked(items, chunk)
    in_flight = CHUNKS_PER_WORKER * workers
    sent = done = 0
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
                    _send(senders[sent % workers], pickle.dumps(task, protocol=pickle.HIGHEST_PROTOCOL),
                          procs[sent % workers])
                    sent += 1
            if done == sent:
                break
            outcome = pickle.loads(_receive(receivers[done % workers], procs[done % workers]))
            done += 1
            if isinstance(outcome, WorkerFailed):
                raise outcome
            yield from outcome
        finished = True
    finally:
        _stop(procs, senders, receivers, finished)
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


def _work(fn: Callable, tasks, results, others) -> None:
    """A worker: a thread receives tasks as they come (so the parent never waits to send), one
    sends results (so the work goes on while the parent is busy), the main thread computes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the parent handles it and stops us
    os.nice(WORKER_NICE)
    for conn in others:  # other workers' pipe ends, inherited through fork
        conn.close()
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    outbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_receive_all, args=(tasks, inbox), daemon=True).start()
    sender = threading.Thread(target=_send_all, args=(results, outbox))
    sender.start()
    while (message := inbox.get()) is not None and (chunk := pickle.loads(message)) is not None:
        try:
            payload = pickle.dumps(fn(chunk), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # fn raised, or returned something that cannot be pickled
            payload = pickle.dumps(WorkerFailed(f"worker failed: {type(exc).__name__}: {exc}"))
        outbox.put(payload)
    outbox.put(None)
    sender.join()


def _receive_all(conn, inbox: queue.SimpleQueue) -> None:
    try:
        while True:
            inbox.put(conn.recv_bytes())
    except (EOFError, OSError):  # the parent is gone
        inbox.put(None)


def _send_all(conn, outbox: queue.SimpleQueue) -> None:
    try:
        while (payload := outbox.get()) is not None:
            conn.send_bytes(payload)
    except OSError:  # the parent is gone
        pass


def _send(conn, payload: bytes, proc) -> None:
    try:
        conn.send_bytes(payload)
    except OSError:
        raise WorkerFailed(_died(proc)) from None


def _receive(conn, proc) -> bytes:
    try:
        return conn.recv_bytes()
    except (EOFError, OSError):
        raise WorkerFailed(_died(proc)) from None


def _died(proc) -> str:
    proc.join(timeout=5)
    return f"a worker process died (exit code {proc.exitcode})"


def _stop(procs, senders, receivers, finished: bool) -> None:
    if finished:
        for conn in senders:
            try:
                conn.send_bytes(pickle.dumps(None))
            except OSError:
                pass
        for proc in procs:
            proc.join()
    else:  # an error or Ctrl-C in the parent, or a worker died: stop the others now
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join()
    for conn in senders + receivers:
        conn.close()
