"""The import's process pool: order, flow control and failures (no database needed)."""
from __future__ import annotations

import os
import signal

import pytest

from app.parallel import WorkerFailed, chunked, map_chunks


def squares(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n, n * n) for n in chunk]


def test_results_come_back_in_input_order_whatever_worker_computed_them():
    results = list(map_chunks(squares, range(1000), workers=2, chunk=7))
    assert results == [(n, n * n) for n in range(1000)]


def test_the_input_is_read_lazily_as_results_are_consumed():
    read = []

    def numbers():
        for n in range(100_000):
            read.append(n)
            yield n

    results = map_chunks(squares, numbers(), workers=2, chunk=10)
    assert next(results) == (0, 0)
    assert len(read) < 1000  # a few chunks per worker, not the whole input
    results.close()


def test_when_the_input_fails_what_was_read_comes_out_then_the_error():
    def failing():
        yield from range(25)
        raise OSError("disk gone")

    out = []
    with pytest.raises(OSError, match="disk gone"):
        for item in map_chunks(squares, failing(), workers=2, chunk=10):
            out.append(item)
    assert out == [(n, n * n) for n in range(25)]


def test_chunked_yields_the_partial_chunk_before_the_error():
    def failing():
        yield from range(5)
        raise ValueError("bad")

    chunks = chunked(failing(), 3)
    assert next(chunks) == [0, 1, 2]
    assert next(chunks) == [3, 4]
    with pytest.raises(ValueError):
        next(chunks)


def raising(chunk: list[int]) -> list[int]:
    if 13 in chunk:
        raise RuntimeError("unlucky")
    return chunk


def test_a_function_that_raises_fails_the_map_with_its_message():
    with pytest.raises(WorkerFailed, match="unlucky"):
        list(map_chunks(raising, range(100), workers=2, chunk=5))


def dying(chunk: list[int]) -> list[int]:
    if 42 in chunk:
        os.kill(os.getpid(), signal.SIGKILL)  # the kernel's OOM killer, say
    return chunk


def test_a_worker_that_dies_fails_the_map_instead_of_hanging_it():
    with pytest.raises(WorkerFailed, match="died"):
        list(map_chunks(dying, range(100), workers=2, chunk=5))
