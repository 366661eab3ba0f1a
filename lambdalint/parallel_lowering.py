"""Many files lowered over `--jobs` processes: this one and `jobs - 1` workers.

A worker ships a (Python) model back as the JSON the cache stores (with its facts
digest): encoding it takes a third of the time pickling would and decoding it
here no more than unpickling, and this process then writes the cache entry
without encoding the model again. This process is one of the workers: what it
lowers itself is never shipped, and the processes never outnumber the cores
asked for.
"""
from __future__ import annotations

import gc
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Optional

from lambdalint import file_lowering
from lambdalint.file_lowering import Input
from lambdalint.findings import Language
from lambdalint.model import FileModel

# Below this many files a worker costs more than it saves.
PARALLEL_THRESHOLD = 24
_CHUNKS_PER_WORKER = 12
_QUEUED_PER_WORKER = 3   # chunks waiting for each worker, so that none runs dry while this process lowers


@dataclass
class _Shipped:
    """A model as a worker sends it: `file_lowering.encode`'s JSON and facts digest."""

    body: bytes
    facts: str


def lower_many(inputs: list[Input], todo: list[int], results: list, shipped: dict[int, tuple[bytes, str]],
               jobs: int, facts: bool = True) -> None:
    """Fill `results[i]` for each `i` of `todo` (`file_lowering.Outcome`); `shipped[i]`: the encoded
    model and facts digest (when `facts`) of those a worker lowered."""
    workers = jobs or (os.cpu_count() or 1)
    # Workers pay for themselves on Python (libcst's parse dominates); a JS/TS model costs about as much
    # to ship back as tree-sitter takes to build it, so JS/TS is lowered here, meanwhile.
    python = [i for i in todo if inputs[i][1] is Language.PYTHON]
    if workers > 1 and len(python) >= PARALLEL_THRESHOLD:
        local = [i for i in todo if inputs[i][1] is not Language.PYTHON]
        try:
            _in_processes(inputs, python, local, results, shipped, workers, facts)
        except (OSError, RuntimeError):  # no process support here: what is left is lowered in this process
            pass
    for i in todo:
        if results[i] is None:
            results[i] = file_lowering.lower_one(*inputs[i])


def _in_processes(inputs: list[Input], python: list[int], local: list[int], results: list, shipped: dict,
                  workers: int, facts: bool) -> None:
    """The largest Python files go first, in chunks of about the same size in bytes, to the workers;
    this process lowers the JS/TS files, then takes the smallest chunks from the other end, a file at a
    time, and keeps the workers' queues filled between files, so that all finish together."""
    chunks = deque(_chunks(sorted(python, key=lambda i: -len(inputs[i][2])), inputs, workers))
    own: deque = deque(local)
    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=workers - 1, initializer=_worker_init) as pool:
        while chunks or own or pending:
            while chunks and len(pending) < _QUEUED_PER_WORKER * (workers - 1):
                chunk = chunks.popleft()
                pending.append((chunk, pool.submit(_lower_chunk, [inputs[i] for i in chunk], facts)))
            while pending and pending[0][1].done():
                _receive(*pending.popleft(), results, shipped)
            if own:
                i = own.popleft()
                results[i] = file_lowering.lower_one(*inputs[i])
            elif chunks:
                own.extend(chunks.pop())
            elif pending:
                _receive(*pending.popleft(), results, shipped)


def _chunks(ordered: list[int], inputs, workers: int) -> list[list[int]]:
    """Runs of files of about the same size in bytes (a chunk of the largest files holds only a few)."""
    target = max(1, sum(len(inputs[i][2]) for i in ordered) // (workers * _CHUNKS_PER_WORKER))
    chunks, current, size = [], [], 0
    for i in ordered:
        current.append(i)
        size += len(inputs[i][2])
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def _receive(chunk: list[int], future, results: list, shipped: dict) -> None:
    for i, outcome in zip(chunk, future.result()):
        if isinstance(outcome, _Shipped):
            shipped[i] = (outcome.body, outcome.facts)
            outcome = file_lowering.decode(outcome.body)
        results[i] = outcome


def _lower_chunk(items: list[Input], facts: bool) -> list:
    out: list = []
    for display, language, source in items:
        outcome = file_lowering.lower_one(display, language, source)
        encoded: Optional[tuple[bytes, str]] = None
        if isinstance(outcome, FileModel):
            encoded = file_lowering.encode(outcome, source, facts)
        out.append(_Shipped(*encoded) if encoded is not None else outcome)  # (else pickled: it is rare)
    return out


def _worker_init() -> None:
    """A worker keeps only the file it is lowering: collecting its little heap is cheap, and without it
    the small cycles each lowering leaves pile up (the workers inherit the paused collector). What it
    inherited from this process is frozen: no collection walks it, or copies its pages by touching them."""
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)
    gc.enable()
