"""Every file's model: from the model cache when it holds one, else lowered, in parallel where that pays.

In two steps, so that a run can stop between them: `lower_new` lowers the
files the cache lacks (an edited file) and learns every file's *facts
digest* — the digest of what a run can learn from the file, read from the
cache entry's header without decoding the model; `models` then decodes the
rest. When the facts of every file are those of a stored run (an edit that
changed only comments or formatting, a branch switched back), the engine
answers from that run and no model is ever decoded.
"""
from __future__ import annotations

import dataclasses
import gc
import hashlib
import json
import os
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Optional, Union

from lambdalint import source_text
from lambdalint.cache import ModelCache
from lambdalint.findings import Finding, Language, Severity, Span
from lambdalint.iac.cdk_imports import reads_source_text
from lambdalint.model import FileModel
from lambdalint.result import RunProblems
from lambdalint.run_cache import text_digest
from lambdalint.suppress import parse_suppressions

_PARALLEL_THRESHOLD = 24
_CHUNKS_PER_WORKER = 12

Input = tuple[str, Language, str]   # display path, language, text


@dataclass
class Unreadable:
    """A file that produced no model: the E901 finding that stands for it."""

    finding: Finding


Outcome = Union[FileModel, Unreadable, str]   # a str: a front-end failure, as the user is told of it


class Lowering:
    """The models of `inputs`; see the module's docstring."""

    def __init__(self, inputs: list[Input], cache: Optional[ModelCache], jobs: int):
        self.inputs = inputs
        self.cache = cache
        self.jobs = jobs
        self._outcomes: list[Optional[Outcome]] = [None] * len(inputs)
        self._facts: list[Optional[str]] = [None] * len(inputs)
        self._looked_up = False
        self._resume_collector = False

    def lower_new(self) -> None:
        """Lower (and cache) the files the cache has no model of."""
        todo = []
        for i, (display, language, source) in enumerate(self.inputs):
            facts = self.cache.facts(display, language, source) if self.cache else None
            if facts is not None:
                self._facts[i] = facts
            else:
                todo.append(i)
        self._looked_up = True
        self._pause_collector()
        _lower_indices(self.inputs, todo, self._outcomes, self.jobs)
        for i in todo:
            self._note(i)

    def facts_rows(self) -> Optional[list[tuple[str, str, str]]]:
        """(display, language, facts digest) of every input; None when a file has none (a front-end
        failure, an entry that could not be written)."""
        if not self._looked_up:
            self.lower_new()
        rows = []
        for (display, language, _source), facts in zip(self.inputs, self._facts):
            if facts is None:
                return None
            rows.append((display, language.value, facts))
        return rows

    def models(self, problems: RunProblems) -> tuple[list[FileModel], list[Finding]]:
        """Every model (decoded now from the cache where `lower_new` did not lower it) and the E901 of the
        files that have none; front-end failures go to `problems`."""
        if not self._looked_up:
            self.lower_new()
        self._pause_collector()
        for i, (display, language, source) in enumerate(self.inputs):
            if self._outcomes[i] is None:
                model = self.cache.get(display, language, source) if self.cache else None
                if model is None:  # the entry went away or does not decode
                    self._outcomes[i] = lower_one(display, language, source)
                    self._note(i)
                else:
                    self._outcomes[i] = model
        self.release()
        models, failed = [], []
        for outcome in self._outcomes:
            if isinstance(outcome, FileModel):
                models.append(outcome)
            elif isinstance(outcome, Unreadable):
                failed.append(outcome.finding)
            else:
                problems.internal_errors.append(outcome)
        return models, failed

    def release(self) -> None:
        """The collector as it was, once the models are all made.

        It is paused from the first file lowered on: the models hold no cycles worth collecting, and
        libcst's many short-lived nodes make collections frequent and slow. The models live for the whole
        run, so they are frozen: with collection paused they all sit in the youngest generation, and the
        next collections would walk them three times over. `engine.run` unfreezes them at the end.
        """
        if self._resume_collector:
            gc.freeze()
            gc.enable()
            self._resume_collector = False

    def _pause_collector(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._resume_collector = True

    def _note(self, i: int) -> None:
        """Cache what lowering file `i` gave, and its facts digest."""
        outcome = self._outcomes[i]
        display, language, source = self.inputs[i]
        if isinstance(outcome, FileModel):
            encoded = self.cache.encode(outcome) if self.cache is not None else None
            if encoded is None:
                return
            try:
                self._facts[i] = facts_digest(outcome, encoded, source)
            except (TypeError, ValueError):  # a value JSON cannot carry: this file is lowered every time
                return
            self.cache.put(display, language, source, encoded, self._facts[i])
        elif isinstance(outcome, Unreadable):
            self._facts[i] = text_digest("unparsable\0" + source)


_FIELDS = {f.name: i for i, f in enumerate(dataclasses.fields(FileModel))}


def facts_digest(model: FileModel, encoded: list, source: str) -> str:
    """The digest of what a run reads of a file: two texts with the same facts give every file of the
    project the same findings.

    That is its model (`encoded`) but its path, and of its comments only the suppressions they make (the rules read
    no other comment) and not its line count (read only while lowering) — and the whole text when the
    run reads that too (a CDK app's props are located in it).
    """
    view = list(encoded)
    view[_FIELDS["path"]] = view[_FIELDS["is_test"]] = None  # in the row (copies of a text share an entry)
    view[_FIELDS["comments"]] = [[s.line, s.target_line, list(s.codes), s.reason]
                                 for s in parse_suppressions(model.comments)]
    view[_FIELDS["line_count"]] = 0
    digest = hashlib.sha256(json.dumps(view, separators=(",", ":"), allow_nan=True).encode())
    if reads_source_text(model):
        digest.update(b"\0text\0" + source.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def lower_one(display: str, language: Language, source: str) -> Outcome:
    from lambdalint.frontends import ParseError, lower  # only when a file is lowered: the parsers
    try:
        return lower(source, display, language)
    except ParseError as error:
        message, line, column = str(error), error.line or 1, error.column or 1
        cpython = source_text.python_syntax_error(source, display) if language is Language.PYTHON else None
        if cpython is not None:
            message, line, column = cpython
        return Unreadable(Finding("E901", f"syntax error: {message}", Severity.ERROR, display,
                                  Span(line, column, line, column)))
    except RecursionError:
        return Unreadable(Finding("E901", "syntax error: the file is too deeply nested to analyse",
                                  Severity.ERROR, display, Span(1, 1, 1, 1)))
    except Exception as error:  # a front-end bug: report it, keep going
        return f"{display}: could not be analysed: {type(error).__name__}: {error}"


def _lower_indices(inputs: list[Input], todo: list[int], results: list, jobs: int) -> None:
    workers = jobs or (os.cpu_count() or 1)
    # Workers pay for themselves on Python (libcst's parse dominates); a JS/TS model costs more to ship
    # back than tree-sitter takes to build it, so JS/TS is lowered here, meanwhile.
    shipped = [i for i in todo if inputs[i][1] is Language.PYTHON]
    local = [i for i in todo if inputs[i][1] is not Language.PYTHON]
    if workers > 1 and len(shipped) >= _PARALLEL_THRESHOLD:
        try:
            _lower_in_parallel(inputs, shipped, local, results, workers)
        except (OSError, RuntimeError):  # no process support here: what is left is lowered in this process
            pass
    for i in shipped + local:
        if results[i] is None:
            results[i] = lower_one(*inputs[i])


def _lower_in_parallel(inputs, shipped: list[int], local: list[int], results: list, workers: int) -> None:
    """Python files over `workers - 1` processes and this one, JS/TS files here.

    This process is one of the `workers`: what it lowers itself is never
    pickled, and the processes never outnumber the cores asked for. The
    largest Python files go first, in small chunks, to the workers; this
    process takes the JS/TS files and then the smallest chunks, so all of
    them finish together.
    """
    chunks = deque(_chunks(sorted(shipped, key=lambda i: -len(inputs[i][2])), inputs, workers))
    own = deque(local)
    pending: deque = deque()
    with ProcessPoolExecutor(max_workers=workers - 1, initializer=_worker_init) as pool:
        while chunks or own or pending:
            while chunks and len(pending) < 2 * (workers - 1):  # each worker has its next chunk waiting
                chunk = chunks.popleft()
                pending.append((chunk, pool.submit(_lower_chunk, [inputs[i] for i in chunk])))
            while pending and pending[0][1].done():
                chunk, future = pending.popleft()
                _results_of(chunk, future.result(), results)
            if own:
                i = own.popleft()
                results[i] = lower_one(*inputs[i])
            elif chunks:
                for i in chunks.pop():
                    results[i] = lower_one(*inputs[i])
            elif pending:
                chunk, future = pending.popleft()
                _results_of(chunk, future.result(), results)


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


def _results_of(chunk: list[int], outcomes: list, results: list) -> None:
    for i, outcome in zip(chunk, outcomes):
        results[i] = outcome


def _lower_chunk(items: list) -> list:
    return [lower_one(*item) for item in items]


def _worker_init() -> None:
    """A worker keeps only the file it is lowering: collecting its little heap is cheap, and without it
    the small cycles each lowering leaves pile up (the workers inherit the paused collector)."""
    gc.set_threshold(10_000, 10, 10)
    gc.enable()
